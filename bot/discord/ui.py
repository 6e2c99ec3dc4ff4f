"""The bases every feature's buttons and forms stand on, and the routes that reach them.

Every button is a `DynamicItem` whose custom_id carries its state (session id, question
position...), so buttons on old messages keep working after a restart; the state they point
at lives in the database. A feature's `setup()` registers each button class with the handler
that runs it (`Routes.button`), and each form's custom_id pattern with its handler
(`Routes.modal`).

Modal submits are routed by custom_id rather than by `Modal.on_submit`, because discord.py
forgets open modals when the bot restarts and a candidate's typed answer must not be lost.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot.discord.errors import report_error
from bot.engine.answers import MAX_ANSWER_CHARS
from bot.observability import set_log_context

Item = discord.ui.DynamicItem[discord.ui.Button[Any]]
ButtonT = TypeVar("ButtonT", bound="GuardedButton")
ButtonHandler = Callable[[discord.Interaction, ButtonT], Awaitable[None]]
ModalHandler = Callable[[discord.Interaction, re.Match[str], dict[str, str]], Awaitable[None]]


class GuardedButton:
    """Mixed into a feature's `DynamicItem` buttons: runs the registered handler, and sends
    its errors to the user (discord.py would only log them)."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await routes_of(interaction).run_button(interaction, self)
        except Exception as error:
            await report_error(interaction, error)


class RoutedModal(discord.ui.Modal):
    """A form whose submit is handled by its route, found by custom_id (see the module doc)."""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


@dataclass(frozen=True)
class _ModalRoute:
    pattern: re.Pattern[str]
    handler: ModalHandler
    echo: str | None  # the field given back on an error, so typed text is never lost


class Routes:
    """Which handler runs each button class and each form; filled by the features' setup()."""

    def __init__(self, bot: commands.Bot) -> None:
        self._bot = bot
        self._buttons: dict[type[GuardedButton], ButtonHandler[GuardedButton]] = {}
        self._modals: list[_ModalRoute] = []

    def button(self, kind: type[ButtonT], handler: ButtonHandler[ButtonT]) -> None:
        """Make `kind` clickable, on new messages and on old ones after a restart."""

        async def run(interaction: discord.Interaction, item: GuardedButton) -> None:
            assert isinstance(item, kind)
            await handler(interaction, item)

        self._buttons[kind] = run
        self._bot.add_dynamic_items(kind)  # type: ignore[arg-type]  # kind is a DynamicItem

    def modal(
        self, pattern: re.Pattern[str], handler: ModalHandler, *, echo: str | None = None
    ) -> None:
        self._modals.append(_ModalRoute(pattern, handler, echo))

    async def run_button(self, interaction: discord.Interaction, item: GuardedButton) -> None:
        set_log_context(interaction.guild_id, f"interaction:{interaction.id}")
        await self._buttons[type(item)](interaction, item)

    async def run_modal(self, interaction: discord.Interaction) -> None:
        """Hand a form submit to the route its custom_id matches; other submits are ignored."""
        set_log_context(interaction.guild_id, f"interaction:{interaction.id}")
        data: Mapping[str, object] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        values = modal_values(data)
        for route in self._modals:
            if match := route.pattern.fullmatch(custom_id):
                try:
                    await route.handler(interaction, match, values)
                except Exception as error:
                    echo = values.get(route.echo) if route.echo else None
                    await report_error(interaction, error, echo=echo)
                return


def routes_of(interaction: discord.Interaction) -> Routes:
    routes = getattr(interaction.client, "routes", None)
    if not isinstance(routes, Routes):
        raise RuntimeError("this client has no routes; use InterviewBot")
    return routes


def modal_values(data: Any) -> dict[str, str]:
    """Text inputs by custom_id from a raw modal submit, whether in action rows or labels."""
    values: dict[str, str] = {}

    def walk(component: Any) -> None:
        if not isinstance(component, dict):
            return
        if component.get("type") == 4 and "custom_id" in component:
            values[component["custom_id"]] = str(component.get("value") or "")
        for child in component.get("components", []) or []:
            walk(child)
        if "component" in component:
            walk(component["component"])

    for component in (data or {}).get("components", []) or []:
        walk(component)
    return values


Look = tuple[str, discord.ButtonStyle, str | None]  # label, style, emoji


def looked_button(look: dict[str, Look], action: str, custom_id: str) -> discord.ui.Button[Any]:
    """The button for one of a feature's actions, as its table of looks describes it."""
    label, style, emoji = look[action]
    return discord.ui.Button(label=label, style=style, emoji=emoji, custom_id=custom_id)


def view_of(items: Iterable[discord.ui.Item[Any]]) -> discord.ui.View:
    """A view that never times out: the buttons' state is in their custom_ids."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def answer_modal(
    owner_id: int, position: int, title: str, *, kind: str = "answer"
) -> discord.ui.Modal:
    """The one answer form: `kind` "answer" for solo sessions, "ranswer" for rounds.

    Its custom_id names the session (or round) and the question; its field is `answer`.
    """
    modal = RoutedModal(
        title=title[:45], custom_id=f"ib:{kind}:{owner_id}:{position}", timeout=3600
    )
    modal.add_item(
        discord.ui.Label(
            text="Your answer",
            description=f"Explain it as you would to an interviewer (up to {MAX_ANSWER_CHARS:,}"
            " characters).",
            component=discord.ui.TextInput(
                custom_id="answer",
                style=discord.TextStyle.paragraph,
                min_length=1,
                max_length=MAX_ANSWER_CHARS,
                required=True,
            ),
        )
    )
    return modal
