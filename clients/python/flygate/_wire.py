"""The ttrpc wire as flygate speaks it (docs/wire.md): frames, the envelope, statuses, the socket path."""

from __future__ import annotations

import enum
import os
import struct
from collections.abc import Iterable, Mapping, Sequence
from typing import Optional, Union

from ._proto.ttrpc import ttrpc_pb2

HEADER = struct.Struct(">IIBB")  # data length, stream id, message type, flags
REQUEST = 0x01
RESPONSE = 0x02
MAX_FRAME = 4 << 20  # the daemon's default maximum data length (4 MiB)
MAX_STREAM_ID = 0xFFFFFFFF

HTTP_STATUS_DETAIL = "flygate/upstream.http_status"
FLY_REQUEST_ID_DETAIL = "flygate/upstream.fly_request_id"
RETRY_AFTER_DETAIL = "flygate/upstream.retry_after_ms"

Metadata = Union[Mapping[str, Union[str, Sequence[str]]], Iterable[tuple[str, str]]]


class Code(enum.IntEnum):
    """google.rpc.Code, the status codes flygate answers with."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class Error(Exception):
    """A call that did not succeed: the daemon's status, or one the client made up locally
    (UNAVAILABLE when the connection is gone, DEADLINE_EXCEEDED when no answer came in time,
    INTERNAL when the answer was not ttrpc).

    ``http_status``, ``fly_request_id`` and ``retry_after_ms`` are set when the status came from
    Fly's API (the daemon sends them as status details)."""

    code: Code
    message: str
    details: list[ttrpc_pb2.Any]
    http_status: Optional[int]
    fly_request_id: Optional[str]
    retry_after_ms: Optional[int]

    def __init__(self, code: int, message: str, details: Iterable[ttrpc_pb2.Any] = ()) -> None:
        try:
            self.code = Code(code)
        except ValueError:
            self.code = Code.UNKNOWN
        self.message = message
        self.details = list(details)
        texts = {d.type_url: d.value.decode("utf-8", "replace") for d in self.details}
        self.http_status = _int_or_none(texts.get(HTTP_STATUS_DETAIL))
        self.fly_request_id = texts.get(FLY_REQUEST_ID_DETAIL)
        self.retry_after_ms = _int_or_none(texts.get(RETRY_AFTER_DETAIL))
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.message}"
        extra = []
        if self.http_status is not None:
            extra.append(f"HTTP {self.http_status}")
        if self.fly_request_id:
            extra.append(f"fly-request-id {self.fly_request_id}")
        return text + (f" ({', '.join(extra)})" if extra else "")

    def __repr__(self) -> str:
        return f"flygate.Error({self.code.name}, {self.message!r})"


def _int_or_none(text: Optional[str]) -> Optional[int]:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def default_socket_path(environ: Optional[Mapping[str, str]] = None) -> str:
    """The socket path by the rule the daemon and the CLI use (docs/wire.md, "Finding the socket")."""
    env = os.environ if environ is None else environ
    if env.get("FLYGATE_SOCKET"):
        return env["FLYGATE_SOCKET"]
    if env.get("XDG_RUNTIME_DIR"):
        return os.path.join(env["XDG_RUNTIME_DIR"], "flygate", "flygate.sock")
    uid = os.getuid()
    if uid == 0:
        return "/run/flygate/flygate.sock"
    return f"/tmp/flygate-{uid}/flygate.sock"


def metadata_pairs(metadata: Optional[Metadata]) -> list[tuple[str, str]]:
    """Metadata as (key, value) pairs with lower-case keys; a mapping's list value repeats the key."""
    if metadata is None:
        return []
    items = metadata.items() if isinstance(metadata, Mapping) else metadata
    pairs = []
    for key, value in items:
        values = [value] if isinstance(value, str) else list(value)
        pairs.extend((key.lower(), str(v)) for v in values)
    return pairs


def encode_request(
    service: str, method: str, payload: bytes, timeout: Optional[float], metadata: Optional[Metadata]
) -> bytes:
    """The data of a Request frame. ``timeout`` (seconds) becomes the relative ``timeout_nano``."""
    request = ttrpc_pb2.Request(service=service, method=method, payload=payload)
    if timeout is not None:
        # 0 would mean "no deadline": an expired deadline is sent as a negative one.
        request.timeout_nano = int(timeout * 1e9) if timeout > 0 else -1
    for key, value in metadata_pairs(metadata):
        request.metadata.add(key=key, value=value)
    return request.SerializeToString()


def frame(stream_id: int, data: bytes) -> bytes:
    if len(data) > MAX_FRAME:
        raise Error(Code.RESOURCE_EXHAUSTED, f"request of {len(data)} bytes is over the {MAX_FRAME}-byte frame limit")
    return HEADER.pack(len(data), stream_id, REQUEST, 0) + data


def parse_header(header: bytes, max_frame: int) -> tuple[int, int, int]:
    """(length, stream id, type) of a frame header; raises Error(INTERNAL) when it is not ttrpc."""
    if header[0] != 0:
        raise Error(Code.INTERNAL, "protocol error: non-zero reserved byte in a frame header")
    length, stream_id, kind, _flags = HEADER.unpack(header)
    if length > max_frame:
        raise Error(Code.INTERNAL, f"protocol error: frame of {length} bytes is over the {max_frame}-byte limit")
    return length, stream_id, kind


def decode_response(data: bytes, response_type: type) -> object:
    """The response message of a Response frame's data, or raises its status as an Error."""
    try:
        envelope = ttrpc_pb2.Response.FromString(data)
    except Exception as error:  # protobuf raises DecodeError, or others from the C extension
        raise Error(Code.INTERNAL, f"protocol error: the answer is not a ttrpc Response ({error})") from None
    if envelope.HasField("status") and envelope.status.code != Code.OK:
        raise Error(envelope.status.code, envelope.status.message, envelope.status.details)
    try:
        return response_type.FromString(envelope.payload)
    except Exception as error:
        name = response_type.DESCRIPTOR.full_name
        raise Error(Code.INTERNAL, f"protocol error: the answer's payload is not a {name} ({error})") from None
