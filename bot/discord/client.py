"""The Discord client: wires the engine's services, the cogs, the buttons and one error handler."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.components import (
    ANSWER_MODAL,
    DYNAMIC_ITEMS,
    QUESTION_MODAL,
    ROUND_ANSWER_MODAL,
    forget_buttons,
    modal_values,
)
from bot.discord.cooldowns import Cooldown, OnCooldown
from bot.discord.permissions import can_manage_questions, refusal
from bot.discord.rounds import RoundFlows
from bot.discord.sessions import SessionFlows, send
from bot.discord.text import NO_MENTIONS
from bot.engine.authoring import QuestionAuthoring
from bot.engine.clock import Clock, SystemClock
from bot.engine.errors import EngineError, InvalidQuestion, NotAllowed
from bot.engine.guild_settings import SettingsService
from bot.engine.interview import InterviewService
from bot.engine.leaderboard import LeaderboardService
from bot.engine.rounds import RoundService
from bot.engine.users import UserService
from questions.model import QuestionBank
from storage.database import Database
from storage.errors import StorageError

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord.cogs.interview",
    "bot.discord.cogs.progress",
    "bot.discord.cogs.questions",
    "bot.discord.cogs.settings",
    "bot.discord.cogs.privacy",
    "bot.discord.cogs.help",
    "bot.discord.cogs.rounds",
)
ANSWER_COOLDOWN = (1, 3.0)  # one answer per 3 seconds
ADMIN_COOLDOWN = (5, 30.0)  # five admin commands per 30 seconds


# The bot never joins voice; without this, every start warns that voice is unsupported.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class InterviewBot(commands.Bot):
    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        *,
        dev_guild_id: int | None = None,
        message_content: bool = False,
        clock: Clock | None = None,
        answer_cooldown: tuple[int, float] = ANSWER_COOLDOWN,
        admin_cooldown: tuple[int, float] = ADMIN_COOLDOWN,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()  # no privileged intents for the core features
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            **options,
        )
        self.database = database
        self.dev_guild_id = dev_guild_id
        self.clock: Clock = clock or SystemClock()
        self.service = InterviewService(database, bank, self.clock)
        self.user_service = UserService(database)
        self.settings_service = SettingsService(database)
        self.authoring = QuestionAuthoring(database, bank)
        self.leaderboards = LeaderboardService(database, self.clock)
        self.sessions = SessionFlows(self)
        self.rounds = RoundFlows(self, RoundService(database, bank, self.clock))
        self._recovered = False
        self.answer_cooldown = Cooldown(*answer_cooldown)
        self.admin_cooldown = Cooldown(*admin_cooldown)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    @property
    def questions_ui(self) -> Any:
        return self.get_cog("Questions")

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Global commands take up to an hour to appear; a dev guild gets them at once."""
        if self.dev_guild_id is not None:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def close(self) -> None:
        await self.rounds.close_all()
        # Closing during startup: discord.py's delayed READY would otherwise fire after the
        # close and fail to schedule on_ready (a never-awaited coroutine warning).
        ready_task = getattr(self._connection, "_ready_task", None)
        if ready_task is not None and not ready_task.done():
            ready_task.cancel()
        await super().close()

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
        if not self._recovered:  # on_ready fires again after reconnects
            self._recovered = True
            await self.rounds.recover()

    # -- permissions and limits --------------------------------------------------------------

    async def require_manager(self, interaction: discord.Interaction) -> None:
        """Checked inside every managing command: server admins can change command defaults."""
        if interaction.guild is None:
            raise NotAllowed("This command only works in a server.")
        settings = await self.settings_service.get(interaction.guild.id)
        if not can_manage_questions(interaction.user, settings):
            raise NotAllowed(refusal(settings))
        retry = self.admin_cooldown.retry_after(interaction.user.id)
        if retry:
            raise OnCooldown(retry, "using admin commands")

    # -- routing what discord.py does not ------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        custom_id = str(data.get("custom_id", ""))
        values = modal_values(data)
        try:
            if match := ANSWER_MODAL.fullmatch(custom_id):
                try:
                    await self.sessions.on_answer_modal(
                        interaction,
                        int(match["session"]),
                        int(match["position"]),
                        values.get("answer", ""),
                    )
                except Exception as error:
                    await self.report_error(interaction, error, echo=values.get("answer"))
            elif match := ROUND_ANSWER_MODAL.fullmatch(custom_id):
                try:
                    await self.rounds.on_answer_modal(
                        interaction,
                        int(match["round"]),
                        int(match["position"]),
                        values.get("answer", ""),
                    )
                except Exception as error:
                    await self.report_error(interaction, error, echo=values.get("answer"))
            elif match := QUESTION_MODAL.fullmatch(custom_id):
                await self.questions_ui.on_question_modal(
                    interaction, match["mode"], match["question"], values
                )
        except Exception as error:
            await self.report_error(interaction, error)

    async def on_message(self, message: discord.Message) -> None:
        if not self.intents.message_content or message.author.bot:
            return
        try:
            await self.sessions.on_message(message)
        except EngineError as error:
            await message.reply(str(error), allowed_mentions=NO_MENTIONS)
        except Exception:
            ref = secrets.token_hex(4)
            log.exception("answer by message failed (ref %s)", ref)
            await message.reply(f"Something went wrong (ref: {ref}).", allowed_mentions=NO_MENTIONS)

    # -- /forget-me confirmation ---------------------------------------------------------

    async def ask_forget_me(self, interaction: discord.Interaction) -> None:
        await send(
            interaction,
            ephemeral=True,
            content=(
                "This deletes everything I store about you, in every server and DM: your "
                "answers and scores, interview sessions, review schedule and profile. "
                "It cannot be undone. Delete it all?"
            ),
            view=forget_buttons(interaction.user.id),
        )

    async def forget_me(self, interaction: discord.Interaction, owner: int, confirm: bool) -> None:
        if interaction.user.id != owner:
            await send(interaction, ephemeral=True, content="That button is for someone else.")
            return
        if not confirm:
            await interaction.response.edit_message(
                content="Cancelled: nothing was deleted.", view=None
            )
            return
        counts = await self.user_service.forget_discord_user(owner)
        await interaction.response.edit_message(
            content=None, embed=embeds.forget_result_embed(counts), view=None
        )

    # -- one error handler for everything ----------------------------------------------------

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.report_error(interaction, error)

    async def report_error(
        self, interaction: discord.Interaction, error: BaseException, *, echo: str | None = None
    ) -> None:
        """Every failure becomes an ephemeral message; unexpected ones carry a log reference."""
        original = getattr(error, "original", None) or error
        embed: discord.Embed | None = None
        if isinstance(original, InvalidQuestion) and original.problems:
            message = None
            embed = embeds.problems_embed(str(original), original.problems)
        elif isinstance(original, EngineError | OnCooldown):
            message = str(original)
        elif isinstance(original, app_commands.CommandOnCooldown):
            message = f"Slow down: try again in {max(1, round(original.retry_after))} s."
        elif isinstance(original, app_commands.CheckFailure):
            message = str(original) or "You can't use that command here."
        elif isinstance(original, StorageError):
            ref = secrets.token_hex(4)
            log.error("database unavailable (ref %s): %s", ref, original)
            message = (
                f"The database is not reachable right now (ref: {ref}); nothing was saved. "
                "Try again in a moment."
            )
        else:
            ref = secrets.token_hex(4)
            log.error("interaction failed (ref %s)", ref, exc_info=original)
            message = f"Something went wrong (ref: {ref}). It has been logged; please try again."
        if echo and echo.strip():
            fenced = echo.replace("```", "ʼʼʼ")
            embed = discord.Embed(
                title="Your answer, so nothing is lost",
                description=f"```\n{fenced[:4000]}\n```",
            )
        try:
            if message is None:
                await send(interaction, ephemeral=True, embed=embed)
            else:
                await send(interaction, ephemeral=True, content=message, embed=embed)
        except discord.HTTPException:
            log.warning("could not tell the user about an error", exc_info=True)
