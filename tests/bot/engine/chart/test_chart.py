"""The progress chart: a valid PNG of the right size whatever the data, and what it draws is
where the layout says it is."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

import pytest
from PIL import Image

from bot.engine.chart.layout import (
    BACKGROUND,
    BAND_COLOURS,
    MAX_TOPICS,
    plan_chart,
    rolling_average,
    sample_indices,
    topic_rows,
)
from bot.engine.chart.paint import fit_text, load_font, render_progress_chart
from questions.scoring import BANDS, band_for

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
START = datetime(2025, 3, 3, 18, 0)


def improving_history(count: int = 30, seed: int = 7) -> list[tuple[datetime, int]]:
    rng = random.Random(seed)
    return [
        (
            START + timedelta(hours=17 * i),
            min(100, max(0, round(40 + 45 * i / count + rng.uniform(-10, 10)))),
        )
        for i in range(count)
    ]


TOPICS = [("Databases", 78.5), ("HTTP APIs", 86.0), ("Caching", 64.0), ("Security", 30.0)]


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


@pytest.mark.parametrize(("width", "height"), [(900, 520), (1200, 600), (520, 760)])
def test_output_is_a_png_of_the_requested_size(width: int, height: int) -> None:
    data = render_progress_chart(
        improving_history(), TOPICS, title="Progress of Ada", width=width, height=height
    )
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (width, height)


def test_too_small_a_chart_is_refused() -> None:
    with pytest.raises(ValueError):
        render_progress_chart([], [], title="x", width=100, height=100)


def test_empty_history_takes_the_placeholder_path() -> None:
    plan = plan_chart([], [])
    assert plan.placeholder
    assert plan.plot is None and plan.scores_card is None and plan.topics_card is None
    assert plan.score_points == () and plan.bars == ()

    empty = open_png(render_progress_chart([], [], title="Progress of Ada"))
    full_data = render_progress_chart(improving_history(), TOPICS, title="Progress of Ada")
    full = open_png(full_data)
    assert empty.size == full.size
    assert empty.tobytes() != full.tobytes()
    # No axes or cards: where the data chart has its plot, the placeholder has bare background.
    plot = plan_chart(improving_history(), TOPICS).plot
    assert plot is not None
    corner = (int(plot.left) + 3, int(plot.bottom) - 3)
    assert empty.getpixel(corner) == BACKGROUND
    assert full.getpixel(corner) != BACKGROUND
    # ...but the message is drawn: the middle of the image is not blank.
    middle = empty.crop((100, 240, 800, 330))
    colours = middle.getcolors(maxcolors=middle.width * middle.height)
    assert colours is not None and len(colours) > 2


def test_empty_history_still_shows_known_topics() -> None:
    plan = plan_chart([], TOPICS)
    assert plan.placeholder and plan.plot is None
    assert [bar.topic for bar in plan.bars] == ["HTTP APIs", "Databases", "Caching", "Security"]
    open_png(render_progress_chart([], TOPICS, title="t"))


def test_rolling_average_is_a_trailing_mean_of_up_to_five() -> None:
    assert rolling_average([10, 20, 30, 40, 50, 60, 100]) == [10, 15, 20, 25, 30, 40, 56]
    assert rolling_average([]) == []
    assert rolling_average([7]) == [7]
    assert rolling_average([1, 2, 3], window=1) == [1, 2, 3]
    with pytest.raises(ValueError):
        rolling_average([1], window=0)


def test_plot_follows_chronological_order_and_the_average() -> None:
    history = [(START + timedelta(days=d), s) for d, s in [(2, 30), (0, 10), (1, 20)]]
    plan = plan_chart(history, [])
    assert plan.plot is not None
    xs = [x for x, _ in plan.score_points]
    assert xs == sorted(xs)

    def score_at(y: float) -> float:
        assert plan.plot is not None
        return (plan.plot.bottom - y) / plan.plot.height * 100

    assert [round(score_at(y)) for _, y in plan.score_points] == [10, 20, 30]
    assert [round(score_at(y)) for _, y in plan.average_points] == [10, 15, 20]
    assert plan.first_label is not None and plan.last_label is not None
    assert plan.first_label[:2] == ("#1", "3 Mar")
    assert plan.last_label[:2] == ("#3", "5 Mar 2025")


def test_band_shading_uses_the_scorer_thresholds() -> None:
    plan = plan_chart(improving_history(), [])
    assert plan.plot is not None
    floors = {band: floor for floor, band in BANDS}
    for band, box in plan.band_ranges:
        expected = plan.plot.bottom - floors[band] / 100 * plan.plot.height
        assert box.bottom == pytest.approx(expected)
    assert [score for score, _ in plan.gridlines] == [0, 25, 50, 75, 100]


def test_topics_are_sorted_and_cut_to_ten_with_a_count_of_the_rest() -> None:
    topics = [(f"topic-{i:02}", float(i * 7 % 100)) for i in range(13)] + [("aaa", 49.0)]
    rows, hidden = topic_rows(topics)
    assert len(rows) == MAX_TOPICS and hidden == 4
    masteries = [m for _, m in rows]
    assert masteries == sorted(masteries, reverse=True)
    assert rows[0] == ("topic-12", 84.0)
    ties = [name for name, m in rows if m == 49.0]
    assert ties == ["aaa", "topic-07"]  # equal mastery: by name, so the output is stable

    plan = plan_chart(improving_history(), topics)
    assert [bar.topic for bar in plan.bars] == [name for name, _ in rows]
    assert plan.more_label == "+4 more"
    assert plan.more_box is not None and plan.more_box.top >= plan.bars[-1].label_box.bottom

    assert plan_chart(improving_history(), TOPICS).more_label is None


@pytest.mark.parametrize("mastery", [93.0, 72.4, 47.0, 12.0])
def test_bar_is_painted_in_its_band_colour(mastery: float) -> None:
    plan = plan_chart(improving_history(), [("Databases", mastery)])
    (bar,) = plan.bars
    assert bar.band == band_for(round(mastery))
    assert bar.bar.right == pytest.approx(bar.track.left + bar.track.width * round(mastery) / 100)
    image = open_png(
        render_progress_chart(improving_history(), [("Databases", mastery)], title="t")
    )
    x, y = bar.bar.centre
    assert image.getpixel((int(x), int(y))) == BAND_COLOURS[bar.band]
    # Past the bar's end the track is not in the band colour.
    after = (int(bar.track.right) - 3, int(y))
    assert image.getpixel(after) != BAND_COLOURS[bar.band]


def test_five_hundred_attempts_render_and_are_downsampled() -> None:
    rng = random.Random(1)
    history = [(START + timedelta(hours=i), rng.randint(0, 100)) for i in range(500)]
    topics = [(f"topic {i}", rng.uniform(0, 100)) for i in range(30)]
    plan = plan_chart(history, topics)
    assert plan.plot is not None and plan.dense
    assert len(plan.score_points) <= plan.plot.width / 2 + 1
    assert plan.last_label is not None and plan.last_label[0] == "#500"
    assert plan.score_points[0][0] < plan.score_points[-1][0]

    # How fast it renders is measured in `make bench`, never asserted in a test.
    data = render_progress_chart(history, topics, title="Progress of Ada")
    assert open_png(data).size == (900, 520)


def test_sample_indices_keep_the_ends_and_the_limit() -> None:
    assert sample_indices(5, 10) == [0, 1, 2, 3, 4]
    shown = sample_indices(500, 200)
    assert shown[0] == 0 and shown[-1] == 499
    assert len(shown) <= 200 and shown == sorted(set(shown))


def test_a_single_attempt_is_one_centred_point() -> None:
    plan = plan_chart([(START, 64)], [])
    assert plan.plot is not None
    assert len(plan.score_points) == 1
    assert plan.score_points[0][0] == pytest.approx(plan.plot.centre[0])
    assert plan.last_label is None and plan.first_label is not None
    assert plan.first_label[1] == "3 Mar 2025"
    open_png(render_progress_chart([(START, 64)], [], title="one"))


def test_long_and_non_ascii_text_is_cut_to_fit() -> None:
    font = load_font(13)
    cut = fit_text(font, "Distributed systems " * 20, 120)
    assert cut.endswith(("…", "...")) and font.getlength(cut) <= 120
    assert fit_text(font, "Caching", 120) == "Caching"
    for title in ["Progress of Zoë Ångström — Łódź", "Прогресс " * 40, "進捗\nof\tAda", ""]:
        image = open_png(render_progress_chart(improving_history(5), TOPICS, title=title))
        assert image.size == (900, 520)
    long_topic = [("x" * 500, 50.0)]
    open_png(render_progress_chart(improving_history(), long_topic, title="t"))


def test_same_input_gives_the_same_bytes_whatever_the_order() -> None:
    history = improving_history()
    shuffled = history[:]
    random.Random(3).shuffle(shuffled)
    first = render_progress_chart(history, TOPICS, title="Progress of Ada")
    assert render_progress_chart(history, TOPICS, title="Progress of Ada") == first
    assert render_progress_chart(shuffled, list(reversed(TOPICS)), title="Progress of Ada") == first
    assert b"tIME" not in first and b"tEXt" not in first
    assert render_progress_chart(history, TOPICS, title="Progress of Bob") != first
