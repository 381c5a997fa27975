from flygate._proto.flygate.machines.v1 import machines_pb2 as _machines_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListVolumesRequest(_message.Message):
    __slots__ = ("app_name", "summary")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    summary: bool
    def __init__(self, app_name: _Optional[str] = ..., summary: bool = ...) -> None: ...

class ListVolumesResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[Volume]
    def __init__(self, body: _Optional[_Iterable[_Union[Volume, _Mapping]]] = ...) -> None: ...

class CreateVolumeRequest(_message.Message):
    __slots__ = ("app_name", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    body: CreateVolumeRequestBody
    def __init__(self, app_name: _Optional[str] = ..., body: _Optional[_Union[CreateVolumeRequestBody, _Mapping]] = ...) -> None: ...

class CreateVolumeResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Volume
    def __init__(self, body: _Optional[_Union[Volume, _Mapping]] = ...) -> None: ...

class GetVolumeRequest(_message.Message):
    __slots__ = ("app_name", "volume_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ...) -> None: ...

class GetVolumeResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Volume
    def __init__(self, body: _Optional[_Union[Volume, _Mapping]] = ...) -> None: ...

class UpdateVolumeRequest(_message.Message):
    __slots__ = ("app_name", "volume_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    body: UpdateVolumeRequestBody
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ..., body: _Optional[_Union[UpdateVolumeRequestBody, _Mapping]] = ...) -> None: ...

class UpdateVolumeResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Volume
    def __init__(self, body: _Optional[_Union[Volume, _Mapping]] = ...) -> None: ...

class DeleteVolumeRequest(_message.Message):
    __slots__ = ("app_name", "volume_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ...) -> None: ...

class DeleteVolumeResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: Volume
    def __init__(self, body: _Optional[_Union[Volume, _Mapping]] = ...) -> None: ...

class ExtendVolumeRequest(_message.Message):
    __slots__ = ("app_name", "volume_id", "body")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    body: ExtendVolumeRequestBody
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ..., body: _Optional[_Union[ExtendVolumeRequestBody, _Mapping]] = ...) -> None: ...

class ExtendVolumeResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: ExtendVolumeResponseBody
    def __init__(self, body: _Optional[_Union[ExtendVolumeResponseBody, _Mapping]] = ...) -> None: ...

class ListVolumeSnapshotsRequest(_message.Message):
    __slots__ = ("app_name", "volume_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ...) -> None: ...

class ListVolumeSnapshotsResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: _containers.RepeatedCompositeFieldContainer[VolumeSnapshot]
    def __init__(self, body: _Optional[_Iterable[_Union[VolumeSnapshot, _Mapping]]] = ...) -> None: ...

class CreateVolumeSnapshotRequest(_message.Message):
    __slots__ = ("app_name", "volume_id")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    volume_id: str
    def __init__(self, app_name: _Optional[str] = ..., volume_id: _Optional[str] = ...) -> None: ...

class CreateVolumeSnapshotResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListOrgVolumesRequest(_message.Message):
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

class ListOrgVolumesResponse(_message.Message):
    __slots__ = ("body",)
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: OrgVolumesResponse
    def __init__(self, body: _Optional[_Union[OrgVolumesResponse, _Mapping]] = ...) -> None: ...

class CreateVolumeRequestBody(_message.Message):
    __slots__ = ("auto_backup_enabled", "compute", "compute_image", "encrypted", "fstype", "name", "region", "require_unique_zone", "size_gb", "snapshot_id", "snapshot_retention", "source_volume_id", "unique_zone_app_wide", "unknown_json")
    AUTO_BACKUP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_IMAGE_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    FSTYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_UNIQUE_ZONE_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_RETENTION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_ZONE_APP_WIDE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    auto_backup_enabled: bool
    compute: _machines_pb2.MachineGuest
    compute_image: str
    encrypted: bool
    fstype: str
    name: str
    region: str
    require_unique_zone: bool
    size_gb: int
    snapshot_id: str
    snapshot_retention: int
    source_volume_id: str
    unique_zone_app_wide: bool
    unknown_json: str
    def __init__(self, auto_backup_enabled: bool = ..., compute: _Optional[_Union[_machines_pb2.MachineGuest, _Mapping]] = ..., compute_image: _Optional[str] = ..., encrypted: bool = ..., fstype: _Optional[str] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., require_unique_zone: bool = ..., size_gb: _Optional[int] = ..., snapshot_id: _Optional[str] = ..., snapshot_retention: _Optional[int] = ..., source_volume_id: _Optional[str] = ..., unique_zone_app_wide: bool = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ExtendVolumeRequestBody(_message.Message):
    __slots__ = ("size_gb", "unknown_json")
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    size_gb: int
    unknown_json: str
    def __init__(self, size_gb: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class ExtendVolumeResponseBody(_message.Message):
    __slots__ = ("needs_restart", "volume", "unknown_json")
    NEEDS_RESTART_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    needs_restart: bool
    volume: Volume
    unknown_json: str
    def __init__(self, needs_restart: bool = ..., volume: _Optional[_Union[Volume, _Mapping]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OrgVolume(_message.Message):
    __slots__ = ("app_name", "attached_alloc_id", "attached_machine_id", "auto_backup_enabled", "block_size", "blocks", "blocks_avail", "blocks_free", "bytes_total", "bytes_used", "created_at", "encrypted", "fstype", "host_status", "id", "name", "region", "size_gb", "snapshot_retention", "state", "type", "updated_at", "zone", "unknown_json")
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTACHED_ALLOC_ID_FIELD_NUMBER: _ClassVar[int]
    ATTACHED_MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    AUTO_BACKUP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_AVAIL_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FREE_FIELD_NUMBER: _ClassVar[int]
    BYTES_TOTAL_FIELD_NUMBER: _ClassVar[int]
    BYTES_USED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    FSTYPE_FIELD_NUMBER: _ClassVar[int]
    HOST_STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_RETENTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    app_name: str
    attached_alloc_id: str
    attached_machine_id: str
    auto_backup_enabled: bool
    block_size: int
    blocks: int
    blocks_avail: int
    blocks_free: int
    bytes_total: int
    bytes_used: int
    created_at: str
    encrypted: bool
    fstype: str
    host_status: str
    id: str
    name: str
    region: str
    size_gb: int
    snapshot_retention: int
    state: str
    type: str
    updated_at: str
    zone: str
    unknown_json: str
    def __init__(self, app_name: _Optional[str] = ..., attached_alloc_id: _Optional[str] = ..., attached_machine_id: _Optional[str] = ..., auto_backup_enabled: bool = ..., block_size: _Optional[int] = ..., blocks: _Optional[int] = ..., blocks_avail: _Optional[int] = ..., blocks_free: _Optional[int] = ..., bytes_total: _Optional[int] = ..., bytes_used: _Optional[int] = ..., created_at: _Optional[str] = ..., encrypted: bool = ..., fstype: _Optional[str] = ..., host_status: _Optional[str] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., size_gb: _Optional[int] = ..., snapshot_retention: _Optional[int] = ..., state: _Optional[str] = ..., type: _Optional[str] = ..., updated_at: _Optional[str] = ..., zone: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class OrgVolumesResponse(_message.Message):
    __slots__ = ("last_updated_at", "last_volume_id", "next_cursor", "volumes", "unknown_json")
    LAST_UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_VOLUME_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    last_updated_at: str
    last_volume_id: str
    next_cursor: str
    volumes: _containers.RepeatedCompositeFieldContainer[OrgVolume]
    unknown_json: str
    def __init__(self, last_updated_at: _Optional[str] = ..., last_volume_id: _Optional[str] = ..., next_cursor: _Optional[str] = ..., volumes: _Optional[_Iterable[_Union[OrgVolume, _Mapping]]] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class UpdateVolumeRequestBody(_message.Message):
    __slots__ = ("auto_backup_enabled", "snapshot_retention", "unknown_json")
    AUTO_BACKUP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_RETENTION_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    auto_backup_enabled: bool
    snapshot_retention: int
    unknown_json: str
    def __init__(self, auto_backup_enabled: bool = ..., snapshot_retention: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class Volume(_message.Message):
    __slots__ = ("attached_alloc_id", "attached_machine_id", "auto_backup_enabled", "block_size", "blocks", "blocks_avail", "blocks_free", "bytes_total", "bytes_used", "created_at", "encrypted", "fstype", "host_status", "id", "name", "region", "size_gb", "snapshot_retention", "state", "type", "zone", "unknown_json")
    ATTACHED_ALLOC_ID_FIELD_NUMBER: _ClassVar[int]
    ATTACHED_MACHINE_ID_FIELD_NUMBER: _ClassVar[int]
    AUTO_BACKUP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    BLOCK_SIZE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_AVAIL_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FREE_FIELD_NUMBER: _ClassVar[int]
    BYTES_TOTAL_FIELD_NUMBER: _ClassVar[int]
    BYTES_USED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    FSTYPE_FIELD_NUMBER: _ClassVar[int]
    HOST_STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_RETENTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    attached_alloc_id: str
    attached_machine_id: str
    auto_backup_enabled: bool
    block_size: int
    blocks: int
    blocks_avail: int
    blocks_free: int
    bytes_total: int
    bytes_used: int
    created_at: str
    encrypted: bool
    fstype: str
    host_status: str
    id: str
    name: str
    region: str
    size_gb: int
    snapshot_retention: int
    state: str
    type: str
    zone: str
    unknown_json: str
    def __init__(self, attached_alloc_id: _Optional[str] = ..., attached_machine_id: _Optional[str] = ..., auto_backup_enabled: bool = ..., block_size: _Optional[int] = ..., blocks: _Optional[int] = ..., blocks_avail: _Optional[int] = ..., blocks_free: _Optional[int] = ..., bytes_total: _Optional[int] = ..., bytes_used: _Optional[int] = ..., created_at: _Optional[str] = ..., encrypted: bool = ..., fstype: _Optional[str] = ..., host_status: _Optional[str] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., region: _Optional[str] = ..., size_gb: _Optional[int] = ..., snapshot_retention: _Optional[int] = ..., state: _Optional[str] = ..., type: _Optional[str] = ..., zone: _Optional[str] = ..., unknown_json: _Optional[str] = ...) -> None: ...

class VolumeSnapshot(_message.Message):
    __slots__ = ("created_at", "digest", "id", "retention_days", "size", "status", "volume_size", "unknown_json")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_SIZE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_JSON_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    digest: str
    id: str
    retention_days: int
    size: int
    status: str
    volume_size: int
    unknown_json: str
    def __init__(self, created_at: _Optional[str] = ..., digest: _Optional[str] = ..., id: _Optional[str] = ..., retention_days: _Optional[int] = ..., size: _Optional[int] = ..., status: _Optional[str] = ..., volume_size: _Optional[int] = ..., unknown_json: _Optional[str] = ...) -> None: ...
