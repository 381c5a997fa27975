from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListAppsRequest(_message.Message):
    __slots__ = ("org_slug", "app_role")
    ORG_SLUG_FIELD_NUMBER: _ClassVar[int]
    APP_ROLE_FIELD_NUMBER: _ClassVar[int]
    org_slug: str
    app_role: str
    def __init__(self, org_slug: _Optional[str] = ..., app_role: _Optional[str] = ...) -> None: ...

class ListAppsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ListAppsResponseBody
    def __init__(self, body: _Optional[_Union[ListAppsResponseBody, _Mapping]] = ...) -> None: ...

class CreateAppRequest(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: CreateAppRequestBody
    def __init__(self, body: _Optional[_Union[CreateAppRequestBody, _Mapping]] = ...) -> None: ...

class CreateAppResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ShowAppRequest(_message.Message):
    __slots__ = ("app_name",)
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    def __init__(self, app_name: _Optional[str] = ...) -> None: ...

class ShowAppResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: App
    def __init__(self, body: _Optional[_Union[App, _Mapping]] = ...) -> None: ...

class DeleteAppRequest(_message.Message):
    __slots__ = ("app_name",)
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    def __init__(self, app_name: _Optional[str] = ...) -> None: ...

class DeleteAppResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListIPAssignmentsRequest(_message.Message):
    __slots__ = ("app_name",)
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    def __init__(self, app_name: _Optional[str] = ...) -> None: ...

class ListIPAssignmentsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ListIPAssignmentsResponseBody
    def __init__(self, body: _Optional[_Union[ListIPAssignmentsResponseBody, _Mapping]] = ...) -> None: ...

class CreateIPAssignmentRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: AssignIPRequest
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[AssignIPRequest, _Mapping]] = ...) -> None: ...

class CreateIPAssignmentResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: IPAssignment
    def __init__(self, body: _Optional[_Union[IPAssignment, _Mapping]] = ...) -> None: ...

class DeleteIPAssignmentRequest(_message.Message):
    __slots__ = ("app_name", "ip")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    ip: str
    def __init__(self, app_name: _Optional[str] = ..., ip: _Optional[str] = ...) -> None: ...

class DeleteIPAssignmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class App(_message.Message):
    __slots__ = ("id", "internal_numeric_id", "machine_count", "name", "network", "organization", "status", "volume_count", "unknown_json")
    ID_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_NUMERIC_ID_FIELD_NUMBER: _ClassVar[int]
    MACHINE_COUNT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    id: str
    internal_numeric_id: int
    machine_count: int
    name: str
    network: str
    organization: AppOrganizationInfo
    status: str
    volume_count: int
    unknown_json: str
    def __init__(self, id: _Optional[str] = ..., internal_numeric_id: _Optional[int] = ..., machine_count: _Optional[int] = ..., name: _Optional[str] = ..., network: _Optional[str] = ..., organization: _Optional[_Union[AppOrganizationInfo, _Mapping]] = ..., status: _Optional[str] = ..., volume_count: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class AppOrganizationInfo(_message.Message):
    __slots__ = ("internal_numeric_id", "name", "slug", "unknown_json")
    INTERNAL_NUMERIC_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    internal_numeric_id: int
    name: str
    slug: str
    unknown_json: str
    def __init__(self, internal_numeric_id: _Optional[int] = ..., name: _Optional[str] = ..., slug: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class AssignIPRequest(_message.Message):
    __slots__ = ("network", "org_slug", "region", "service_name", "type", "unknown_json")
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    ORG_SLUG_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    network: str
    org_slug: str
    region: str
    service_name: str
    type: str
    unknown_json: str
    def __init__(self, network: _Optional[str] = ..., org_slug: _Optional[str] = ..., region: _Optional[str] = ..., service_name: _Optional[str] = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CreateAppRequestBody(_message.Message):
    __slots__ = ("enable_subdomains", "name", "network", "org_slug", "unknown_json")
    ENABLE_SUBDOMAINS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    ORG_SLUG_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    enable_subdomains: bool
    name: str
    network: str
    org_slug: str
    unknown_json: str
    def __init__(self, enable_subdomains: bool = ..., name: _Optional[str] = ..., network: _Optional[str] = ..., org_slug: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class IPAssignment(_message.Message):
    __slots__ = ("created_at", "ip", "region", "service_name", "shared", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    ip: str
    region: str
    service_name: str
    shared: bool
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., ip: _Optional[str] = ..., region: _Optional[str] = ..., service_name: _Optional[str] = ..., shared: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ListAppsResponseBody(_message.Message):
    __slots__ = ("apps", "total_apps", "unknown_json")
    APPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_APPS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    apps: _containers.RepeatedCompositeFieldContainer[App]
    total_apps: int
    unknown_json: str
    def __init__(self, apps: _Optional[_Iterable[_Union[App, _Mapping]]] = ..., total_apps: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ListIPAssignmentsResponseBody(_message.Message):
    __slots__ = ("ips", "unknown_json")
    IPS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    ips: _containers.RepeatedCompositeFieldContainer[IPAssignment]
    unknown_json: str
    def __init__(self, ips: _Optional[_Iterable[_Union[IPAssignment, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...
