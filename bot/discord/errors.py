"""One error handler for every command, button and form: each failure becomes a private message.

Engine errors are written to be shown as they are; anything unexpected is logged with a short
reference the user can quote.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence

import discord
from discord import app_commands

from bot.discord.cooldowns import OnCooldown
from bot.discord.text import escape, fit_embed, join_lines, send
from bot.engine.errors import EngineError, InvalidQuestion, StorageError

log = logging.getLogger(__name__)


def problems_embed(title: str, problems: Sequence[str]) -> discord.Embed:
    embed = discord.Embed(title=title, colour=discord.Colour.red())
    embed.description = join_lines([f"• {escape(p)}" for p in problems], 4000)
    return fit_embed(embed)


def _message(error: BaseException) -> str:
    if isinstance(error, EngineError | OnCooldown):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use that command here."
    ref = secrets.token_hex(4)
    if isinstance(error, StorageError):
        log.error("database unavailable (ref %s): %s", ref, error)
        return (
            f"The database is not reachable right now (ref: {ref}); nothing was saved. "
            "Try again in a moment."
        )
    log.error("interaction failed (ref %s)", ref, exc_info=error)
    return f"Something went wrong (ref: {ref}). It has been logged; please try again."


async def report_error(
    interaction: discord.Interaction, error: BaseException, *, echo: str | None = None
) -> None:
    """Tell the user what failed, privately; `echo` gives a typed answer back so it is not lost."""
    original = getattr(error, "original", None) or error
    message: str | None = None
    embed: discord.Embed | None = None
    if isinstance(original, InvalidQuestion) and original.problems:
        embed = problems_embed(str(original), original.problems)
    else:
        message = _message(original)
    if echo and echo.strip():
        fenced = echo.replace("```", "ʼʼʼ")
        embed = discord.Embed(
            title="Your answer, so nothing is lost",
            description=f"```\n{fenced[:4000]}\n```",
        )
    try:
        if message is None:
            await send(interaction, ephemeral=True, embed=embed)
        else:
            await send(interaction, ephemeral=True, content=message, embed=embed)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
