"""Blocking work runs on reused daemon threads, and never waits behind other work."""

from __future__ import annotations

import asyncio
import threading

import pytest

from runner.kinds.net import threads
from runner.kinds.net.threads import in_thread


def test_jobs_one_after_another_reuse_one_thread() -> None:
    async def main() -> set[int]:
        return {await in_thread(threading.get_ident) for _ in range(30)}

    used = asyncio.run(main())
    assert len(used) == 1
    assert threading.get_ident() not in used


def test_concurrent_jobs_all_run_at_once() -> None:
    """Each job waits until all have started: one left queued would break the barrier."""
    count = 40
    barrier = threading.Barrier(count, timeout=20)

    def job() -> str:
        barrier.wait()
        thread = threading.current_thread()
        assert thread.daemon
        return thread.name

    async def main() -> list[str]:
        return list(await asyncio.gather(*(in_thread(job) for _ in range(count))))

    names = asyncio.run(asyncio.wait_for(main(), 30))
    assert names == ["asrcheck-blocking"] * count


def test_exceptions_reach_the_awaiting_task_and_the_worker_goes_on() -> None:
    def boom() -> None:
        raise OSError("broken")

    async def main() -> int:
        with pytest.raises(OSError, match="broken"):
            await in_thread(boom)
        return await in_thread(lambda: 7)

    assert asyncio.run(main()) == 7


def test_a_cancelled_wait_leaves_the_work_running_and_the_loop_free() -> None:
    release = threading.Event()
    finished = threading.Event()

    def blocked() -> None:
        release.wait(20)
        finished.set()

    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(in_thread(blocked), 0.05)
        assert await in_thread(lambda: 1) == 1  # another worker takes the next job

    asyncio.run(main())
    assert not finished.is_set()
    release.set()
    assert finished.wait(20)


def test_idle_workers_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "IDLE_S", 0.05)
    monkeypatch.setattr(threads, "_pool", threads._Pool())

    async def main() -> threading.Thread:
        return await in_thread(threading.current_thread)

    worker = asyncio.run(main())
    worker.join(20)
    assert not worker.is_alive()
    assert threads._pool.idle == []
    assert asyncio.run(in_thread_value()) == 5


async def in_thread_value() -> int:
    return await in_thread(lambda: 5)
