"""`run --metrics-port`: Prometheus metrics at /metrics and a health check at /healthz.

/healthz answers 503 as soon as the database stops answering or a gateway connection is
down, so an orchestrator restarts the process instead of leaving a shard deaf. Bound to
127.0.0.1 unless METRICS_HOST says otherwise: metrics name guilds' activity.
"""

from __future__ import annotations

import asyncio
import logging
import math

from aiohttp import web
from discord.ext import commands
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from bot.config import ConfigError
from bot.observability import BotMetrics
from storage.database import Database
from storage.models import InterviewSession, Round

log = logging.getLogger(__name__)
DATABASE_TIMEOUT = 2.0


def gateway_latencies(bot: commands.Bot) -> list[tuple[int, float]]:
    if isinstance(bot, commands.AutoShardedBot):
        return list(bot.latencies)
    return [(bot.shard_id or 0, bot.latency)]


def gateway_problem(bot: commands.Bot) -> str | None:
    """Why the bot cannot hear Discord right now, or None."""
    if bot.is_closed():
        return "the Discord client is closed"
    if not bot.is_ready():
        return "not connected to the Discord gateway yet"
    if isinstance(bot, commands.AutoShardedBot):
        down = [str(i) for i, shard in bot.shards.items() if shard.is_closed()]
        return f"gateway connection of shard(s) {', '.join(down)} is down" if down else None
    if bot.ws is None or not bot.ws.open:
        return "the gateway connection is down"
    return None


class HealthServer:
    def __init__(
        self, bot: commands.Bot, database: Database, metrics: BotMetrics, host: str, port: int
    ) -> None:
        self.bot, self.database, self.metrics = bot, database, metrics
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None
        self._errors = metrics.error_counter()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self.serve_metrics)
        app.router.add_get("/healthz", self.serve_health)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            await self.close()
            raise ConfigError(
                f"cannot serve metrics on {self.host}:{self.port} ({error.strerror}): "
                "choose another METRICS_PORT."
            ) from None
        self.port = int(self._runner.addresses[0][1])  # the real one when asked for 0
        logging.getLogger().addHandler(self._errors)
        log.info("metrics on http://%s:%d/metrics, health on /healthz", self.host, self.port)

    async def close(self) -> None:
        logging.getLogger().removeHandler(self._errors)
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _database_problem(self) -> str | None:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT), self.database.session() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy"; say which
            return f"the database does not answer ({type(error).__name__})"
        return None

    async def serve_health(self, _request: web.Request) -> web.Response:
        problems = [p for p in (await self._database_problem(), gateway_problem(self.bot)) if p]
        if problems:
            return web.Response(status=503, text="; ".join(problems) + "\n")
        return web.Response(text="ok\n")

    async def serve_metrics(self, _request: web.Request) -> web.Response:
        await self._refresh()
        return web.Response(
            body=generate_latest(self.metrics.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    async def _refresh(self) -> None:
        """Gauges read at scrape time, so they cost nothing between scrapes."""
        for shard, latency in gateway_latencies(self.bot):
            value = latency if math.isfinite(latency) else math.nan
            self.metrics.gateway_latency.labels(str(shard)).set(value)
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT), self.database.session() as session:
                sessions = await session.scalar(
                    select(func.count()).where(InterviewSession.status == "active")
                )
                rounds = await session.scalar(
                    select(func.count()).where(Round.status.in_(("lobby", "running")))
                )
        except Exception:
            log.warning("could not count open sessions and rounds", exc_info=True)
            return
        self.metrics.open_sessions.set(sessions or 0)
        self.metrics.open_rounds.set(rounds or 0)
