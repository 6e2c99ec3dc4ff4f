"""A burst of round answers through the writer, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random

from bot.engine.errors import NotParticipant, RoundClosed
from bot.engine.rounds import Receipt, RoundService
from bot.engine.users import UserService
from storage.database import Database
from storage.models import Attempt, ReviewSchedule, RoundAnswer
from storage.repositories import GuildRepository
from tests.bot.engine.interview.test_service import GOOD
from tests.bot.engine.rounds.helpers import GUILD, ManualTime, count, make_bank, running_round

MEMBERS = 20


async def test_a_burst_is_grouped_stored_once_and_all_revealed(database: Database) -> None:
    async with database.session() as session, session.begin():
        await GuildRepository(session).ensure(GUILD, "Study group")
    accounts = UserService(database)
    members = [await accounts.discord_user(500 + i, f"m{i}") for i in range(MEMBERS)]
    outsider = await accounts.discord_user(999, "outsider")
    service = RoundService(database, make_bank(), clock=ManualTime(), rng=random.Random(3))
    view = await running_round(service, members, questions=2)
    sizes: list[int] = []
    database.writer.observers.append(lambda _name, size, _seconds: sizes.append(size))

    outcomes = await asyncio.gather(
        *(service.submit(view.round_id, 0, user, f"{GOOD} ({user})") for user in members),
        service.submit(view.round_id, 0, outsider, GOOD),
        service.submit(view.round_id, 1, members[0], GOOD),  # not open yet
        return_exceptions=True,
    )
    receipts = [o for o in outcomes if isinstance(o, Receipt)]
    assert len(receipts) == MEMBERS and max(sizes) > 1
    assert isinstance(outcomes[MEMBERS], NotParticipant)
    assert isinstance(outcomes[MEMBERS + 1], RoundClosed)
    assert not any(r.resubmitted for r in receipts)
    assert any(r.all_answered for r in receipts)  # the batch holding the last one sees all
    assert await count(database, RoundAnswer, round_id=view.round_id) == MEMBERS

    again = await service.submit(view.round_id, 0, members[0], GOOD)
    assert again.resubmitted
    assert await count(database, RoundAnswer, round_id=view.round_id) == MEMBERS

    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    assert {r.user_id for r in reveal.ranking if r.score is not None} == set(members)
    assert await count(database, Attempt, round_id=view.round_id) == MEMBERS
    assert await count(database, ReviewSchedule) == MEMBERS
    late = await asyncio.gather(
        service.submit(view.round_id, 0, members[1], GOOD), return_exceptions=True
    )
    assert isinstance(late[0], RoundClosed)
    assert await service.close_question(view.round_id, 0) is None  # closed exactly once
    assert await count(database, Attempt, round_id=view.round_id) == MEMBERS
