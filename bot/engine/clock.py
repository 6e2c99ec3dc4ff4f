"""Time, injectable: deadlines and timers read one clock, so tests move it instead of waiting.

`SystemClock` is real time. `ManualClock` only moves when a test calls `advance`, and wakes
exactly the timers whose moment has come. `Timers` runs a callback at a moment as a named
asyncio task; rescheduling a name replaces its task, and finished tasks remove themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """The default clock of every service: aware UTC, as the database stores it."""
    return datetime.now(UTC)


class Clock(Protocol):
    def __call__(self) -> datetime: ...

    async def sleep_until(self, moment: datetime) -> None: ...


class SystemClock:
    def __call__(self) -> datetime:
        return utcnow()

    async def sleep_until(self, moment: datetime) -> None:
        await asyncio.sleep(max(0.0, (moment - self()).total_seconds()))


class ManualClock:
    """A clock that stands still until `advance`; sleepers wake in deadline order."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> datetime:
        return self.now

    async def sleep_until(self, moment: datetime) -> None:
        if moment <= self.now:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (moment, next(self._order), future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time forward and let every task woken by it run before returning."""
        self.now += timedelta(seconds=seconds)
        while self._sleepers and self._sleepers[0][0] <= self.now:
            _, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
        for _ in range(5):  # a few loop turns so woken callbacks get going
            await asyncio.sleep(0)


class Timers:
    """Named one-shot timers; errors in callbacks are logged, never lost silently."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._tasks: dict[Hashable, asyncio.Task[None]] = {}
        self._all: set[asyncio.Task[None]] = set()  # including callbacks already running

    def schedule(
        self, key: Hashable, moment: datetime, callback: Callable[[], Awaitable[None]]
    ) -> None:
        self.cancel(key)

        async def run() -> None:
            await self.clock.sleep_until(moment)
            # Drop the entry before running, so the callback may schedule the next timer.
            if self._tasks.get(key) is asyncio.current_task():
                del self._tasks[key]
            try:
                await callback()
            except Exception:
                log.exception("timer %r failed", key)

        task = asyncio.create_task(run(), name=f"timer {key!r}")
        self._tasks[key] = task
        self._all.add(task)
        task.add_done_callback(self._all.discard)

    def cancel(self, key: Hashable) -> None:
        task = self._tasks.pop(key, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    @property
    def pending(self) -> set[Hashable]:
        return {key for key, task in self._tasks.items() if not task.done()}

    async def close(self) -> None:
        """Stop everything, callbacks half-way included: used when the bot shuts down."""
        tasks = list(self._all)
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
