"""Help: /help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.help.cog import Help

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Help())
