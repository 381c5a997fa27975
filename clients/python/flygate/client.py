"""The blocking client: one connection shared by any number of threads."""

from __future__ import annotations

import socket as _socket
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Callable, Optional

from google.protobuf.message import Message

from . import _wire
from ._methods import RPCS, Rpc
from ._wire import Code, Error, Metadata

# How long past its deadline a call waits for the daemon's own DEADLINE_EXCEEDED before giving up.
DEADLINE_GRACE = 2.0
_UNSET: Any = object()


class _Connection:
    """One socket: calls go out on odd, growing stream ids; a reader thread hands each answer
    to the caller waiting on that stream id."""

    def __init__(self, path: str, max_frame: int) -> None:
        self.max_frame = max_frame
        self.sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            self.sock.connect(path)
        except OSError as error:
            self.sock.close()
            raise Error(Code.UNAVAILABLE, f"cannot connect to flygate at {path}: {error.strerror or error}") from None
        self.broken: Optional[Error] = None
        self._lock = threading.Lock()  # guards pending, next_id, broken
        self._send_lock = threading.Lock()  # ids reach the wire in the order they were taken
        self._pending: dict[int, Future[bytes]] = {}
        self._next_id = 1
        self._reader = threading.Thread(target=self._read_loop, name="flygate-reader", daemon=True)
        self._reader.start()

    def start(self, data: bytes) -> tuple[int, Future[bytes]]:
        """Sends one Request; the future gets the Response frame's data."""
        future: Future[bytes] = Future()
        with self._send_lock:
            with self._lock:
                if self.broken:
                    raise self.broken
                if self._next_id > _wire.MAX_STREAM_ID:
                    self.broken = Error(Code.UNAVAILABLE, "stream ids of this connection are used up")
                    raise self.broken
                stream_id = self._next_id
                self._next_id += 2
                self._pending[stream_id] = future
            try:
                self.sock.sendall(_wire.frame(stream_id, data))
            except OSError as error:
                self.fail(Error(Code.UNAVAILABLE, f"connection to flygate lost: {error}"))
            except Error:
                self.forget(stream_id)
                raise
        return stream_id, future

    def forget(self, stream_id: int) -> None:
        with self._lock:
            self._pending.pop(stream_id, None)

    def fail(self, error: Error) -> None:
        """Marks the connection broken and fails every call waiting on it."""
        with self._lock:
            if self.broken is None:
                self.broken = error
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(error)
        try:
            self.sock.shutdown(_socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self, error: Error) -> None:
        self.fail(error)
        if threading.current_thread() is not self._reader:
            self._reader.join()
        self.sock.close()

    def _read_exact(self, count: int) -> bytes:
        data = bytearray()
        while len(data) < count:
            chunk = self.sock.recv(min(count - len(data), 1 << 20))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def _read_loop(self) -> None:
        try:
            while True:
                length, stream_id, kind = _wire.parse_header(self._read_exact(_wire.HEADER.size), self.max_frame)
                data = self._read_exact(length)
                if kind != _wire.RESPONSE:
                    continue  # a streaming Data frame: not for unary calls
                with self._lock:
                    future = self._pending.pop(stream_id, None)
                if future is not None:  # None: the caller gave up waiting
                    future.set_result(data)
        except Error as error:
            self.fail(error)
        except (EOFError, OSError):
            self.fail(Error(Code.UNAVAILABLE, "connection to flygate closed"))


class Client:
    """A connection to the flygate daemon.

    One method per rpc of ``flygate.machines.v1.Machines`` (``show``, ``create_lease``,
    ``list_org_machines``, ...) and of ``flygate.gateway.v1.Gateway`` (``health``, ``stats``,
    ``list_leases``). Each takes the request message, a mapping, or its fields as keyword
    arguments, plus ``timeout=`` (seconds; sent as the call's deadline) and ``metadata=`` (e.g.
    ``{"flygate-request-id": "deploy-42"}``), and returns the response message or raises
    ``flygate.Error``. Threads may share one Client; their calls are multiplexed on one
    connection, which is opened again if it breaks.
    """

    def __init__(
        self, socket: Optional[str] = None, *, timeout: Optional[float] = 60.0, max_frame: int = _wire.MAX_FRAME
    ) -> None:
        """``socket``: the socket path (default: the daemon's rule, see default_socket_path).
        ``timeout``: the deadline of a call that gives none, in seconds (None: no deadline)."""
        self.socket_path = socket or _wire.default_socket_path()
        self.timeout = timeout
        self._max_frame = max_frame
        self._lock = threading.Lock()
        self._closed = False
        self._connection: Optional[_Connection] = _Connection(self.socket_path, max_frame)

    def call(
        self,
        service: str,
        method: str,
        request: Message,
        response_type: type[Message],
        *,
        timeout: Optional[float] = _UNSET,
        metadata: Optional[Metadata] = None,
    ) -> Any:
        """Calls any rpc by name: ``call("flygate.gateway.v1.Gateway", "Health", req, HealthResponse)``."""
        timeout = self.timeout if timeout is _UNSET else timeout
        data = _wire.encode_request(service, method, request.SerializeToString(), timeout, metadata)
        connection = self._current()
        stream_id, future = connection.start(data)
        try:
            answer = future.result(None if timeout is None else max(timeout, 0) + DEADLINE_GRACE)
        except FutureTimeout:
            connection.forget(stream_id)
            raise Error(Code.DEADLINE_EXCEEDED, f"no answer from flygate within {timeout} s") from None
        return _wire.decode_response(answer, response_type)

    def _current(self) -> _Connection:
        with self._lock:
            if self._closed:
                raise Error(Code.CANCELLED, "the client is closed")
            if self._connection is None or self._connection.broken:
                if self._connection is not None:
                    self._connection.close(self._connection.broken or Error(Code.UNAVAILABLE, "reconnecting"))
                self._connection = _Connection(self.socket_path, self._max_frame)
            return self._connection

    def close(self) -> None:
        """Closes the connection; calls still waiting fail with CANCELLED. Safe to call twice."""
        with self._lock:
            self._closed = True
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close(Error(Code.CANCELLED, "the client was closed"))

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _method(rpc: Rpc) -> Callable[..., Any]:
    def method(
        self: Client,
        request: Optional[Any] = None,
        /,
        *,
        timeout: Optional[float] = _UNSET,
        metadata: Optional[Metadata] = None,
        **fields: Any,
    ) -> Any:
        message = rpc.make_request(request, fields)
        return self.call(rpc.service, rpc.method, message, rpc.response_type, timeout=timeout, metadata=metadata)

    method.__name__ = method.__qualname__ = rpc.python_name
    method.__doc__ = rpc.doc()
    return method


for _rpc in RPCS:
    setattr(Client, _rpc.python_name, _method(_rpc))
