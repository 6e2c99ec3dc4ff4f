"""Group commit: one writer per process turns answers that arrive together into one transaction.

Per-answer transactions spend their time in Python (statement set-up, the hop to the driver)
and, on SQLite, in pooled connections racing for the one write lock. Here a single task owns
the writes: callers queue a job and wait; the task takes every job queued meanwhile (up to
`max_batch`, lingering at most `max_wait` seconds for stragglers), hands each kind's jobs to
its handler on one connection, and resolves each caller's future only after the commit.

A handler returns one outcome per job, an exception for a job it refuses (that caller alone
gets it). If a handler raises instead (a database error, a bad row), the batch is rolled
back and every job is replayed alone, so only the job at fault fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

T = TypeVar("T")
Item = TypeVar("Item")

# A handler writes a batch in one transaction on the connection it is given, commits, and
# returns one result or exception per item, in order.
Handler = Callable[[AsyncConnection, list[Any]], Awaitable[Sequence[Any]]]

DEFAULT_MAX_BATCH = 64
DEFAULT_MAX_WAIT_S = 0.002


class WriterClosed(RuntimeError):
    """The database is closing: no more writes are taken."""


@dataclass
class _Job:
    handler: Handler
    item: Any
    future: asyncio.Future[Any]
    queued_at: float = field(default_factory=time.perf_counter)


BatchObserver = Callable[[str, int, float], None]  # handler name, batch size, seconds
LatencyObserver = Callable[[str, float], None]  # handler name, seconds from queued to settled


class BatchWriter:
    """The process's one writer; start() is implicit on the first submit."""

    def __init__(
        self,
        engine: Callable[[], AsyncEngine],
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        max_wait: float = DEFAULT_MAX_WAIT_S,
    ) -> None:
        self._engine = engine
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._queue: asyncio.Queue[_Job] | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.observers: list[BatchObserver] = []
        self.latency_observers: list[LatencyObserver] = []

    async def submit(self, handler: Handler, item: Any) -> Any:
        """Queue `item` for `handler` and return its own outcome once committed."""
        if self._closed:
            raise WriterClosed("the database is closing")
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = loop.create_task(self._run(), name="batch-writer")
        assert self._queue is not None
        job = _Job(handler, item, loop.create_future())
        self._queue.put_nowait(job)
        return await job.future

    async def close(self) -> None:
        """Finish what is queued, then stop; later submits raise WriterClosed."""
        self._closed = True
        task, queue = self._task, self._queue
        if task is None or queue is None or task.done():
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(queue.join(), timeout=10)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            jobs = [await queue.get()]
            try:
                await self._gather(queue, jobs)
                await self._write(jobs)
            finally:
                for _ in jobs:
                    queue.task_done()

    async def _gather(self, queue: asyncio.Queue[_Job], jobs: list[_Job]) -> None:
        """Take what is queued; linger while more keeps arriving, never past max_wait."""
        deadline = time.perf_counter() + self.max_wait
        while len(jobs) < self.max_batch:
            while not queue.empty() and len(jobs) < self.max_batch:
                jobs.append(queue.get_nowait())
            if time.perf_counter() >= deadline:
                return
            before = queue.qsize()
            await asyncio.sleep(0)  # let callers that are about to submit do so
            if queue.qsize() == before:
                return

    async def _write(self, jobs: list[_Job]) -> None:
        groups: dict[Handler, list[_Job]] = {}
        for job in jobs:
            groups.setdefault(job.handler, []).append(job)
        for handler, group in groups.items():
            started = time.perf_counter()
            await self._write_group(handler, group)
            name = getattr(handler, "__name__", "batch")
            settled = time.perf_counter()
            for observe in self.observers:
                observe(name, len(group), settled - started)
            for job in group:
                for observe_latency in self.latency_observers:
                    observe_latency(name, settled - job.queued_at)

    async def _write_group(self, handler: Handler, group: list[_Job]) -> None:
        live = [job for job in group if not job.future.done()]
        if not live:
            return
        try:
            outcomes = await self._attempt(handler, [job.item for job in live])
        except Exception as error:
            if len(live) == 1:
                _settle(live[0], error)
                return
            log.warning("a batch of %d failed (%s); writing each alone", len(live), error)
            for job in live:
                try:
                    _settle(job, (await self._attempt(handler, [job.item]))[0])
                except Exception as alone:
                    _settle(job, alone)
            return
        for job, outcome in zip(live, outcomes, strict=True):
            _settle(job, outcome)

    async def _attempt(self, handler: Handler, items: list[Any]) -> Sequence[Any]:
        async with self._engine().connect() as connection:
            try:
                outcomes = await handler(connection, items)
            except BaseException:
                await connection.rollback()
                raise
            if connection.in_transaction():  # a handler that only refused everything
                await connection.rollback()
            if len(outcomes) != len(items):
                raise RuntimeError(
                    f"{handler!r} returned {len(outcomes)} outcomes for {len(items)}"
                )
            return outcomes


def _settle(job: _Job, outcome: Any) -> None:
    if job.future.done():
        return
    if isinstance(outcome, BaseException):
        job.future.set_exception(outcome)
    else:
        job.future.set_result(outcome)
