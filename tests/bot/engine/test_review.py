from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.review import MAX_INTERVAL_DAYS, next_review

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "days"),
    [(0, 1 / 24), (34, 1 / 24), (35, 1.0), (59, 1.0), (60, 2.0), (79, 2.0), (80, 4.0), (100, 4.0)],
)
def test_first_review_interval_by_band(score: int, days: float) -> None:
    plan = next_review(score, NOW)
    assert plan.interval_days == pytest.approx(days)
    assert plan.due_at == NOW + timedelta(days=days)


def test_low_scores_come_back_sooner_than_high_scores() -> None:
    due = [next_review(score, NOW, previous_interval_days=10).due_at for score in (10, 50, 70, 95)]
    assert due == sorted(due)
    assert len(set(due)) == 4


def test_good_and_strong_grow_the_interval_and_count_repetitions() -> None:
    good = next_review(70, NOW, previous_interval_days=4, repetitions=2)
    strong = next_review(90, NOW, previous_interval_days=4, repetitions=2)
    assert good.interval_days == pytest.approx(6)
    assert strong.interval_days == pytest.approx(10)
    assert good.repetitions == strong.repetitions == 3


def test_weak_and_partial_reset_repetitions() -> None:
    assert next_review(20, NOW, previous_interval_days=30, repetitions=5).repetitions == 0
    assert next_review(50, NOW, previous_interval_days=30, repetitions=5).interval_days == 1.0


def test_interval_is_capped() -> None:
    plan = next_review(100, NOW, previous_interval_days=1000)
    assert plan.interval_days == MAX_INTERVAL_DAYS


@pytest.mark.parametrize("score", [-1, 101])
def test_score_out_of_range_is_refused(score: int) -> None:
    with pytest.raises(ValueError):
        next_review(score, NOW)
