"""Privacy: /forget-me and its confirmation buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.privacy.buttons import ForgetButton
from bot.discord.privacy.cog import Privacy
from bot.discord.privacy.flows import PrivacyFlows

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    flows = PrivacyFlows(bot)
    bot.routes.button(ForgetButton, flows.on_button)
    await bot.add_cog(Privacy(flows))
