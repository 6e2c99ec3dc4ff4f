"""/question: browse the bank, dry-run the scorer, and manage this server's own questions.

Managing (add, edit, remove, import, export) needs Manage Server or the server's manager
role. Discord can only set default permissions on a whole command, not per subcommand, so
`/question` stays visible to everyone (list, show and test are for all) and every managing
subcommand checks permissions itself.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.lookups import Topic
from bot.discord.questions.flows import QuestionFlows
from bot.engine.answers import MAX_ANSWER_CHARS
from bot.engine.selection import CUSTOM_PACK
from questions.loader import default_bank

PACK_CHOICES = [
    *(app_commands.Choice(name=pack, value=pack) for pack in sorted(default_bank().packs)),
    app_commands.Choice(name="this server's own questions", value=CUSTOM_PACK),
]


@app_commands.guild_only()
class Questions(commands.GroupCog, group_name="question"):
    """The question bank: built-in packs plus this server's own questions."""

    def __init__(self, flows: QuestionFlows) -> None:
        self.flows = flows
        super().__init__()

    # -- everyone ----------------------------------------------------------------------------

    @app_commands.command(name="list", description="Browse the questions, page by page")
    @app_commands.describe(topic="Only this topic", pack="Only this pack")
    @app_commands.choices(pack=PACK_CHOICES)
    async def list_(
        self,
        interaction: discord.Interaction,
        topic: Topic | None = None,
        pack: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.flows.show_page(interaction, 0, topic, pack.value if pack else None)

    @app_commands.command(name="show", description="One question with its rubric and tips")
    @app_commands.describe(id="The question's id, from /question list")
    async def show(self, interaction: discord.Interaction, id: str) -> None:
        await self.flows.show(interaction, id.strip())

    @app_commands.command(name="test", description="Dry-run the scorer on an answer (not saved)")
    @app_commands.describe(id="The question's id", answer="An answer to score")
    async def test(
        self,
        interaction: discord.Interaction,
        id: str,
        answer: app_commands.Range[str, 1, MAX_ANSWER_CHARS],
    ) -> None:
        await self.flows.dry_run(interaction, id.strip(), answer)

    # -- managers ----------------------------------------------------------------------------

    @app_commands.command(name="add", description="Write a new question for this server")
    async def add(self, interaction: discord.Interaction) -> None:
        await self.flows.open_form(interaction, None)

    @app_commands.command(name="edit", description="Edit one of this server's questions")
    @app_commands.describe(id="The question's id")
    async def edit(self, interaction: discord.Interaction, id: str) -> None:
        await self.flows.open_form(interaction, id.strip())

    @app_commands.command(name="remove", description="Remove one of this server's questions")
    @app_commands.describe(id="The question's id (past answers to it are kept)")
    async def remove(self, interaction: discord.Interaction, id: str) -> None:
        await self.flows.remove(interaction, id.strip())

    @app_commands.command(name="import", description="Import questions from a YAML pack file")
    @app_commands.describe(file="A .yaml file in the pack format (see /question export)")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await self.flows.import_pack(interaction, file)

    @app_commands.command(name="export", description="Download questions as a YAML pack file")
    @app_commands.describe(pack="Which pack (default: this server's own questions)")
    @app_commands.choices(pack=PACK_CHOICES)
    async def export(
        self, interaction: discord.Interaction, pack: app_commands.Choice[str] | None = None
    ) -> None:
        await self.flows.export_pack(interaction, pack.value if pack else None)
