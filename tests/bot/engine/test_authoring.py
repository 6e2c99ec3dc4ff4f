"""Guild question authoring: pure helpers, then the service on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.engine import authoring
from bot.engine.authoring import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_QUESTIONS,
    ImportReport,
    QuestionAuthoring,
    QuestionForm,
    _id_from_prompt,
    form_to_data,
    format_concepts,
    format_tips,
    parse_concepts,
    parse_tips,
    parse_topic,
    slugify,
    summarize_problems,
)
from bot.engine.errors import InvalidAnswer, InvalidQuestion, QuestionNotFound, ReadOnlyQuestion
from bot.engine.interview import InterviewService
from bot.engine.users import UserService
from questions.loader import default_bank
from questions.model import Concept, Misconception, Question, QuestionBank, TipTable
from storage.database import Database
from storage.models import Attempt, CustomQuestion
from storage.repositories import CustomQuestionRepository, GuildRepository, UserRepository

GUILD_A, GUILD_B = 1001, 2002

GOOD = (
    "I would put a caching layer in front of the database so repeated reads come from memory, "
    "and invalidate the cached entry on every write so readers never see stale data for long."
)


def make_form(**overrides: str) -> QuestionForm:
    fields = {
        "prompt": "How would you design a cache for a read-heavy API?",
        "topic": "Caching / hard",
        "model_answer": "Put a caching layer in front of the database; invalidate on writes.",
        "concepts": "Caching*: cache, caching layer\nInvalidation: invalidate, expire",
        "tips": "Mention invalidation.\nMention TTLs.",
    }
    fields.update(overrides)
    return QuestionForm(**fields)


def rich_question(qid: str = "rich-one") -> Question:
    """A question with everything the add/edit modal cannot show."""
    return Question(
        id=qid,
        topic="caching",
        difficulty="medium",
        prompt="Explain cache stampedes — and how to avoid them in a café app.",
        model_answer="Many clients miss at once and all hit the database; use locks or jitter.",
        tips=("Name the cause.", "Name a fix."),
        source="our server",
        rubric=(
            Concept("Stampede", ("stampede", "thundering herd"), 3.0, True),
            Concept("Jitter", ("jitter", "random expiry"), 0.5),
        ),
        misconceptions=(
            Misconception("Caches never go stale", ("never stale",), "They do.", 20.0),
        ),
        hints=("Think about expiry.",),
        follow_ups=("What about write-through?",),
        pack="custom",
    )


def pack_yaml(questions: list[dict[str, Any]], pack: str = "ours") -> bytes:
    document = {"pack": pack, "title": "Ours", "description": "Ours.", "questions": questions}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode("utf-8")


def simple_question(qid: str, prompt: str = "What is a cache and why use one?") -> dict[str, Any]:
    return {
        "id": qid,
        "topic": "caching",
        "difficulty": "easy",
        "prompt": prompt,
        "model_answer": "A cache keeps copies of hot data close to the reader.",
        "tips": ["Say what it costs."],
        "source": "us",
    }


# -- pure helpers ------------------------------------------------------------------------


def test_slugify() -> None:
    assert slugify("Hello, World! 2x") == "hello-world-2x"
    assert slugify("alpha beta gamma", 10) == "alpha-beta"
    assert slugify("?! ...") == ""


def test_id_from_prompt_drops_filler_and_keeps_six_words() -> None:
    assert _id_from_prompt("How would you design a cache for a read-heavy API?") == (
        "design-cache-for-read-heavy-api"
    )
    assert _id_from_prompt("one two three four five six seven eight") == (
        "one-two-three-four-five-six"
    )
    assert _id_from_prompt("What, how, and the?") == "question"


def test_parse_concepts_lines() -> None:
    text = (
        "Caching*: cache, caching layer\n"
        "\n"
        "- Indexes : index , b-tree,\n"
        "• Load balancing\n"
        "   \n"
        "Sharding*\n"
        "Empty:\n"
    )
    assert parse_concepts(text) == [
        {"name": "Caching", "weight": 1.0, "phrases": ["cache", "caching layer"], "required": True},
        {"name": "Indexes", "weight": 1.0, "phrases": ["index", "b-tree"]},
        {"name": "Load balancing", "weight": 1.0, "phrases": ["Load balancing"]},
        {"name": "Sharding", "weight": 1.0, "phrases": ["Sharding"], "required": True},
        {"name": "Empty", "weight": 1.0, "phrases": ["Empty"]},
    ]
    assert parse_concepts("\n  \n") == []


def test_format_concepts_parses_back() -> None:
    question = rich_question()
    text = format_concepts(question)
    assert text == "Stampede*: stampede, thundering herd\nJitter: jitter, random expiry"
    parsed = parse_concepts(text)
    assert [(c["name"], c["phrases"], c.get("required", False)) for c in parsed] == [
        ("Stampede", ["stampede", "thundering herd"], True),
        ("Jitter", ["jitter", "random expiry"], False),
    ]


def test_parse_tips() -> None:
    assert parse_tips("- one\n\n• two\n   three  \n") == ["one", "two", "three"]
    assert parse_tips("  \n") == []


def test_parse_topic() -> None:
    assert parse_topic("Caching Basics / hard") == ("caching-basics", "hard")
    assert parse_topic("Databases") == ("databases", "medium")
    assert parse_topic("web / EASY ") == ("web", "easy")


def test_parse_topic_bad_difficulty() -> None:
    with pytest.raises(InvalidQuestion) as caught:
        parse_topic("caching / Extreme")
    assert str(caught.value) == (
        "Unknown difficulty 'Extreme': use one of easy, medium, hard, e.g. `caching / hard`."
    )


@pytest.mark.parametrize("text", ["", "  / hard", "!!! / easy"])
def test_parse_topic_empty_topic(text: str) -> None:
    with pytest.raises(InvalidQuestion, match="at least one letter or digit"):
        parse_topic(text)


def test_form_to_data_new_question() -> None:
    data = form_to_data(make_form(prompt="  Why cache?  Explain.  "), "why-cache", source="g")
    assert data == {
        "id": "why-cache",
        "topic": "caching",
        "difficulty": "hard",
        "prompt": "Why cache?  Explain.",
        "rubric": [
            {
                "name": "Caching",
                "weight": 1.0,
                "phrases": ["cache", "caching layer"],
                "required": True,
            },
            {"name": "Invalidation", "weight": 1.0, "phrases": ["invalidate", "expire"]},
        ],
        "model_answer": "Put a caching layer in front of the database; invalidate on writes.",
        "tips": ["Mention invalidation.", "Mention TTLs."],
        "source": "g",
    }


def test_form_to_data_keeps_what_the_modal_cannot_show() -> None:
    previous = rich_question()
    form = make_form(
        concepts="stampede*: herd\nBrand new: something",
        tips="Only tip",
        topic="caching",
    )
    data = form_to_data(form, previous.id, source="ignored", previous=previous)
    assert data["rubric"] == [
        {"name": "stampede", "weight": 3.0, "phrases": ["herd"], "required": True},
        {"name": "Brand new", "weight": 1.0, "phrases": ["something"]},
    ]
    assert data["hints"] == ["Think about expiry."]
    assert data["follow_ups"] == ["What about write-through?"]
    assert data["misconceptions"] == [
        {
            "claim": "Caches never go stale",
            "correction": "They do.",
            "penalty": 20.0,
            "phrases": ["never stale"],
        }
    ]
    assert data["source"] == "our server"
    assert (data["topic"], data["difficulty"], data["tips"]) == ("caching", "medium", ["Only tip"])


def test_form_to_data_without_concepts_leaves_rubric_out() -> None:
    data = form_to_data(make_form(concepts=" \n"), "x-y", source="g")
    assert "rubric" not in data


def test_summarize_problems() -> None:
    problems = ["a", "b", "c", "d", "e"]
    assert summarize_problems(problems, 5) == problems
    assert summarize_problems(problems, 3) == ["a", "b", "... and 3 more"]
    assert summarize_problems([], 3) == []


# -- the service -------------------------------------------------------------------------


@pytest.fixture
def bank() -> QuestionBank:
    return default_bank()


@pytest.fixture
async def service(database: Database, bank: QuestionBank) -> QuestionAuthoring:
    async with database.session() as session:
        guilds = GuildRepository(session)
        await guilds.ensure(GUILD_A, "Guild A")
        await guilds.ensure(GUILD_B, "Guild B")
        await session.commit()
    return QuestionAuthoring(database, bank)


@pytest.fixture
async def author(database: Database) -> int:
    async with database.session() as session:
        user = await UserRepository(session).get_or_create_discord(9001, "author")
        await session.commit()
        return user.id


async def stored_rows(database: Database, guild_id: int) -> list[tuple[str, bool]]:
    """(question_id, deleted) for every row of the guild, live or removed."""
    async with database.session() as session:
        rows = (
            await session.execute(
                select(CustomQuestion.question_id, CustomQuestion.deleted_at.is_not(None))
                .where(CustomQuestion.guild_id == guild_id)
                .order_by(CustomQuestion.question_id)
            )
        ).all()
    return [(row[0], bool(row[1])) for row in rows]


async def custom_dicts(service: QuestionAuthoring, guild_id: int) -> list[dict[str, Any]]:
    return [q.to_dict() for q in await service.list(guild_id, pack="custom")]


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


# -- import ------------------------------------------------------------------------------


async def test_import_adds_then_updates(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    content = pack_yaml([simple_question("cache-one"), simple_question("cache-two")])
    report = await service.import_pack(GUILD_A, content, "ours.yaml", author)
    assert report == ImportReport(added=("cache-one", "cache-two"), updated=(), built_in=())
    changed = simple_question("cache-two", prompt="What is a cache, really, and why?")
    again = pack_yaml([simple_question("cache-one"), changed, simple_question("cache-three")])
    report = await service.import_pack(GUILD_A, again, "ours.yaml", author)
    assert report == ImportReport(
        added=("cache-three",), updated=("cache-one", "cache-two"), built_in=()
    )
    assert (await service.show(GUILD_A, "cache-two")).prompt == "What is a cache, really, and why?"
    assert await stored_rows(database, GUILD_A) == [
        ("cache-one", False),
        ("cache-three", False),
        ("cache-two", False),
    ]
    assert await stored_rows(database, GUILD_B) == []


async def test_import_revives_a_removed_id(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    await service.import_pack(GUILD_A, pack_yaml([simple_question("cache-one")]), "a.yaml", author)
    await service.remove(GUILD_A, "cache-one")
    report = await service.import_pack(
        GUILD_A, pack_yaml([simple_question("cache-one")]), "a.yaml", author
    )
    assert report.added == ("cache-one",)
    assert await stored_rows(database, GUILD_A) == [("cache-one", False)]


BAD_PACK = """\
pack: ours
title: Our questions
description: Written by us.
questions:
  - id: good-one
    topic: caching
    difficulty: easy
    prompt: What is a cache and why use one?
    model_answer: A cache keeps copies of hot data close to the reader.
    tips: [Say what it costs.]
    source: us
  - id: bad-difficulty
    topic: caching
    difficulty: extreme
    prompt: Why would a cache ever be harmful?
    model_answer: Stale data and stampedes can hurt more than they help.
    tips: [Name one failure.]
    source: us
  - id: Bad Id
    topic: caching
    difficulty: easy
    prompt: Short?
    model_answer: A cache keeps copies of hot data close to the reader.
    tips: [Say what it costs.]
    source: us
"""


async def test_import_is_all_or_nothing(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    with pytest.raises(InvalidQuestion) as caught:
        await service.import_pack(GUILD_A, BAD_PACK.encode(), "bad.yaml", author)
    assert str(caught.value) == "`bad.yaml` has 3 problems; nothing was imported."
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0] == (
        "bad.yaml:14, question 'bad-difficulty', field 'difficulty': "
        "'extreme' is not one of: easy, medium, hard"
    )
    assert problems[1].startswith("bad.yaml:19, question 'Bad Id', field 'id': 'Bad Id' is not")
    assert problems[2].startswith("bad.yaml:22, question 'Bad Id', field 'prompt': 'Short?'")
    assert await stored_rows(database, GUILD_A) == []


async def test_import_reports_bad_yaml(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    with pytest.raises(InvalidQuestion, match="has 1 problem; nothing") as caught:
        await service.import_pack(GUILD_A, b"pack: [unclosed\n", "broken.yaml", author)
    assert caught.value.problems[0].startswith(  # the line the open `[` is on
        "broken.yaml:1: not valid YAML: a flow sequence starts here and is not closed; the "
        "parser gave up on line 2"
    )
    assert await stored_rows(database, GUILD_A) == []


async def test_import_size_limit(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    content = b"# padding\n" * (MAX_IMPORT_BYTES // 10 + 1)
    assert len(content) > MAX_IMPORT_BYTES
    expected = r"`big.yaml` is 262,150 bytes; the limit is 262,144 bytes"
    with pytest.raises(InvalidQuestion, match=expected):
        await service.import_pack(GUILD_A, content, "big.yaml", author)
    assert await stored_rows(database, GUILD_A) == []


async def test_import_count_limit(
    service: QuestionAuthoring, database: Database, author: int
) -> None:
    questions = [simple_question(f"q-{n}") for n in range(MAX_IMPORT_QUESTIONS + 1)]
    content = pack_yaml(questions)
    assert len(content) <= MAX_IMPORT_BYTES
    with pytest.raises(InvalidQuestion, match="has 101 questions; import at most 100"):
        await service.import_pack(GUILD_A, content, "many.yaml", author)
    assert await stored_rows(database, GUILD_A) == []
    # Exactly the limit is fine.
    report = await service.import_pack(GUILD_A, pack_yaml(questions[:-1]), "many.yaml", author)
    assert len(report.added) == MAX_IMPORT_QUESTIONS


async def test_import_guild_limit(
    service: QuestionAuthoring, database: Database, monkeypatch: pytest.MonkeyPatch, author: int
) -> None:
    monkeypatch.setattr(authoring, "MAX_GUILD_QUESTIONS", 2)
    await service.import_pack(GUILD_A, pack_yaml([simple_question("q-1")]), "a.yaml", author)
    content = pack_yaml([simple_question("q-1"), simple_question("q-2"), simple_question("q-3")])
    with pytest.raises(InvalidQuestion, match="would make 3 questions; a server can keep 2"):
        await service.import_pack(GUILD_A, content, "a.yaml", author)
    assert await stored_rows(database, GUILD_A) == [("q-1", False)]


async def test_import_refuses_non_utf8(service: QuestionAuthoring, author: int) -> None:
    content = "pack: café\n".encode("latin-1")
    with pytest.raises(InvalidQuestion, match=r"`latin\.yaml` is not UTF-8 text\."):
        await service.import_pack(GUILD_A, content, "latin.yaml", author)


async def test_import_accepts_a_utf8_bom(service: QuestionAuthoring, author: int) -> None:
    content = b"\xef\xbb\xbf" + pack_yaml([simple_question("cache-one")])
    report = await service.import_pack(GUILD_A, content, "bom.yaml", author)
    assert report.added == ("cache-one",)


async def test_import_skips_identical_built_in_questions(
    service: QuestionAuthoring, database: Database, bank: QuestionBank, author: int
) -> None:
    copy = bank.questions["sql-vs-nosql"].to_dict()
    content = pack_yaml([copy, simple_question("cache-one")])
    report = await service.import_pack(GUILD_A, content, "mixed.yaml", author)
    assert report == ImportReport(added=("cache-one",), updated=(), built_in=("sql-vs-nosql",))
    assert await stored_rows(database, GUILD_A) == [("cache-one", False)]


async def test_import_refuses_a_changed_built_in_question(
    service: QuestionAuthoring, database: Database, bank: QuestionBank, author: int
) -> None:
    changed = bank.questions["sql-vs-nosql"].to_dict()
    changed["prompt"] = "Our own wording of the SQL versus NoSQL question."
    content = pack_yaml([simple_question("cache-one"), changed])
    with pytest.raises(InvalidQuestion) as caught:
        await service.import_pack(GUILD_A, content, "mine.yaml", author)
    assert str(caught.value) == "`mine.yaml` has 1 problem; nothing was imported."
    assert caught.value.problems == [
        "mine.yaml:13, question 'sql-vs-nosql', field 'id': 'sql-vs-nosql' is a built-in "
        "question (pack 'backend-basics'), which is read-only; give your version another id"
    ]
    assert await stored_rows(database, GUILD_A) == []


# -- export ------------------------------------------------------------------------------


async def test_export_round_trip(service: QuestionAuthoring, author: int) -> None:
    rich = rich_question()
    await service.import_pack(
        GUILD_A, pack_yaml([rich.to_dict(), simple_question("cache-one")]), "a.yaml", author
    )
    await service.add(GUILD_A, make_form(), author, "Written on A")
    before = await custom_dicts(service, GUILD_A)
    assert [d["id"] for d in before] == ["cache-one", "design-cache-for-read-heavy-api", rich.id]
    assert before[2] == rich.to_dict()

    filename, text = await service.export_pack(GUILD_A, None, "Study Group!")
    assert filename == "study-group-questions.yaml"
    document = yaml.safe_load(text)
    assert {k: document[k] for k in ("pack", "title", "version")} == {
        "pack": "custom",
        "title": "Questions of Study Group!",
        "version": 1,
    }
    assert document["questions"] == before

    report = await service.import_pack(GUILD_A, text.encode(), filename, author)
    assert report == ImportReport(added=(), updated=tuple(d["id"] for d in before), built_in=())
    assert await custom_dicts(service, GUILD_A) == before

    report = await service.import_pack(GUILD_B, text.encode(), filename, author)
    assert report.added == tuple(d["id"] for d in before)
    assert await custom_dicts(service, GUILD_B) == before
    assert await service.export_pack(GUILD_B, "custom", "Study Group!") == (filename, text)


async def test_export_built_in_pack_re_imports_as_built_in(
    service: QuestionAuthoring, database: Database, bank: QuestionBank, author: int
) -> None:
    filename, text = await service.export_pack(GUILD_A, "backend-basics", "Guild A")
    assert filename == "backend-basics.yaml"
    document = yaml.safe_load(text)
    assert (document["pack"], document["title"], document["version"]) == (
        "backend-basics",
        "Backend basics",
        3,
    )
    ids = tuple(q.id for q in bank.packs["backend-basics"].questions)
    assert len(ids) == 5
    assert [q["id"] for q in document["questions"]] == list(ids)
    report = await service.import_pack(GUILD_A, text.encode(), filename, author)
    assert report == ImportReport(added=(), updated=(), built_in=ids)
    assert await stored_rows(database, GUILD_A) == []


async def test_export_with_nothing_custom(service: QuestionAuthoring, author: int) -> None:
    with pytest.raises(QuestionNotFound, match="no questions of its own to export"):
        await service.export_pack(GUILD_A, None, "Guild A")
    with pytest.raises(QuestionNotFound, match="no questions of its own to export"):
        await service.export_pack(None, "custom", "DM")
    question = await service.add(GUILD_A, make_form(), author, "A")
    await service.remove(GUILD_A, question.id)
    with pytest.raises(QuestionNotFound, match="no questions of its own to export"):
        await service.export_pack(GUILD_A, None, "Guild A")


async def test_export_unknown_pack(service: QuestionAuthoring) -> None:
    with pytest.raises(QuestionNotFound) as caught:
        await service.export_pack(GUILD_A, "nope", "Guild A")
    assert str(caught.value) == (
        "There is no pack `nope`. Packs: backend-basics, data-and-distributed, "
        "web-security-ops, custom."
    )


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
