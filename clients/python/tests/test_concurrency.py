"""One Client shared by many threads; the asyncio client with many tasks."""

from __future__ import annotations

import asyncio
import threading

import pytest

import flygate
import flygate.aio
from flygate import Code

from daemons import Daemon


def test_threads_share_one_connection(client: flygate.Client, machine: str, app: str) -> None:
    threads, calls = 16, 20
    errors: list[BaseException] = []
    seen: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(index: int) -> None:
        start.wait()
        try:
            for call in range(calls):
                if call % 4 == 3:  # a failing call in the mix: its status reaches only its caller
                    with pytest.raises(flygate.Error) as caught:
                        client.show(app_name=app, machine_id="ffffffffffffff")
                    assert caught.value.code is Code.NOT_FOUND
                    continue
                request_id = f"py-thread-{index}-{call}"
                shown = client.show(app_name=app, machine_id=machine, metadata={"flygate-request-id": request_id})
                with lock:
                    seen.append(shown.body.id)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors[:3]
    assert seen == [machine] * (threads * calls * 3 // 4)
    assert client.stats().connections_open >= 1


def test_asyncio_client(daemon: Daemon, machine: str, app: str) -> None:
    async def main() -> None:
        async with flygate.aio.Client(daemon.socket, timeout=30) as client:
            health = await client.health(timeout=5)
            assert health.status == "serving"
            shown = await asyncio.gather(*(client.show(app_name=app, machine_id=machine) for _ in range(50)))
            assert {s.body.id for s in shown} == {machine}
            with pytest.raises(flygate.Error) as caught:
                await client.show(app_name=app, machine_id="../x")
            assert caught.value.code is Code.INVALID_ARGUMENT
            with pytest.raises(flygate.Error) as caught:
                await client.wait(app_name=app, machine_id=machine, state=["stopped"], timeout_=60, timeout=1)
            assert caught.value.code is Code.DEADLINE_EXCEEDED
        with pytest.raises(flygate.Error) as caught:
            await client.health()
        assert caught.value.code is Code.CANCELLED

    asyncio.run(main())
