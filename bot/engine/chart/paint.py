"""Painting the progress chart: a ``ChartPlan`` in, PNG bytes out.

Shapes are painted at twice the size and halved (Pillow draws lines without antialiasing);
text is drawn on the final image so it stays crisp. The same input always gives the same
bytes: nothing depends on the clock and the PNG carries no metadata.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.engine.chart.layout import (
    AVERAGE_LINE,
    BACKGROUND,
    BAND_COLOURS,
    BAND_TINT,
    CARD,
    ELLIPSIS,
    FONT_FILES,
    GRID,
    MUTED,
    NO_TOPICS,
    PLACEHOLDER,
    RGB,
    ROLLING_WINDOW,
    SCALE,
    SCORE_LINE,
    TEXT,
    TRACK,
    Box,
    ChartPlan,
    Point,
    clean_text,
    plan_chart,
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


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
