"""Server settings: /settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.settings.cog import Settings
from bot.discord.settings.flows import SettingsFlows

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Settings(SettingsFlows(bot)))
