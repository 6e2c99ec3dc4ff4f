"""The fake's threads and guild channels with the real client: private threads, their
fallback when forbidden, and voice channels created and deleted by the bot."""

from __future__ import annotations

import discord
import pytest

from tests.fake_discord import PRIVATE_THREAD, PUBLIC_THREAD, VOICE_CHANNEL, FakeDiscord, run_bot

from .conftest import CLEAN_SHUTDOWN, World
from .sample_bot import SampleBot

pytestmark = CLEAN_SHUTDOWN


async def test_private_thread_creation(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "thread")
        confirmation = await handle.wait_followup()
        record = await fake_discord.wait_for_thread("interview-alice")
        welcome = await fake_discord.wait_for_message(record.thread)

    assert record.type == PRIVATE_THREAD and record.private
    assert not record.invitable
    assert record.parent_id == world.general.id
    assert world.alice.id in record.thread.member_ids
    assert (record.thread.id, world.alice.id) in fake_discord.thread_member_adds
    assert welcome.mention_user_ids == [world.alice.id]
    assert confirmation.ephemeral and record.thread.mention in confirmation.content
    assert fake_discord.rejected_requests == []


@pytest.mark.parametrize("switch", ["guild", "channel"])
async def test_private_thread_forbidden_falls_back(
    fake_discord: FakeDiscord, world: World, switch: str
) -> None:
    if switch == "guild":
        world.guild.allow_private_threads = False
    else:
        world.general.allow_private_threads = False
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "thread")
        await handle.wait_followup()

    assert [r.type for r in fake_discord.threads_created] == [PUBLIC_THREAD]
    assert len(fake_discord.rejected_requests) == 1
    assert "403" in fake_discord.rejected_requests[0]
    assert "50013" in fake_discord.rejected_requests[0]


@pytest.mark.parametrize(
    ("permissions", "created"),
    [
        (discord.Permissions(view_channel=True, send_messages=True), False),
        (discord.Permissions(view_channel=True, manage_channels=True), False),  # no Connect
        (discord.Permissions(view_channel=True, manage_channels=True, connect=True), True),
    ],
)
async def test_voice_channel_with_overwrites_is_created_then_deleted(
    fake_discord: FakeDiscord, world: World, permissions: discord.Permissions, created: bool
) -> None:
    # @everyone without Connect, so the bot has only what its own role gives it.
    everyone = discord.Permissions(view_channel=True, use_application_commands=True)
    guild = fake_discord.create_guild(
        "Voice Guild", bot_permissions=permissions, everyone_permissions=everyone
    )
    fake_discord.add_member(guild, world.alice)
    async with run_bot(fake_discord, SampleBot(guild.id)):
        handle = await fake_discord.slash(world.alice, guild.channel_named("general"), "room")
        reply = await handle.wait_original()
        if created:
            await fake_discord.notifier.wait_until(
                lambda: fake_discord.channels_deleted or None, timeout=5, describe=lambda: "delete"
            )

    if not created:
        assert reply.content == "no room" and fake_discord.channels_created == []
        assert "50013" in fake_discord.rejected_requests[-1]
        return
    [voice] = fake_discord.channels_created
    assert reply.content == f"room {voice.id}" and voice.type == VOICE_CHANNEL
    overwrites = {int(o["id"]): o for o in voice.permission_overwrites}
    hidden = discord.Permissions(int(overwrites[guild.id]["deny"]))
    assert hidden.view_channel and hidden.connect
    allowed = discord.Permissions(int(overwrites[world.alice.id]["allow"]))
    assert allowed.connect and overwrites[world.alice.id]["type"] == 1
    assert fake_discord.channels_deleted == [voice] and guild.voice_channels == []
