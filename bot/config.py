"""Settings, read once from the environment and a `.env` file, in one typed place.

Every command reads `.env` through `environment()`, so the terminal, the CLI and the bot
agree on the database. Every variable is documented in `.env.example`. Errors are one
readable line, because the person reading them is setting the bot up for the first time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.engine.shards import ShardPlan
from storage.config import resolve_database_url

DOTENV_PATH = Path(".env")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ConfigError(Exception):
    """The bot cannot start as configured (a setting, the token, the network); str() says
    what is wrong and how to fix it, in one line."""


def environment(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = DOTENV_PATH
) -> dict[str, str]:
    """`.env` (from the current directory) under the real environment, which wins so that a
    deployment can override the file. The process environment itself is left alone."""
    values: dict[str, str] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        try:
            from_file = dotenv_values(dotenv_path, encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"cannot read {dotenv_path}: it is not UTF-8 text") from None
        except OSError as exc:
            raise ConfigError(f"cannot read {dotenv_path}: {exc.strerror}") from None
        values.update({k: v for k, v in from_file.items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


@dataclass(frozen=True)
class BotSettings:
    token: str
    database_url: str  # resolved as the core does: DATABASE_URL, else the default SQLite file
    dev_guild_id: int | None = None  # sync commands to this guild instantly
    log_level: str = "INFO"
    message_content: bool = False  # plain messages count as answers (privileged intent)
    shards: ShardPlan = field(default_factory=ShardPlan)
    metrics_port: int | None = None  # off unless asked for
    metrics_host: str = "127.0.0.1"  # loopback: a scraper elsewhere must be let in on purpose

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, dotenv_path: Path | None = DOTENV_PATH
    ) -> BotSettings:
        """The process environment wins over `.env`, so a deployment can override the file."""
        values = environment(environ, dotenv_path)

        token = values.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "DISCORD_TOKEN is not set: put the bot token in the environment or in .env "
                "(see .env.example and the README's Discord section)."
            )
        guild_text = values.get("INTERVIEW_DEV_GUILD", "").strip()
        if guild_text and not guild_text.isdigit():
            raise ConfigError(
                f"INTERVIEW_DEV_GUILD must be a server id (digits only), not {guild_text!r}."
            )
        level = values.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}.")
        content_text = values.get("INTERVIEW_MESSAGE_CONTENT", "").strip().lower()
        if content_text not in _TRUE | _FALSE:
            raise ConfigError(
                f"INTERVIEW_MESSAGE_CONTENT must be true or false, not {content_text!r}."
            )
        database_url = resolve_database_url(values)
        shards = shard_plan(values.get("SHARD_COUNT", ""), values.get("SHARD_IDS", ""))
        check_shards_fit(shards, database_url)
        return cls(
            token=token,
            database_url=database_url,
            dev_guild_id=int(guild_text) if guild_text else None,
            log_level=level,
            message_content=content_text in _TRUE,
            shards=shards,
            metrics_port=_port(values.get("METRICS_PORT", "")),
            metrics_host=values.get("METRICS_HOST", "").strip() or "127.0.0.1",
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)


def shard_plan(count_text: str, ids_text: str) -> ShardPlan:
    """SHARD_COUNT (default 1) and SHARD_IDS (comma-separated; default: every shard)."""
    count_text, ids_text = count_text.strip(), ids_text.strip()
    if not count_text:
        if ids_text:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT: say how many shards there are in all.")
        return ShardPlan()
    if not count_text.isdigit() or int(count_text) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number of 1 or more, not {count_text!r}.")
    count = int(count_text)
    if not ids_text:
        return ShardPlan(count)
    parts = [part.strip() for part in ids_text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise ConfigError(
            f"SHARD_IDS must be shard numbers separated by commas (like 0,1), not {ids_text!r}."
        )
    ids = tuple(sorted({int(part) for part in parts}))
    if ids[-1] >= count:
        raise ConfigError(
            f"SHARD_IDS has shard {ids[-1]}, but with SHARD_COUNT={count} shards are numbered "
            f"0 to {count - 1}."
        )
    return ShardPlan(count, ids)


def check_shards_fit(shards: ShardPlan, database_url: str) -> None:
    """Shards split over processes need PostgreSQL: SQLite is a file on one machine, and the
    processes would fight over its single write lock. One process running every shard is fine.
    """
    if database_url.startswith("sqlite") and not shards.runs_every_shard:
        raise ConfigError(
            f"SHARD_IDS={','.join(map(str, shards.own_ids))} of SHARD_COUNT={shards.count} "
            "means several bot processes, which need a shared PostgreSQL: set DATABASE_URL "
            "to postgresql+asyncpg://..., or run every shard in one process."
        )


def _port(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError(f"METRICS_PORT must be a port number (1-65535), not {text!r}.")
    return int(text)
