"""Where everything on the progress chart goes, computed without fonts or pixels.

``plan_chart`` turns a history and topic masteries into a ``ChartPlan``: boxes, points and
labels in output pixels, side by side when wide and stacked when tall. It is cheap to test;
paint.py draws it. The palette lives here because the plan already picks each bar's colour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from questions.scoring import BANDS, Band, band_for

RGB = tuple[int, int, int]
Point = tuple[float, float]

ROLLING_WINDOW = 5
MAX_TOPICS = 10
PLACEHOLDER = "No answers yet — start with /interview start"
NO_TOPICS = "No topics yet"
MIN_WIDTH, MIN_HEIGHT = 320, 200
SCALE = 2  # shapes are painted at this multiple, then reduced: cheap antialiasing
DOTS_UP_TO = 60  # more points than this and dots would only blur into the line
ELLIPSIS = "…"

BACKGROUND: RGB = (0x2B, 0x2D, 0x31)  # Discord's dark embed background
CARD: RGB = (0x1E, 0x1F, 0x22)
GRID: RGB = (0x3A, 0x3C, 0x42)
TRACK: RGB = (0x2E, 0x30, 0x35)
TEXT: RGB = (0xF2, 0xF3, 0xF5)
MUTED: RGB = (0xB5, 0xBA, 0xC1)
SCORE_LINE: RGB = (0x9B, 0xA4, 0xF8)
AVERAGE_LINE: RGB = (0xEB, 0x45, 0x9E)
BAND_COLOURS: dict[Band, RGB] = {
    "strong": (0x57, 0xF2, 0x87),
    "good": (0x45, 0xB3, 0xE0),
    "partial": (0xF0, 0xB2, 0x32),
    "weak": (0xED, 0x42, 0x45),
}
BAND_TINT = 0.09  # how much of a band's colour shows through its shaded score range
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")  # wide Unicode coverage where installed


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> Point:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)


@dataclass(frozen=True)
class TopicBar:
    """One row of the mastery panel: ``track`` is the 0-100 range, ``bar`` the filled part."""

    topic: str
    value: int  # mastery rounded as shown; the colour follows the same number
    band: Band
    colour: RGB
    label_box: Box
    track: Box
    bar: Box


@dataclass(frozen=True)
class FontSizes:
    title: int
    heading: int
    label: int


@dataclass(frozen=True)
class ChartPlan:
    """Every position the painter needs, in output pixels; no fonts, no pixels."""

    width: int
    height: int
    sizes: FontSizes
    title_box: Box
    placeholder: bool  # no history: a friendly message instead of empty axes
    scores_card: Box | None = None  # both cards None: the message fills the whole image
    plot: Box | None = None
    band_ranges: tuple[tuple[Band, Box], ...] = ()
    gridlines: tuple[tuple[int, float], ...] = ()  # (score, y)
    score_points: tuple[Point, ...] = ()  # downsampled to what the plot can show
    average_points: tuple[Point, ...] = ()
    dense: bool = False  # too many points for dots: the raw line fades behind the average
    first_label: tuple[str, str, float] | None = None  # (attempt number, date, x)
    last_label: tuple[str, str, float] | None = None  # None for a single attempt
    topics_card: Box | None = None
    bars: tuple[TopicBar, ...] = ()
    more_label: str | None = None  # "+N more" when topics were cut
    more_box: Box | None = None


def rolling_average(values: Sequence[float], window: int = ROLLING_WINDOW) -> list[float]:
    """Trailing mean over up to ``window`` values, so the line starts with the first attempt."""
    if window < 1:
        raise ValueError("window must be at least 1")
    out: list[float] = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= window:
            total -= values[index - window]
        out.append(total / min(index + 1, window))
    return out


def sample_indices(count: int, limit: int) -> list[int]:
    """Evenly spread indices, always keeping the first and last: drawing 500 points into 400
    pixels only costs time."""
    if count <= limit:
        return list(range(count))
    limit = max(limit, 2)
    return sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)})


def topic_rows(
    topics: Sequence[tuple[str, float]], limit: int = MAX_TOPICS
) -> tuple[list[tuple[str, float]], int]:
    """Best topics first (ties by name, for stable output), cut to ``limit``; returns the rows
    and how many were left out."""
    ordered = sorted(topics, key=lambda row: (-row[1], row[0]))
    return ordered[:limit], max(len(ordered) - limit, 0)


def date_label(moment: datetime, with_year: bool = True) -> str:
    """Locale-independent, so the image is the same on every host."""
    text = f"{moment.day} {MONTHS[moment.month - 1]}"
    return f"{text} {moment.year}" if with_year else text


def clean_text(text: str) -> str:
    """User text on one line: newlines and tabs would break the layout."""
    return re.sub(r"\s+", " ", text).strip()


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 100.0)


def _band_ranges() -> list[tuple[Band, float, float]]:
    """(band, low, high) score ranges from the scorer's own thresholds."""
    ranges = []
    high = 100.0
    for floor, band in BANDS:  # highest floor first
        ranges.append((band, float(floor), high))
        high = float(floor)
    return ranges


def plan_chart(
    history: Sequence[tuple[datetime, int]],
    topics: Sequence[tuple[str, float]],
    width: int = 900,
    height: int = 520,
) -> ChartPlan:
    """Lay the chart out: side by side when wide, stacked when tall."""
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"chart must be at least {MIN_WIDTH}x{MIN_HEIGHT}")
    unit = min(width / 900, height / 520)
    sizes = FontSizes(
        title=max(round(26 * unit), 14),
        heading=max(round(17 * unit), 11),
        label=max(round(13 * unit), 10),
    )
    margin = max(round(22 * unit), 10)
    gap = max(round(18 * unit), 8)
    pad = max(round(16 * unit), 8)
    title_box = Box(margin, margin - 4, width - margin, margin + sizes.title * 1.3)
    body = Box(margin, title_box.bottom + gap * 0.7, width - margin, height - margin)

    attempts = sorted(history, key=lambda row: row[0])
    placeholder = not attempts
    if placeholder and not topics:
        return ChartPlan(width, height, sizes, title_box, placeholder=True)

    if width >= height * 1.25:
        split = body.left + body.width * 0.58
        scores_card = Box(body.left, body.top, split - gap / 2, body.bottom)
        topics_card = Box(split + gap / 2, body.top, body.right, body.bottom)
    else:
        split = body.top + body.height * 0.55
        scores_card = Box(body.left, body.top, body.right, split - gap / 2)
        topics_card = Box(body.left, split + gap / 2, body.right, body.bottom)

    plot: Box | None = None
    band_ranges: list[tuple[Band, Box]] = []
    gridlines: list[tuple[int, float]] = []
    score_points: list[Point] = []
    average_points: list[Point] = []
    first_label = last_label = None
    if attempts:
        heading_bottom = scores_card.top + pad + sizes.heading * 1.6
        plot = area = Box(
            scores_card.left + pad + sizes.label * 2.4,
            heading_bottom + sizes.label * 0.6,
            scores_card.right - pad - sizes.label * 3.6,  # gutter for band names
            scores_card.bottom - pad - sizes.label * 2.9,
        )

        def y_of(score: float) -> float:
            return area.bottom - _clamp(score) / 100 * area.height

        band_ranges = [
            (band, Box(area.left, y_of(high), area.right, y_of(low)))
            for band, low, high in _band_ranges()
        ]
        gridlines = [(score, y_of(score)) for score in (0, 25, 50, 75, 100)]
        inset = max(6 * unit, 4)
        count = len(attempts)

        def x_of(index: int) -> float:
            if count == 1:
                return area.centre[0]
            return area.left + inset + index / (count - 1) * (area.width - 2 * inset)

        scores = [_clamp(score) for _, score in attempts]
        averages = rolling_average(scores)
        shown = sample_indices(count, max(int(area.width / 2), 2))
        score_points = [(x_of(i), y_of(scores[i])) for i in shown]
        average_points = [(x_of(i), y_of(averages[i])) for i in shown]
        same_year = attempts[0][0].year == attempts[-1][0].year
        if count == 1:
            first_label = ("#1", date_label(attempts[0][0]), x_of(0))
        else:
            first_label = ("#1", date_label(attempts[0][0], not same_year), x_of(0))
            last_label = (f"#{count}", date_label(attempts[-1][0]), x_of(count - 1))

    bars: list[TopicBar] = []
    more_label = None
    more_box = None
    rows, hidden = topic_rows(topics)
    if rows:
        inner = Box(
            topics_card.left + pad,
            topics_card.top + pad + sizes.heading * 1.6,
            topics_card.right - pad,
            topics_card.bottom - pad,
        )
        slots = len(rows) + (1 if hidden else 0)
        row_height = min(inner.height / slots, 34 * unit)
        label_width = inner.width * 0.45
        value_space = sizes.label * 2.6
        track_left = inner.left + label_width + pad * 0.6
        track_right = inner.right - value_space
        thickness = max(row_height * 0.56, 4)
        for number, (topic, mastery) in enumerate(rows):
            value = round(_clamp(mastery))
            band = band_for(value)
            top = inner.top + number * row_height
            middle = top + row_height / 2
            track = Box(track_left, middle - thickness / 2, track_right, middle + thickness / 2)
            filled = Box(
                track.left, track.top, track.left + track.width * value / 100, track.bottom
            )
            bars.append(
                TopicBar(
                    topic=clean_text(topic),
                    value=value,
                    band=band,
                    colour=BAND_COLOURS[band],
                    label_box=Box(inner.left, top, inner.left + label_width, top + row_height),
                    track=track,
                    bar=filled,
                )
            )
        if hidden:
            top = inner.top + len(rows) * row_height
            more_label = f"+{hidden} more"
            more_box = Box(inner.left, top, inner.right, top + row_height)

    return ChartPlan(
        width=width,
        height=height,
        sizes=sizes,
        title_box=title_box,
        placeholder=placeholder,
        scores_card=scores_card,
        plot=plot,
        band_ranges=tuple(band_ranges),
        gridlines=tuple(gridlines),
        score_points=tuple(score_points),
        average_points=tuple(average_points),
        dense=len(attempts) > DOTS_UP_TO,
        first_label=first_label,
        last_label=last_label,
        topics_card=topics_card,
        bars=tuple(bars),
        more_label=more_label,
        more_box=more_box,
    )
