"""`interview-bot run`: start the bot, and stop it cleanly on SIGINT or SIGTERM.

Sessions live in the database, so stopping loses nothing: the database is closed only after
the Discord connection, so no handler is cut off half-way through a write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import aiohttp
import discord

from bot.config import BotSettings, ConfigError
from bot.discord.client import InterviewBot, ShardedInterviewBot
from bot.discord.health import HealthServer
from bot.engine.shards import ShardPlan
from bot.observability import LOG_FORMAT, BotMetrics, ContextFilter
from questions import catalog, semantic
from questions.loader import default_bank
from storage.config import describe_location
from storage.database import Database

log = logging.getLogger(__name__)


def configure_logging(level: int, shards: ShardPlan | None = None) -> None:
    """Every line names its shard, guild and reference (see bot/observability.py)."""
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
    context = ContextFilter(shards or ShardPlan())
    for handler in logging.getLogger().handlers:
        handler.addFilter(context)
    # discord.py's gateway chatter at INFO is useful; its DEBUG is not, unless asked for.
    logging.getLogger("discord").setLevel(max(level, logging.INFO))


def build_bot(settings: BotSettings, database: Database) -> InterviewBot:
    """The plain client unless sharding is asked for; then only owned guilds get timers."""
    shards = settings.shards
    if not shards.sharded:
        return InterviewBot(
            database,
            default_bank(),
            dev_guild_id=settings.dev_guild_id,
            message_content=settings.message_content,
        )
    log.info("running shard(s) %s of %d", ",".join(map(str, shards.own_ids)), shards.count)
    return ShardedInterviewBot(
        database,
        default_bank(),
        dev_guild_id=settings.dev_guild_id,
        message_content=settings.message_content,
        owns_guild=shards.owns,
        shard_count=shards.count,
        shard_ids=list(shards.own_ids),
    )


async def start_metrics(
    settings: BotSettings, bot: InterviewBot, database: Database
) -> HealthServer | None:
    """Only with a metrics port: the writer and the error log then feed the metrics."""
    if settings.metrics_port is None:
        return None
    metrics = BotMetrics()
    database.writer.observers.append(metrics.observe_batch)
    database.writer.latency_observers.append(metrics.observe_latency)
    health = HealthServer(bot, database, metrics, settings.metrics_host, settings.metrics_port)
    await health.start()
    return health


async def serve(settings: BotSettings) -> None:
    database = Database(settings.database_url)
    await database.open()
    log.info("database: %s", describe_location(database.url))
    semantic.warm_up()  # the word vectors load while the bot logs in, not on a first answer
    catalog.warm_up()
    bot = build_bot(settings, database)
    try:
        health = await start_metrics(settings, bot, database)
    except ConfigError:
        await database.close()
        raise
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
            loop.add_signal_handler(signum, stop.set)
    runner = asyncio.create_task(bot.start(settings.token), name="discord-client")
    stopper = asyncio.create_task(stop.wait(), name="signal-wait")
    try:
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down: closing the Discord connection, then the database")
        else:
            runner.result()  # raises what ended the client
    except discord.LoginFailure:
        raise ConfigError(
            "Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal "
            "(Bot > Reset Token)."
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "INTERVIEW_MESSAGE_CONTENT is on, but the Message Content intent is not enabled "
            "for the bot in the Developer Portal (Bot > Privileged Gateway Intents)."
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise ConfigError(
            f"Cannot reach Discord ({error}). Check the network connection and try again."
        ) from None
    finally:
        stopper.cancel()
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await runner
        if health is not None:
            await health.close()
        await database.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
    log.info("stopped")
