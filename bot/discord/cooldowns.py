"""Per-user rate limits, kept in memory: losing them on restart costs nothing."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class Cooldown:
    """At most `rate` uses per `per` seconds for each key (a user id)."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self.clock = clock
        self._uses: dict[int, deque[float]] = {}

    def retry_after(self, key: int) -> float:
        """0 and the use is counted, or the seconds to wait (and nothing is counted)."""
        now = self.clock()
        uses = self._uses.setdefault(key, deque())
        while uses and now - uses[0] >= self.per:
            uses.popleft()
        if len(uses) >= self.rate:
            return self.per - (now - uses[0])
        uses.append(now)
        if len(self._uses) > 10_000:  # forget idle users so memory stays bounded
            self._uses = {k: v for k, v in self._uses.items() if v and now - v[-1] < self.per}
        return 0.0


class OnCooldown(Exception):
    def __init__(self, retry_after: float, what: str) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're {what} too fast; try again in {max(1, round(retry_after))} s.")
