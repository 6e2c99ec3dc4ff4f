from datetime import UTC, datetime, timedelta

from bot.engine.progress import AttemptRecord, streak_days, summarize
from bot.engine.selection import choose_questions, due_questions
from questions.model import Question

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def q(qid: str) -> Question:
    return Question(qid, "t", "easy", "prompt text", "model answer text", ("tip",), "test")


QUESTIONS = [q("a"), q("b"), q("c"), q("d")]


def test_unseen_first_in_bank_order_then_due() -> None:
    due_at = {"a": NOW - timedelta(days=1), "c": NOW + timedelta(days=3)}
    chosen = choose_questions(QUESTIONS, seen={"a", "c"}, due_at=due_at, now=NOW, count=3)
    assert [x.id for x in chosen] == ["b", "d", "a"]


def test_most_overdue_first_and_not_due_last() -> None:
    due_at = {
        "a": NOW + timedelta(days=5),
        "b": NOW - timedelta(hours=1),
        "c": NOW - timedelta(days=2),
        "d": NOW + timedelta(days=1),
    }
    chosen = choose_questions(QUESTIONS, seen=set("abcd"), due_at=due_at, now=NOW, count=4)
    assert [x.id for x in chosen] == ["c", "b", "d", "a"]
    assert [x.id for x in due_questions(QUESTIONS, due_at=due_at, now=NOW, count=5)] == ["c", "b"]


def test_count_bounds() -> None:
    assert choose_questions(QUESTIONS, seen=set(), due_at={}, now=NOW, count=0) == []
    assert len(choose_questions(QUESTIONS, seen=set(), due_at={}, now=NOW, count=99)) == 4


def test_streak() -> None:
    today = NOW.date()
    days = [today - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak_days(days, today) == 3
    assert streak_days(days[1:], today) == 2  # today not over yet
    assert streak_days(days[2:], today) == 0


def record(qid: str, topic: str, score: int, missed: tuple[str, ...], days_ago: float):
    return AttemptRecord(qid, topic, score, "x", missed, NOW - timedelta(days=days_ago))


def test_summary() -> None:
    summary = summarize(
        [
            record("a", "db", 40, ("Joins", "ACID"), 2),
            record("a", "db", 80, ("ACID",), 1),
            record("b", "db", 60, (), 0),
            record("c", "web", 20, ("ACID",), 0),
        ],
        NOW,
    )
    assert summary.answered == 4
    assert summary.distinct_questions == 3
    assert summary.average == 50
    assert summary.best == 80
    assert summary.streak_days == 3
    a = next(x for x in summary.questions if x.question_id == "a")
    assert (a.attempts, a.average, a.best, a.last) == (2, 60, 80, 80)
    mastery = {t.topic: t.mastery for t in summary.topics}
    assert mastery == {"db": 70, "web": 20}
    assert summary.most_missed[0].concept == "ACID"
    assert summary.most_missed[0].times == 2
    assert summary.recent[0].question_id in {"b", "c"}
    assert summarize([], NOW).answered == 0
