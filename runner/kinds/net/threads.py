"""Runs blocking socket work in a daemon thread, so an interrupted run never waits for it.

`asyncio.to_thread` uses the default executor, whose threads the interpreter joins at
exit; a stopped run would then wait for every blocked handshake's socket timeout.

Threads are reused: a worker that finished its job waits up to IDLE_S for the next one,
and a job goes to an idle worker if there is one, else to a new thread. A job never waits
behind another (there is no queue and no limit: the number of threads is what the run's
concurrency runs at once), and starting a thread, which waits until the thread runs, is
paid once per worker rather than once per job.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Seconds an idle worker waits for another job before its thread ends.
IDLE_S = 10.0


#: A job runs the blocking work and returns what hands its outcome over; the worker calls
#: that after it is back on the idle list, so the awaiting task's next job can reuse it.
Job = Callable[[], Callable[[], None]]


class _Worker:
    """A daemon thread running the jobs handed to it, one at a time."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()


class _Pool:
    """Idle workers, last finished first (its thread and stack are warm)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []

    def submit(self, job: Job) -> None:
        """Hands `job` to an idle worker, or to a new one."""
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is not None:
            worker.jobs.put(job)
            return
        worker = _Worker()
        worker.jobs.put(job)
        threading.Thread(
            target=self._serve, args=(worker,), daemon=True, name="asrcheck-blocking"
        ).start()

    def _serve(self, worker: _Worker) -> None:
        job: Job | None = worker.jobs.get()
        while job is not None:
            hand_over = job()
            job = None  # holds the finished job's loop and result no longer
            with self.lock:
                self.idle.append(worker)
            hand_over()
            del hand_over
            job = self._next(worker)

    def _next(self, worker: _Worker) -> Job | None:
        """The worker's next job; None when it stayed idle IDLE_S (it is then off the list)."""
        try:
            return worker.jobs.get(timeout=IDLE_S)
        except queue.Empty:
            pass
        with self.lock:
            if worker in self.idle:
                self.idle.remove(worker)
                return None
        return worker.jobs.get()  # taken off the list just now: its job is on the way


_pool = _Pool()


def _forget_workers() -> None:
    """In a forked child the workers' threads do not exist: start afresh."""
    global _pool
    _pool = _Pool()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)


async def in_thread(func: Callable[[], T]) -> T:
    """Runs `func()` in a daemon thread and awaits its result (or exception)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(ok: bool, value: object) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)  # type: ignore[arg-type]
        else:
            assert isinstance(value, BaseException)
            future.set_exception(value)

    def work() -> Callable[[], None]:
        try:
            value: object = func()
            ok = True
        except BaseException as error:  # handed to the awaiting task, never lost
            value, ok = error, False

        def hand_over() -> None:
            try:
                loop.call_soon_threadsafe(deliver, ok, value)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass

        return hand_over

    _pool.submit(work)
    return await future
