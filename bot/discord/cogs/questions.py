"""/question: browse the bank, dry-run the scorer, and manage this server's own questions.

Managing (add, edit, remove, import, export) needs Manage Server or the server's manager
role. Discord can only set default permissions on a whole command, not per subcommand, so
`/question` stays visible to everyone (list, show and test are for all) and every managing
subcommand checks permissions itself.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.cogs.interview import topic_choices
from bot.discord.components import QUESTION_FIELDS, page_buttons, question_modal
from bot.discord.sessions import send
from bot.engine.authoring import (
    MAX_IMPORT_BYTES,
    QuestionForm,
    format_concepts,
    format_tips,
    summarize_problems,
)
from bot.engine.errors import InvalidQuestion, NotAllowed
from bot.engine.service import CUSTOM_PACK
from questions.loader import default_bank
from questions.scoring import MAX_ANSWER_CHARS

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

PAGE_SIZE = 8
PACK_CHOICES = [
    *(app_commands.Choice(name=pack, value=pack) for pack in sorted(default_bank().packs)),
    app_commands.Choice(name="this server's own questions", value=CUSTOM_PACK),
]


@app_commands.guild_only()
class Questions(commands.GroupCog, group_name="question"):
    """The question bank: built-in packs plus this server's own questions."""

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot
        super().__init__()

    # -- everyone ----------------------------------------------------------------------------

    @app_commands.command(name="list", description="Browse the questions, page by page")
    @app_commands.describe(topic="Only this topic", pack="Only this pack")
    @app_commands.choices(pack=PACK_CHOICES)
    async def list_(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        pack: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.show_page(
            interaction, 0, topic.strip().lower() if topic else None, pack.value if pack else None
        )

    @list_.autocomplete("topic")
    async def _topics(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)

    async def show_page(
        self,
        interaction: discord.Interaction,
        page: int,
        topic: str | None,
        pack: str | None,
        *,
        edit: bool = False,
    ) -> None:
        questions = await self.bot.authoring.list(interaction.guild_id, topic=topic, pack=pack)
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

    @app_commands.command(name="show", description="One question with its rubric and tips")
    @app_commands.describe(id="The question's id, from /question list")
    async def show(self, interaction: discord.Interaction, id: str) -> None:
        question = await self.bot.authoring.show(interaction.guild_id, id.strip())
        embed = embeds.question_detail_embed(
            question, built_in=question.id in self.bot.authoring.bank.questions
        )
        await send(interaction, ephemeral=True, embed=embed)

    @app_commands.command(name="test", description="Dry-run the scorer on an answer (not saved)")
    @app_commands.describe(id="The question's id", answer="An answer to score")
    async def test(
        self,
        interaction: discord.Interaction,
        id: str,
        answer: app_commands.Range[str, 1, MAX_ANSWER_CHARS],
    ) -> None:
        question = await self.bot.authoring.show(interaction.guild_id, id.strip())
        result = await self.bot.authoring.dry_run(interaction.guild_id, question.id, answer)
        embed = embeds.result_embed(result, question, f"Dry run · {question.id}")
        await send(interaction, ephemeral=True, embed=embed)

    # -- managers ----------------------------------------------------------------------------

    @app_commands.command(name="add", description="Write a new question for this server")
    async def add(self, interaction: discord.Interaction) -> None:
        await self.bot.require_manager(interaction)
        await interaction.response.send_modal(question_modal(None))

    @app_commands.command(name="edit", description="Edit one of this server's questions")
    @app_commands.describe(id="The question's id")
    async def edit(self, interaction: discord.Interaction, id: str) -> None:
        await self.bot.require_manager(interaction)
        question_id = id.strip()
        self.bot.authoring._refuse_built_in(question_id)
        question = await self.bot.authoring.show(interaction.guild_id, question_id)
        defaults = {
            "prompt": question.prompt,
            "topic": f"{question.topic} / {question.difficulty}",
            "model_answer": question.model_answer,
            "concepts": format_concepts(question)[:4000],
            "tips": format_tips(question)[:4000],
        }
        await interaction.response.send_modal(question_modal(question_id, defaults))

    async def on_question_modal(
        self,
        interaction: discord.Interaction,
        mode: str,
        question_id: str | None,
        values: dict[str, str],
    ) -> None:
        await self.bot.require_manager(interaction)
        guild = interaction.guild
        assert guild is not None
        form = QuestionForm(**{key: values.get(key, "") for key in QUESTION_FIELDS})
        await self.bot.settings_service.ensure_guild(guild.id, guild.name)
        if mode == "add":
            author = await self.bot.sessions.user_id(interaction.user)
            question = await self.bot.authoring.add(
                guild.id, form, author, source=f"Written on {guild.name}"[:200]
            )
            verb = "Added"
        else:
            assert question_id is not None
            question = await self.bot.authoring.edit(guild.id, question_id, form)
            verb = "Saved"
        embed = embeds.question_detail_embed(question, built_in=False)
        await send(
            interaction,
            ephemeral=True,
            content=f"{verb} `{question.id}`. Try it with `/question test id:{question.id}`.",
            embed=embed,
        )

    @app_commands.command(name="remove", description="Remove one of this server's questions")
    @app_commands.describe(id="The question's id (past answers to it are kept)")
    async def remove(self, interaction: discord.Interaction, id: str) -> None:
        await self.bot.require_manager(interaction)
        assert interaction.guild is not None
        question = await self.bot.authoring.remove(interaction.guild.id, id.strip())
        await send(
            interaction,
            ephemeral=True,
            content=(
                f"Removed `{question.id}`. New interviews will not ask it; answers already "
                "given to it stay in everyone's history."
            ),
        )

    @app_commands.command(name="import", description="Import questions from a YAML pack file")
    @app_commands.describe(file="A .yaml file in the pack format (see /question export)")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await self.bot.require_manager(interaction)
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
        author = await self.bot.sessions.user_id(interaction.user)
        try:
            report = await self.bot.authoring.import_pack(guild.id, content, file.filename, author)
        except InvalidQuestion as error:
            raise InvalidQuestion(str(error), summarize_problems(error.problems, 40)) from None
        await send(interaction, ephemeral=True, embed=embeds.import_embed(report, file.filename))

    @app_commands.command(name="export", description="Download questions as a YAML pack file")
    @app_commands.describe(pack="Which pack (default: this server's own questions)")
    @app_commands.choices(pack=PACK_CHOICES)
    async def export(
        self, interaction: discord.Interaction, pack: app_commands.Choice[str] | None = None
    ) -> None:
        await self.bot.require_manager(interaction)
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        filename, text = await self.bot.authoring.export_pack(
            guild.id, pack.value if pack else None, guild.name
        )
        await send(
            interaction,
            ephemeral=True,
            content=f"`{filename}`: edit it and bring it back with `/question import`.",
            file=discord.File(io.BytesIO(text.encode("utf-8")), filename=filename),
        )


async def setup(bot: InterviewBot) -> None:
    if bot.get_cog("Questions") is None:
        await bot.add_cog(Questions(bot))


__all__ = ["NotAllowed", "Questions", "setup"]
