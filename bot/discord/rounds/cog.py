"""/round start|stop|status: timed study-group rounds in a server channel."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.lookups import DIFFICULTY_CHOICES, Topic
from bot.discord.rounds.flows import RoundFlows
from bot.discord.rounds.pacing import RoundPacer
from bot.engine.rounds.rules import (
    DEFAULT_LOBBY,
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    MAX_LOBBY,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_LOBBY,
    MIN_QUESTIONS,
    MIN_SECONDS,
)


@app_commands.guild_only()
class Rounds(commands.GroupCog, group_name="round"):
    """Everyone answers the same question privately against the clock, then the reveal."""

    def __init__(self, flows: RoundFlows, pacer: RoundPacer) -> None:
        self.flows = flows
        self.pacer = pacer
        super().__init__()

    async def cog_unload(self) -> None:
        await self.pacer.close_all()  # the bot is closing: no timer may fire after this

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.pacer.start_recovery()

    # Plain ints, checked by the engine: out-of-range values get our clear message.
    @app_commands.command(name="start", description="Open a timed study-group round here")
    @app_commands.describe(
        topic="Only questions on this topic",
        difficulty="Only questions of this difficulty",
        questions=f"How many questions ({MIN_QUESTIONS}-{MAX_QUESTIONS}, default "
        f"{DEFAULT_QUESTIONS})",
        seconds=f"Seconds per question ({MIN_SECONDS}-{MAX_SECONDS}, default {DEFAULT_SECONDS})",
        lobby=f"Seconds to join before it starts ({MIN_LOBBY}-{MAX_LOBBY}, default "
        f"{DEFAULT_LOBBY})",
    )
    @app_commands.choices(difficulty=DIFFICULTY_CHOICES)
    async def start_round(
        self,
        interaction: discord.Interaction,
        topic: Topic | None = None,
        difficulty: app_commands.Choice[str] | None = None,
        questions: int = DEFAULT_QUESTIONS,
        seconds: int = DEFAULT_SECONDS,
        lobby: int = DEFAULT_LOBBY,
    ) -> None:
        chosen = difficulty.value if difficulty else None
        limits = {"questions": questions, "seconds": seconds, "lobby": lobby}
        await self.flows.open_lobby(interaction, topic=topic, difficulty=chosen, **limits)

    @app_commands.command(name="stop", description="Stop the round here and post the standings")
    async def stop_round(self, interaction: discord.Interaction) -> None:
        await self.flows.stop_round(interaction)

    @app_commands.command(name="status", description="The round's question, time left, answers")
    async def round_status(self, interaction: discord.Interaction) -> None:
        await self.flows.round_status(interaction)
