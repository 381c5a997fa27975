from flygate._proto.flygate.machines.v1 import machines_pb2 as _machines_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WatchMachineRequest(_message.Message):
    __slots__ = ("app_name", "machine_id", "from_event_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    machine_id: str
    from_event_id: str
    def __init__(self, app_name: _Optional[str] = ..., machine_id: _Optional[str] = ..., from_event_id: _Optional[str] = ...) -> None: ...

class MachineUpdate(_message.Message):
    __slots__ = ("machine", "events", "coalesced", "events_dropped", "gone")
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    COALESCED_FIELD_NUMBER: _ClassVar[int]
    EVENTS_DROPPED_FIELD_NUMBER: _ClassVar[int]
    GONE_FIELD_NUMBER: _ClassVar[int]
    machine: _machines_pb2.Machine
    events: _containers.RepeatedCompositeFieldContainer[_machines_pb2.MachineEvent]
    coalesced: int
    events_dropped: int
    gone: bool
    def __init__(self, machine: _Optional[_Union[_machines_pb2.Machine, _Mapping]] = ..., events: _Optional[_Iterable[_Union[_machines_pb2.MachineEvent, _Mapping]]] = ..., coalesced: _Optional[int] = ..., events_dropped: _Optional[int] = ..., gone: bool = ...) -> None: ...

class WatchAppRequest(_message.Message):
    __slots__ = ("app_name", "region", "state")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    region: str
    state: str
    def __init__(self, app_name: _Optional[str] = ..., region: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...

class AppUpdate(_message.Message):
    __slots__ = ("change", "machine", "coalesced")
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    COALESCED_FIELD_NUMBER: _ClassVar[int]
    change: str
    machine: _machines_pb2.Machine
    coalesced: int
    def __init__(self, change: _Optional[str] = ..., machine: _Optional[_Union[_machines_pb2.Machine, _Mapping]] = ..., coalesced: _Optional[int] = ...) -> None: ...
