"""Solo interviews end to end: the real bot, real sockets, the fake Discord."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage.database import Database
from storage.models import Attempt
from tests.fake_discord import FakeDiscord, FakeMessage
from tests.fake_discord.models import FakeUser

from ..conftest import FIRST_QUESTION, GOOD_AUTH_ANSWER, BotFactory, World, running

SESSION_BUTTONS = ["Answer", "Hint", "Skip", "Stop"]


async def attempts(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(Attempt))).scalar())


def button_id(message: FakeMessage, label: str) -> str:
    for button in message.buttons:
        if button.label == label and button.custom_id:
            return button.custom_id
    raise AssertionError(f"no {label!r} button on {message.buttons}")


async def answer(
    fake: FakeDiscord, user: FakeUser, question: FakeMessage, text: str
) -> FakeMessage:
    """Press Answer, type into the modal, submit; the bot's reply to the submit."""
    opener = await fake.click(user, question, button_id(question, "Answer"))
    await opener.wait_modal()
    submit = await fake.submit_modal_for(opener, {"answer": text})
    return await submit.wait_original()


async def start_in_thread(world: World, count: int = 2) -> FakeMessage:
    fake = world.fake
    start = await fake.slash(world.alice, world.general, "interview", "start", {"count": count})
    reply = await start.wait_original()
    assert reply.ephemeral
    record = await fake.wait_for_thread()
    assert record.thread.mention in reply.content
    return await fake.wait_for_message(record.thread)


async def test_whole_solo_flow_in_a_private_thread(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=2)
        record = fake.threads_created[-1]
        assert record.type == 12 and record.invitable is False  # private, not invitable
        assert world.alice.id in {m for t, m in fake.thread_member_adds if t == record.thread.id}
        embed = question.embeds[0]
        assert embed["title"] == "Interview · question 1 of 2"
        assert "authentication" in embed["description"].lower()
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Topic"] == "security" and "medium" in fields["Difficulty"]
        assert [b.label for b in question.buttons] == SESSION_BUTTONS

        hint = await fake.click(world.alice, question, button_id(question, "Hint"))
        hint_reply = await hint.wait_original()
        assert hint_reply.ephemeral and hint_reply.content.startswith("💡 Hint 1:")

        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert not feedback.ephemeral  # a private thread is the candidate's own place
        text = feedback.text
        assert feedback.embeds[0]["title"] == "Feedback · question 1 of 2"
        assert "/100** ·" in text and "▰" in text
        concepts = next(f for f in feedback.embeds[0]["fields"] if f["name"].startswith("Concepts"))
        assert "✅" in concepts["value"]
        assert any(f["name"] == "Tips" for f in feedback.embeds[0]["fields"])
        assert [b.label for b in feedback.buttons] == ["Model answer", "Next"]
        assert await attempts(e2e_database) == 1  # stored before the feedback was shown
        assert question.buttons == []  # the answered question's buttons are retired

        model = await fake.click(world.alice, feedback, button_id(feedback, "Model answer"))
        model_reply = await model.wait_original()
        assert model_reply.ephemeral and model_reply.embeds[0]["title"] == "Model answer"

        following = await fake.click(world.alice, feedback, button_id(feedback, "Next"))
        second = await following.wait_original()
        assert second.embeds[0]["title"] == "Interview · question 2 of 2"
        assert [b.label for b in second.buttons] == SESSION_BUTTONS

        stop = await fake.click(world.alice, second, button_id(second, "Stop"))
        summary = await stop.wait_original()
        assert summary.embeds[0]["title"] == "Interview stopped"
        assert "Answered **1** of 2" in summary.embeds[0]["description"]

        # The stopped session's old buttons say so instead of doing anything.
        late = await fake.click(world.alice, second, button_id(second, "Answer"))
        late_reply = await late.wait_original()
        assert late_reply.ephemeral and "over" in late_reply.content
    assert await attempts(e2e_database) == 1


async def test_last_answer_offers_finish_and_a_summary(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert [b.label for b in feedback.buttons] == ["Model answer", "Finish"]
        finish = await fake.click(world.alice, feedback, button_id(feedback, "Finish"))
        summary = await finish.wait_original()
        assert summary.embeds[0]["title"] == "Interview complete"


async def test_buttons_and_an_open_modal_survive_a_restart(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=3)
        opener = await fake.click(world.alice, question, button_id(question, "Answer"))
        await opener.wait_modal()
    # The bot restarts while the candidate is typing into the modal.
    async with running(world, make_bot()):
        submit = await fake.submit_modal_for(opener, {"answer": GOOD_AUTH_ANSWER})
        feedback = await submit.wait_original()
        assert feedback.embeds[0]["title"] == "Feedback · question 1 of 3"
    async with running(world, make_bot()):
        following = await fake.click(world.alice, feedback, button_id(feedback, "Next"))
        second = await following.wait_original()
        assert second.embeds[0]["title"] == "Interview · question 2 of 3"
        skip = await fake.click(world.alice, second, button_id(second, "Skip"))
        third = await skip.wait_original()
        assert third.embeds[0]["title"] == "Interview · question 3 of 3"
    assert await attempts(e2e_database) == 1


async def test_a_double_submit_scores_once(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world)
        first = await fake.click(world.alice, question, button_id(question, "Answer"))
        second = await fake.click(world.alice, question, button_id(question, "Answer"))
        await first.wait_modal()
        await second.wait_modal()
        submits = await asyncio.gather(
            fake.submit_modal_for(first, {"answer": GOOD_AUTH_ANSWER}),
            fake.submit_modal_for(second, {"answer": GOOD_AUTH_ANSWER}),
        )
        replies = [await s.wait_original() for s in submits]
        feedback = [r for r in replies if r.embeds and r.embeds[0]["title"].startswith("Feedback")]
        refused = [r for r in replies if "already answered" in r.text]
        assert len(feedback) == 1 and len(refused) == 1
        # The refusal gives the typed answer back, so nothing is lost.
        assert GOOD_AUTH_ANSWER[:60] in refused[0].text
        # The answered question's buttons are gone, so it cannot be pressed again.
        assert question.buttons == []
    assert await attempts(e2e_database) == 1


async def test_someone_else_gets_a_polite_refusal(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world)
        fake.channels[question.channel_id].member_ids.append(world.bob.id)  # invited in
        intruder = await fake.click(world.bob, question, button_id(question, "Answer"))
        reply = await intruder.wait_original()
        assert reply.ephemeral and "someone else's interview" in reply.content
        assert intruder.modal is None
        # Bob has an account too (he answered elsewhere): still refused.
        await fake.slash(world.bob, world.general, "help")
        hint = await fake.click(world.bob, question, button_id(question, "Hint"))
        assert "someone else's interview" in (await hint.wait_original()).content


async def test_shared_channel_fallback_is_ephemeral_and_can_be_shared(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    world.general.allow_private_threads = False
    async with running(world, make_bot()):
        start = await fake.slash(world.alice, world.general, "interview", "start", {"count": 1})
        question = await start.wait_original()
        assert question.ephemeral and fake.threads_created == []
        assert question.embeds[0]["title"] == "Interview · question 1 of 1"
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert feedback.ephemeral
        # Ephemeral questions keep their buttons; pressing one again refuses politely.
        again = await fake.click(world.alice, question, button_id(question, "Answer"))
        assert "This interview is over" in (await again.wait_original()).content
        assert [b.label for b in feedback.buttons] == ["Model answer", "Finish", "Share result"]
        share = await fake.click(world.alice, feedback, button_id(feedback, "Share result"))
        shared = await share.wait_original()
        assert not shared.ephemeral
        assert shared.embeds[0]["title"].startswith("Alice scored ")
        assert "bcrypt" not in shared.text  # the result is shared, never the answer
    fake.unhandled_requests.clear()


async def test_answer_with_everyone_pings_nobody(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    ping = f"@everyone @here {world.bob.mention} "
    async with running(world, make_bot()):
        question = await start_in_thread(world)
        feedback = await answer(fake, world.alice, question, ping + GOOD_AUTH_ANSWER + " " + ping)
        assert feedback.allowed_mentions is not None
        assert feedback.allowed_mentions.get("parse") == []
        assert not feedback.pings_anyone
        assert "@everyone" not in feedback.text
    for message in fake.bot_messages():
        assert not message.pings_anyone, message.text


async def test_empty_answer_is_refused_and_the_question_stays(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world)
        reply = await answer(fake, world.alice, question, "   \n  ")
        assert reply.ephemeral and "empty" in reply.content.lower()
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert feedback.embeds[0]["title"] == "Feedback · question 1 of 2"
    assert await attempts(e2e_database) == 1


async def test_answer_cooldown_gives_the_answer_back(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot(answer_cooldown=(1, 60.0))):
        question = await start_in_thread(world, count=3)
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        following = await fake.click(world.alice, feedback, button_id(feedback, "Next"))
        second = await following.wait_original()
        reply = await answer(fake, world.alice, second, "Sharding splits data by a key.")
        assert reply.ephemeral and "too fast" in reply.content
        assert "Sharding splits data by a key." in reply.text


async def test_dm_interview_works_in_place(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    dm = fake.dm_channel(world.alice)
    async with running(world, make_bot()):
        start = await fake.slash(world.alice, dm, "interview", "start", {"count": 1})
        question = await start.wait_original()
        assert not question.ephemeral and fake.threads_created == []
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert not feedback.ephemeral and feedback.channel_id == dm.id


async def test_status_and_stop_commands(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        none = await fake.slash(world.alice, world.general, "interview", "status")
        assert "no interview running" in (await none.wait_original()).content
        question = await start_in_thread(world, count=2)
        status = await fake.slash(world.alice, world.general, "interview", "status")
        reply = await status.wait_original()
        assert reply.ephemeral
        assert "Question 1 of 2" in reply.text and f"<#{question.channel_id}>" in reply.text
        assert [b.label for b in reply.buttons] == SESSION_BUTTONS
        stop = await fake.slash(world.alice, world.general, "interview", "stop")
        summary = await stop.wait_original()
        assert summary.embeds[0]["title"] == "Interview stopped"
        again = await fake.slash(world.alice, world.general, "interview", "stop")
        assert "no interview running" in (await again.wait_original()).content


async def test_start_filters_and_unknown_topic(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    world.general.allow_private_threads = False
    async with running(world, make_bot()):
        unknown = await fake.slash(
            world.alice, world.general, "interview", "start", {"topic": "knitting"}
        )
        assert "No questions match topic 'knitting'" in (await unknown.wait_original()).content
        start = await fake.slash(
            world.alice,
            world.general,
            "interview",
            "start",
            {"topic": "caching", "difficulty": "hard", "count": 1},
        )
        question = await start.wait_original()
        fields = {f["name"]: f["value"] for f in question.embeds[0]["fields"]}
        assert fields["Topic"] == "caching" and "hard" in fields["Difficulty"]


async def test_review_when_nothing_is_due_says_when(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        review = await fake.slash(world.alice, world.general, "review")
        reply = await review.wait_original()
        assert "Nothing is due for review yet" in reply.content
        assert "<t:" in reply.content  # a Discord timestamp, shown in the reader's time zone


async def test_review_asks_what_is_due(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from storage.models import ReviewSchedule

    fake = world.fake
    async with running(world, make_bot()):
        question = await start_in_thread(world, count=1)
        await answer(fake, world.alice, question, "A token.")
        async with e2e_database.session() as session:
            await session.execute(
                update(ReviewSchedule).values(due_at=datetime.now(UTC) - timedelta(minutes=1))
            )
            await session.commit()
        review = await fake.slash(world.alice, world.general, "review")
        reply = await review.wait_original()
        record = await fake.wait_for_thread()
        assert record.thread.mention in reply.content
        first = await fake.wait_for_message(record.thread, lambda m: "Review" in m.text)
        assert first.embeds[0]["title"] == "Review · question 1 of 1"
        assert FIRST_QUESTION  # the due question is the one answered


@pytest.mark.parametrize("enabled", [True, False])
async def test_plain_messages_count_only_with_the_content_intent(
    world: World, make_bot: BotFactory, e2e_database: Database, enabled: bool
) -> None:
    fake = world.fake
    async with running(world, make_bot(message_content=enabled)):
        question = await start_in_thread(world, count=1)
        thread = fake.channels[question.channel_id]
        await fake.message(world.alice, thread, GOOD_AUTH_ANSWER)
        if enabled:
            feedback = await fake.wait_for_message(thread, lambda m: "Feedback" in m.text)
            assert feedback.allowed_mentions is not None and not feedback.pings_anyone
        else:
            await asyncio.sleep(0.3)
    assert await attempts(e2e_database) == (1 if enabled else 0)
