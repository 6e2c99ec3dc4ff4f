"""What an operator sees of a running bot: Prometheus metrics and log lines that say which
guild, shard and reference (an interaction, a round) they are about.

Nothing here knows Discord: the Discord layer fills the gauges it alone can read (gateway
latency) and sets the log context when an interaction or a round timer starts work. Each
bot gets its own registry, so tests can run several side by side.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.engine.shards import ShardPlan, shard_of

# Writer handler names (storage/writer.py) of the two answer paths, as metric labels.
ANSWER_KINDS = {"record": "solo", "record_answers": "round"}
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class BotMetrics:
    """The bot's metrics, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.answers = Counter(
            "interview_answers_scored", "Answers stored through the writer", ["kind"], registry=r
        )
        self.submit_latency = Histogram(
            "interview_submit_latency_seconds",
            "From an answer joining the writer's queue to its commit",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.batch_size = Histogram(
            "interview_write_batch_size",
            "Answers per group commit",
            ["kind"],
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.gateway_latency = Gauge(
            "interview_gateway_latency_seconds",
            "Heartbeat round trip per shard",
            ["shard"],
            registry=r,
        )
        self.open_sessions = Gauge(
            "interview_open_sessions", "Active interview sessions (whole database)", registry=r
        )
        self.open_rounds = Gauge(
            "interview_open_rounds", "Rounds in their lobby or running (whole database)", registry=r
        )
        self.errors = Counter(
            "interview_errors", "Errors logged, by exception type", ["kind"], registry=r
        )

    def observe_batch(self, handler: str, size: int, _seconds: float) -> None:
        kind = ANSWER_KINDS.get(handler, handler)
        self.answers.labels(kind).inc(size)
        self.batch_size.labels(kind).observe(size)

    def observe_latency(self, handler: str, seconds: float) -> None:
        self.submit_latency.labels(ANSWER_KINDS.get(handler, handler)).observe(seconds)

    def error_counter(self) -> logging.Handler:
        """A logging handler counting ERROR records: every failure the bot logs is counted."""
        return _ErrorCounter(self)


class _ErrorCounter(logging.Handler):
    def __init__(self, metrics: BotMetrics) -> None:
        super().__init__(logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else "logged"
        self.metrics.errors.labels(kind).inc()


# -- log context -------------------------------------------------------------------------------

_guild: contextvars.ContextVar[int | None] = contextvars.ContextVar("log_guild", default=None)
_ref: contextvars.ContextVar[str | None] = contextvars.ContextVar("log_ref", default=None)
LOG_FORMAT = (
    "%(asctime)s %(levelname)-8s %(name)s [shard=%(shard)s guild=%(guild)s ref=%(ref)s]: "
    "%(message)s"
)


def set_log_context(guild_id: int | None, ref: str) -> None:
    """For the rest of the current task: its log lines name this guild and reference."""
    _guild.set(guild_id)
    _ref.set(ref)


@contextmanager
def log_context(guild_id: int | None, ref: str) -> Iterator[None]:
    guild_token, ref_token = _guild.set(guild_id), _ref.set(ref)
    try:
        yield
    finally:
        _guild.reset(guild_token)
        _ref.reset(ref_token)


class ContextFilter(logging.Filter):
    """Adds `guild`, `shard` and `ref` to every record ("-" when unknown). The shard is the
    one owning the guild; without a guild, the shards this process runs."""

    def __init__(self, shards: ShardPlan) -> None:
        super().__init__()
        self.shards = shards
        self.own = ",".join(map(str, shards.own_ids))

    def filter(self, record: logging.LogRecord) -> bool:
        guild = _guild.get()
        record.guild = "-" if guild is None else str(guild)
        record.shard = self.own if guild is None else str(shard_of(guild, self.shards.count))
        record.ref = _ref.get() or "-"
        return True
