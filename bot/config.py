"""Settings, read once from the environment and a `.env` file, in one typed place.

Every command reads `.env` through `environment()`, so the terminal, the CLI and the bot
agree on the database. Every variable is documented in `.env.example`. Errors are one
readable line, because the person reading them is setting the bot up for the first time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

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
        return cls(
            token=token,
            database_url=resolve_database_url(values),
            dev_guild_id=int(guild_text) if guild_text else None,
            log_level=level,
            message_content=content_text in _TRUE,
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)
