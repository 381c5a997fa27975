from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListSecretsRequest(_message.Message):
    __slots__ = ("app_name", "min_version")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    min_version: str
    def __init__(self, app_name: _Optional[str] = ..., min_version: _Optional[str] = ...) -> None: ...

class ListSecretsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: AppSecrets
    def __init__(self, body: _Optional[_Union[AppSecrets, _Mapping]] = ...) -> None: ...

class UpdateSecretsRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: AppSecretsUpdateRequest
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[AppSecretsUpdateRequest, _Mapping]] = ...) -> None: ...

class UpdateSecretsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: AppSecretsUpdateResp
    def __init__(self, body: _Optional[_Union[AppSecretsUpdateResp, _Mapping]] = ...) -> None: ...

class GetSecretRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ...) -> None: ...

class GetSecretResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: AppSecret
    def __init__(self, body: _Optional[_Union[AppSecret, _Mapping]] = ...) -> None: ...

class CreateSecretRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    body: SetAppSecretRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., body: _Optional[_Union[SetAppSecretRequest, _Mapping]] = ...) -> None: ...

class CreateSecretResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SetAppSecretResponse
    def __init__(self, body: _Optional[_Union[SetAppSecretResponse, _Mapping]] = ...) -> None: ...

class DeleteSecretRequest(_message.Message):
    __slots__ = ("app_name", "secret_name")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ...) -> None: ...

class DeleteSecretResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: DeleteAppSecretResponse
    def __init__(self, body: _Optional[_Union[DeleteAppSecretResponse, _Mapping]] = ...) -> None: ...

class ListSecretKeysRequest(_message.Message):
    __slots__ = ("app_name", "min_version", "types")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    min_version: str
    types: str
    def __init__(self, app_name: _Optional[str] = ..., min_version: _Optional[str] = ..., types: _Optional[str] = ...) -> None: ...

class ListSecretKeysResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SecretKeys
    def __init__(self, body: _Optional[_Union[SecretKeys, _Mapping]] = ...) -> None: ...

class GetSecretKeyRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ...) -> None: ...

class GetSecretKeyResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SecretKey
    def __init__(self, body: _Optional[_Union[SecretKey, _Mapping]] = ...) -> None: ...

class SetSecretKeyRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    body: SetSecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., body: _Optional[_Union[SetSecretkeyRequest, _Mapping]] = ...) -> None: ...

class SetSecretKeyResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SetSecretkeyResponse
    def __init__(self, body: _Optional[_Union[SetSecretkeyResponse, _Mapping]] = ...) -> None: ...

class DeleteSecretKeyRequest(_message.Message):
    __slots__ = ("app_name", "secret_name")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ...) -> None: ...

class DeleteSecretKeyResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: DeleteSecretkeyResponse
    def __init__(self, body: _Optional[_Union[DeleteSecretkeyResponse, _Mapping]] = ...) -> None: ...

class GenerateSecretKeyRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    body: SetSecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., body: _Optional[_Union[SetSecretkeyRequest, _Mapping]] = ...) -> None: ...

class GenerateSecretKeyResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SetSecretkeyResponse
    def __init__(self, body: _Optional[_Union[SetSecretkeyResponse, _Mapping]] = ...) -> None: ...

class EncryptRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    body: EncryptSecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ..., body: _Optional[_Union[EncryptSecretkeyRequest, _Mapping]] = ...) -> None: ...

class EncryptResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: EncryptSecretkeyResponse
    def __init__(self, body: _Optional[_Union[EncryptSecretkeyResponse, _Mapping]] = ...) -> None: ...

class DecryptRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    body: DecryptSecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ..., body: _Optional[_Union[DecryptSecretkeyRequest, _Mapping]] = ...) -> None: ...

class DecryptResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: DecryptSecretkeyResponse
    def __init__(self, body: _Optional[_Union[DecryptSecretkeyResponse, _Mapping]] = ...) -> None: ...

class SignRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    body: SignSecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ..., body: _Optional[_Union[SignSecretkeyRequest, _Mapping]] = ...) -> None: ...

class SignResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: SignSecretkeyResponse
    def __init__(self, body: _Optional[_Union[SignSecretkeyResponse, _Mapping]] = ...) -> None: ...

class VerifyRequest(_message.Message):
    __slots__ = ("app_name", "secret_name", "min_version", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    secret_name: str
    min_version: str
    body: VerifySecretkeyRequest
    def __init__(self, app_name: _Optional[str] = ..., secret_name: _Optional[str] = ..., min_version: _Optional[str] = ..., body: _Optional[_Union[VerifySecretkeyRequest, _Mapping]] = ...) -> None: ...

class VerifyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AppSecret(_message.Message):
    __slots__ = ("created_at", "digest", "name", "updated_at", "value", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    digest: str
    name: str
    updated_at: str
    value: str
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., digest: _Optional[str] = ..., name: _Optional[str] = ..., updated_at: _Optional[str] = ..., value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class AppSecrets(_message.Message):
    __slots__ = ("secrets", "unknown_json")
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    secrets: _containers.RepeatedCompositeFieldContainer[AppSecret]
    unknown_json: str
    def __init__(self, secrets: _Optional[_Iterable[_Union[AppSecret, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class AppSecretsUpdateRequest(_message.Message):
    __slots__ = ("values", "unknown_json")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    VALUES_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    values: _containers.ScalarMap[str, str]
    unknown_json: str
    def __init__(self, values: _Optional[_Mapping[str, str]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class AppSecretsUpdateResp(_message.Message):
    __slots__ = ("secrets", "version", "unknown_json")
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    secrets: _containers.RepeatedCompositeFieldContainer[AppSecret]
    version: int
    unknown_json: str
    def __init__(self, secrets: _Optional[_Iterable[_Union[AppSecret, _Mapping]]] = ..., version: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DecryptSecretkeyRequest(_message.Message):
    __slots__ = ("associated_data", "ciphertext", "unknown_json")
    ASSOCIATED_DATA_FIELD_NUMBER: _ClassVar[int]
    CIPHERTEXT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    associated_data: _containers.RepeatedScalarFieldContainer[int]
    ciphertext: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, associated_data: _Optional[_Iterable[int]] = ..., ciphertext: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DecryptSecretkeyResponse(_message.Message):
    __slots__ = ("plaintext", "unknown_json")
    PLAINTEXT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    plaintext: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, plaintext: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DeleteAppSecretResponse(_message.Message):
    __slots__ = ("version", "unknown_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    version: int
    unknown_json: str
    def __init__(self, version: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DeleteSecretkeyResponse(_message.Message):
    __slots__ = ("version", "unknown_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    version: int
    unknown_json: str
    def __init__(self, version: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class EncryptSecretkeyRequest(_message.Message):
    __slots__ = ("associated_data", "plaintext", "unknown_json")
    ASSOCIATED_DATA_FIELD_NUMBER: _ClassVar[int]
    PLAINTEXT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    associated_data: _containers.RepeatedScalarFieldContainer[int]
    plaintext: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, associated_data: _Optional[_Iterable[int]] = ..., plaintext: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class EncryptSecretkeyResponse(_message.Message):
    __slots__ = ("ciphertext", "unknown_json")
    CIPHERTEXT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    ciphertext: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, ciphertext: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SecretKey(_message.Message):
    __slots__ = ("created_at", "name", "public_key", "type", "updated_at", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    name: str
    public_key: _containers.RepeatedScalarFieldContainer[int]
    type: str
    updated_at: str
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., name: _Optional[str] = ..., public_key: _Optional[_Iterable[int]] = ..., type: _Optional[str] = ..., updated_at: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SecretKeys(_message.Message):
    __slots__ = ("secret_keys", "unknown_json")
    SECRET_KEYS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    secret_keys: _containers.RepeatedCompositeFieldContainer[SecretKey]
    unknown_json: str
    def __init__(self, secret_keys: _Optional[_Iterable[_Union[SecretKey, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SetAppSecretRequest(_message.Message):
    __slots__ = ("value", "unknown_json")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    value: str
    unknown_json: str
    def __init__(self, value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SetAppSecretResponse(_message.Message):
    __slots__ = ("created_at", "digest", "name", "updated_at", "value", "version", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    digest: str
    name: str
    updated_at: str
    value: str
    version: int
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., digest: _Optional[str] = ..., name: _Optional[str] = ..., updated_at: _Optional[str] = ..., value: _Optional[str] = ..., version: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SetSecretkeyRequest(_message.Message):
    __slots__ = ("type", "value", "unknown_json")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    type: str
    value: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, type: _Optional[str] = ..., value: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SetSecretkeyResponse(_message.Message):
    __slots__ = ("created_at", "name", "public_key", "type", "updated_at", "version", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    name: str
    public_key: _containers.RepeatedScalarFieldContainer[int]
    type: str
    updated_at: str
    version: int
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., name: _Optional[str] = ..., public_key: _Optional[_Iterable[int]] = ..., type: _Optional[str] = ..., updated_at: _Optional[str] = ..., version: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SignSecretkeyRequest(_message.Message):
    __slots__ = ("plaintext", "unknown_json")
    PLAINTEXT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    plaintext: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, plaintext: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SignSecretkeyResponse(_message.Message):
    __slots__ = ("signature", "unknown_json")
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    signature: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, signature: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class VerifySecretkeyRequest(_message.Message):
    __slots__ = ("plaintext", "signature", "unknown_json")
    PLAINTEXT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    plaintext: _containers.RepeatedScalarFieldContainer[int]
    signature: _containers.RepeatedScalarFieldContainer[int]
    unknown_json: str
    def __init__(self, plaintext: _Optional[_Iterable[int]] = ..., signature: _Optional[_Iterable[int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...
