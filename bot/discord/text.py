"""Making text safe and small enough for Discord, and sending it.

User text (answers, matched words, custom questions, names) is escaped so it cannot format
or ping, and everything is cut to Discord's embed limits on a clean boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import discord
from discord.utils import TimestampStyle

from questions.model import Question

# Discord's embed limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELD_COUNT_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000
ELLIPSIS = "…"

NO_MENTIONS = discord.AllowedMentions.none()


def escape(text: str) -> str:
    """Neutralise markdown and mentions in user-provided text."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def question_text(question: Question) -> str:
    """Built-in questions are ours, a guild's own are user text: escape both the same way."""
    return escape(question.prompt)


def truncate(text: str, limit: int) -> str:
    """Cut at a line or word boundary when one is near, and say so with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    for boundary in ("\n", " "):
        at = cut.rfind(boundary)
        if at >= limit * 0.6:
            cut = cut[:at]
            break
    # Never leave a dangling escape backslash that would swallow the ellipsis.
    if cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def join_lines(lines: list[str], limit: int = FIELD_VALUE_LIMIT) -> str:
    """Whole lines up to the limit, then a count of what did not fit."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        line = truncate(line, limit)
        extra = len(line) + (1 if kept else 0)
        rest = len(lines) - index
        marker = f"\n{ELLIPSIS} and {rest} more"
        if used + extra > limit or (rest > 1 and used + extra + len(marker) > limit):
            if kept:
                return "\n".join(kept) + marker
            return truncate(line, limit)
        kept.append(line)
        used += extra
    return "\n".join(kept)


def add_long_field(embed: discord.Embed, name: str, lines: Sequence[str]) -> None:
    """A list that exceeds one field continues in further ones; fit_embed trims the total."""
    rest = list(lines)
    title = name
    while rest:
        value = join_lines(rest, FIELD_VALUE_LIMIT)
        shown = value.count("\n") + 1
        if not (value.endswith("more") and 1 < shown < len(rest)):
            embed.add_field(name=title, value=value, inline=False)
            return
        embed.add_field(name=title, value="\n".join(rest[: shown - 1]), inline=False)
        rest = rest[shown - 1 :]
        title = f"{name} (continued)"


def embed_size(embed: discord.Embed) -> int:
    return len(embed)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Enforce every per-part limit, then the 6,000 total by trimming from the end."""
    if embed.title:
        embed.title = truncate(embed.title, TITLE_LIMIT)
    if embed.description:
        embed.description = truncate(embed.description, DESCRIPTION_LIMIT)
    if embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, FOOTER_LIMIT))
    fields = embed.fields[:FIELD_COUNT_LIMIT]
    embed.clear_fields()
    for field in fields:
        embed.add_field(
            name=truncate(field.name or "\u200b", FIELD_NAME_LIMIT),
            value=truncate(field.value or "\u200b", FIELD_VALUE_LIMIT),
            inline=bool(field.inline),
        )
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        last = len(embed.fields) - 1
        field = embed.fields[last]
        value = field.value or ""
        if len(value) - excess > 40:
            embed.set_field_at(
                last,
                name=field.name,
                value=truncate(value, len(value) - excess),
                inline=bool(field.inline),
            )
        else:
            embed.remove_field(last)
    if len(embed) > EMBED_TOTAL_LIMIT and embed.description:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        embed.description = truncate(embed.description, max(1, len(embed.description) - excess))
    return embed


def score_bar(score: int, width: int = 10) -> str:
    filled = round(max(0, min(100, score)) / 100 * width)
    return "▰" * filled + "▱" * (width - filled)


def timestamp(moment: datetime, style: TimestampStyle = "R") -> str:
    """Discord's timestamp markup, shown in each reader's own time zone and language."""
    return discord.utils.format_dt(moment, style=style)


async def send(
    interaction: discord.Interaction,
    *,
    ephemeral: bool,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer an interaction whether or not it was deferred; user text never pings."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, "ephemeral": ephemeral}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
