"""What the mock-interview end-to-end tests share: pairing two members, reading the room."""

from __future__ import annotations

from typing import Any

from questions.loader import default_bank
from questions.model import Question
from tests.fake_discord import FakeChannel, FakeMessage
from tests.fake_discord.models import FakeUser

from ..conftest import World
from ..interview.test_e2e import button_id

RATING = {
    "depth": "3",
    "communication": "4",
    "problem_solving": "2",
    "note": "Clear structure. @everyone should hear it: mention trade-offs earlier.",
}


async def join(
    world: World, user: FakeUser, channel: FakeChannel | None = None, **options: Any
) -> FakeMessage:
    handle = await world.fake.slash(user, channel or world.general, "mock", "join", options)
    reply = await handle.wait_original()
    assert reply.ephemeral
    return reply


async def pair(world: World, **options: Any) -> FakeChannel:
    """Alice waits, Bob joins: the room is opened; Alice interviews first."""
    waiting = await join(world, world.alice, **options)
    assert "in the queue" in waiting.content and "<t:" in waiting.content
    paired = await join(world, world.bob, **options)
    record = await world.fake.wait_for_thread()
    assert "Paired with **Alice**" in paired.content and record.thread.mention in paired.content
    return record.thread


async def round_message(world: World, thread: FakeChannel, number: int) -> FakeMessage:
    return await world.fake.wait_for_message(
        thread,
        lambda m: (
            bool(m.embeds) and m.embeds[0]["title"].startswith(f"Mock interview · round {number}")
        ),
    )


async def open_kit(world: World, user: FakeUser, message: FakeMessage) -> FakeMessage:
    handle = await world.fake.click(user, message, button_id(message, "Interviewer kit"))
    kit = await handle.wait_original()
    assert kit.ephemeral
    return kit


def question_of(kit: FakeMessage) -> Question:
    description = kit.embeds[0]["description"]
    for question in default_bank().questions.values():
        if question.prompt.split("\n")[0].strip()[:60] in description.replace("\\", ""):
            return question
    raise AssertionError(f"no bank question in {description!r}")


def checklist_id(kit: FakeMessage) -> str:
    return next(c for c in kit.custom_ids if c.startswith("ib:mc:"))


async def rate(
    world: World, user: FakeUser, kit: FakeMessage, values: dict[str, str] = RATING
) -> FakeMessage:
    opener = await world.fake.click(user, kit, button_id(kit, "Rate the candidate"))
    await opener.wait_modal()
    submit = await world.fake.submit_modal_for(opener, values)
    return await submit.wait_original()
