"""A candidate's progress as one PNG, sized for a Discord embed image.

Pure Python and Pillow, so any front end can attach it and tests need no Discord or database.
Rendering is split in two: ``plan_chart`` computes every position without fonts or pixels
(cheap to test), and ``render_progress_chart`` paints that plan. Shapes are painted at twice
the size and halved (Pillow draws lines without antialiasing); text is drawn on the final
image so it stays crisp. The same input always gives the same bytes: nothing depends on the
clock and the PNG carries no metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from questions.scoring import BANDS, Band, band_for

RGB = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
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


@lru_cache(maxsize=32)
def load_font(size: int, bold: bool = False) -> Font:
    """DejaVu where installed (accents, Cyrillic, Greek), else Pillow's scalable default
    (basic Latin only), else its bitmap font when Pillow was built without FreeType."""
    try:
        return ImageFont.truetype(FONT_FILES[bold], size)
    except OSError:
        pass
    try:
        return ImageFont.load_default(size=size)
    except (ImportError, OSError, TypeError):  # pragma: no cover - Pillow without FreeType
        return ImageFont.load_default()


def _ink(font: Font, text: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), text, font=font, fill=255)
    return image.tobytes()


@lru_cache(maxsize=256)
def has_glyph(font: Font, char: str) -> bool:
    """Whether ``char`` draws as itself rather than the font's missing-glyph box."""
    if not isinstance(font, ImageFont.FreeTypeFont):
        return printable(font, char) == char
    return _ink(font, char) != _ink(font, "\U000f0000")  # private use: no font draws it


def printable(font: Font, text: str) -> str:
    """Pillow's bitmap fallback font only encodes Latin-1 and raises on anything else."""
    if isinstance(font, ImageFont.FreeTypeFont):
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def text_width(font: Font, text: str) -> float:
    return font.getlength(text)


def fit_text(font: Font, text: str, max_width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits; binary search keeps long names cheap."""
    text = printable(font, text)
    if text_width(font, text) <= max_width:
        return text
    # Printing glyphs are wider than a fifth of the font size: characters past this cannot fit.
    text = text[: int(max_width / max(getattr(font, "size", 10) * 0.2, 1)) + 1]
    ellipsis = ELLIPSIS if has_glyph(font, ELLIPSIS) else "..."
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(font, text[:middle].rstrip() + ellipsis) <= max_width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ellipsis if low else ellipsis


def _mix(colour: RGB, base: RGB, share: float) -> RGB:
    r, g, b = (round(c * share + d * (1 - share)) for c, d in zip(colour, base, strict=True))
    return (r, g, b)


def _scaled(box: Box) -> tuple[float, float, float, float]:
    return (box.left * SCALE, box.top * SCALE, box.right * SCALE, box.bottom * SCALE)


def _paint_shapes(plan: ChartPlan) -> Image.Image:
    """Everything but text, at ``SCALE`` times the size."""
    image = Image.new("RGB", (plan.width * SCALE, plan.height * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    radius = 12 * SCALE
    for card in (plan.scores_card, plan.topics_card):
        if card is not None:
            draw.rounded_rectangle(_scaled(card), radius=radius, fill=CARD)
    if plan.plot is not None:
        for band, box in plan.band_ranges:
            draw.rectangle(_scaled(box), fill=_mix(BAND_COLOURS[band], CARD, BAND_TINT))
        for _, y in plan.gridlines:
            draw.line(
                [(plan.plot.left * SCALE, y * SCALE), (plan.plot.right * SCALE, y * SCALE)],
                fill=GRID,
                width=SCALE,
            )
        scores = [(x * SCALE, y * SCALE) for x, y in plan.score_points]
        averages = [(x * SCALE, y * SCALE) for x, y in plan.average_points]
        if len(scores) > 1:
            if plan.dense:
                draw.line(scores, fill=_mix(SCORE_LINE, CARD, 0.45), width=SCALE)
            else:
                draw.line(scores, fill=SCORE_LINE, width=2 * SCALE, joint="curve")
            draw.line(averages, fill=AVERAGE_LINE, width=3 * SCALE, joint="curve")
        if not plan.dense:
            dot = 3.6 * SCALE
            for x, y in scores:
                draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=SCORE_LINE, outline=CARD)
    for row in plan.bars:
        track = _scaled(row.track)
        round_by = min((track[3] - track[1]) / 2, 6 * SCALE)
        draw.rounded_rectangle(track, radius=round_by, fill=TRACK)
        if row.value > 0:
            bar = _scaled(row.bar)
            width = bar[2] - bar[0]
            draw.rounded_rectangle(bar, radius=min(round_by, width / 2), fill=row.colour)
    return image


def _legend(draw: ImageDraw.ImageDraw, plan: ChartPlan, font: Font, right: float, y: float) -> None:
    """Right-aligned key for the two lines, drawn as shapes so no glyph can be missing."""
    swatch = plan.sizes.label * 1.3
    spacing = plan.sizes.label * 0.5
    x = right
    for label, colour, thickness in (
        (f"avg of {ROLLING_WINDOW}", AVERAGE_LINE, 3),
        ("score", SCORE_LINE, 2),
    ):
        x -= text_width(font, label)
        draw.text((x, y), label, font=font, fill=MUTED, anchor="lm")
        x -= spacing + swatch
        draw.line([(x, y), (x + swatch, y)], fill=colour, width=thickness)
        x -= spacing * 3


def _paint_text(image: Image.Image, plan: ChartPlan, title: str) -> None:
    draw = ImageDraw.Draw(image)
    sizes = plan.sizes
    label_font = load_font(sizes.label)
    heading_font = load_font(sizes.heading, bold=True)
    message_font = load_font(round(sizes.heading * 1.1))
    pad = plan.title_box.left * 0.72

    def text(xy: Point, value: str, font: Font, fill: RGB, anchor: str = "lm") -> None:
        draw.text(xy, printable(font, value), font=font, fill=fill, anchor=anchor)

    title_font = load_font(sizes.title, bold=True)
    box = plan.title_box
    text(
        (box.left, box.centre[1]),
        fit_text(title_font, clean_text(title), box.width),
        title_font,
        TEXT,
    )
    message = PLACEHOLDER if has_glyph(message_font, "—") else PLACEHOLDER.replace("—", "-")
    if plan.scores_card is None:  # nothing at all to show: one centred message
        centre = (plan.width / 2, (plan.title_box.bottom + plan.height) / 2)
        text(centre, fit_text(message_font, message, plan.width * 0.9), message_font, MUTED, "mm")
        return

    card = plan.scores_card
    heading_y = card.top + pad + sizes.heading / 2
    text((card.left + pad, heading_y), "Scores over time", heading_font, TEXT)
    if plan.placeholder:
        text(
            card.centre,
            fit_text(message_font, message, card.width - 2 * pad),
            message_font,
            MUTED,
            "mm",
        )
    else:
        _legend(draw, plan, label_font, card.right - pad, heading_y)
    if plan.plot is not None:
        plot = plan.plot
        for score, y in plan.gridlines:
            text((plot.left - 6, y), str(score), label_font, MUTED, "rm")
        for band, band_box in plan.band_ranges:
            colour = _mix(BAND_COLOURS[band], CARD, 0.8)
            text((plot.right + 6, band_box.centre[1]), band, label_font, colour)
        number_y = plot.bottom + sizes.label * 0.5
        date_y = number_y + sizes.label * 1.3
        if plan.last_label is None and plan.first_label is not None:  # one attempt: centred
            number, day, x = plan.first_label
            text((x, number_y), number, label_font, MUTED, "ma")
            text((x, date_y), day, label_font, TEXT, "ma")
        elif plan.first_label is not None and plan.last_label is not None:
            for (number, day, _), x, anchor in (
                (plan.first_label, plot.left, "la"),
                (plan.last_label, plot.right, "ra"),
            ):
                text((x, number_y), number, label_font, MUTED, anchor)
                text((x, date_y), day, label_font, TEXT, anchor)
            caption = "attempts →" if has_glyph(label_font, "→") else "attempts"
            text((plot.centre[0], number_y), caption, label_font, MUTED, "ma")

    if plan.topics_card is not None:
        card = plan.topics_card
        heading_y = card.top + pad + sizes.heading / 2
        text((card.left + pad, heading_y), "Mastery by topic", heading_font, TEXT)
        if not plan.bars:
            text(card.centre, NO_TOPICS, message_font, MUTED, "mm")
        for row in plan.bars:
            y = row.label_box.centre[1]
            label = fit_text(label_font, row.topic, row.label_box.width)
            text((row.label_box.left, y), label, label_font, TEXT)
            text((row.bar.right + 6, y), str(row.value), label_font, row.colour)
        if plan.more_label is not None and plan.more_box is not None:
            text((plan.more_box.left, plan.more_box.centre[1]), plan.more_label, label_font, MUTED)


def render_progress_chart(
    history: Sequence[tuple[datetime, int]],
    topics: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 900,
    height: int = 520,
) -> bytes:
    """PNG bytes of scores over time and mastery by topic, for a Discord embed image.

    ``history`` is (submitted_at, score) per attempt in any order; ``topics`` is
    (topic, mastery 0-100). An empty history draws a friendly prompt instead of empty axes.
    """
    plan = plan_chart(history, topics, width, height)
    image = _paint_shapes(plan).reduce(SCALE)
    _paint_text(image, plan, title)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # level 6 doubles the time, saves little
    return out.getvalue()
