"""Mock-interview places, sessions and blocked pairs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage import GuildRepository, UserRepository
from storage.mock_models import MockMember, MockSession
from storage.repositories import MockBlockRepository, MockQueueRepository, MockSessionRepository
from storage.repositories.mock_blocks import NOT_USEFUL, REPORTED

from .rows import GUILD, T0


async def _setup(session: AsyncSession) -> tuple[int, int, int]:
    await GuildRepository(session).ensure(GUILD, "Peers")
    users = UserRepository(session)
    ids = [(await users.get_or_create_discord(n, f"u{n}")).id for n in (1, 2, 3)]
    return ids[0], ids[1], ids[2]


def _member(user_id: int, minutes: int, *, front: bool = False) -> MockMember:
    return MockMember(
        guild_id=GUILD,
        user_id=user_id,
        session_id=None,
        channel_id=1,
        front=front,
        joined_at=T0 + timedelta(minutes=minutes),
    )


async def test_one_place_per_member_and_claims_win_once(session: AsyncSession) -> None:
    ada, bob, cy = await _setup(session)
    queue = MockQueueRepository(session)
    assert await queue.add(_member(ada, 2))
    assert not await queue.add(_member(ada, 3))  # the key keeps one place
    assert await queue.add(_member(bob, 1))
    assert await queue.add(_member(cy, 5, front=True))
    assert [m.user_id for m in await queue.waiting(GUILD)] == [cy, bob, ada]
    row = await MockSessionRepository(session).add(
        MockSession(
            guild_id=GUILD,
            channel_id=1,
            first_user_id=bob,
            second_user_id=ada,
            status="active",
            filters={},
            question_ids=["a", "b"],
            round=1,
            version=0,
            created_at=T0,
        )
    )
    assert await queue.claim(GUILD, bob, row.id)
    assert not await queue.claim(GUILD, bob, row.id)  # already taken
    assert not await queue.remove_waiting(GUILD, bob)  # in a session, not waiting
    assert not await queue.remove_waiting(GUILD, ada, joined_at=T0)  # another stay
    assert await queue.remove_waiting(GUILD, ada, joined_at=T0 + timedelta(minutes=2))
    assert await queue.release(row.id) == 1
    assert [m.user_id for m in await queue.all_waiting()] == [cy]
    await session.commit()


async def test_a_report_outranks_not_useful(session: AsyncSession) -> None:
    ada, bob, cy = await _setup(session)
    blocks = MockBlockRepository(session)
    await blocks.block(GUILD, bob, ada, NOT_USEFUL, T0)
    assert await blocks.reason(GUILD, ada, bob) == NOT_USEFUL
    await blocks.block(GUILD, ada, bob, REPORTED, T0)
    await blocks.block(GUILD, ada, bob, NOT_USEFUL, T0)  # never downgraded
    assert await blocks.reason(GUILD, bob, ada) == REPORTED
    assert not await blocks.unblock_not_useful(GUILD, ada, bob)
    await blocks.block(GUILD, cy, ada, NOT_USEFUL, T0)
    assert await blocks.partners_of(GUILD, ada) == {bob, cy}
    assert await blocks.unblock_not_useful(GUILD, ada, cy)
    assert await blocks.partners_of(GUILD, ada) == {bob}
    await session.commit()
