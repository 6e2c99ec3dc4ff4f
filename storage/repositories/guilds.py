"""Guilds: recorded on first sight, with their settings as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from storage.models import Guild, utcnow
from storage.repositories.base import Repository, insert


class GuildRepository(Repository):
    async def get(self, guild_id: int) -> Guild | None:
        return await self.session.get(Guild, guild_id)

    async def ensure(self, guild_id: int, name: str) -> Guild:
        """The guild row, created on first sight; keeps the name current (servers rename)."""
        guild = await self.get(guild_id)
        if guild is None:
            await self.session.execute(
                insert(self.session, Guild)
                .values(id=guild_id, name=name, settings={}, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[Guild.id])
            )
            guild = cast(Guild, await self.session.get(Guild, guild_id, populate_existing=True))
        if guild.name != name:
            guild.name = name
            await self.session.flush()
        return guild

    async def update_settings(self, guild_id: int, settings: Mapping[str, Any]) -> Guild | None:
        """Merge `settings` into the guild's settings; None if the guild is unknown.

        A new dict is assigned because in-place edits to a JSON column go unnoticed.
        """
        guild = await self.get(guild_id)
        if guild is None:
            return None
        guild.settings = {**(guild.settings or {}), **settings}
        await self.session.flush()
        return guild
