"""Progress and leaderboards: /progress with its chart, /leaderboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.progress.cog import Progress
from bot.discord.progress.flows import ProgressFlows

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Progress(ProgressFlows(bot)))
