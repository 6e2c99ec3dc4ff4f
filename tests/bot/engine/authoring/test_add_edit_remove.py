"""The authoring service's single-question operations: add, list, edit, remove and dry runs,
per guild, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.engine import authoring
from bot.engine.authoring import QuestionAuthoring, format_tips
from bot.engine.errors import InvalidAnswer, InvalidQuestion, QuestionNotFound, ReadOnlyQuestion
from bot.engine.interview import InterviewService
from bot.engine.users import UserService
from questions.model import Concept, QuestionBank, TipTable
from storage.database import Database
from storage.models import Attempt
from storage.repositories import CustomQuestionRepository
from tests.bot.engine.authoring.helpers import (
    GOOD,
    GUILD_A,
    GUILD_B,
    make_form,
    pack_yaml,
    rich_question,
    stored_rows,
)


async def test_add_stores_the_question(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    question = await service.add(GUILD_A, make_form(), author_id=author, source="Written on A")
    assert (question.id, question.pack, question.topic, question.difficulty) == (
        "design-cache-for-read-heavy-api",
        "custom",
        "caching",
        "hard",
    )
    assert question.source == "Written on A"
    assert [c.name for c in question.rubric] == ["Caching", "Invalidation"]
    async with database.session() as session:
        row = await CustomQuestionRepository(session).get(GUILD_A, question.id)
    assert row.created_by == author
    assert row.data == question.to_dict()
    assert (await service.show(GUILD_A, question.id)).to_dict() == question.to_dict()


async def test_add_never_reuses_a_built_in_or_removed_id(
    service: QuestionAuthoring, database: Database, bank: QuestionBank, author: int
) -> None:
    assert "sql-vs-nosql" in bank.questions
    form = make_form(prompt="SQL vs NoSQL?")
    first = await service.add(GUILD_A, form, author, "A")
    assert first.id == "sql-vs-nosql-2"
    await service.remove(GUILD_A, first.id)
    second = await service.add(GUILD_A, form, author, "A")
    assert second.id == "sql-vs-nosql-3"
    third = await service.add(GUILD_A, form, author, "A")
    assert third.id == "sql-vs-nosql-4"
    assert await stored_rows(database, GUILD_A) == [
        ("sql-vs-nosql-2", True),
        ("sql-vs-nosql-3", False),
        ("sql-vs-nosql-4", False),
    ]
    # The same prompt in another guild starts again: ids are per guild.
    assert (await service.add(GUILD_B, form, author, "B")).id == "sql-vs-nosql-2"


async def test_add_suffix_on_a_long_id_is_still_a_valid_id(
    service: QuestionAuthoring, author: int
) -> None:
    # 48 characters, with a hyphen where the suffix has to cut the id short.
    form = make_form(prompt="Compare optimistic concurrency control versus db locking.")
    first = await service.add(GUILD_A, form, author, "A")
    assert first.id == "compare-optimistic-concurrency-control-versus-db"
    second = await service.add(GUILD_A, form, author, "A")
    assert second.id == "compare-optimistic-concurrency-control-versus-2"


async def test_add_refuses_an_invalid_form(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    with pytest.raises(InvalidQuestion) as caught:
        await service.add(GUILD_A, make_form(tips="", model_answer="Too short."), author, "A")
    assert str(caught.value) == "That question is not valid:"
    problems = caught.value.problems
    assert len(problems) == 2
    assert any("field 'tips'" in p and "must not be empty" in p for p in problems)
    assert any("field 'model_answer'" in p for p in problems)
    with pytest.raises(InvalidQuestion, match="Unknown difficulty 'nope'"):
        await service.add(GUILD_A, make_form(topic="caching / nope"), author, "A")
    assert await stored_rows(database, GUILD_A) == []


async def test_add_stops_at_the_guild_limit(
    service: QuestionAuthoring, monkeypatch: pytest.MonkeyPatch, author: int
) -> None:
    monkeypatch.setattr(authoring, "MAX_GUILD_QUESTIONS", 2)
    await service.add(GUILD_A, make_form(prompt="First question about caching?"), author, "A")
    await service.add(GUILD_A, make_form(prompt="Second question about caching?"), author, "A")
    with pytest.raises(InvalidQuestion, match="already has 2 questions"):
        await service.add(GUILD_A, make_form(prompt="Third question about caching?"), author, "A")
    # Other guilds have their own allowance.
    await service.add(GUILD_B, make_form(prompt="Third question about caching?"), author, "B")


async def test_guilds_never_see_each_others_questions(
    service: QuestionAuthoring, bank: QuestionBank, author: int
) -> None:
    question = await service.add(GUILD_A, make_form(), author, "A")
    in_a = await service.list(GUILD_A)
    assert [q.id for q in in_a] == [*bank.questions, question.id]
    assert [q.id for q in await service.list(GUILD_B)] == list(bank.questions)
    assert question.id not in {q.id for q in await service.list(None)}
    assert await service.list(GUILD_B, pack="custom") == []
    with pytest.raises(QuestionNotFound, match=f"no question with id `{question.id}`"):
        await service.show(GUILD_B, question.id)
    with pytest.raises(QuestionNotFound):
        await service.show(None, question.id)
    with pytest.raises(QuestionNotFound):
        await service.dry_run(GUILD_B, question.id, GOOD)
    with pytest.raises(QuestionNotFound):
        await service.export_pack(GUILD_B, None, "Guild B")
    with pytest.raises(QuestionNotFound):
        await service.edit(GUILD_B, question.id, make_form(prompt="Hijacked prompt text?"))
    with pytest.raises(QuestionNotFound):
        await service.remove(GUILD_B, question.id)
    assert (await service.show(GUILD_A, question.id)).prompt == question.prompt


async def test_list_filters(service: QuestionAuthoring, bank: QuestionBank, author: int) -> None:
    question = await service.add(GUILD_A, make_form(topic="databases / easy"), author, "A")
    custom = await service.list(GUILD_A, pack="custom")
    assert [q.id for q in custom] == [question.id]
    built_in = await service.list(GUILD_A, pack="backend-basics")
    assert [q.id for q in built_in] == [
        q.id for q in bank.questions.values() if q.pack == "backend-basics"
    ]
    databases = await service.list(GUILD_A, topic="databases")
    assert question.id in {q.id for q in databases}
    assert {q.topic for q in databases} == {"databases"}
    assert await service.list(GUILD_A, topic="no-such-topic") == []


async def test_edit_replaces_content_and_keeps_hidden_fields(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    rich = rich_question()
    await service.import_pack(GUILD_A, pack_yaml([rich.to_dict()]), "ours.yaml", author)
    form = make_form(
        prompt="Explain cache stampedes, briefly.",
        topic="caching / easy",
        concepts="Stampede*: herd, stampede",
        tips="New tip",
    )
    edited = await service.edit(GUILD_A, rich.id, form)
    assert (edited.id, edited.prompt, edited.difficulty) == (
        rich.id,
        "Explain cache stampedes, briefly.",
        "easy",
    )
    assert edited.rubric == (Concept("Stampede", ("herd", "stampede"), 3.0, True),)
    assert (edited.hints, edited.follow_ups, edited.misconceptions) == (
        rich.hints,
        rich.follow_ups,
        rich.misconceptions,
    )
    assert edited.source == "our server"
    assert (await service.show(GUILD_A, rich.id)).to_dict() == edited.to_dict()
    assert await stored_rows(database, GUILD_A) == [(rich.id, False)]


async def test_edit_and_remove_refuse_built_in_questions(
    service: QuestionAuthoring, bank: QuestionBank
) -> None:
    with pytest.raises(ReadOnlyQuestion, match="built-in pack `backend-basics`, which is read"):
        await service.edit(GUILD_A, "sql-vs-nosql", make_form())
    with pytest.raises(ReadOnlyQuestion, match="`sql-vs-nosql` is in the built-in pack"):
        await service.remove(GUILD_A, "sql-vs-nosql")
    assert (await service.show(GUILD_A, "sql-vs-nosql")) is bank.questions["sql-vs-nosql"]


async def test_edit_and_remove_unknown_ids(service: QuestionAuthoring) -> None:
    with pytest.raises(QuestionNotFound, match="`nope`"):
        await service.edit(GUILD_A, "nope", make_form())
    with pytest.raises(QuestionNotFound, match="`nope`"):
        await service.remove(GUILD_A, "nope")


async def test_remove_hides_but_attempts_still_resolve(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    question = await service.add(GUILD_A, make_form(), author, "A")
    interviews = InterviewService(database, service.bank)
    user = await UserService(database).discord_user(42, "ana")
    view = await interviews.start(user, guild_id=GUILD_A, pack="custom", count=1)
    assert view.question.id == question.id
    feedback = await interviews.submit(view.session_id, user, GOOD)

    removed = await service.remove(GUILD_A, question.id)
    assert removed.id == question.id
    assert await service.list(GUILD_A, pack="custom") == []
    with pytest.raises(QuestionNotFound):
        await service.show(GUILD_A, question.id)
    with pytest.raises(QuestionNotFound):
        await service.remove(GUILD_A, question.id)

    resolved = await interviews.resolve_question(question.id, GUILD_A)
    assert resolved is not None
    assert (resolved.id, resolved.prompt) == (question.id, question.prompt)
    shared = await interviews.attempt_result(feedback.attempt_id, user)
    assert (shared.question.id, shared.score) == (question.id, feedback.result.score)
    assert (await interviews.summary(view.session_id)).answered[0].question_id == question.id


async def test_dry_run_scores_without_storing(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    question = await service.add(GUILD_A, make_form(), author, "A")
    result = await service.dry_run(GUILD_A, question.id, GOOD)
    assert result.question_id == question.id
    assert [(c.name, c.covered) for c in result.concepts] == [
        ("Caching", True),
        ("Invalidation", True),
    ]
    assert result.score >= 60
    weak = await service.dry_run(GUILD_A, question.id, "I would just buy a bigger server.")
    assert weak.score < result.score
    built_in = await service.dry_run(None, "sql-vs-nosql", "Tables with a schema versus documents.")
    assert built_in.question_id == "sql-vs-nosql"
    async with database.session() as session:
        count = (await session.execute(select(func.count()).select_from(Attempt))).scalar_one()
    assert count == 0


@pytest.mark.parametrize("answer", ["", "   \n "])
async def test_dry_run_refuses_an_empty_answer(service: QuestionAuthoring, answer: str) -> None:
    with pytest.raises(InvalidAnswer, match="The answer is empty"):
        await service.dry_run(None, "sql-vs-nosql", answer)


async def test_edit_keeps_a_tip_table_the_form_cannot_show(
    service: QuestionAuthoring, author: int
) -> None:
    table = TipTable(("Pros", "Cons"), (("Fast", "Stale"),))
    rich = replace(rich_question(), tips=("Name the cause.", table))
    await service.import_pack(GUILD_A, pack_yaml([rich.to_dict()]), "ours.yaml", author)
    stored = await service.show(GUILD_A, rich.id)
    assert stored.tips == ("Name the cause.", table)
    assert format_tips(stored) == "Name the cause."
    edited = await service.edit(GUILD_A, rich.id, make_form(tips="New tip"))
    assert edited.tips == ("New tip", table)
