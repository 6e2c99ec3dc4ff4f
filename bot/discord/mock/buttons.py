"""The buttons, checklist menu and forms of peer mock interviews.

Each button and the checklist are `DynamicItem`s whose custom_id names the session and round,
so they work on old messages after a restart; forms are routed by custom_id (see ui.py).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.text import truncate
from bot.discord.ui import GuardedButton, Look, RoutedModal, looked_button, view_of
from bot.engine.mock import RoundState
from bot.engine.mock.rules import ANCHORS, AXES, AXIS_NAMES, LEVELS, NOTE_LIMIT, REPORT_LIMIT

ANSWER_KIND = "manswer"  # answer_modal(kind=...): ib:manswer:<session>:<round>
ANSWER_MODAL = re.compile(r"ib:manswer:(?P<session>[0-9]+):(?P<round>[0-9]+)")
RATE_MODAL = re.compile(r"ib:mrate:(?P<session>[0-9]+):(?P<round>[0-9]+)")
REPORT_MODAL = re.compile(r"ib:mreport:(?P<session>[0-9]+)")

_LOOK: dict[str, Look] = {
    "accept": ("Accept", discord.ButtonStyle.success, "🤝"),
    "decline": ("Decline", discord.ButtonStyle.secondary, None),
    "kit": ("Interviewer kit", discord.ButtonStyle.primary, "🧰"),
    "answer": ("Write my answer", discord.ButtonStyle.secondary, "✍️"),
    "rate": ("Rate the candidate", discord.ButtonStyle.success, "⭐"),
    "leave": ("Leave", discord.ButtonStyle.secondary, None),
    "report": ("End & report", discord.ButtonStyle.danger, "🚩"),
    "mine": ("My feedback", discord.ButtonStyle.primary, "🔎"),
    "useful": ("Useful", discord.ButtonStyle.success, "👍"),
    "useless": ("Not useful", discord.ButtonStyle.secondary, "👎"),
    "requeue": ("Back to the queue (front)", discord.ButtonStyle.primary, "⏫"),
}


class MockButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:m:(?P<action>[a-z]+):(?P<session>[0-9]+):(?P<round>[0-9]+)",
):
    """One action on one mock-interview session (and round, where it matters)."""

    def __init__(self, action: str, session_id: int, number: int = 0) -> None:
        super().__init__(looked_button(_LOOK, action, f"ib:m:{action}:{session_id}:{number}"))
        self.action = action
        self.session_id = session_id
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MockButton:
        if match["action"] not in _LOOK:
            raise ValueError(f"unknown mock action {match['action']!r}")
        return cls(match["action"], int(match["session"]), int(match["round"]))


class ChecklistSelect(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"ib:mc:(?P<session>[0-9]+):(?P<round>[0-9]+)",
):
    """The interviewer's checklist: the concepts ticked so far are the menu's defaults."""

    def __init__(self, session_id: int, number: int, state: RoundState | None = None) -> None:
        concepts = [c.name for c in state.question.rubric][:25] if state else ["?"]
        ticked = set(state.ticked) if state else set()
        super().__init__(
            discord.ui.Select(
                custom_id=f"ib:mc:{session_id}:{number}",
                placeholder="Checklist: tick what the candidate covered",
                min_values=0,
                max_values=max(1, len(concepts)),
                options=[
                    discord.SelectOption(
                        label=truncate(name, 100), value=str(i), default=name in ticked
                    )
                    for i, name in enumerate(concepts)
                ],
            )
        )
        self.session_id = session_id
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChecklistSelect:
        return cls(int(match["session"]), int(match["round"]))


def chosen(interaction: discord.Interaction) -> list[str]:
    """The values of a select interaction, read from the payload (rebuilt items have none)."""
    data: Any = interaction.data or {}
    return [str(v) for v in data.get("values", [])]


def buttons(session_id: int, number: int, *actions: str) -> discord.ui.View:
    return view_of(MockButton(action, session_id, number) for action in actions)


def room_buttons(session_id: int, number: int) -> discord.ui.View:
    return buttons(session_id, number, "kit", "answer", "leave", "report")


def kit_view(session_id: int, state: RoundState) -> discord.ui.View:
    items: list[discord.ui.Item[Any]] = []
    if state.question.rubric:
        items.append(ChecklistSelect(session_id, state.number, state))
    items.append(MockButton("rate", session_id, state.number))
    return view_of(items)


def rate_modal(session_id: int, state: RoundState) -> discord.ui.Modal:
    """Three 1-4 scales, each level with its one-line anchor, and a free-text note."""
    title = truncate(f"Rate {state.candidate.display_name}", 45)
    modal = RoutedModal(title=title, custom_id=f"ib:mrate:{session_id}:{state.number}")
    for axis in AXES:
        modal.add_item(
            discord.ui.Label(
                text=AXIS_NAMES[axis],
                description="1 is the lowest, 4 the highest",
                component=discord.ui.Select(
                    custom_id=axis,
                    options=[
                        discord.SelectOption(
                            label=truncate(f"{level} · {ANCHORS[axis][level - 1]}", 100),
                            value=str(level),
                        )
                        for level in LEVELS
                    ],
                ),
            )
        )
    modal.add_item(
        discord.ui.Label(
            text="A note for the candidate",
            description="What went well, one thing to work on (optional)",
            component=discord.ui.TextInput(
                custom_id="note",
                style=discord.TextStyle.paragraph,
                required=False,
                max_length=NOTE_LIMIT,
            ),
        )
    )
    return modal


def report_modal(session_id: int) -> discord.ui.Modal:
    modal = RoutedModal(title="End the session and report", custom_id=f"ib:mreport:{session_id}")
    modal.add_item(
        discord.ui.Label(
            text="What happened?",
            description="The server's moderators read this; the session ends at once.",
            component=discord.ui.TextInput(
                custom_id="reason",
                style=discord.TextStyle.paragraph,
                required=True,
                max_length=REPORT_LIMIT,
            ),
        )
    )
    return modal


def modal_choices(data: Any) -> dict[str, list[str]]:
    """Select values by custom_id from a raw modal submit (text inputs are in ui.py)."""
    found: dict[str, list[str]] = {}

    def walk(component: Any) -> None:
        if not isinstance(component, dict):
            return
        if component.get("type") == 3 and "custom_id" in component:
            found[component["custom_id"]] = [str(v) for v in component.get("values") or []]
        for child in component.get("components", []) or []:
            walk(child)
        if "component" in component:
            walk(component["component"])

    for component in (data or {}).get("components", []) or []:
        walk(component)
    return found
