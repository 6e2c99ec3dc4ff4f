"""The question bank: /question, its page buttons and the add/edit form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.questions.buttons import QUESTION_MODAL, QuestionPageButton
from bot.discord.questions.cog import Questions
from bot.discord.questions.flows import QuestionFlows

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


async def setup(bot: InterviewBot) -> None:
    flows = QuestionFlows(bot)
    bot.routes.button(QuestionPageButton, flows.on_page_button)
    bot.routes.modal(QUESTION_MODAL, flows.on_question_modal)
    await bot.add_cog(Questions(flows))
