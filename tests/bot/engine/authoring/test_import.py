"""Importing a YAML question pack into a guild: all or nothing, with limits, encodings and
built-in questions handled, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.engine import authoring
from bot.engine.authoring import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_QUESTIONS,
    ImportReport,
    QuestionAuthoring,
)
from bot.engine.errors import InvalidQuestion
from questions.model import QuestionBank
from storage.database import Database
from tests.bot.engine.authoring.helpers import (
    GUILD_A,
    GUILD_B,
    pack_yaml,
    simple_question,
    stored_rows,
)


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
