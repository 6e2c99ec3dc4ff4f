"""Study-group rounds end to end, with several users and a clock the test moves."""

from __future__ import annotations

import asyncio

import discord
from sqlalchemy import select

from bot.engine.clock import ManualClock
from questions.loader import default_bank
from storage.database import Database
from storage.models import Attempt
from tests.fake_discord import FakeChannel, FakeMessage
from tests.fake_discord.models import FakeUser

from ..conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from ..interview.test_e2e import button_id

SHORT_ANSWER = "A token."


async def open_round(
    world: World, channel: FakeChannel | None = None, starter: FakeUser | None = None, **options
) -> FakeMessage:
    fake = world.fake
    options = {"questions": 2, "seconds": 60, "lobby": 30, **options}
    handle = await fake.slash(
        starter or world.alice, channel or world.general, "round", "start", options
    )
    lobby = await handle.wait_original()
    assert not lobby.ephemeral
    assert [b.label for b in lobby.buttons] == ["Join", "Leave", "Start now"]
    return lobby


async def join(world: World, lobby: FakeMessage, *users: FakeUser) -> None:
    for user in users:
        click = await world.fake.click(user, lobby, button_id(lobby, "Join"))
        await click.wait_response()


async def next_question(world: World, channel: FakeChannel, number: int) -> FakeMessage:
    return await world.fake.wait_for_message(
        channel,
        lambda m: (
            bool(m.embeds) and m.embeds[0]["title"].startswith(f"Round · question {number} of")
        ),
    )


async def reveal_of(world: World, channel: FakeChannel, number: int) -> FakeMessage:
    return await world.fake.wait_for_message(
        channel,
        lambda m: bool(m.embeds) and m.embeds[0]["title"].startswith(f"Reveal · question {number}"),
    )


async def standings(world: World, channel: FakeChannel) -> FakeMessage:
    return await world.fake.wait_for_message(
        channel, lambda m: bool(m.embeds) and "standings" in m.embeds[0]["title"].lower()
    )


def good_answer(question: FakeMessage) -> str:
    """The asked question's own model answer: rounds pick questions at random."""
    description = question.embeds[0]["description"]
    for candidate in default_bank().questions.values():
        if candidate.prompt.strip() in description:
            return candidate.model_answer
    raise AssertionError(f"no bank question in {description!r}")


async def submit(world: World, user: FakeUser, question: FakeMessage, text: str) -> FakeMessage:
    opener = await world.fake.click(user, question, button_id(question, "Answer"))
    await opener.wait_modal()
    handle = await world.fake.submit_modal_for(opener, {"answer": text})
    return await handle.wait_original()


async def round_channel(world: World) -> FakeChannel:
    """The round's thread, once the bot has opened it (the clock moved; the bot is catching up)."""
    return (await world.fake.wait_for_thread()).thread


async def test_full_round_lobby_questions_reveals_standings(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world)
        await join(world, lobby, world.alice, world.bob)
        assert "Participants (2)" in lobby.text and "Bob" in lobby.text
        leave = await fake.click(world.bob, lobby, button_id(lobby, "Leave"))
        await leave.wait_response()
        assert "Participants (1)" in lobby.text
        await join(world, lobby, world.bob)

        await clock.advance(30)  # the lobby time ends
        first = await next_question(world, await round_channel(world), 1)
        thread = await round_channel(world)
        assert thread.type == 11  # a public thread for the round
        assert "<t:" in first.embeds[0]["description"]  # live countdown
        assert [b.label for b in first.buttons] == ["Answer"]
        assert lobby.buttons == []  # the lobby is closed

        receipt = await submit(world, world.alice, first, good_answer(first))
        assert receipt.ephemeral and "Answer received" in receipt.content
        assert good_answer(first) not in "".join(m.text for m in fake.messages_in(thread))
        await submit(world, world.bob, first, SHORT_ANSWER)
        # Everyone answered: it closes without waiting for the clock.
        reveal = await reveal_of(world, thread, 1)
        ranking = next(f for f in reveal.embeds[0]["fields"] if f["name"] == "Ranking")["value"]
        assert ranking.index("Alice") < ranking.index("Bob") and "🥇" in ranking
        assert any(f["name"] == "Tips" for f in reveal.embeds[0]["fields"])
        assert [b.label for b in reveal.buttons] == ["My feedback"]

        mine = await fake.click(world.alice, reveal, button_id(reveal, "My feedback"))
        mine_reply = await mine.wait_original()
        assert mine_reply.ephemeral and "✅" in mine_reply.text

        second = await next_question(world, thread, 2)
        await submit(world, world.alice, second, good_answer(second))
        await clock.advance(60)  # Bob never answers
        second_reveal = await reveal_of(world, thread, 2)
        assert "Bob — no answer" in second_reveal.text
        final = await standings(world, thread)
        assert "Final standings" in final.text and "🏆 **Alice** wins!" in final.text

        board = await fake.slash(world.bob, world.general, "leaderboard")
        assert "rounds" in (await board.wait_original()).text.lower()
    async with e2e_database.session() as session:
        rows = (await session.execute(select(Attempt))).scalars().all()
    assert len(rows) == 3 and all(a.round_id is not None for a in rows)


async def test_resubmission_counts_the_last_answer(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=1)
        await join(world, lobby, world.alice, world.bob)
        await clock.advance(30)
        question = await next_question(world, await round_channel(world), 1)
        await submit(world, world.alice, question, SHORT_ANSWER)
        final_answer = good_answer(question)
        again = await submit(world, world.alice, question, final_answer)
        assert "Answer updated" in again.content
        await clock.advance(60)
        await reveal_of(world, await round_channel(world), 1)
    async with e2e_database.session() as session:
        rows = (await session.execute(select(Attempt))).scalars().all()
    assert [a.answer for a in rows] == [final_answer]


async def test_late_answer_and_non_participant_are_refused(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=1)
        await join(world, lobby, world.alice)
        await clock.advance(30)
        question = await next_question(world, await round_channel(world), 1)

        outsider = await fake.click(world.bob, question, button_id(question, "Answer"))
        refusal = await outsider.wait_original()
        assert (
            refusal.ephemeral and "press **Join** in the lobby of the next one" in refusal.content
        )

        opener = await fake.click(world.alice, question, button_id(question, "Answer"))
        await opener.wait_modal()
        await clock.advance(60)  # time runs out while she types
        await reveal_of(world, await round_channel(world), 1)
        late = await (
            await fake.submit_modal_for(opener, {"answer": GOOD_AUTH_ANSWER})
        ).wait_original()
        assert late.ephemeral and "Time is up" in late.text
        assert GOOD_AUTH_ANSWER[:50] in late.text  # her answer is given back


async def test_stop_posts_standings_so_far(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=3)
        await join(world, lobby, world.alice, world.bob)
        await clock.advance(30)
        thread = await round_channel(world)
        question = await next_question(world, thread, 1)
        await submit(world, world.alice, question, good_answer(question))

        denied = await fake.slash(world.bob, world.general, "round", "stop")
        assert "Only the round's starter" in (await denied.wait_original()).content
        stop = await fake.slash(world.alice, world.general, "round", "stop")
        reply = await stop.wait_original()
        assert "Standings so far" in reply.text and "Alice" in reply.text
        await reveal_of(world, thread, 1)  # the stored answer still counted
        status = await fake.slash(world.alice, world.general, "round", "status")
        assert "no round running" in (await status.wait_original()).content


async def test_status_shows_question_time_and_who_answered(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world)
        await join(world, lobby, world.alice, world.bob)
        await clock.advance(30)
        question = await next_question(world, await round_channel(world), 1)
        await submit(world, world.bob, question, SHORT_ANSWER)
        status = await fake.slash(world.alice, world.general, "round", "status")
        reply = await status.wait_original()
        assert "Question 1 of 2" in reply.text and "<t:" in reply.text
        assert "✅ Bob" in reply.text and "⏳ Alice" in reply.text


async def test_restart_during_a_question_completes_correctly(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=2)
        await join(world, lobby, world.alice, world.bob)
        await clock.advance(30)
        question = await next_question(world, await round_channel(world), 1)
        await submit(world, world.alice, question, good_answer(question))
    thread = await round_channel(world)
    await clock.advance(90)  # the deadline passes while the bot is down
    async with running(world, make_bot(clock=clock)):
        reveal = await reveal_of(world, thread, 1)
        assert "Alice" in reveal.text and "Bob — no answer" in reveal.text
        second = await next_question(world, thread, 2)
        await submit(world, world.alice, second, good_answer(second))
        await submit(world, world.bob, second, SHORT_ANSWER)
        await standings(world, thread)
    async with e2e_database.session() as session:
        rows = (await session.execute(select(Attempt))).scalars().all()
    assert len(rows) == 3  # nothing lost, nothing counted twice


async def test_two_rounds_in_two_channels_and_one_per_channel(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    other = fake.create_text_channel(world.guild, "study")
    async with running(world, make_bot(clock=clock)):
        first = await open_round(world, questions=1)
        again = await fake.slash(world.bob, world.general, "round", "start")
        where = (await again.wait_original()).content
        assert "already open to join in this channel" in where
        assert f"/{world.general.id}/{first.id}" in where  # a link to the first lobby
        second = await open_round(world, channel=other, starter=world.bob, questions=1)
        await join(world, first, world.alice)
        await join(world, second, world.bob)
        await clock.advance(30)
        await fake.notifier.wait_until(
            lambda: len(fake.threads_created) == 2 or None,
            timeout=5,
            describe=lambda: "two round threads",
        )
        threads = {t.parent_id: t.thread for t in fake.threads_created}
        q1 = await next_question(world, threads[world.general.id], 1)
        q2 = await next_question(world, threads[other.id], 1)
        await submit(world, world.alice, q1, good_answer(q1))
        await submit(world, world.bob, q2, SHORT_ANSWER)
        one = await standings(world, threads[world.general.id])
        two = await standings(world, threads[other.id])
        assert "Alice" in one.text and "Bob" not in one.text
        assert "Bob" in two.text and "Alice" not in two.text


async def test_nobody_joins_and_limits(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        bad = await fake.slash(world.alice, world.general, "round", "start", {"questions": 25})
        assert "between 1 and 20" in (await bad.wait_original()).content
        bad = await fake.slash(world.alice, world.general, "round", "start", {"seconds": 5})
        assert "between 30 and 900" in (await bad.wait_original()).content
        lobby = await open_round(world)
        await clock.advance(30)
        closed = await fake.wait_for_message(world.general, lambda m: "Nobody joined" in m.text)
        assert not closed.pings_anyone
        assert "cancelled" in lobby.text


async def test_start_now_and_no_thread_fallback(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock()
    no_threads = fake.create_text_channel(
        world.guild,
        "no-threads",
        overwrites=[
            fake.overwrite(fake.bot_user, deny=discord.Permissions(create_public_threads=True))
        ],
    )
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, channel=no_threads, questions=1)
        await join(world, lobby, world.bob)
        early = await fake.click(world.bob, lobby, button_id(lobby, "Start now"))
        assert "starter" in (await early.wait_original()).content
        now = await fake.click(world.alice, lobby, button_id(lobby, "Start now"))
        await now.wait_response()
        question = await next_question(world, no_threads, 1)
        assert fake.threads_created == []
        await submit(world, world.bob, question, SHORT_ANSWER)
        await standings(world, no_threads)
    fake.unhandled_requests.clear()


async def test_a_burst_of_fifty_answers_gives_one_reveal(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake, clock = world.fake, ManualClock()
    users = [fake.create_user(f"user{i:02d}") for i in range(50)]
    for user in users:
        fake.add_member(world.guild, user)
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=1)
        await join(world, lobby, *users)
        await clock.advance(30)
        thread = await round_channel(world)
        question = await next_question(world, thread, 1)
        openers = [await fake.click(u, question, button_id(question, "Answer")) for u in users]
        await asyncio.gather(*(o.wait_modal() for o in openers))
        submits = await asyncio.gather(
            *(fake.submit_modal_for(o, {"answer": GOOD_AUTH_ANSWER}) for o in openers)
        )
        receipts = await asyncio.gather(*(s.wait_original(timeout=20) for s in submits))
        assert all("Answer received" in r.content for r in receipts)
        reveal = await reveal_of(world, thread, 1)
        await standings(world, thread)
        reveals = [
            m for m in fake.messages_in(thread) if m.embeds and "Reveal" in m.embeds[0]["title"]
        ]
        assert len(reveals) == 1 and reveal in reveals
    async with e2e_database.session() as session:
        rows = (await session.execute(select(Attempt))).scalars().all()
    assert len(rows) == 50


async def test_restart_before_a_question_was_posted_posts_it(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    from sqlalchemy import update

    from storage.models import Round

    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=1)
        await join(world, lobby, world.alice)
        await clock.advance(30)
        thread = await round_channel(world)
        first = await next_question(world, thread, 1)
    # As if the bot died after opening the question but before posting it.
    async with e2e_database.session() as session:
        await session.execute(update(Round).values(question_message_id=None))
        await session.commit()
    async with running(world, make_bot(clock=clock)):
        again = await fake.wait_for_message(
            thread,
            lambda m: (
                m.id != first.id and bool(m.embeds) and "question 1 of 1" in m.embeds[0]["title"]
            ),
        )
        await submit(world, world.alice, again, good_answer(again))
        await reveal_of(world, thread, 1)
        await standings(world, thread)
