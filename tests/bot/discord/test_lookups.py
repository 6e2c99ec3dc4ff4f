"""The topic option every question-drawing command shares: autocompleted, compared in lower case."""

from __future__ import annotations

import pytest

from .conftest import BotFactory, World, running


@pytest.mark.parametrize(
    ("command", "subcommand"), [("interview", "start"), ("round", "start"), ("question", "list")]
)
async def test_topic_is_autocompleted_from_the_bank(
    world: World, make_bot: BotFactory, command: str, subcommand: str
) -> None:
    async with running(world, make_bot()):
        typing = await world.fake.autocomplete(
            world.alice,
            world.general,
            command,
            subcommand,
            options={"topic": " SYS"},
            focused="topic",
        )
        assert (await typing.wait_response()).type == 8
        assert typing.choices == [
            {"name": "distributed-systems", "value": "distributed-systems"},
            {"name": "system-design", "value": "system-design"},
        ]


async def test_a_typed_topic_is_compared_in_lower_case(world: World, make_bot: BotFactory) -> None:
    world.general.allow_private_threads = False
    async with running(world, make_bot()):
        start = await world.fake.slash(
            world.alice, world.general, "interview", "start", {"topic": "  Caching "}
        )
        question = await start.wait_original()
        assert "caching" in question.text
