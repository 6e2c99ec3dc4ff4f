"""The buttons of a solo interview: one action on one question, and sharing a result."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, view_of

SESSION_ACTIONS = ("answer", "hint", "skip", "stop", "next", "model")
ANSWER_MODAL = re.compile(r"ib:answer:(?P<session>[0-9]+):(?P<position>[0-9]+)")

_BUTTON_LOOK: dict[str, tuple[str, discord.ButtonStyle, str | None]] = {
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "hint": ("Hint", discord.ButtonStyle.secondary, "💡"),
    "skip": ("Skip", discord.ButtonStyle.secondary, "⏭️"),
    "stop": ("Stop", discord.ButtonStyle.danger, "⏹️"),
    "next": ("Next", discord.ButtonStyle.primary, "➡️"),
    "model": ("Model answer", discord.ButtonStyle.secondary, "📘"),
}


class SessionButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:s:(?P<action>[a-z]+):(?P<session>[0-9]+):(?P<position>[0-9]+)",
):
    """One action on one question of one session; the position makes double clicks harmless."""

    def __init__(
        self, action: str, session_id: int, position: int, label: str | None = None
    ) -> None:
        text, style, emoji = _BUTTON_LOOK[action]
        super().__init__(
            discord.ui.Button(
                label=label or text,
                style=style,
                emoji=emoji,
                custom_id=f"ib:s:{action}:{session_id}:{position}",
            )
        )
        self.action = action
        self.session_id = session_id
        self.position = position

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SessionButton:
        action = match["action"]
        if action not in SESSION_ACTIONS:
            raise ValueError(f"unknown session action {action!r}")
        label = getattr(item, "label", None)
        return cls(action, int(match["session"]), int(match["position"]), label=label)


class ShareButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:share:(?P<attempt>[0-9]+)",
):
    """Posts the result (never the answer) to the channel, for candidates who want to."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Share result",
                style=discord.ButtonStyle.secondary,
                emoji="📣",
                custom_id=f"ib:share:{attempt_id}",
            )
        )
        self.attempt_id = attempt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareButton:
        return cls(int(match["attempt"]))


def question_buttons(session_id: int, position: int) -> discord.ui.View:
    return view_of(
        SessionButton(action, session_id, position) for action in ("answer", "hint", "skip", "stop")
    )


def feedback_buttons(
    session_id: int,
    answered_position: int,
    finished: bool,
    attempt_id: int | None = None,
) -> discord.ui.View:
    items: list[discord.ui.Item[Any]] = [
        SessionButton("model", session_id, answered_position),
        SessionButton(
            "next", session_id, answered_position + 1, label="Finish" if finished else None
        ),
    ]
    if attempt_id is not None:
        items.append(ShareButton(attempt_id))
    return view_of(items)
