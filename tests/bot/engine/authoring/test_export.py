"""Exporting a guild's questions (or a built-in pack) as YAML that imports back unchanged,
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import yaml

from bot.engine.authoring import ImportReport, QuestionAuthoring
from bot.engine.errors import QuestionNotFound
from questions.model import QuestionBank
from storage.database import Database
from tests.bot.engine.authoring.helpers import (
    GUILD_A,
    GUILD_B,
    custom_dicts,
    make_form,
    pack_yaml,
    rich_question,
    simple_question,
    stored_rows,
)


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
