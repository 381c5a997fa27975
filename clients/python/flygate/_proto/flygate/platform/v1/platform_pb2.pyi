from flygate._proto.flygate.machines.v1 import machines_pb2 as _machines_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListRegionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRegionsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: RegionResponse
    def __init__(self, body: _Optional[_Union[RegionResponse, _Mapping]] = ...) -> None: ...

class GetPlacementsRequest(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: GetPlacementsRequestBody
    def __init__(self, body: _Optional[_Union[GetPlacementsRequestBody, _Mapping]] = ...) -> None: ...

class GetPlacementsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: GetPlacementsResponseBody
    def __init__(self, body: _Optional[_Union[GetPlacementsResponseBody, _Mapping]] = ...) -> None: ...

class GetPlacementsRequestBody(_message.Message):
    __slots__ = ("compute", "count", "org_slug", "region", "volume_name", "volume_size_bytes", "weights", "unknown_json")
    class WeightsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    COMPUTE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    ORG_SLUG_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    VOLUME_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    compute: _machines_pb2.MachineGuest
    count: int
    org_slug: str
    region: str
    volume_name: str
    volume_size_bytes: int
    weights: _containers.ScalarMap[str, int]
    unknown_json: str
    def __init__(self, compute: _Optional[_Union[_machines_pb2.MachineGuest, _Mapping]] = ..., count: _Optional[int] = ..., org_slug: _Optional[str] = ..., region: _Optional[str] = ..., volume_name: _Optional[str] = ..., volume_size_bytes: _Optional[int] = ..., weights: _Optional[_Mapping[str, int]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class GetPlacementsResponseBody(_message.Message):
    __slots__ = ("regions", "unknown_json")
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[RegionPlacement]
    unknown_json: str
    def __init__(self, regions: _Optional[_Iterable[_Union[RegionPlacement, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class RegionPlacement(_message.Message):
    __slots__ = ("concurrency", "count", "region", "unknown_json")
    CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    concurrency: int
    count: int
    region: str
    unknown_json: str
    def __init__(self, concurrency: _Optional[int] = ..., count: _Optional[int] = ..., region: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class RegionResponse(_message.Message):
    __slots__ = ("nearest", "regions", "unknown_json")
    NEAREST_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    nearest: str
    regions: _containers.RepeatedCompositeFieldContainer[RegionRow]
    unknown_json: str
    def __init__(self, nearest: _Optional[str] = ..., regions: _Optional[_Iterable[_Union[RegionRow, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class RegionRow(_message.Message):
    __slots__ = ("code", "deprecated", "gateway_available", "geo_region", "latitude", "longitude", "name", "requires_paid_plan", "unknown_json")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DEPRECATED_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    GEO_REGION_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_PAID_PLAN_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    code: str
    deprecated: bool
    gateway_available: bool
    geo_region: str
    latitude: float
    longitude: float
    name: str
    requires_paid_plan: bool
    unknown_json: str
    def __init__(self, code: _Optional[str] = ..., deprecated: bool = ..., gateway_available: bool = ..., geo_region: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., name: _Optional[str] = ..., requires_paid_plan: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...
