"""Solo interviews: /interview, /review, their buttons and the answer form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.interview.buttons import ANSWER_MODAL, SessionButton, ShareButton
from bot.discord.interview.cog import Interview, Review
from bot.discord.interview.flows import SessionFlows

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    flows = SessionFlows(bot)
    bot.routes.button(SessionButton, flows.on_button)
    bot.routes.button(ShareButton, flows.on_share)
    bot.routes.modal(ANSWER_MODAL, flows.on_answer_modal, echo="answer")
    await bot.add_cog(Interview(flows))
    await bot.add_cog(Review(flows))
