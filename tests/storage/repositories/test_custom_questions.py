"""Custom questions on both backends: soft deletion and revival."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    AttemptRepository,
    ConflictError,
    CustomQuestion,
    CustomQuestionRepository,
    Database,
    GuildRepository,
    UserRepository,
)
from tests.storage.repositories.rows import GUILD, OTHER_GUILD, make_attempt


async def test_custom_question_lifecycle(session: AsyncSession) -> None:
    author = await UserRepository(session).get_or_create_discord(7, "Author")
    await GuildRepository(session).ensure(GUILD, "G")
    await GuildRepository(session).ensure(OTHER_GUILD, "H")
    questions = CustomQuestionRepository(session)
    for slug in ("beta", "alpha"):
        await questions.add(
            CustomQuestion(guild_id=GUILD, question_id=slug, data={"v": 1}, created_by=author.id)
        )
    await questions.add(CustomQuestion(guild_id=OTHER_GUILD, question_id="alpha", data={}))
    assert [q.question_id for q in await questions.list(GUILD)] == ["alpha", "beta"]

    with pytest.raises(ConflictError):
        await questions.add(CustomQuestion(guild_id=GUILD, question_id="alpha", data={}))

    updated = await questions.update_data(GUILD, "alpha", {"v": 2})
    assert updated is not None and updated.data == {"v": 2}
    assert await questions.update_data(GUILD, "missing", {}) is None

    assert await questions.soft_delete(GUILD, "alpha")
    assert not await questions.soft_delete(GUILD, "alpha")
    assert await questions.get(GUILD, "alpha") is None
    deleted = await questions.get(GUILD, "alpha", include_deleted=True)
    assert deleted is not None and deleted.deleted_at is not None
    assert deleted.deleted_at.tzinfo is UTC
    assert await questions.update_data(GUILD, "alpha", {"v": 3}) is None
    assert [q.question_id for q in await questions.list(GUILD)] == ["beta"]
    assert [q.question_id for q in await questions.list(OTHER_GUILD)] == ["alpha"]

    revived = await questions.add(
        CustomQuestion(guild_id=GUILD, question_id="alpha", data={"v": 4})
    )
    assert revived.id == deleted.id
    assert (revived.data, revived.deleted_at, revived.created_by) == ({"v": 4}, None, None)


async def test_soft_deleting_a_custom_question_keeps_attempts(database: Database) -> None:
    async with database.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_discord(8, "Solver")
        await GuildRepository(s).ensure(GUILD, "G")
        await CustomQuestionRepository(s).add(
            CustomQuestion(guild_id=GUILD, question_id="ours", data={"prompt": "Why?"})
        )
        await AttemptRepository(s).add(
            make_attempt(user.id, 1, guild_id=GUILD, question_id="ours", pack_id="guild")
        )
        user_id = user.id

    async with database.session() as s, s.begin():
        assert await CustomQuestionRepository(s).soft_delete(GUILD, "ours")

    async with database.session() as s:
        (attempt,) = await AttemptRepository(s).for_guild(GUILD)
        assert (attempt.user_id, attempt.question_id) == (user_id, "ours")
        original = await CustomQuestionRepository(s).get(GUILD, "ours", include_deleted=True)
        assert original is not None and original.data == {"prompt": "Why?"}
