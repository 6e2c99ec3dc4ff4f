"""What /question does: browse the bank, dry-run the scorer, manage this server's questions.

Managing (add, edit, remove, import, export) needs Manage Server or the server's manager
role; every managing flow checks it itself (see cog.py for why).
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING

import discord

from bot.discord.interview.embeds import result_embed
from bot.discord.lookups import user_of
from bot.discord.permissions import require_manager
from bot.discord.questions import embeds
from bot.discord.questions.buttons import (
    QUESTION_FIELDS,
    QuestionPageButton,
    page_buttons,
    question_modal,
)
from bot.discord.text import send
from bot.engine.authoring import (
    MAX_IMPORT_BYTES,
    QuestionForm,
    format_concepts,
    format_tips,
    summarize_problems,
)
from bot.engine.errors import InvalidQuestion
from bot.engine.selection import CUSTOM_PACK

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

PAGE_SIZE = 8


class QuestionFlows:
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot
        self.authoring = bot.authoring

    # -- everyone ----------------------------------------------------------------------------

    async def show_page(
        self,
        interaction: discord.Interaction,
        page: int,
        topic: str | None,
        pack: str | None,
        *,
        edit: bool = False,
    ) -> None:
        questions = await self.authoring.list(interaction.guild_id, topic=topic, pack=pack)
        pages = max(1, math.ceil(len(questions) / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        custom_ids = {q.id for q in questions if q.pack == CUSTOM_PACK}
        filters = " · ".join(f for f in (topic, pack) if f)
        embed = embeds.question_list_embed(
            questions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages, custom_ids, filters
        )
        view = page_buttons(page, pages, topic, pack) if pages > 1 else None
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await send(interaction, ephemeral=True, embed=embed, view=view)

    async def on_page_button(
        self, interaction: discord.Interaction, button: QuestionPageButton
    ) -> None:
        await self.show_page(
            interaction, button.page, button.topic or None, button.pack or None, edit=True
        )

    async def show(self, interaction: discord.Interaction, question_id: str) -> None:
        question = await self.authoring.show(interaction.guild_id, question_id)
        embed = embeds.question_detail_embed(
            question, built_in=question.id in self.authoring.bank.questions
        )
        await send(interaction, ephemeral=True, embed=embed)

    async def dry_run(
        self, interaction: discord.Interaction, question_id: str, answer: str
    ) -> None:
        question = await self.authoring.show(interaction.guild_id, question_id)
        result = await self.authoring.dry_run(interaction.guild_id, question.id, answer)
        embed = result_embed(result, question, f"Dry run · {question.id}")
        await send(interaction, ephemeral=True, embed=embed)

    # -- managers ----------------------------------------------------------------------------

    async def open_form(self, interaction: discord.Interaction, question_id: str | None) -> None:
        """The add form (no id), or the edit form filled with the question as it is."""
        await require_manager(self.bot, interaction)
        if question_id is None:
            await interaction.response.send_modal(question_modal(None))
            return
        self.authoring.refuse_built_in(question_id)
        question = await self.authoring.show(interaction.guild_id, question_id)
        defaults = {
            "prompt": question.prompt,
            "topic": f"{question.topic} / {question.difficulty}",
            "model_answer": question.model_answer,
            "concepts": format_concepts(question)[:4000],
            "tips": format_tips(question)[:4000],
        }
        await interaction.response.send_modal(question_modal(question_id, defaults))

    async def on_question_modal(
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        await require_manager(self.bot, interaction)
        guild = interaction.guild
        assert guild is not None
        form = QuestionForm(**{key: values.get(key, "") for key in QUESTION_FIELDS})
        await self.bot.settings_service.ensure_guild(guild.id, guild.name)
        if match["mode"] == "add":
            author = await user_of(self.bot, interaction.user)
            question = await self.authoring.add(
                guild.id, form, author, source=f"Written on {guild.name}"[:200]
            )
            verb = "Added"
        else:
            question = await self.authoring.edit(guild.id, match["question"], form)
            verb = "Saved"
        embed = embeds.question_detail_embed(
            question, built_in=False, preview=self.authoring.preview(question)
        )
        await send(
            interaction,
            ephemeral=True,
            content=f"{verb} `{question.id}`. Try it with `/question test id:{question.id}`.",
            embed=embed,
        )

    async def remove(self, interaction: discord.Interaction, question_id: str) -> None:
        await require_manager(self.bot, interaction)
        assert interaction.guild is not None
        question = await self.authoring.remove(interaction.guild.id, question_id)
        await send(
            interaction,
            ephemeral=True,
            content=(
                f"Removed `{question.id}`. New interviews will not ask it; answers already "
                "given to it stay in everyone's history."
            ),
        )

    async def import_pack(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await require_manager(self.bot, interaction)
        guild = interaction.guild
        assert guild is not None
        if file.size > MAX_IMPORT_BYTES:
            raise InvalidQuestion(
                f"`{file.filename}` is {file.size:,} bytes; the limit is "
                f"{MAX_IMPORT_BYTES:,} bytes."
            )
        if not file.filename.lower().endswith((".yaml", ".yml")):
            raise InvalidQuestion("Attach a `.yaml` file in the pack format.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        content = await file.read()
        await self.bot.settings_service.ensure_guild(guild.id, guild.name)
        author = await user_of(self.bot, interaction.user)
        try:
            report = await self.authoring.import_pack(guild.id, content, file.filename, author)
        except InvalidQuestion as error:
            raise InvalidQuestion(str(error), summarize_problems(error.problems, 40)) from None
        await send(interaction, ephemeral=True, embed=embeds.import_embed(report, file.filename))

    async def export_pack(self, interaction: discord.Interaction, pack: str | None) -> None:
        await require_manager(self.bot, interaction)
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        filename, text = await self.authoring.export_pack(guild.id, pack, guild.name)
        await send(
            interaction,
            ephemeral=True,
            content=f"`{filename}`: edit it and bring it back with `/question import`.",
            file=discord.File(io.BytesIO(text.encode("utf-8")), filename=filename),
        )
