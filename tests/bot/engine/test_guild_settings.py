"""Per-guild settings: reading stored JSON defensively, and updating on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.engine.errors import EngineError
from bot.engine.guild_settings import GuildSettings, SettingsService
from bot.engine.interview import DEFAULT_COUNT, MAX_COUNT
from storage.database import Database
from storage.models import Guild
from storage.repositories import GuildRepository

GUILD = 4242
ROLE = 987654321012345678  # a Discord snowflake: larger than 32 bits


def test_defaults() -> None:
    assert GuildSettings.from_stored(None) == GuildSettings(None, DEFAULT_COUNT, None)
    assert GuildSettings.from_stored({}) == GuildSettings()
    assert GuildSettings() == GuildSettings(
        manager_role_id=None, default_count=5, default_difficulty=None
    )


@pytest.mark.parametrize(
    "stored",
    [
        {"manager_role_id": "123", "default_count": "5", "default_difficulty": "extreme"},
        {"manager_role_id": 1.5, "default_count": 0, "default_difficulty": "HARD"},
        {"manager_role_id": None, "default_count": MAX_COUNT + 1, "default_difficulty": 3},
        {"default_count": -1, "default_difficulty": None, "colour": "blue"},
        {"default_count": 2.0, "default_difficulty": ["hard"], "manager_role_id": [1]},
    ],
)
def test_from_stored_ignores_junk(stored: dict[str, Any]) -> None:
    assert GuildSettings.from_stored(stored) == GuildSettings(None, DEFAULT_COUNT, None)


def test_from_stored_keeps_good_values_next_to_junk() -> None:
    stored = {
        "manager_role_id": ROLE,
        "default_count": MAX_COUNT,
        "default_difficulty": "hard",
        "unknown": {"nested": True},
    }
    assert GuildSettings.from_stored(stored) == GuildSettings(ROLE, MAX_COUNT, "hard")
    assert GuildSettings.from_stored({"default_count": 1}).default_count == 1
    assert GuildSettings.from_stored({"default_difficulty": "easy", "default_count": "x"}) == (
        GuildSettings(None, DEFAULT_COUNT, "easy")
    )


def test_to_stored_round_trips() -> None:
    settings = GuildSettings(ROLE, 7, "medium")
    assert settings.to_stored() == {
        "manager_role_id": ROLE,
        "default_count": 7,
        "default_difficulty": "medium",
        "mock_wait_minutes": 15,
        "report_channel_id": None,
    }
    assert GuildSettings.from_stored(settings.to_stored()) == settings
    peers = GuildSettings(mock_wait_minutes=30, report_channel_id=77)
    assert GuildSettings.from_stored(peers.to_stored()) == peers
    assert GuildSettings.from_stored({"mock_wait_minutes": 0}).mock_wait_minutes == 15
    assert GuildSettings.from_stored({"report_channel_id": True}).report_channel_id is None


# -- the service -------------------------------------------------------------------------


async def stored(database: Database, guild_id: int = GUILD) -> tuple[str, dict[str, Any]] | None:
    async with database.session() as session:
        guild = await GuildRepository(session).get(guild_id)
    return None if guild is None else (guild.name, guild.settings)


async def guild_count(database: Database) -> int:
    async with database.session() as session:
        return (await session.execute(select(func.count()).select_from(Guild))).scalar_one()


async def test_ensure_guild_is_idempotent_and_renames(database: Database) -> None:
    service = SettingsService(database)
    await service.ensure_guild(GUILD, "Study group")
    await service.ensure_guild(GUILD, "Study group")
    assert await guild_count(database) == 1
    assert await stored(database) == ("Study group", {})
    await service.ensure_guild(GUILD, "Renamed group")
    assert await guild_count(database) == 1
    assert await stored(database) == ("Renamed group", {})
    await service.ensure_guild(GUILD, "x" * 150)
    assert await stored(database) == ("x" * 100, {})
    await service.ensure_guild(7, "")
    assert await stored(database, 7) == ("7", {})
    assert await guild_count(database) == 2


async def test_ensure_guild_keeps_settings(database: Database) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "Study group", default_count=9)
    await service.ensure_guild(GUILD, "Renamed group")
    assert (await service.get(GUILD)).default_count == 9


async def test_get_unknown_guild_gives_defaults(database: Database) -> None:
    assert await SettingsService(database).get(GUILD) == GuildSettings()
    assert await stored(database) is None


async def test_update_merges(database: Database) -> None:
    service = SettingsService(database)
    first = await service.update(GUILD, "Study group", manager_role_id=ROLE)
    assert first == GuildSettings(ROLE, DEFAULT_COUNT, None)
    second = await service.update(GUILD, "Study group", default_count=12)
    assert second == GuildSettings(ROLE, 12, None)
    third = await service.update(GUILD, "Study group", default_difficulty="hard")
    assert third == GuildSettings(ROLE, 12, "hard")
    assert await service.get(GUILD) == third
    assert await stored(database) == (
        "Study group",
        {
            "manager_role_id": ROLE,
            "default_count": 12,
            "default_difficulty": "hard",
            "mock_wait_minutes": 15,
            "report_channel_id": None,
        },
    )
    unchanged = await service.update(GUILD, "Study group")
    assert unchanged == third


async def test_update_any_clears_the_default_difficulty(database: Database) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "g", default_difficulty="easy", default_count=3)
    cleared = await service.update(GUILD, "g", default_difficulty="any")
    assert cleared == GuildSettings(None, 3, None)
    assert await service.get(GUILD) == GuildSettings(None, 3, None)


async def test_update_clear_manager_role(database: Database) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "g", manager_role_id=ROLE, default_count=4)
    cleared = await service.update(GUILD, "g", clear_manager_role=True)
    assert cleared == GuildSettings(None, 4, None)
    # Clearing wins over a role given in the same call.
    await service.update(GUILD, "g", manager_role_id=ROLE)
    both = await service.update(GUILD, "g", manager_role_id=123, clear_manager_role=True)
    assert both.manager_role_id is None
    assert (await service.get(GUILD)).manager_role_id is None


@pytest.mark.parametrize("count", [0, -3, MAX_COUNT + 1])
async def test_update_validates_count(database: Database, count: int) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "g", default_count=8)
    with pytest.raises(EngineError) as caught:
        await service.update(GUILD, "g", default_count=count, default_difficulty="hard")
    assert str(caught.value) == f"The default count must be between 1 and {MAX_COUNT}."
    assert await service.get(GUILD) == GuildSettings(None, 8, None)


@pytest.mark.parametrize("count", [1, MAX_COUNT])
async def test_update_accepts_count_bounds(database: Database, count: int) -> None:
    settings = await SettingsService(database).update(GUILD, "g", default_count=count)
    assert settings.default_count == count


@pytest.mark.parametrize("difficulty", ["extreme", "Hard", ""])
async def test_update_validates_difficulty(database: Database, difficulty: str) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "g", default_difficulty="medium")
    with pytest.raises(EngineError) as caught:
        await service.update(GUILD, "g", default_difficulty=difficulty, default_count=2)
    assert str(caught.value) == ("The default difficulty must be one of: easy, medium, hard, any.")
    assert await service.get(GUILD) == GuildSettings(None, DEFAULT_COUNT, "medium")


async def test_update_creates_and_renames_the_guild(database: Database) -> None:
    service = SettingsService(database)
    assert await service.update(GUILD, "First name") == GuildSettings()
    assert await stored(database) == ("First name", {})
    await service.update(GUILD, "Second name", default_count=6)
    assert await stored(database) == (
        "Second name",
        {
            "manager_role_id": None,
            "default_count": 6,
            "default_difficulty": None,
            "mock_wait_minutes": 15,
            "report_channel_id": None,
        },
    )


async def test_update_keeps_guilds_apart(database: Database) -> None:
    service = SettingsService(database)
    await service.update(GUILD, "one", default_count=3, manager_role_id=ROLE)
    await service.update(GUILD + 1, "two", default_difficulty="easy")
    assert await service.get(GUILD) == GuildSettings(ROLE, 3, None)
    assert await service.get(GUILD + 1) == GuildSettings(None, DEFAULT_COUNT, "easy")


async def test_update_mock_wait_and_report_channel(database: Database) -> None:
    service = SettingsService(database)
    with pytest.raises(EngineError, match="between 1 and 240 minutes"):
        await service.update(1, "g", mock_wait_minutes=0)
    changed = await service.update(1, "g", mock_wait_minutes=30, report_channel_id=99)
    assert (changed.mock_wait_minutes, changed.report_channel_id) == (30, 99)
    cleared = await service.update(1, "g", clear_report_channel=True)
    assert (cleared.mock_wait_minutes, cleared.report_channel_id) == (30, None)
