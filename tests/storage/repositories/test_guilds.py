"""Guilds on both backends: first sight, renames and settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    GuildRepository,
)
from tests.storage.repositories.rows import GUILD, OTHER_GUILD


async def test_guild_ensure_get_and_settings(session: AsyncSession) -> None:
    guilds = GuildRepository(session)
    assert await guilds.get(GUILD) is None
    guild = await guilds.ensure(GUILD, "Before")
    assert guild.settings == {}
    assert (await guilds.ensure(GUILD, "After")).name == "After"
    await guilds.update_settings(GUILD, {"channel": 5})
    updated = await guilds.update_settings(GUILD, {"difficulty": "hard"})
    assert updated is not None
    assert updated.settings == {"channel": 5, "difficulty": "hard"}
    assert await guilds.update_settings(OTHER_GUILD, {"x": 1}) is None
    await session.commit()
    session.expunge_all()
    stored = await guilds.get(GUILD)
    assert stored is not None
    assert (stored.name, stored.settings) == ("After", {"channel": 5, "difficulty": "hard"})
