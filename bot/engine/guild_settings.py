"""Per-guild settings: who may manage questions, and the defaults for new sessions.

Stored as JSON on the guild row, so adding a setting needs no migration; reading always
goes through `GuildSettings.from_stored`, which ignores unknown keys and bad values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.engine.errors import EngineError
from bot.engine.interview import DEFAULT_COUNT, MAX_COUNT
from bot.engine.mock.rules import DEFAULT_WAIT_MINUTES, MAX_WAIT_MINUTES, MIN_WAIT_MINUTES
from questions.model import DIFFICULTIES
from storage.database import Database
from storage.repositories import GuildRepository

ANY_DIFFICULTY = "any"


@dataclass(frozen=True)
class GuildSettings:
    manager_role_id: int | None = None
    default_count: int = DEFAULT_COUNT
    default_difficulty: str | None = None  # None: questions of every difficulty
    mock_wait_minutes: int = DEFAULT_WAIT_MINUTES  # queue wait before a member is told
    report_channel_id: int | None = None  # where mock-interview reports go

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> GuildSettings:
        stored = stored or {}
        role = stored.get("manager_role_id")
        count = stored.get("default_count")
        difficulty = stored.get("default_difficulty")
        wait = stored.get("mock_wait_minutes")
        report = stored.get("report_channel_id")
        return cls(
            manager_role_id=role if isinstance(role, int) and not isinstance(role, bool) else None,
            default_count=count
            if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_COUNT
            else DEFAULT_COUNT,
            default_difficulty=difficulty if difficulty in DIFFICULTIES else None,
            mock_wait_minutes=wait
            if isinstance(wait, int)
            and not isinstance(wait, bool)
            and MIN_WAIT_MINUTES <= wait <= MAX_WAIT_MINUTES
            else DEFAULT_WAIT_MINUTES,
            report_channel_id=report
            if isinstance(report, int) and not isinstance(report, bool)
            else None,
        )

    def to_stored(self) -> dict[str, Any]:
        return asdict(self)


class SettingsService:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def ensure_guild(self, guild_id: int, name: str) -> None:
        """Record the guild before anything refers to it (sessions and attempts do)."""
        async with self.database.session() as session:
            await GuildRepository(session).ensure(guild_id, name[:100] or str(guild_id))
            await session.commit()

    async def get(self, guild_id: int) -> GuildSettings:
        async with self.database.session() as session:
            guild = await GuildRepository(session).get(guild_id)
        return GuildSettings.from_stored(guild.settings if guild else None)

    async def update(
        self,
        guild_id: int,
        guild_name: str,
        *,
        manager_role_id: int | None = None,
        clear_manager_role: bool = False,
        default_count: int | None = None,
        default_difficulty: str | None = None,
        mock_wait_minutes: int | None = None,
        report_channel_id: int | None = None,
        clear_report_channel: bool = False,
    ) -> GuildSettings:
        """Change only what is given; `default_difficulty="any"` clears the default."""
        changes: dict[str, Any] = {}
        if clear_manager_role:
            changes["manager_role_id"] = None
        elif manager_role_id is not None:
            changes["manager_role_id"] = manager_role_id
        if default_count is not None:
            if not 1 <= default_count <= MAX_COUNT:
                raise EngineError(f"The default count must be between 1 and {MAX_COUNT}.")
            changes["default_count"] = default_count
        if default_difficulty is not None:
            if default_difficulty != ANY_DIFFICULTY and default_difficulty not in DIFFICULTIES:
                choices = ", ".join((*DIFFICULTIES, ANY_DIFFICULTY))
                raise EngineError(f"The default difficulty must be one of: {choices}.")
            changes["default_difficulty"] = (
                None if default_difficulty == ANY_DIFFICULTY else default_difficulty
            )
        if mock_wait_minutes is not None:
            if not MIN_WAIT_MINUTES <= mock_wait_minutes <= MAX_WAIT_MINUTES:
                raise EngineError(
                    f"The mock-interview wait must be between {MIN_WAIT_MINUTES} and "
                    f"{MAX_WAIT_MINUTES} minutes."
                )
            changes["mock_wait_minutes"] = mock_wait_minutes
        if clear_report_channel:
            changes["report_channel_id"] = None
        elif report_channel_id is not None:
            changes["report_channel_id"] = report_channel_id
        async with self.database.session() as session:
            guilds = GuildRepository(session)
            guild = await guilds.ensure(guild_id, guild_name[:100] or str(guild_id))
            if changes:
                merged = GuildSettings.from_stored({**(guild.settings or {}), **changes})
                await guilds.update_settings(guild_id, merged.to_stored())
            settings = GuildSettings.from_stored(guild.settings)
            await session.commit()
        return settings
