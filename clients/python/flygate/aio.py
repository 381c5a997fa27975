"""The asyncio client: the same methods as flygate.Client, as coroutines.

    async with flygate.aio.Client() as client:
        health = await client.health(timeout=5)
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Optional

from google.protobuf.message import Message

from . import _wire
from ._methods import RPCS, Rpc
from ._wire import Code, Error, Metadata
from .client import DEADLINE_GRACE

_UNSET: Any = object()


class Client:
    """A connection to the flygate daemon for one event loop; it connects on the first call
    (and again after the connection breaks). Calls from many tasks share the connection."""

    def __init__(
        self, socket: Optional[str] = None, *, timeout: Optional[float] = 60.0, max_frame: int = _wire.MAX_FRAME
    ) -> None:
        self.socket_path = socket or _wire.default_socket_path()
        self.timeout = timeout
        self._max_frame = max_frame
        self._writer: Optional[asyncio.StreamWriter] = None
        self._reader_task: Optional[asyncio.Task[None]] = None
        self._pending: dict[int, asyncio.Future[bytes]] = {}
        self._next_id = 1
        self._connect_lock = asyncio.Lock()
        self._closed = False

    async def _connect(self) -> asyncio.StreamWriter:
        async with self._connect_lock:
            if self._closed:
                raise Error(Code.CANCELLED, "the client is closed")
            if self._writer is None or self._writer.is_closing() or self._next_id > _wire.MAX_STREAM_ID:
                try:
                    reader, writer = await asyncio.open_unix_connection(self.socket_path)
                except OSError as error:
                    message = f"cannot connect to flygate at {self.socket_path}: {error.strerror or error}"
                    raise Error(Code.UNAVAILABLE, message) from None
                self._writer, self._pending, self._next_id = writer, {}, 1
                self._reader_task = asyncio.create_task(self._read_loop(reader, writer, self._pending))
            return self._writer

    async def _read_loop(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, pending: dict[int, asyncio.Future[bytes]]
    ) -> None:
        error = Error(Code.UNAVAILABLE, "connection to flygate closed")
        try:
            while True:
                header = await reader.readexactly(_wire.HEADER.size)
                length, stream_id, kind = _wire.parse_header(header, self._max_frame)
                data = await reader.readexactly(length)
                future = pending.pop(stream_id, None) if kind == _wire.RESPONSE else None
                if future is not None and not future.done():
                    future.set_result(data)
        except Error as protocol_error:
            error = protocol_error
        except (asyncio.IncompleteReadError, OSError):
            pass
        finally:
            writer.close()
            for future in pending.values():
                if not future.done():
                    future.set_exception(error)
            pending.clear()

    async def call(
        self,
        service: str,
        method: str,
        request: Message,
        response_type: type[Message],
        *,
        timeout: Optional[float] = _UNSET,
        metadata: Optional[Metadata] = None,
    ) -> Any:
        timeout = self.timeout if timeout is _UNSET else timeout
        data = _wire.encode_request(service, method, request.SerializeToString(), timeout, metadata)
        writer = await self._connect()
        pending = self._pending
        stream_id = self._next_id
        self._next_id += 2
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        pending[stream_id] = future
        try:
            writer.write(_wire.frame(stream_id, data))  # no await between taking the id and writing
            await writer.drain()
            wait = None if timeout is None else max(timeout, 0) + DEADLINE_GRACE
            answer = await asyncio.wait_for(future, wait)
        except asyncio.TimeoutError:
            raise Error(Code.DEADLINE_EXCEEDED, f"no answer from flygate within {timeout} s") from None
        except OSError as error:
            raise Error(Code.UNAVAILABLE, f"connection to flygate lost: {error}") from None
        finally:
            pending.pop(stream_id, None)
        return _wire.decode_response(answer, response_type)

    async def close(self) -> None:
        """Closes the connection; calls still waiting fail. Safe to call twice."""
        self._closed = True
        if self._writer is not None:
            self._writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
            try:
                await self._reader_task
            except asyncio.CancelledError:
                pass

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _method(rpc: Rpc) -> Callable[..., Any]:
    async def method(
        self: Client,
        request: Optional[Any] = None,
        /,
        *,
        timeout: Optional[float] = _UNSET,
        metadata: Optional[Metadata] = None,
        **fields: Any,
    ) -> Any:
        message = rpc.make_request(request, fields)
        return await self.call(rpc.service, rpc.method, message, rpc.response_type, timeout=timeout, metadata=metadata)

    method.__name__ = method.__qualname__ = rpc.python_name
    method.__doc__ = rpc.doc()
    return method


for _rpc in RPCS:
    setattr(Client, _rpc.python_name, _method(_rpc))
