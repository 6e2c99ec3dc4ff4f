"""The fake Discord's shards: IDENTIFY's shard field decides what a connection receives."""

from __future__ import annotations

import discord

from tests.fake_discord import FakeDiscord, run_bot


async def test_shards_get_only_their_own_guilds_and_events(fake_discord: FakeDiscord) -> None:
    """IDENTIFY's [shard_id, shard_count] is honoured: READY lists only the shard's guilds,
    a guild's events go only to its shard, and DMs only to shard 0."""
    first = fake_discord.create_guild("Zero", shard=(0, 2))
    second = fake_discord.create_guild("One", shard=(1, 2))
    assert ((first.id >> 22) % 2, (second.id >> 22) % 2) == (0, 1)
    intents = discord.Intents.default()
    async with (
        run_bot(fake_discord, discord.Client(intents=intents, shard_id=1, shard_count=2)) as one,
        run_bot(fake_discord, discord.Client(intents=intents)) as unsharded,
    ):
        assert [g.id for g in one.guilds] == [second.id]
        assert {g.id for g in unsharded.guilds} == {first.id, second.id}
        gateway = fake_discord.gateway
        # Each event reaches the unsharded client, plus shard 1 only for its own guild (event
        # names discord.py does not know, so it ignores them).
        assert gateway.dispatch("X_PROBE", {"guild_id": str(second.id)}) == 2
        assert gateway.dispatch("X_PROBE", {"guild_id": str(first.id)}) == 1
        assert gateway.dispatch("GUILD_X_PROBE", {"id": str(second.id)}) == 2
        assert gateway.dispatch("GUILD_X_PROBE", {"id": str(first.id)}) == 1
        assert gateway.dispatch("X_PROBE", {"channel_id": "1"}) == 1  # a DM: shard 0
