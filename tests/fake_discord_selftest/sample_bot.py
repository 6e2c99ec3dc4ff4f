"""A tiny bot exercising what the real bot will use: ephemeral replies, groups, dynamic buttons,
modals, deferred followups with files, private threads, attachment options and prefix commands."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


class CountButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"demo:count:(?P<n>[0-9]+)",
):
    """Survives restarts: any bot instance rebuilds it from the custom_id."""

    def __init__(self, n: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Count {n}", custom_id=f"demo:count:{n}", style=discord.ButtonStyle.primary
            )
        )
        self.n = n

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Button[discord.ui.View],
        match: re.Match[str],
        /,
    ) -> CountButton:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(
            content=f"count={self.n + 1}", view=DemoView(self.n + 1)
        )


class EchoModal(discord.ui.Modal, title="Echo"):
    """One TextInput placed directly (sent in an action row) and one inside a Label."""

    answer: discord.ui.TextInput[EchoModal] = discord.ui.TextInput(
        label="Answer", custom_id="echo:answer"
    )
    note: discord.ui.Label[EchoModal] = discord.ui.Label(
        text="Note", component=discord.ui.TextInput(custom_id="echo:note", required=False)
    )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        note = self.note.component
        assert isinstance(note, discord.ui.TextInput)
        await interaction.response.send_message(
            f"answer={self.answer.value};note={note.value}", ephemeral=True
        )


class DemoView(discord.ui.View):
    def __init__(self, n: int) -> None:
        super().__init__(timeout=None)
        self.add_item(CountButton(n))

    @discord.ui.button(label="Open modal", custom_id="demo:modal")
    async def open_modal(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[DemoView]
    ) -> None:
        await interaction.response.send_modal(EchoModal(custom_id="echo:modal"))


class PickView(discord.ui.View):
    @discord.ui.select(
        custom_id="pick:letter",
        options=[discord.SelectOption(label=x.upper(), value=x) for x in "abc"],
    )
    async def letter(
        self, interaction: discord.Interaction[Any], select: discord.ui.Select[PickView]
    ) -> None:
        await interaction.response.edit_message(content=f"picked {select.values}", view=None)


def add_commands(bot: commands.Bot) -> None:
    tree = bot.tree

    @tree.command(name="ping", description="Check the bot is alive")
    async def ping(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    demo = app_commands.Group(name="demo", description="Demo commands")

    @demo.command(name="echo", description="Echo text back")
    @app_commands.describe(text="What to echo")
    async def echo(interaction: discord.Interaction[Any], text: str) -> None:
        await interaction.response.send_message(
            text, allowed_mentions=discord.AllowedMentions.none(), view=DemoView(0)
        )

    tree.add_command(demo)

    admin = app_commands.Group(
        name="admin",
        description="Admin commands",
        default_permissions=discord.Permissions(manage_guild=True),
    )
    config = app_commands.Group(name="config", description="Configuration", parent=admin)

    @config.command(name="set", description="Set a value")
    async def config_set(interaction: discord.Interaction[Any], key: str, value: int) -> None:
        await interaction.response.send_message(f"{key}={value}", ephemeral=True)

    tree.add_command(admin)

    @tree.command(name="file", description="Send a file after thinking")
    async def file(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("report", file=discord.File(io.BytesIO(PNG_BYTES), "r.png"))

    @tree.command(name="thread", description="Open an interview thread")
    async def thread(interaction: discord.Interaction[Any]) -> None:
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)
        await interaction.response.defer(ephemeral=True)
        name = f"interview-{interaction.user.name}"
        try:
            created = await channel.create_thread(
                name=name, type=discord.ChannelType.private_thread, invitable=False
            )
        except discord.Forbidden:
            created = await channel.create_thread(name=name, type=discord.ChannelType.public_thread)
        await created.add_user(interaction.user)
        await created.send(f"Welcome {interaction.user.mention}")
        await interaction.followup.send(f"Opened {created.mention}", ephemeral=True)

    @tree.command(name="room", description="Open a voice room only you can join, then close it")
    async def room(interaction: discord.Interaction[Any]) -> None:
        guild = interaction.guild
        assert guild is not None and guild.me is not None
        member_only = discord.PermissionOverwrite(view_channel=True, connect=True)
        overwrites: dict[Any, discord.PermissionOverwrite] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False, connect=False),
            interaction.user: member_only,
            guild.me: member_only,
        }
        try:
            voice = await guild.create_voice_channel("room", overwrites=overwrites)
        except discord.Forbidden:
            await interaction.response.send_message("no room", ephemeral=True)
            return
        await interaction.response.send_message(f"room {voice.id}", ephemeral=True)
        await voice.delete()

    @tree.command(name="attach", description="Read an attachment")
    async def attach(interaction: discord.Interaction[Any], file: discord.Attachment) -> None:
        data = await file.read()
        digest = hashlib.sha256(data).hexdigest()
        await interaction.response.send_message(f"{file.filename}:{len(data)}:{digest}")

    @tree.command(name="pick", description="Pick a letter")
    async def pick(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("pick one", view=PickView())

    @tree.command(name="secret", description="An ephemeral counter")
    async def secret(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("secret", view=DemoView(0), ephemeral=True)

    @tree.command(name="inspect", description="Describe a member and a role")
    @app_commands.describe(member="Who to inspect", role="Which role")
    async def inspect(
        interaction: discord.Interaction[Any], member: discord.Member, role: discord.Role
    ) -> None:
        await interaction.response.send_message(
            f"{member.name}|{role.name}|target_admin={member.resolved_permissions.administrator}"
            f"|caller_admin={interaction.permissions.administrator}"
            f"|caller_kick={interaction.permissions.kick_members}"
        )

    @tree.command(name="topic", description="Choose a topic")
    @app_commands.describe(name="Topic name")
    async def topic(interaction: discord.Interaction[Any], name: str) -> None:
        await interaction.response.send_message(f"topic={name}", ephemeral=True)

    @topic.autocomplete("name")
    async def topic_names(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        names = ["python", "postgres", "networking"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    @tree.context_menu(name="Greet")
    async def greet(interaction: discord.Interaction[Any], user: discord.Member) -> None:
        await interaction.response.send_message(f"hello {user.name}", ephemeral=True)

    @tree.command(name="dm", description="Send yourself a DM")
    async def dm(interaction: discord.Interaction[Any]) -> None:
        try:
            sent = await interaction.user.send("psst")
        except discord.Forbidden:
            await interaction.response.send_message("dm closed", ephemeral=True)
            return
        await sent.edit(content="psst (edited)")
        await interaction.response.send_message("dm ok", ephemeral=True)

    @tree.command(name="boom", description="Always fails")
    async def boom(interaction: discord.Interaction[Any]) -> None:
        raise RuntimeError("boom from command")

    @bot.command(name="hello")
    async def hello(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.reply("hi there")


class SampleBot(commands.Bot):
    def __init__(self, guild_id: int, *, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.guild_id = guild_id

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CountButton)
        add_commands(self)
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)
        await self.tree.sync()
