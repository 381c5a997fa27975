from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListCertificatesRequest(_message.Message):
    __slots__ = ("app_name", "filter", "cursor", "limit")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    filter: str
    cursor: str
    limit: int
    def __init__(self, app_name: _Optional[str] = ..., filter: _Optional[str] = ..., cursor: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListCertificatesResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ListCertificatesResponseBody
    def __init__(self, body: _Optional[_Union[ListCertificatesResponseBody, _Mapping]] = ...) -> None: ...

class CreateAcmeCertificateRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: CreateAcmeCertificateRequestBody
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[CreateAcmeCertificateRequestBody, _Mapping]] = ...) -> None: ...

class CreateAcmeCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CertificateDetail
    def __init__(self, body: _Optional[_Union[CertificateDetail, _Mapping]] = ...) -> None: ...

class CreateCustomCertificateRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: CreateCustomCertificateRequestBody
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[CreateCustomCertificateRequestBody, _Mapping]] = ...) -> None: ...

class CreateCustomCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CertificateDetail
    def __init__(self, body: _Optional[_Union[CertificateDetail, _Mapping]] = ...) -> None: ...

class ShowCertificateRequest(_message.Message):
    __slots__ = ("app_name", "hostname")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    hostname: str
    def __init__(self, app_name: _Optional[str] = ..., hostname: _Optional[str] = ...) -> None: ...

class ShowCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CertificateDetail
    def __init__(self, body: _Optional[_Union[CertificateDetail, _Mapping]] = ...) -> None: ...

class DeleteCertificateRequest(_message.Message):
    __slots__ = ("app_name", "hostname")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    hostname: str
    def __init__(self, app_name: _Optional[str] = ..., hostname: _Optional[str] = ...) -> None: ...

class DeleteCertificateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteAcmeCertificateRequest(_message.Message):
    __slots__ = ("app_name", "hostname")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    hostname: str
    def __init__(self, app_name: _Optional[str] = ..., hostname: _Optional[str] = ...) -> None: ...

class DeleteAcmeCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CertificateDetail
    def __init__(self, body: _Optional[_Union[CertificateDetail, _Mapping]] = ...) -> None: ...

class DeleteCustomCertificateRequest(_message.Message):
    __slots__ = ("app_name", "hostname")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    hostname: str
    def __init__(self, app_name: _Optional[str] = ..., hostname: _Optional[str] = ...) -> None: ...

class DeleteCustomCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: DestroyCustomCertificateResponse
    def __init__(self, body: _Optional[_Union[DestroyCustomCertificateResponse, _Mapping]] = ...) -> None: ...

class CheckCertificateRequest(_message.Message):
    __slots__ = ("app_name", "hostname")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    hostname: str
    def __init__(self, app_name: _Optional[str] = ..., hostname: _Optional[str] = ...) -> None: ...

class CheckCertificateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CertificateCheckResponse
    def __init__(self, body: _Optional[_Union[CertificateCheckResponse, _Mapping]] = ...) -> None: ...

class AcmeChallenge(_message.Message):
    __slots__ = ("name", "target", "unknown_json")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    name: str
    target: str
    unknown_json: str
    def __init__(self, name: _Optional[str] = ..., target: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateCheckResponse(_message.Message):
    __slots__ = ("acme_requested", "certificates", "configured", "dns_provider", "dns_records", "dns_requirements", "hostname", "rate_limited_until", "status", "validation", "validation_errors", "unknown_json")
    ACME_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    DNS_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    DNS_RECORDS_FIELD_NUMBER: _ClassVar[int]
    DNS_REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_ERRORS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    acme_requested: bool
    certificates: _containers.RepeatedCompositeFieldContainer[CertificateEntry]
    configured: bool
    dns_provider: str
    dns_records: DNSRecords
    dns_requirements: DNSRequirements
    hostname: str
    rate_limited_until: str
    status: str
    validation: CertificateValidation
    validation_errors: _containers.RepeatedCompositeFieldContainer[CertificateValidationError]
    unknown_json: str
    def __init__(self, acme_requested: bool = ..., certificates: _Optional[_Iterable[_Union[CertificateEntry, _Mapping]]] = ..., configured: bool = ..., dns_provider: _Optional[str] = ..., dns_records: _Optional[_Union[DNSRecords, _Mapping]] = ..., dns_requirements: _Optional[_Union[DNSRequirements, _Mapping]] = ..., hostname: _Optional[str] = ..., rate_limited_until: _Optional[str] = ..., status: _Optional[str] = ..., validation: _Optional[_Union[CertificateValidation, _Mapping]] = ..., validation_errors: _Optional[_Iterable[_Union[CertificateValidationError, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateDetail(_message.Message):
    __slots__ = ("acme_requested", "certificates", "configured", "dns_provider", "dns_requirements", "hostname", "rate_limited_until", "status", "validation", "validation_errors", "unknown_json")
    ACME_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    DNS_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    DNS_REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_ERRORS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    acme_requested: bool
    certificates: _containers.RepeatedCompositeFieldContainer[CertificateEntry]
    configured: bool
    dns_provider: str
    dns_requirements: DNSRequirements
    hostname: str
    rate_limited_until: str
    status: str
    validation: CertificateValidation
    validation_errors: _containers.RepeatedCompositeFieldContainer[CertificateValidationError]
    unknown_json: str
    def __init__(self, acme_requested: bool = ..., certificates: _Optional[_Iterable[_Union[CertificateEntry, _Mapping]]] = ..., configured: bool = ..., dns_provider: _Optional[str] = ..., dns_requirements: _Optional[_Union[DNSRequirements, _Mapping]] = ..., hostname: _Optional[str] = ..., rate_limited_until: _Optional[str] = ..., status: _Optional[str] = ..., validation: _Optional[_Union[CertificateValidation, _Mapping]] = ..., validation_errors: _Optional[_Iterable[_Union[CertificateValidationError, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateEntry(_message.Message):
    __slots__ = ("created_at", "expires_at", "issued", "issuer", "source", "status", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    expires_at: str
    issued: _containers.RepeatedCompositeFieldContainer[IssuedCertificate]
    issuer: str
    source: str
    status: str
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., expires_at: _Optional[str] = ..., issued: _Optional[_Iterable[_Union[IssuedCertificate, _Mapping]]] = ..., issuer: _Optional[str] = ..., source: _Optional[str] = ..., status: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateSummary(_message.Message):
    __slots__ = ("acme_alpn_configured", "acme_dns_configured", "acme_http_configured", "acme_requested", "configured", "created_at", "dns_provider", "has_custom_certificate", "has_fly_certificate", "hostname", "ownership_txt_configured", "status", "updated_at", "unknown_json")
    ACME_ALPN_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    ACME_DNS_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    ACME_HTTP_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    ACME_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DNS_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    HAS_CUSTOM_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    HAS_FLY_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_TXT_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    acme_alpn_configured: bool
    acme_dns_configured: bool
    acme_http_configured: bool
    acme_requested: bool
    configured: bool
    created_at: str
    dns_provider: str
    has_custom_certificate: bool
    has_fly_certificate: bool
    hostname: str
    ownership_txt_configured: bool
    status: str
    updated_at: str
    unknown_json: str
    def __init__(self, acme_alpn_configured: bool = ..., acme_dns_configured: bool = ..., acme_http_configured: bool = ..., acme_requested: bool = ..., configured: bool = ..., created_at: _Optional[str] = ..., dns_provider: _Optional[str] = ..., has_custom_certificate: bool = ..., has_fly_certificate: bool = ..., hostname: _Optional[str] = ..., ownership_txt_configured: bool = ..., status: _Optional[str] = ..., updated_at: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateValidation(_message.Message):
    __slots__ = ("alpn_configured", "dns_configured", "http_configured", "ownership_txt_configured", "unknown_json")
    ALPN_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    DNS_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    HTTP_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_TXT_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    alpn_configured: bool
    dns_configured: bool
    http_configured: bool
    ownership_txt_configured: bool
    unknown_json: str
    def __init__(self, alpn_configured: bool = ..., dns_configured: bool = ..., http_configured: bool = ..., ownership_txt_configured: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CertificateValidationError(_message.Message):
    __slots__ = ("code", "message", "remediation", "timestamp", "unknown_json")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REMEDIATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    remediation: str
    timestamp: str
    unknown_json: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., remediation: _Optional[str] = ..., timestamp: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CreateAcmeCertificateRequestBody(_message.Message):
    __slots__ = ("hostname", "unknown_json")
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    hostname: str
    unknown_json: str
    def __init__(self, hostname: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CreateCustomCertificateRequestBody(_message.Message):
    __slots__ = ("fullchain", "hostname", "private_key", "unknown_json")
    FULLCHAIN_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_KEY_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    fullchain: str
    hostname: str
    private_key: str
    unknown_json: str
    def __init__(self, fullchain: _Optional[str] = ..., hostname: _Optional[str] = ..., private_key: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DNSRecords(_message.Message):
    __slots__ = ("a", "aaaa", "acme_challenge_cname", "cname", "ownership_txt", "resolved_addresses", "soa", "unknown_json")
    A_FIELD_NUMBER: _ClassVar[int]
    AAAA_FIELD_NUMBER: _ClassVar[int]
    ACME_CHALLENGE_CNAME_FIELD_NUMBER: _ClassVar[int]
    CNAME_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_TXT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    SOA_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    a: _containers.RepeatedScalarFieldContainer[str]
    aaaa: _containers.RepeatedScalarFieldContainer[str]
    acme_challenge_cname: str
    cname: _containers.RepeatedScalarFieldContainer[str]
    ownership_txt: str
    resolved_addresses: _containers.RepeatedScalarFieldContainer[str]
    soa: str
    unknown_json: str
    def __init__(self, a: _Optional[_Iterable[str]] = ..., aaaa: _Optional[_Iterable[str]] = ..., acme_challenge_cname: _Optional[str] = ..., cname: _Optional[_Iterable[str]] = ..., ownership_txt: _Optional[str] = ..., resolved_addresses: _Optional[_Iterable[str]] = ..., soa: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DNSRequirements(_message.Message):
    __slots__ = ("a", "aaaa", "acme_challenge", "cname", "ownership", "unknown_json")
    A_FIELD_NUMBER: _ClassVar[int]
    AAAA_FIELD_NUMBER: _ClassVar[int]
    ACME_CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    CNAME_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    a: _containers.RepeatedScalarFieldContainer[str]
    aaaa: _containers.RepeatedScalarFieldContainer[str]
    acme_challenge: AcmeChallenge
    cname: str
    ownership: OwnershipVerification
    unknown_json: str
    def __init__(self, a: _Optional[_Iterable[str]] = ..., aaaa: _Optional[_Iterable[str]] = ..., acme_challenge: _Optional[_Union[AcmeChallenge, _Mapping]] = ..., cname: _Optional[str] = ..., ownership: _Optional[_Union[OwnershipVerification, _Mapping]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DestroyCustomCertificateResponse(_message.Message):
    __slots__ = ("acme_requested", "certificates", "configured", "dns_provider", "dns_requirements", "hostname", "rate_limited_until", "status", "validation", "validation_errors", "warning", "unknown_json")
    ACME_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    DNS_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    DNS_REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_ERRORS_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    acme_requested: bool
    certificates: _containers.RepeatedCompositeFieldContainer[CertificateEntry]
    configured: bool
    dns_provider: str
    dns_requirements: DNSRequirements
    hostname: str
    rate_limited_until: str
    status: str
    validation: CertificateValidation
    validation_errors: _containers.RepeatedCompositeFieldContainer[CertificateValidationError]
    warning: str
    unknown_json: str
    def __init__(self, acme_requested: bool = ..., certificates: _Optional[_Iterable[_Union[CertificateEntry, _Mapping]]] = ..., configured: bool = ..., dns_provider: _Optional[str] = ..., dns_requirements: _Optional[_Union[DNSRequirements, _Mapping]] = ..., hostname: _Optional[str] = ..., rate_limited_until: _Optional[str] = ..., status: _Optional[str] = ..., validation: _Optional[_Union[CertificateValidation, _Mapping]] = ..., validation_errors: _Optional[_Iterable[_Union[CertificateValidationError, _Mapping]]] = ..., warning: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class IssuedCertificate(_message.Message):
    __slots__ = ("certificate_authority", "expires_at", "type", "unknown_json")
    CERTIFICATE_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    certificate_authority: str
    expires_at: str
    type: str
    unknown_json: str
    def __init__(self, certificate_authority: _Optional[str] = ..., expires_at: _Optional[str] = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ListCertificatesResponseBody(_message.Message):
    __slots__ = ("certificates", "next_cursor", "total_count", "unknown_json")
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    certificates: _containers.RepeatedCompositeFieldContainer[CertificateSummary]
    next_cursor: str
    total_count: int
    unknown_json: str
    def __init__(self, certificates: _Optional[_Iterable[_Union[CertificateSummary, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., total_count: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OwnershipVerification(_message.Message):
    __slots__ = ("app_value", "name", "org_value", "unknown_json")
    APP_VALUE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORG_VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    app_value: str
    name: str
    org_value: str
    unknown_json: str
    def __init__(self, app_value: _Optional[str] = ..., name: _Optional[str] = ..., org_value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...
