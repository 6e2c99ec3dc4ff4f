"""The fake's messages with the real client: mentions, deferred followups with files,
prefix commands under the message-content intent, and direct messages."""

from __future__ import annotations

import pytest

from tests.fake_discord import FakeDiscord, FakeDiscordTimeout, run_bot

from .conftest import CLEAN_SHUTDOWN, World
from .sample_bot import PNG_BYTES, SampleBot

pytestmark = CLEAN_SHUTDOWN


async def test_echo_sends_allowed_mentions_none(fake_discord: FakeDiscord, world: World) -> None:
    text = f"@everyone look {world.bob.mention}"
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(
            world.alice, world.general, "demo", "echo", {"text": text}
        )
        await handle.wait_response()

    message = handle.original
    assert message is not None and message.content == text
    assert message.allowed_mentions is not None
    assert message.allowed_mentions["parse"] == []
    assert not message.pings_anyone
    assert not message.ephemeral
    assert set(message.buttons) == {
        ("Count 0", "demo:count:0", False),
        ("Open modal", "demo:modal", False),
    }


async def test_deferred_followup_carries_file(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        handle = await fake_discord.slash(world.alice, world.general, "file")
        assert (await handle.wait_response()).type == 5
        assert handle.deferred
        followup = await handle.wait_followup()

    assert followup.attachment("r.png").content == PNG_BYTES
    assert followup.attachments[0].content_type == "image/png"
    # Discord quirk: the first followup after a "thinking" defer replaces that message.
    assert handle.original is followup and not followup.loading
    assert followup.content == "report"


async def test_prefix_command_and_message_content_intent(
    fake_discord: FakeDiscord, world: World
) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        # Without the message-content intent the bot only sees content that mentions it.
        mark = fake_discord.mark()
        await fake_discord.message(world.alice, world.general, "hello")
        with pytest.raises(FakeDiscordTimeout):
            await fake_discord.wait_for_message(world.general, since=mark, timeout=0.3)

        sent = await fake_discord.message(
            world.alice, world.general, f"{fake_discord.bot_user.mention} hello"
        )
        reply = await fake_discord.wait_for_message(
            world.general, lambda m: m.content == "hi there"
        )

    assert reply.message_reference is not None
    assert reply.message_reference["message_id"] == str(sent.id)
    assert reply.mention_user_ids == [world.alice.id]  # replies ping the author by default


async def test_direct_messages_and_closed_dms(fake_discord: FakeDiscord, world: World) -> None:
    world.bob.accepts_dms = False
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        to_alice = await fake_discord.slash(world.alice, world.general, "dm")
        to_bob = await fake_discord.slash(world.bob, world.general, "dm")
        alice_reply, bob_reply = await to_alice.wait_response(), await to_bob.wait_response()

    assert alice_reply.message is not None and alice_reply.message.content == "dm ok"
    assert bob_reply.message is not None and bob_reply.message.content == "dm closed"
    dm = fake_discord.dm_channel(world.alice)
    [message] = fake_discord.messages_in(dm)
    assert message.content == "psst (edited)" and message.edit_count == 1
    assert [e.message.content for e in fake_discord.message_log if e.message.id == message.id] == [
        "psst",
        "psst (edited)",
    ]
    assert any("50007" in r for r in fake_discord.rejected_requests)
