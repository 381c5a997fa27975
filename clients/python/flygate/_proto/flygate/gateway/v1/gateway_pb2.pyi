from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ("status", "version", "upstream", "simulator", "uptime_seconds", "pid")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_FIELD_NUMBER: _ClassVar[int]
    SIMULATOR_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    status: str
    version: str
    upstream: str
    simulator: bool
    uptime_seconds: int
    pid: int
    def __init__(self, status: _Optional[str] = ..., version: _Optional[str] = ..., upstream: _Optional[str] = ..., simulator: bool = ..., uptime_seconds: _Optional[int] = ..., pid: _Optional[int] = ...) -> None: ...

class StatsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StatsResponse(_message.Message):
    __slots__ = ("methods", "connections_open", "connections_total", "calls_in_flight", "watches_open", "watch_loops", "heap_bytes_in_use")
    METHODS_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_OPEN_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    CALLS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    WATCHES_OPEN_FIELD_NUMBER: _ClassVar[int]
    WATCH_LOOPS_FIELD_NUMBER: _ClassVar[int]
    HEAP_BYTES_IN_USE_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[MethodStats]
    connections_open: int
    connections_total: int
    calls_in_flight: int
    watches_open: int
    watch_loops: int
    heap_bytes_in_use: int
    def __init__(self, methods: _Optional[_Iterable[_Union[MethodStats, _Mapping]]] = ..., connections_open: _Optional[int] = ..., connections_total: _Optional[int] = ..., calls_in_flight: _Optional[int] = ..., watches_open: _Optional[int] = ..., watch_loops: _Optional[int] = ..., heap_bytes_in_use: _Optional[int] = ...) -> None: ...

class MethodStats(_message.Message):
    __slots__ = ("method", "calls_by_code", "upstream_calls", "joined_calls", "cache_hits", "upstream_retries")
    class CallsByCodeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    METHOD_FIELD_NUMBER: _ClassVar[int]
    CALLS_BY_CODE_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_CALLS_FIELD_NUMBER: _ClassVar[int]
    JOINED_CALLS_FIELD_NUMBER: _ClassVar[int]
    CACHE_HITS_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_RETRIES_FIELD_NUMBER: _ClassVar[int]
    method: str
    calls_by_code: _containers.ScalarMap[str, int]
    upstream_calls: int
    joined_calls: int
    cache_hits: int
    upstream_retries: int
    def __init__(self, method: _Optional[str] = ..., calls_by_code: _Optional[_Mapping[str, int]] = ..., upstream_calls: _Optional[int] = ..., joined_calls: _Optional[int] = ..., cache_hits: _Optional[int] = ..., upstream_retries: _Optional[int] = ...) -> None: ...

class ListLeasesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLeasesResponse(_message.Message):
    __slots__ = ("leases",)
    LEASES_FIELD_NUMBER: _ClassVar[int]
    leases: _containers.RepeatedCompositeFieldContainer[LeaseEntry]
    def __init__(self, leases: _Optional[_Iterable[_Union[LeaseEntry, _Mapping]]] = ...) -> None: ...

class LeaseEntry(_message.Message):
    __slots__ = ("app_name", "machine_id", "nonce_prefix", "expires_at", "description", "ttl_seconds", "holder_uid", "holder_pid", "renew", "last_refresh_error")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    NONCE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    HOLDER_UID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PID_FIELD_NUMBER: _ClassVar[int]
    RENEW_FIELD_NUMBER: _ClassVar[int]
    LAST_REFRESH_ERROR_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    nonce_prefix: str
    expires_at: int
    description: str
    ttl_seconds: int
    holder_uid: int
    holder_pid: int
    renew: bool
    last_refresh_error: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., nonce_prefix: _Optional[str] = ..., expires_at: _Optional[int] = ..., description: _Optional[str] = ..., ttl_seconds: _Optional[int] = ..., holder_uid: _Optional[int] = ..., holder_pid: _Optional[int] = ..., renew: bool = ..., last_refresh_error: _Optional[str] = ...) -> None: ...
