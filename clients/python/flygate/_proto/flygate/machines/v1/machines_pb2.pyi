from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CordonRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class CordonResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class CreateRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: CreateMachineRequest
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[CreateMachineRequest, _Mapping]] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Machine
    def __init__(self, body: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class CreateLeaseRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    body: CreateLeaseRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ..., body: _Optional[_Union[CreateLeaseRequestBody, _Mapping]] = ...) -> None: ...

class CreateLeaseResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Lease
    def __init__(self, body: _Optional[_Union[Lease, _Mapping]] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "force", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    force: bool
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., force: bool = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class DeleteMetadataRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "key")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    key: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class DeleteMetadataResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExecRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    body: MachineExecRequest
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., body: _Optional[_Union[MachineExecRequest, _Mapping]] = ...) -> None: ...

class ExecResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ExecResponseBody
    def __init__(self, body: _Optional[_Union[ExecResponseBody, _Mapping]] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("app_name", "include_deleted", "region", "state", "summary")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    include_deleted: bool
    region: str
    state: str
    summary: bool
    def __init__(self, app_name: _Optional[str] = ..., include_deleted: bool = ..., region: _Optional[str] = ..., state: _Optional[str] = ..., summary: bool = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[Machine]
    def __init__(self, body: _Optional[_Iterable[_Union[Machine, _Mapping]]] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "limit")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    limit: int
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[MachineEvent]
    def __init__(self, body: _Optional[_Iterable[_Union[MachineEvent, _Mapping]]] = ...) -> None: ...

class ListProcessesRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "sort_by", "order")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    sort_by: str
    order: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., sort_by: _Optional[str] = ..., order: _Optional[str] = ...) -> None: ...

class ListProcessesResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[ProcessStat]
    def __init__(self, body: _Optional[_Iterable[_Union[ProcessStat, _Mapping]]] = ...) -> None: ...

class ListVersionsRequest(_message.Message):
    __slots__ = ("app_name", "machine_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ...) -> None: ...

class ListVersionsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[MachineVersion]
    def __init__(self, body: _Optional[_Iterable[_Union[MachineVersion, _Mapping]]] = ...) -> None: ...

class ReleaseLeaseRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class ReleaseLeaseResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class RestartRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "timeout", "signal", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    timeout: str
    signal: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., timeout: _Optional[str] = ..., signal: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class RestartResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class ShowRequest(_message.Message):
    __slots__ = ("app_name", "machine_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ...) -> None: ...

class ShowResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Machine
    def __init__(self, body: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class ShowLeaseRequest(_message.Message):
    __slots__ = ("app_name", "machine_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ...) -> None: ...

class ShowLeaseResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Lease
    def __init__(self, body: _Optional[_Union[Lease, _Mapping]] = ...) -> None: ...

class ShowMetadataRequest(_message.Message):
    __slots__ = ("app_name", "machine_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ...) -> None: ...

class ShowMetadataResponse(_message.Message):
    __slots__ = ("body",)
    class BodyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.ScalarMap[str, str]
    def __init__(self, body: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SignalRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    body: SignalRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ..., body: _Optional[_Union[SignalRequestBody, _Mapping]] = ...) -> None: ...

class SignalResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class StartRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class StartResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: StartResult
    def __init__(self, body: _Optional[_Union[StartResult, _Mapping]] = ...) -> None: ...

class StopRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    body: StopRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ..., body: _Optional[_Union[StopRequestBody, _Mapping]] = ...) -> None: ...

class StopResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class UncordonRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class UncordonResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    body: UpdateMachineRequest
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ..., body: _Optional[_Union[UpdateMachineRequest, _Mapping]] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Machine
    def __init__(self, body: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class UpdateMetadataRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "key", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    key: str
    body: UpsertMetadataKeyRequest
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., key: _Optional[str] = ..., body: _Optional[_Union[UpsertMetadataKeyRequest, _Mapping]] = ...) -> None: ...

class UpdateMetadataResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WaitRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "version", "instance_id", "from_event_id", "timeout", "state")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    version: str
    instance_id: str
    from_event_id: str
    timeout: int
    state: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., version: _Optional[str] = ..., instance_id: _Optional[str] = ..., from_event_id: _Optional[str] = ..., timeout: _Optional[int] = ..., state: _Optional[_Iterable[str]] = ...) -> None: ...

class WaitResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: WaitMachineResponse
    def __init__(self, body: _Optional[_Union[WaitMachineResponse, _Mapping]] = ...) -> None: ...

class SuspendRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "lease_nonce")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_NONCE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    lease_nonce: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., lease_nonce: _Optional[str] = ...) -> None: ...

class SuspendResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OkResult
    def __init__(self, body: _Optional[_Union[OkResult, _Mapping]] = ...) -> None: ...

class GetMetadataKeyRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "key")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    key: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class GetMetadataKeyResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: MetadataValueResponse
    def __init__(self, body: _Optional[_Union[MetadataValueResponse, _Mapping]] = ...) -> None: ...

class PatchMetadataRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    body: UpdateMetadataRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., body: _Optional[_Union[UpdateMetadataRequestBody, _Mapping]] = ...) -> None: ...

class PatchMetadataResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetMemoryRequest(_message.Message):
    __slots__ = ("app_name", "machine_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ...) -> None: ...

class GetMemoryResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: MemoryResponse
    def __init__(self, body: _Optional[_Union[MemoryResponse, _Mapping]] = ...) -> None: ...

class SetMemoryLimitRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    body: SetMemoryLimitRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., body: _Optional[_Union[SetMemoryLimitRequestBody, _Mapping]] = ...) -> None: ...

class SetMemoryLimitResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: MemoryResponse
    def __init__(self, body: _Optional[_Union[MemoryResponse, _Mapping]] = ...) -> None: ...

class ReclaimMemoryRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    body: ReclaimMemoryRequestBody
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., body: _Optional[_Union[ReclaimMemoryRequestBody, _Mapping]] = ...) -> None: ...

class ReclaimMemoryResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ReclaimMemoryResponseBody
    def __init__(self, body: _Optional[_Union[ReclaimMemoryResponseBody, _Mapping]] = ...) -> None: ...

class ListOrgMachinesRequest(_message.Message):
    __slots__ = ("org_slug", "include_deleted", "region", "state", "summary", "updated_after", "cursor", "limit")
    ORG_SLUG_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    org_slug: str
    include_deleted: bool
    region: str
    state: str
    summary: bool
    updated_after: str
    cursor: str
    limit: int
    def __init__(self, org_slug: _Optional[str] = ..., include_deleted: bool = ..., region: _Optional[str] = ..., state: _Optional[str] = ..., summary: bool = ..., updated_after: _Optional[str] = ..., cursor: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListOrgMachinesResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OrgMachinesResponse
    def __init__(self, body: _Optional[_Union[OrgMachinesResponse, _Mapping]] = ...) -> None: ...

class CheckStatus(_message.Message):
    __slots__ = ("name", "output", "status", "updated_at", "unknown_json")
    NAME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    name: str
    output: str
    status: str
    updated_at: str
    unknown_json: str
    def __init__(self, name: _Optional[str] = ..., output: _Optional[str] = ..., status: _Optional[str] = ..., updated_at: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ContainerConfig(_message.Message):
    __slots__ = ("cmd", "depends_on", "entrypoint", "env", "env_from", "exec", "files", "healthchecks", "image", "name", "restart", "secrets", "stop", "user", "unknown_json")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CMD_FIELD_NUMBER: _ClassVar[int]
    DEPENDS_ON_FIELD_NUMBER: _ClassVar[int]
    ENTRYPOINT_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    ENV_FROM_FIELD_NUMBER: _ClassVar[int]
    EXEC_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    HEALTHCHECKS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESTART_FIELD_NUMBER: _ClassVar[int]
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    cmd: _containers.RepeatedScalarFieldContainer[str]
    depends_on: _containers.RepeatedCompositeFieldContainer[ContainerDependency]
    entrypoint: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.ScalarMap[str, str]
    env_from: _containers.RepeatedCompositeFieldContainer[EnvFrom]
    exec: _containers.RepeatedScalarFieldContainer[str]
    files: _containers.RepeatedCompositeFieldContainer[File]
    healthchecks: _containers.RepeatedCompositeFieldContainer[ContainerHealthcheck]
    image: str
    name: str
    restart: MachineRestart
    secrets: _containers.RepeatedCompositeFieldContainer[MachineSecret]
    stop: StopConfig
    user: str
    unknown_json: str
    def __init__(self, cmd: _Optional[_Iterable[str]] = ..., depends_on: _Optional[_Iterable[_Union[ContainerDependency, _Mapping]]] = ..., entrypoint: _Optional[_Iterable[str]] = ..., env: _Optional[_Mapping[str, str]] = ..., env_from: _Optional[_Iterable[_Union[EnvFrom, _Mapping]]] = ..., exec: _Optional[_Iterable[str]] = ..., files: _Optional[_Iterable[_Union[File, _Mapping]]] = ..., healthchecks: _Optional[_Iterable[_Union[ContainerHealthcheck, _Mapping]]] = ..., image: _Optional[str] = ..., name: _Optional[str] = ..., restart: _Optional[_Union[MachineRestart, _Mapping]] = ..., secrets: _Optional[_Iterable[_Union[MachineSecret, _Mapping]]] = ..., stop: _Optional[_Union[StopConfig, _Mapping]] = ..., user: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ContainerDependency(_message.Message):
    __slots__ = ("condition", "name", "unknown_json")
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    condition: str
    name: str
    unknown_json: str
    def __init__(self, condition: _Optional[str] = ..., name: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ContainerHealthcheck(_message.Message):
    __slots__ = ("exec", "failure_threshold", "grace_period", "http", "interval", "kind", "name", "success_threshold", "tcp", "timeout", "unhealthy", "unknown_json")
    EXEC_FIELD_NUMBER: _ClassVar[int]
    FAILURE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    GRACE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    HTTP_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    TCP_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    UNHEALTHY_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    exec: ExecHealthcheck
    failure_threshold: int
    grace_period: int
    http: HTTPHealthcheck
    interval: int
    kind: str
    name: str
    success_threshold: int
    tcp: TCPHealthcheck
    timeout: int
    unhealthy: str
    unknown_json: str
    def __init__(self, exec: _Optional[_Union[ExecHealthcheck, _Mapping]] = ..., failure_threshold: _Optional[int] = ..., grace_period: _Optional[int] = ..., http: _Optional[_Union[HTTPHealthcheck, _Mapping]] = ..., interval: _Optional[int] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., success_threshold: _Optional[int] = ..., tcp: _Optional[_Union[TCPHealthcheck, _Mapping]] = ..., timeout: _Optional[int] = ..., unhealthy: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CreateLeaseRequestBody(_message.Message):
    __slots__ = ("description", "ttl", "unknown_json")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    description: str
    ttl: int
    unknown_json: str
    def __init__(self, description: _Optional[str] = ..., ttl: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class CreateMachineRequest(_message.Message):
    __slots__ = ("config", "lease_ttl", "lsvd", "min_secrets_version", "name", "region", "skip_launch", "skip_secrets", "skip_service_registration", "unknown_json")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    LEASE_TTL_FIELD_NUMBER: _ClassVar[int]
    LSVD_FIELD_NUMBER: _ClassVar[int]
    MIN_SECRETS_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SKIP_LAUNCH_FIELD_NUMBER: _ClassVar[int]
    SKIP_SECRETS_FIELD_NUMBER: _ClassVar[int]
    SKIP_SERVICE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    config: MachineConfig
    lease_ttl: int
    lsvd: bool
    min_secrets_version: int
    name: str
    region: str
    skip_launch: bool
    skip_secrets: bool
    skip_service_registration: bool
    unknown_json: str
    def __init__(self, config: _Optional[_Union[MachineConfig, _Mapping]] = ..., lease_ttl: _Optional[int] = ..., lsvd: bool = ..., min_secrets_version: _Optional[int] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., skip_launch: bool = ..., skip_secrets: bool = ..., skip_service_registration: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DNSConfig(_message.Message):
    __slots__ = ("dns_forward_rules", "hostname", "hostname_fqdn", "nameservers", "options", "searches", "skip_registration", "unknown_json")
    DNS_FORWARD_RULES_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FQDN_FIELD_NUMBER: _ClassVar[int]
    NAMESERVERS_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    SKIP_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    dns_forward_rules: _containers.RepeatedCompositeFieldContainer[DnsForwardRule]
    hostname: str
    hostname_fqdn: str
    nameservers: _containers.RepeatedScalarFieldContainer[str]
    options: _containers.RepeatedCompositeFieldContainer[DnsOption]
    searches: _containers.RepeatedScalarFieldContainer[str]
    skip_registration: bool
    unknown_json: str
    def __init__(self, dns_forward_rules: _Optional[_Iterable[_Union[DnsForwardRule, _Mapping]]] = ..., hostname: _Optional[str] = ..., hostname_fqdn: _Optional[str] = ..., nameservers: _Optional[_Iterable[str]] = ..., options: _Optional[_Iterable[_Union[DnsOption, _Mapping]]] = ..., searches: _Optional[_Iterable[str]] = ..., skip_registration: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DnsForwardRule(_message.Message):
    __slots__ = ("addr", "basename", "unknown_json")
    ADDR_FIELD_NUMBER: _ClassVar[int]
    BASENAME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    addr: str
    basename: str
    unknown_json: str
    def __init__(self, addr: _Optional[str] = ..., basename: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class DnsOption(_message.Message):
    __slots__ = ("name", "value", "unknown_json")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    unknown_json: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class EnvFrom(_message.Message):
    __slots__ = ("env_var", "field_ref", "unknown_json")
    ENV_VAR_FIELD_NUMBER: _ClassVar[int]
    FIELD_REF_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    env_var: str
    field_ref: str
    unknown_json: str
    def __init__(self, env_var: _Optional[str] = ..., field_ref: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ErrorResponse(_message.Message):
    __slots__ = ("details", "error", "status", "unknown_json")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    details: str
    error: str
    status: str
    unknown_json: str
    def __init__(self, details: _Optional[str] = ..., error: _Optional[str] = ..., status: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ExecHealthcheck(_message.Message):
    __slots__ = ("command", "unknown_json")
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    command: _containers.RepeatedScalarFieldContainer[str]
    unknown_json: str
    def __init__(self, command: _Optional[_Iterable[str]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ExecResponseBody(_message.Message):
    __slots__ = ("exit_code", "exit_signal", "stderr", "stdout", "unknown_json")
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    EXIT_SIGNAL_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    exit_code: int
    exit_signal: int
    stderr: str
    stdout: str
    unknown_json: str
    def __init__(self, exit_code: _Optional[int] = ..., exit_signal: _Optional[int] = ..., stderr: _Optional[str] = ..., stdout: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class File(_message.Message):
    __slots__ = ("guest_path", "image_config", "mode", "raw_value", "secret_name", "unknown_json")
    GUEST_PATH_FIELD_NUMBER: _ClassVar[int]
    IMAGE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    RAW_VALUE_FIELD_NUMBER: _ClassVar[int]
    SECRET_NAME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    guest_path: str
    image_config: str
    mode: int
    raw_value: str
    secret_name: str
    unknown_json: str
    def __init__(self, guest_path: _Optional[str] = ..., image_config: _Optional[str] = ..., mode: _Optional[int] = ..., raw_value: _Optional[str] = ..., secret_name: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class HTTPHealthcheck(_message.Message):
    __slots__ = ("headers", "method", "path", "port", "scheme", "tls_server_name", "tls_skip_verify", "unknown_json")
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    TLS_SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    TLS_SKIP_VERIFY_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.RepeatedCompositeFieldContainer[MachineHTTPHeader]
    method: str
    path: str
    port: int
    scheme: str
    tls_server_name: str
    tls_skip_verify: bool
    unknown_json: str
    def __init__(self, headers: _Optional[_Iterable[_Union[MachineHTTPHeader, _Mapping]]] = ..., method: _Optional[str] = ..., path: _Optional[str] = ..., port: _Optional[int] = ..., scheme: _Optional[str] = ..., tls_server_name: _Optional[str] = ..., tls_skip_verify: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class HTTPOptions(_message.Message):
    __slots__ = ("compress", "h2_backend", "headers_read_timeout", "idle_timeout", "replay_cache", "response", "unknown_json")
    COMPRESS_FIELD_NUMBER: _ClassVar[int]
    H2_BACKEND_FIELD_NUMBER: _ClassVar[int]
    HEADERS_READ_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    IDLE_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    REPLAY_CACHE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    compress: bool
    h2_backend: bool
    headers_read_timeout: int
    idle_timeout: int
    replay_cache: _containers.RepeatedCompositeFieldContainer[ReplayCache]
    response: HTTPResponseOptions
    unknown_json: str
    def __init__(self, compress: bool = ..., h2_backend: bool = ..., headers_read_timeout: _Optional[int] = ..., idle_timeout: _Optional[int] = ..., replay_cache: _Optional[_Iterable[_Union[ReplayCache, _Mapping]]] = ..., response: _Optional[_Union[HTTPResponseOptions, _Mapping]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class HTTPResponseOptions(_message.Message):
    __slots__ = ("headers", "pristine", "unknown_json")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    PRISTINE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.ScalarMap[str, str]
    pristine: bool
    unknown_json: str
    def __init__(self, headers: _Optional[_Mapping[str, str]] = ..., pristine: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ImageRef(_message.Message):
    __slots__ = ("digest", "labels", "registry", "repository", "tag", "unknown_json")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    REPOSITORY_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    digest: str
    labels: _containers.ScalarMap[str, str]
    registry: str
    repository: str
    tag: str
    unknown_json: str
    def __init__(self, digest: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., registry: _Optional[str] = ..., repository: _Optional[str] = ..., tag: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class Lease(_message.Message):
    __slots__ = ("description", "expires_at", "nonce", "owner", "version", "unknown_json")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    description: str
    expires_at: int
    nonce: str
    owner: str
    version: str
    unknown_json: str
    def __init__(self, description: _Optional[str] = ..., expires_at: _Optional[int] = ..., nonce: _Optional[str] = ..., owner: _Optional[str] = ..., version: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ListenSocket(_message.Message):
    __slots__ = ("address", "proto", "unknown_json")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PROTO_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    address: str
    proto: str
    unknown_json: str
    def __init__(self, address: _Optional[str] = ..., proto: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class Machine(_message.Message):
    __slots__ = ("checks", "config", "created_at", "events", "host_status", "id", "image_ref", "incomplete_config", "instance_id", "name", "nonce", "private_ip", "region", "state", "updated_at", "unknown_json")
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    HOST_STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_REF_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_IP_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    checks: _containers.RepeatedCompositeFieldContainer[CheckStatus]
    config: MachineConfig
    created_at: str
    events: _containers.RepeatedCompositeFieldContainer[MachineEvent]
    host_status: str
    id: str
    image_ref: ImageRef
    incomplete_config: MachineConfig
    instance_id: str
    name: str
    nonce: str
    private_ip: str
    region: str
    state: str
    updated_at: str
    unknown_json: str
    def __init__(self, checks: _Optional[_Iterable[_Union[CheckStatus, _Mapping]]] = ..., config: _Optional[_Union[MachineConfig, _Mapping]] = ..., created_at: _Optional[str] = ..., events: _Optional[_Iterable[_Union[MachineEvent, _Mapping]]] = ..., host_status: _Optional[str] = ..., id: _Optional[str] = ..., image_ref: _Optional[_Union[ImageRef, _Mapping]] = ..., incomplete_config: _Optional[_Union[MachineConfig, _Mapping]] = ..., instance_id: _Optional[str] = ..., name: _Optional[str] = ..., nonce: _Optional[str] = ..., private_ip: _Optional[str] = ..., region: _Optional[str] = ..., state: _Optional[str] = ..., updated_at: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineCacheDrive(_message.Message):
    __slots__ = ("size_mb", "unknown_json")
    SIZE_MB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    size_mb: int
    unknown_json: str
    def __init__(self, size_mb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineCheck(_message.Message):
    __slots__ = ("grace_period", "headers", "interval", "kind", "method", "path", "port", "protocol", "timeout", "tls_server_name", "tls_skip_verify", "type", "unknown_json")
    GRACE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TLS_SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    TLS_SKIP_VERIFY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    grace_period: str
    headers: _containers.RepeatedCompositeFieldContainer[MachineHTTPHeader]
    interval: str
    kind: str
    method: str
    path: str
    port: int
    protocol: str
    timeout: str
    tls_server_name: str
    tls_skip_verify: bool
    type: str
    unknown_json: str
    def __init__(self, grace_period: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[MachineHTTPHeader, _Mapping]]] = ..., interval: _Optional[str] = ..., kind: _Optional[str] = ..., method: _Optional[str] = ..., path: _Optional[str] = ..., port: _Optional[int] = ..., protocol: _Optional[str] = ..., timeout: _Optional[str] = ..., tls_server_name: _Optional[str] = ..., tls_skip_verify: bool = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineConfig(_message.Message):
    __slots__ = ("auto_destroy", "cache_drive", "checks", "containers", "disable_machine_autostart", "dns", "env", "files", "guest", "image", "init", "metadata", "metrics", "mounts", "processes", "restart", "rootfs", "schedule", "services", "size", "standbys", "statics", "stop_config", "unknown_json")
    class ChecksEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: MachineCheck
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[MachineCheck, _Mapping]] = ...) -> None: ...
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AUTO_DESTROY_FIELD_NUMBER: _ClassVar[int]
    CACHE_DRIVE_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    CONTAINERS_FIELD_NUMBER: _ClassVar[int]
    DISABLE_MACHINE_AUTOSTART_FIELD_NUMBER: _ClassVar[int]
    DNS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    INIT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    MOUNTS_FIELD_NUMBER: _ClassVar[int]
    PROCESSES_FIELD_NUMBER: _ClassVar[int]
    RESTART_FIELD_NUMBER: _ClassVar[int]
    ROOTFS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    STANDBYS_FIELD_NUMBER: _ClassVar[int]
    STATICS_FIELD_NUMBER: _ClassVar[int]
    STOP_CONFIG_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    auto_destroy: bool
    cache_drive: MachineCacheDrive
    checks: _containers.MessageMap[str, MachineCheck]
    containers: _containers.RepeatedCompositeFieldContainer[ContainerConfig]
    disable_machine_autostart: bool
    dns: DNSConfig
    env: _containers.ScalarMap[str, str]
    files: _containers.RepeatedCompositeFieldContainer[File]
    guest: MachineGuest
    image: str
    init: MachineInit
    metadata: _containers.ScalarMap[str, str]
    metrics: MachineMetrics
    mounts: _containers.RepeatedCompositeFieldContainer[MachineMount]
    processes: _containers.RepeatedCompositeFieldContainer[MachineProcess]
    restart: MachineRestart
    rootfs: MachineRootfs
    schedule: str
    services: _containers.RepeatedCompositeFieldContainer[MachineService]
    size: str
    standbys: _containers.RepeatedScalarFieldContainer[str]
    statics: _containers.RepeatedCompositeFieldContainer[Static]
    stop_config: StopConfig
    unknown_json: str
    def __init__(self, auto_destroy: bool = ..., cache_drive: _Optional[_Union[MachineCacheDrive, _Mapping]] = ..., checks: _Optional[_Mapping[str, MachineCheck]] = ..., containers: _Optional[_Iterable[_Union[ContainerConfig, _Mapping]]] = ..., disable_machine_autostart: bool = ..., dns: _Optional[_Union[DNSConfig, _Mapping]] = ..., env: _Optional[_Mapping[str, str]] = ..., files: _Optional[_Iterable[_Union[File, _Mapping]]] = ..., guest: _Optional[_Union[MachineGuest, _Mapping]] = ..., image: _Optional[str] = ..., init: _Optional[_Union[MachineInit, _Mapping]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., metrics: _Optional[_Union[MachineMetrics, _Mapping]] = ..., mounts: _Optional[_Iterable[_Union[MachineMount, _Mapping]]] = ..., processes: _Optional[_Iterable[_Union[MachineProcess, _Mapping]]] = ..., restart: _Optional[_Union[MachineRestart, _Mapping]] = ..., rootfs: _Optional[_Union[MachineRootfs, _Mapping]] = ..., schedule: _Optional[str] = ..., services: _Optional[_Iterable[_Union[MachineService, _Mapping]]] = ..., size: _Optional[str] = ..., standbys: _Optional[_Iterable[str]] = ..., statics: _Optional[_Iterable[_Union[Static, _Mapping]]] = ..., stop_config: _Optional[_Union[StopConfig, _Mapping]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineEvent(_message.Message):
    __slots__ = ("id", "request", "source", "status", "timestamp", "type", "unknown_json")
    ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    id: str
    request: str
    source: str
    status: str
    timestamp: int
    type: str
    unknown_json: str
    def __init__(self, id: _Optional[str] = ..., request: _Optional[str] = ..., source: _Optional[str] = ..., status: _Optional[str] = ..., timestamp: _Optional[int] = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineExecRequest(_message.Message):
    __slots__ = ("cmd", "command", "container", "stdin", "timeout", "unknown_json")
    CMD_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    cmd: str
    command: _containers.RepeatedScalarFieldContainer[str]
    container: str
    stdin: str
    timeout: int
    unknown_json: str
    def __init__(self, cmd: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ..., container: _Optional[str] = ..., stdin: _Optional[str] = ..., timeout: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineGuest(_message.Message):
    __slots__ = ("cpu_kind", "cpus", "gpu_kind", "gpus", "host_dedication_id", "kernel_args", "max_memory_mb", "memory_mb", "persist_rootfs", "unknown_json")
    CPU_KIND_FIELD_NUMBER: _ClassVar[int]
    CPUS_FIELD_NUMBER: _ClassVar[int]
    GPU_KIND_FIELD_NUMBER: _ClassVar[int]
    GPUS_FIELD_NUMBER: _ClassVar[int]
    HOST_DEDICATION_ID_FIELD_NUMBER: _ClassVar[int]
    KERNEL_ARGS_FIELD_NUMBER: _ClassVar[int]
    MAX_MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    PERSIST_ROOTFS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    cpu_kind: str
    cpus: int
    gpu_kind: str
    gpus: int
    host_dedication_id: str
    kernel_args: _containers.RepeatedScalarFieldContainer[str]
    max_memory_mb: int
    memory_mb: int
    persist_rootfs: str
    unknown_json: str
    def __init__(self, cpu_kind: _Optional[str] = ..., cpus: _Optional[int] = ..., gpu_kind: _Optional[str] = ..., gpus: _Optional[int] = ..., host_dedication_id: _Optional[str] = ..., kernel_args: _Optional[_Iterable[str]] = ..., max_memory_mb: _Optional[int] = ..., memory_mb: _Optional[int] = ..., persist_rootfs: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineHTTPHeader(_message.Message):
    __slots__ = ("name", "values", "unknown_json")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    unknown_json: str
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineInit(_message.Message):
    __slots__ = ("cmd", "entrypoint", "exec", "kernel_args", "swap_size_mb", "tty", "unknown_json")
    CMD_FIELD_NUMBER: _ClassVar[int]
    ENTRYPOINT_FIELD_NUMBER: _ClassVar[int]
    EXEC_FIELD_NUMBER: _ClassVar[int]
    KERNEL_ARGS_FIELD_NUMBER: _ClassVar[int]
    SWAP_SIZE_MB_FIELD_NUMBER: _ClassVar[int]
    TTY_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    cmd: _containers.RepeatedScalarFieldContainer[str]
    entrypoint: _containers.RepeatedScalarFieldContainer[str]
    exec: _containers.RepeatedScalarFieldContainer[str]
    kernel_args: _containers.RepeatedScalarFieldContainer[str]
    swap_size_mb: int
    tty: bool
    unknown_json: str
    def __init__(self, cmd: _Optional[_Iterable[str]] = ..., entrypoint: _Optional[_Iterable[str]] = ..., exec: _Optional[_Iterable[str]] = ..., kernel_args: _Optional[_Iterable[str]] = ..., swap_size_mb: _Optional[int] = ..., tty: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineMetrics(_message.Message):
    __slots__ = ("https", "path", "port", "unknown_json")
    HTTPS_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    https: bool
    path: str
    port: int
    unknown_json: str
    def __init__(self, https: bool = ..., path: _Optional[str] = ..., port: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineMount(_message.Message):
    __slots__ = ("add_size_gb", "encrypted", "extend_threshold_percent", "name", "path", "size_gb", "size_gb_limit", "volume", "unknown_json")
    ADD_SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    EXTEND_THRESHOLD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_LIMIT_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    add_size_gb: int
    encrypted: bool
    extend_threshold_percent: int
    name: str
    path: str
    size_gb: int
    size_gb_limit: int
    volume: str
    unknown_json: str
    def __init__(self, add_size_gb: _Optional[int] = ..., encrypted: bool = ..., extend_threshold_percent: _Optional[int] = ..., name: _Optional[str] = ..., path: _Optional[str] = ..., size_gb: _Optional[int] = ..., size_gb_limit: _Optional[int] = ..., volume: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineOverviewConfig(_message.Message):
    __slots__ = ("guest", "image", "metadata", "unknown_json")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    GUEST_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    guest: MachineGuest
    image: str
    metadata: _containers.ScalarMap[str, str]
    unknown_json: str
    def __init__(self, guest: _Optional[_Union[MachineGuest, _Mapping]] = ..., image: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachinePort(_message.Message):
    __slots__ = ("end_port", "force_https", "handlers", "http_options", "port", "proxy_proto_options", "start_port", "tls_options", "unknown_json")
    END_PORT_FIELD_NUMBER: _ClassVar[int]
    FORCE_HTTPS_FIELD_NUMBER: _ClassVar[int]
    HANDLERS_FIELD_NUMBER: _ClassVar[int]
    HTTP_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PROXY_PROTO_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    START_PORT_FIELD_NUMBER: _ClassVar[int]
    TLS_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    end_port: int
    force_https: bool
    handlers: _containers.RepeatedScalarFieldContainer[str]
    http_options: HTTPOptions
    port: int
    proxy_proto_options: ProxyProtoOptions
    start_port: int
    tls_options: TLSOptions
    unknown_json: str
    def __init__(self, end_port: _Optional[int] = ..., force_https: bool = ..., handlers: _Optional[_Iterable[str]] = ..., http_options: _Optional[_Union[HTTPOptions, _Mapping]] = ..., port: _Optional[int] = ..., proxy_proto_options: _Optional[_Union[ProxyProtoOptions, _Mapping]] = ..., start_port: _Optional[int] = ..., tls_options: _Optional[_Union[TLSOptions, _Mapping]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineProcess(_message.Message):
    __slots__ = ("cmd", "entrypoint", "env", "env_from", "exec", "ignore_app_secrets", "secrets", "user", "unknown_json")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CMD_FIELD_NUMBER: _ClassVar[int]
    ENTRYPOINT_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    ENV_FROM_FIELD_NUMBER: _ClassVar[int]
    EXEC_FIELD_NUMBER: _ClassVar[int]
    IGNORE_APP_SECRETS_FIELD_NUMBER: _ClassVar[int]
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    cmd: _containers.RepeatedScalarFieldContainer[str]
    entrypoint: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.ScalarMap[str, str]
    env_from: _containers.RepeatedCompositeFieldContainer[EnvFrom]
    exec: _containers.RepeatedScalarFieldContainer[str]
    ignore_app_secrets: bool
    secrets: _containers.RepeatedCompositeFieldContainer[MachineSecret]
    user: str
    unknown_json: str
    def __init__(self, cmd: _Optional[_Iterable[str]] = ..., entrypoint: _Optional[_Iterable[str]] = ..., env: _Optional[_Mapping[str, str]] = ..., env_from: _Optional[_Iterable[_Union[EnvFrom, _Mapping]]] = ..., exec: _Optional[_Iterable[str]] = ..., ignore_app_secrets: bool = ..., secrets: _Optional[_Iterable[_Union[MachineSecret, _Mapping]]] = ..., user: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineRestart(_message.Message):
    __slots__ = ("gpu_bid_price", "max_retries", "policy", "unknown_json")
    GPU_BID_PRICE_FIELD_NUMBER: _ClassVar[int]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    gpu_bid_price: float
    max_retries: int
    policy: str
    unknown_json: str
    def __init__(self, gpu_bid_price: _Optional[float] = ..., max_retries: _Optional[int] = ..., policy: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineRootfs(_message.Message):
    __slots__ = ("persist", "size_gb", "unknown_json")
    PERSIST_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    persist: str
    size_gb: int
    unknown_json: str
    def __init__(self, persist: _Optional[str] = ..., size_gb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineSecret(_message.Message):
    __slots__ = ("env_var", "name", "unknown_json")
    ENV_VAR_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    env_var: str
    name: str
    unknown_json: str
    def __init__(self, env_var: _Optional[str] = ..., name: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineService(_message.Message):
    __slots__ = ("autostart", "autostop", "checks", "concurrency", "force_instance_description", "force_instance_key", "internal_port", "min_machines_running", "ports", "protocol", "unknown_json")
    AUTOSTART_FIELD_NUMBER: _ClassVar[int]
    AUTOSTOP_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    FORCE_INSTANCE_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FORCE_INSTANCE_KEY_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_PORT_FIELD_NUMBER: _ClassVar[int]
    MIN_MACHINES_RUNNING_FIELD_NUMBER: _ClassVar[int]
    PORTS_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    autostart: bool
    autostop: str
    checks: _containers.RepeatedCompositeFieldContainer[MachineServiceCheck]
    concurrency: MachineServiceConcurrency
    force_instance_description: str
    force_instance_key: str
    internal_port: int
    min_machines_running: int
    ports: _containers.RepeatedCompositeFieldContainer[MachinePort]
    protocol: str
    unknown_json: str
    def __init__(self, autostart: bool = ..., autostop: _Optional[str] = ..., checks: _Optional[_Iterable[_Union[MachineServiceCheck, _Mapping]]] = ..., concurrency: _Optional[_Union[MachineServiceConcurrency, _Mapping]] = ..., force_instance_description: _Optional[str] = ..., force_instance_key: _Optional[str] = ..., internal_port: _Optional[int] = ..., min_machines_running: _Optional[int] = ..., ports: _Optional[_Iterable[_Union[MachinePort, _Mapping]]] = ..., protocol: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineServiceCheck(_message.Message):
    __slots__ = ("grace_period", "headers", "interval", "method", "path", "port", "protocol", "timeout", "tls_server_name", "tls_skip_verify", "type", "unknown_json")
    GRACE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TLS_SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    TLS_SKIP_VERIFY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    grace_period: str
    headers: _containers.RepeatedCompositeFieldContainer[MachineHTTPHeader]
    interval: str
    method: str
    path: str
    port: int
    protocol: str
    timeout: str
    tls_server_name: str
    tls_skip_verify: bool
    type: str
    unknown_json: str
    def __init__(self, grace_period: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[MachineHTTPHeader, _Mapping]]] = ..., interval: _Optional[str] = ..., method: _Optional[str] = ..., path: _Optional[str] = ..., port: _Optional[int] = ..., protocol: _Optional[str] = ..., timeout: _Optional[str] = ..., tls_server_name: _Optional[str] = ..., tls_skip_verify: bool = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineServiceConcurrency(_message.Message):
    __slots__ = ("hard_limit", "soft_limit", "type", "unknown_json")
    HARD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    SOFT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    hard_limit: int
    soft_limit: int
    type: str
    unknown_json: str
    def __init__(self, hard_limit: _Optional[int] = ..., soft_limit: _Optional[int] = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MachineVersion(_message.Message):
    __slots__ = ("user_config", "version", "unknown_json")
    USER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    user_config: MachineConfig
    version: str
    unknown_json: str
    def __init__(self, user_config: _Optional[_Union[MachineConfig, _Mapping]] = ..., version: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MemoryResponse(_message.Message):
    __slots__ = ("available_mb", "limit_mb", "unknown_json")
    AVAILABLE_MB_FIELD_NUMBER: _ClassVar[int]
    LIMIT_MB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    available_mb: int
    limit_mb: int
    unknown_json: str
    def __init__(self, available_mb: _Optional[int] = ..., limit_mb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class MetadataValueResponse(_message.Message):
    __slots__ = ("value", "unknown_json")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    value: str
    unknown_json: str
    def __init__(self, value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OkResult(_message.Message):
    __slots__ = ("ok", "unknown_json")
    OK_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    unknown_json: str
    def __init__(self, ok: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OrgMachine(_message.Message):
    __slots__ = ("app_name", "config", "created_at", "id", "instance_id", "name", "private_ip", "region", "state", "updated_at", "version", "unknown_json")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_IP_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    config: MachineOverviewConfig
    created_at: str
    id: str
    instance_id: str
    name: str
    private_ip: str
    region: str
    state: str
    updated_at: str
    version: str
    unknown_json: str
    def __init__(self, app_name: _Optional[str] = ..., config: _Optional[_Union[MachineOverviewConfig, _Mapping]] = ..., created_at: _Optional[str] = ..., id: _Optional[str] = ..., instance_id: _Optional[str] = ..., name: _Optional[str] = ..., private_ip: _Optional[str] = ..., region: _Optional[str] = ..., state: _Optional[str] = ..., updated_at: _Optional[str] = ..., version: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OrgMachinesResponse(_message.Message):
    __slots__ = ("error_regions", "last_machine_id", "last_updated_at", "machines", "next_cursor", "unknown_json")
    ERROR_REGIONS_FIELD_NUMBER: _ClassVar[int]
    LAST_MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    MACHINES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    error_regions: _containers.RepeatedScalarFieldContainer[str]
    last_machine_id: str
    last_updated_at: str
    machines: _containers.RepeatedCompositeFieldContainer[OrgMachine]
    next_cursor: str
    unknown_json: str
    def __init__(self, error_regions: _Optional[_Iterable[str]] = ..., last_machine_id: _Optional[str] = ..., last_updated_at: _Optional[str] = ..., machines: _Optional[_Iterable[_Union[OrgMachine, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ProcessStat(_message.Message):
    __slots__ = ("command", "cpu", "directory", "listen_sockets", "pid", "rss", "rtime", "stime", "unknown_json")
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    LISTEN_SOCKETS_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    RSS_FIELD_NUMBER: _ClassVar[int]
    RTIME_FIELD_NUMBER: _ClassVar[int]
    STIME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    command: str
    cpu: int
    directory: str
    listen_sockets: _containers.RepeatedCompositeFieldContainer[ListenSocket]
    pid: int
    rss: int
    rtime: int
    stime: int
    unknown_json: str
    def __init__(self, command: _Optional[str] = ..., cpu: _Optional[int] = ..., directory: _Optional[str] = ..., listen_sockets: _Optional[_Iterable[_Union[ListenSocket, _Mapping]]] = ..., pid: _Optional[int] = ..., rss: _Optional[int] = ..., rtime: _Optional[int] = ..., stime: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ProxyProtoOptions(_message.Message):
    __slots__ = ("version", "unknown_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    version: str
    unknown_json: str
    def __init__(self, version: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ReclaimMemoryRequestBody(_message.Message):
    __slots__ = ("amount_mb", "unknown_json")
    AMOUNT_MB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    amount_mb: int
    unknown_json: str
    def __init__(self, amount_mb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ReclaimMemoryResponseBody(_message.Message):
    __slots__ = ("actual_mb", "unknown_json")
    ACTUAL_MB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    actual_mb: int
    unknown_json: str
    def __init__(self, actual_mb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ReplayCache(_message.Message):
    __slots__ = ("allow_bypass", "name", "path_prefix", "ttl_seconds", "type", "unknown_json")
    ALLOW_BYPASS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_PREFIX_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    allow_bypass: bool
    name: str
    path_prefix: str
    ttl_seconds: int
    type: str
    unknown_json: str
    def __init__(self, allow_bypass: bool = ..., name: _Optional[str] = ..., path_prefix: _Optional[str] = ..., ttl_seconds: _Optional[int] = ..., type: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SetMemoryLimitRequestBody(_message.Message):
    __slots__ = ("limit_mb", "unknown_json")
    LIMIT_MB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    limit_mb: int
    unknown_json: str
    def __init__(self, limit_mb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class SignalRequestBody(_message.Message):
    __slots__ = ("signal", "unknown_json")
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    signal: str
    unknown_json: str
    def __init__(self, signal: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class StartResult(_message.Message):
    __slots__ = ("message", "migrated", "new_host", "previous_state", "status", "unknown_json")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MIGRATED_FIELD_NUMBER: _ClassVar[int]
    NEW_HOST_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    message: str
    migrated: bool
    new_host: str
    previous_state: str
    status: str
    unknown_json: str
    def __init__(self, message: _Optional[str] = ..., migrated: bool = ..., new_host: _Optional[str] = ..., previous_state: _Optional[str] = ..., status: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class Static(_message.Message):
    __slots__ = ("guest_path", "index_document", "tigris_bucket", "url_prefix", "unknown_json")
    GUEST_PATH_FIELD_NUMBER: _ClassVar[int]
    INDEX_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    TIGRIS_BUCKET_FIELD_NUMBER: _ClassVar[int]
    URL_PREFIX_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    guest_path: str
    index_document: str
    tigris_bucket: str
    url_prefix: str
    unknown_json: str
    def __init__(self, guest_path: _Optional[str] = ..., index_document: _Optional[str] = ..., tigris_bucket: _Optional[str] = ..., url_prefix: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class StopConfig(_message.Message):
    __slots__ = ("signal", "timeout", "unknown_json")
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    signal: str
    timeout: str
    unknown_json: str
    def __init__(self, signal: _Optional[str] = ..., timeout: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class StopRequestBody(_message.Message):
    __slots__ = ("signal", "timeout", "unknown_json")
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    signal: str
    timeout: str
    unknown_json: str
    def __init__(self, signal: _Optional[str] = ..., timeout: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class TCPHealthcheck(_message.Message):
    __slots__ = ("port", "unknown_json")
    PORT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    port: int
    unknown_json: str
    def __init__(self, port: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class TLSOptions(_message.Message):
    __slots__ = ("alpn", "default_self_signed", "versions", "unknown_json")
    ALPN_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_SELF_SIGNED_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    alpn: _containers.RepeatedScalarFieldContainer[str]
    default_self_signed: bool
    versions: _containers.RepeatedScalarFieldContainer[str]
    unknown_json: str
    def __init__(self, alpn: _Optional[_Iterable[str]] = ..., default_self_signed: bool = ..., versions: _Optional[_Iterable[str]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class UpdateMachineRequest(_message.Message):
    __slots__ = ("config", "current_version", "lease_ttl", "lsvd", "min_secrets_version", "name", "region", "skip_launch", "skip_secrets", "skip_service_registration", "unknown_json")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    LEASE_TTL_FIELD_NUMBER: _ClassVar[int]
    LSVD_FIELD_NUMBER: _ClassVar[int]
    MIN_SECRETS_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SKIP_LAUNCH_FIELD_NUMBER: _ClassVar[int]
    SKIP_SECRETS_FIELD_NUMBER: _ClassVar[int]
    SKIP_SERVICE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    config: MachineConfig
    current_version: str
    lease_ttl: int
    lsvd: bool
    min_secrets_version: int
    name: str
    region: str
    skip_launch: bool
    skip_secrets: bool
    skip_service_registration: bool
    unknown_json: str
    def __init__(self, config: _Optional[_Union[MachineConfig, _Mapping]] = ..., current_version: _Optional[str] = ..., lease_ttl: _Optional[int] = ..., lsvd: bool = ..., min_secrets_version: _Optional[int] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., skip_launch: bool = ..., skip_secrets: bool = ..., skip_service_registration: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class UpdateMetadataRequestBody(_message.Message):
    __slots__ = ("machine_version", "metadata", "updated_at", "unknown_json")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    MACHINE_VERSION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    machine_version: str
    metadata: _containers.ScalarMap[str, str]
    updated_at: str
    unknown_json: str
    def __init__(self, machine_version: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., updated_at: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class UpsertMetadataKeyRequest(_message.Message):
    __slots__ = ("updated_at", "value", "unknown_json")
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    updated_at: str
    value: str
    unknown_json: str
    def __init__(self, updated_at: _Optional[str] = ..., value: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class WaitMachineResponse(_message.Message):
    __slots__ = ("event_id", "ok", "state", "version", "unknown_json")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    ok: bool
    state: str
    version: str
    unknown_json: str
    def __init__(self, event_id: _Optional[str] = ..., ok: bool = ..., state: _Optional[str] = ..., version: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...
