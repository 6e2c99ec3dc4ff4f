"""Round storage on both backends: lookups, upserts, constraints, stats and deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from storage import (
    Attempt,
    AttemptRepository,
    Database,
    GuildRepository,
    Round,
    RoundAnswer,
    RoundParticipant,
    RoundRepository,
    RoundTotals,
    UserRepository,
)

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 700_000_000_000_000_001, 700_000_000_000_000_002
CHANNEL, THREAD, OTHER_CHANNEL = (
    810_000_000_000_000_001,
    810_000_000_000_000_002,
    810_000_000_000_000_003,
)


@pytest.fixture
async def people(database: Database) -> dict[str, int]:
    async with database.session() as s, s.begin():
        await GuildRepository(s).ensure(GUILD, "Guild")
        await GuildRepository(s).ensure(OTHER_GUILD, "Other")
        users = UserRepository(s)
        return {
            name: (await users.get_or_create_discord(discord_id, name.title())).id
            for discord_id, name in enumerate(["ada", "bob", "cy"], start=9000)
        }


def _round(
    *,
    guild_id: int = GUILD,
    channel_id: int = CHANNEL,
    status: str = "lobby",
    started: bool = False,
    finished_at: datetime | None = None,
    winner: int | None = None,
    **extra: object,
) -> Round:
    fields: dict[str, object] = {
        "guild_id": guild_id,
        "channel_id": channel_id,
        "status": status,
        "filters": {"topic": None},
        "question_ids": ["q1", "q2"],
        "position": 0,
        "seconds": 60,
        "lobby_seconds": 30,
        "lobby_deadline": T0 + timedelta(seconds=30),
        "version": 0,
        "created_at": T0,
        "started_at": T0 if started else None,
        "finished_at": finished_at,
        "winner_user_id": winner,
    }
    fields.update(extra)
    return Round(**fields)


async def _add(database: Database, *rounds: Round) -> list[int]:
    async with database.session() as s, s.begin():
        for row in rounds:
            await RoundRepository(s).add(row)
        return [row.id for row in rounds]


async def test_lookups_by_channel_thread_and_status(
    database: Database, people: dict[str, int]
) -> None:
    [ended] = await _add(database, _round(status="finished", started=True, finished_at=T0))
    [active] = await _add(database, _round(thread_id=THREAD))
    [elsewhere] = await _add(database, _round(channel_id=OTHER_CHANNEL, status="running"))
    async with database.session() as s:
        rounds = RoundRepository(s)
        by_channel = await rounds.active_in_channel(CHANNEL)
        by_thread = await rounds.active_in_channel(THREAD)
        assert by_channel is not None and by_channel.id == active
        assert by_thread is not None and by_thread.id == active
        assert await rounds.active_in_channel(424242) is None
        assert [row.id for row in await rounds.pending()] == [active, elsewhere]
        stored = await rounds.get(ended)
        assert stored is not None and stored.lobby_deadline == T0 + timedelta(seconds=30)
        assert await rounds.get(999_999) is None


async def test_unannounced_rounds_and_their_marks(
    database: Database, people: dict[str, int]
) -> None:
    _, _, owes_reveal, owes_standings, _ = await _add(
        database,
        _round(),
        _round(channel_id=OTHER_CHANNEL, status="running", position=1, revealed=1),
        _round(channel_id=THREAD, status="running", position=1),
        _round(status="finished", started=True, finished_at=T0, position=2, revealed=2),
        _round(
            status="stopped",
            started=True,
            finished_at=T0,
            position=1,
            revealed=1,
            standings_posted=True,
        ),
    )
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        assert [row.id for row in await rounds.unannounced()] == [owes_reveal, owes_standings]
        await rounds.mark_revealed(owes_reveal, 1)
        await rounds.mark_revealed(owes_reveal, 0)  # never backwards
        await rounds.mark_standings_posted(owes_standings)
    async with database.session() as s:
        rounds = RoundRepository(s)
        assert await rounds.unannounced() == []
        row = await rounds.get(owes_reveal)
        assert row is not None and row.revealed == 1


async def test_one_active_round_per_channel_is_enforced(
    database: Database, people: dict[str, int]
) -> None:
    await _add(database, _round())
    with pytest.raises(IntegrityError):
        await _add(database, _round(status="running"))
    # Ended rounds do not block, and neither does another channel.
    await _add(
        database,
        _round(status="cancelled", finished_at=T0),
        _round(status="stopped", finished_at=T0),
        _round(channel_id=OTHER_CHANNEL),
    )


async def test_participants_join_once_in_order_with_names(
    database: Database, people: dict[str, int]
) -> None:
    [round_id] = await _add(database, _round())
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        assert await rounds.add_participant(round_id, people["bob"], T0 + timedelta(seconds=2))
        assert await rounds.add_participant(round_id, people["ada"], T0 + timedelta(seconds=5))
        # A second join keeps the first join time.
        assert not await rounds.add_participant(round_id, people["bob"], T0 + timedelta(hours=1))
        assert await rounds.remove_participant(round_id, people["ada"])
        assert not await rounds.remove_participant(round_id, people["cy"])
        assert await rounds.add_participant(round_id, people["cy"], T0 + timedelta(seconds=9))
    async with database.session() as s:
        rounds = RoundRepository(s)
        members = await rounds.participants(round_id)
        assert [(m.user_id, m.display_name, m.joined_at) for m in members] == [
            (people["bob"], "Bob", T0 + timedelta(seconds=2)),
            (people["cy"], "Cy", T0 + timedelta(seconds=9)),
        ]
        assert members[0].discord_id == 9001
        assert await rounds.is_participant(round_id, people["cy"])
        assert not await rounds.is_participant(round_id, people["ada"])


async def test_upsert_answer_keeps_one_row_with_the_last_answer(
    database: Database, people: dict[str, int]
) -> None:
    [round_id] = await _add(database, _round(status="running", started=True))
    ada, bob = people["ada"], people["bob"]
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        assert await rounds.upsert_answer(round_id, 0, ada, "first", T0) is False
        bobs = await rounds.upsert_answer(round_id, 0, bob, "bob's", T0 + timedelta(seconds=1))
        assert bobs is False
        assert (
            await rounds.upsert_answer(round_id, 0, ada, "second", T0 + timedelta(seconds=3))
        ) is True
        assert await rounds.upsert_answer(round_id, 1, ada, "next question", T0) is False
    async with database.session() as s:
        rounds = RoundRepository(s)
        answers = await rounds.answers(round_id, 0)
        assert [(a.user_id, a.answer, a.submitted_at) for a in answers] == [
            (bob, "bob's", T0 + timedelta(seconds=1)),
            (ada, "second", T0 + timedelta(seconds=3)),
        ]
        assert await rounds.answered_user_ids(round_id, 0) == {ada, bob}
        assert await rounds.answered_user_ids(round_id, 1) == {ada}
        mine = await rounds.answer_for(round_id, 1, ada)
        assert mine is not None and mine.answer == "next question"


async def test_unique_constraint_refuses_a_second_answer_row(
    database: Database, people: dict[str, int]
) -> None:
    [round_id] = await _add(database, _round(status="running", started=True))
    answer = {"round_id": round_id, "position": 0, "user_id": people["ada"], "submitted_at": T0}
    async with database.session() as s, s.begin():
        s.add(RoundAnswer(answer="one", **answer))
    with pytest.raises(IntegrityError):
        async with database.session() as s, s.begin():
            s.add(RoundAnswer(answer="two", **answer))
    async with database.session() as s:
        count = await s.scalar(select(func.count()).select_from(RoundAnswer))
    assert count == 1


async def test_save_if_version_and_messages_do_not_overwrite_each_other(
    database: Database, people: dict[str, int]
) -> None:
    [round_id] = await _add(database, _round())
    async with database.session() as s:
        rounds = RoundRepository(s)
        row = await rounds.get(round_id)
        assert row is not None
        # Meanwhile another writer records the lobby message.
        async with database.session() as other, other.begin():
            await RoundRepository(other).set_messages(round_id, lobby_message_id=55)
        row.status = "running"
        row.started_at = T0
        assert await rounds.save_if_version(row, 0)
        assert row.version == 1
        await s.commit()
        stale = await rounds.get(round_id)
        assert stale is not None
        stale.status = "stopped"
        assert not await rounds.save_if_version(stale, 0)
        assert stale.status == "running" and stale.version == 1  # refreshed to the winner
        await s.rollback()
    async with database.session() as s, s.begin():
        await RoundRepository(s).set_messages(round_id, thread_id=THREAD, question_message_id=77)
        with pytest.raises(ValueError, match="not a round message field"):
            await RoundRepository(s).set_messages(round_id, status=1)
    async with database.session() as s:
        stored = await RoundRepository(s).get(round_id)
    assert stored is not None
    assert (stored.status, stored.version, stored.lobby_message_id) == ("running", 1, 55)
    assert (stored.thread_id, stored.question_message_id) == (THREAD, 77)


async def test_guild_stats_count_played_and_won(database: Database, people: dict[str, int]) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    day = timedelta(days=1)
    ids = await _add(
        database,
        _round(status="finished", started=True, finished_at=T0 - 10 * day, winner=ada),
        _round(status="finished", started=True, finished_at=T0 - day, winner=bob),
        _round(status="stopped", started=True, finished_at=T0),
        _round(status="stopped", finished_at=T0),  # stopped in its lobby: not played
        _round(status="cancelled", finished_at=T0),
        _round(status="running", started=True),
        _round(guild_id=OTHER_GUILD, status="finished", started=True, finished_at=T0, winner=cy),
    )
    members = {
        ids[0]: [ada, bob],
        ids[1]: [ada, bob],
        ids[2]: [ada, cy],
        ids[3]: [bob],
        ids[4]: [cy],
        ids[5]: [cy],
        ids[6]: [cy, ada],
    }
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        for round_id, users in members.items():
            for user in users:
                await rounds.add_participant(round_id, user, T0)

    def table(rows: list[RoundTotals]) -> list[tuple[str, int, int]]:
        return sorted((r.display_name, r.played, r.won) for r in rows)

    async with database.session() as s:
        rounds = RoundRepository(s)
        assert table(await rounds.guild_stats(GUILD)) == [
            ("Ada", 3, 1),
            ("Bob", 2, 1),
            ("Cy", 1, 0),
        ]
        assert table(await rounds.guild_stats(GUILD, since=T0 - 2 * day)) == [
            ("Ada", 2, 0),
            ("Bob", 1, 1),
            ("Cy", 1, 0),
        ]
        assert table(await rounds.guild_stats(OTHER_GUILD)) == [("Ada", 1, 0), ("Cy", 1, 1)]
        assert await rounds.guild_stats(424242) == []


async def test_scores_sum_the_round_attempts(database: Database, people: dict[str, int]) -> None:
    [round_id, other_round] = await _add(
        database, _round(status="running", started=True), _round(channel_id=OTHER_CHANNEL)
    )
    async with database.session() as s, s.begin():
        attempts = AttemptRepository(s)
        for user, score, rid in (
            ("ada", 70, round_id),
            ("ada", 20, round_id),
            ("bob", 55, round_id),
            ("bob", 100, other_round),
            ("cy", 100, None),
        ):
            await attempts.add(_attempt(people[user], score, rid))
    async with database.session() as s:
        scores = await RoundRepository(s).scores(round_id)
    assert scores == {people["ada"]: (90, 2), people["bob"]: (55, 1)}


def _attempt(user_id: int, score: int, round_id: int | None) -> Attempt:
    return Attempt(
        user_id=user_id,
        guild_id=GUILD,
        round_id=round_id,
        question_id="q1",
        topic="caching",
        pack_id="core",
        pack_version="1",
        answer="an answer",
        score=score,
        band="good",
        started_at=T0,
        submitted_at=T0,
    )


async def test_deleting_a_round_keeps_its_attempts(
    database: Database, people: dict[str, int]
) -> None:
    [round_id] = await _add(database, _round(status="finished", started=True, finished_at=T0))
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        await rounds.add_participant(round_id, people["ada"], T0)
        await rounds.upsert_answer(round_id, 0, people["ada"], "mine", T0)
        attempt = await AttemptRepository(s).add(_attempt(people["ada"], 80, round_id))
        [answer] = await rounds.answers(round_id, 0)
        await rounds.link_attempt(answer.id, attempt.id)
        attempt_id = attempt.id
    async with database.session() as s, s.begin():
        await s.execute(delete(Round).where(Round.id == round_id))
    async with database.session() as s:
        kept = await s.get(Attempt, attempt_id)
        assert kept is not None and kept.round_id is None
        for model in (RoundAnswer, RoundParticipant):
            assert await s.scalar(select(func.count()).select_from(model)) == 0


async def test_delete_everything_removes_round_data_but_keeps_the_rounds(
    database: Database, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    [round_id] = await _add(
        database,
        _round(
            status="finished",
            started=True,
            finished_at=T0,
            winner=ada,
            starter_user_id=ada,
        ),
    )
    async with database.session() as s, s.begin():
        rounds = RoundRepository(s)
        for user in (ada, bob):
            await rounds.add_participant(round_id, user, T0)
        await rounds.upsert_answer(round_id, 0, ada, "q1 by ada", T0)
        await rounds.upsert_answer(round_id, 1, ada, "q2 by ada", T0)
        await rounds.upsert_answer(round_id, 0, bob, "q1 by bob", T0)
        attempt = await AttemptRepository(s).add(_attempt(ada, 80, round_id))
        [first, _] = await rounds.answers(round_id, 0)
        await rounds.link_attempt(first.id, attempt.id)
    async with database.session() as s, s.begin():
        counts = await UserRepository(s).delete_everything(ada)
    assert counts["round_answers"] == 2
    assert counts["round_participations"] == 1
    assert counts["attempts"] == 1
    async with database.session() as s:
        rounds = RoundRepository(s)
        row = await rounds.get(round_id)
        assert row is not None
        assert (row.starter_user_id, row.winner_user_id) == (None, None)
        assert [m.user_id for m in await rounds.participants(round_id)] == [bob]
        assert [a.user_id for a in await rounds.answers(round_id, 0)] == [bob]
        assert await rounds.answers(round_id, 1) == []
