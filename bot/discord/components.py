"""Buttons and modals. Every button is a `DynamicItem` whose custom_id carries its state
(session id, question position...), so buttons on old messages keep working after a restart;
the state they point at lives in the database.

Modal submits are routed by custom_id in `InterviewBot.on_interaction` rather than by
`Modal.on_submit`, because discord.py forgets open modals when the bot restarts and a
candidate's typed answer must not be lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import discord

from bot.engine.answers import MAX_ANSWER_CHARS

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

SESSION_ACTIONS = ("answer", "hint", "skip", "stop", "next", "model")
ANSWER_MODAL = re.compile(r"ib:answer:(?P<session>[0-9]+):(?P<position>[0-9]+)")
ROUND_ANSWER_MODAL = re.compile(r"ib:ranswer:(?P<round>[0-9]+):(?P<position>[0-9]+)")
QUESTION_MODAL = re.compile(r"ib:qform:(?P<mode>add|edit)(?::(?P<question>[a-z0-9-]+))?")


def _bot(interaction: discord.Interaction) -> InterviewBot:
    return interaction.client  # type: ignore[return-value]


class _Guarded:
    """Dynamic item callbacks' errors are only logged by discord.py; ours reach the user."""

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        try:
            await self.run(interaction)
        except Exception as error:
            await _bot(interaction).report_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


_BUTTON_LOOK: dict[str, tuple[str, discord.ButtonStyle, str | None]] = {
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "hint": ("Hint", discord.ButtonStyle.secondary, "💡"),
    "skip": ("Skip", discord.ButtonStyle.secondary, "⏭️"),
    "stop": ("Stop", discord.ButtonStyle.danger, "⏹️"),
    "next": ("Next", discord.ButtonStyle.primary, "➡️"),
    "model": ("Model answer", discord.ButtonStyle.secondary, "📘"),
}


class SessionButton(
    _Guarded,
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

    async def run(self, interaction: discord.Interaction) -> None:
        await _bot(interaction).sessions.on_button(
            interaction, self.action, self.session_id, self.position
        )


class ShareButton(
    _Guarded,
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

    async def run(self, interaction: discord.Interaction) -> None:
        await _bot(interaction).sessions.share(interaction, self.attempt_id)


class QuestionPageButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:ql:(?P<page>[0-9]+):(?P<topic>[a-z0-9-]*):(?P<pack>[a-z0-9-]*):(?P<dir>p|n)",
):
    """Pages of `/question list`; the filters ride along so any page can be rebuilt."""

    def __init__(
        self, page: int, topic: str, pack: str, direction: str, disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if direction == "p" else "Next",
                emoji="◀️" if direction == "p" else "▶️",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ib:ql:{page}:{topic}:{pack}:{direction}",
                disabled=disabled,
            )
        )
        self.page = page
        self.topic = topic
        self.pack = pack

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuestionPageButton:
        return cls(int(match["page"]), match["topic"], match["pack"], match["dir"])

    async def run(self, interaction: discord.Interaction) -> None:
        await _bot(interaction).questions_ui.show_page(
            interaction, self.page, self.topic or None, self.pack or None, edit=True
        )


class ForgetButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:forget:(?P<user>[0-9]+):(?P<action>confirm|cancel)",
):
    def __init__(self, user_id: int, action: str) -> None:
        confirm = action == "confirm"
        super().__init__(
            discord.ui.Button(
                label="Yes, delete everything" if confirm else "Cancel",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"ib:forget:{user_id}:{action}",
            )
        )
        self.user_id = user_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ForgetButton:
        return cls(int(match["user"]), match["action"])

    async def run(self, interaction: discord.Interaction) -> None:
        await _bot(interaction).forget_me(interaction, self.user_id, self.action == "confirm")


_ROUND_LOOK: dict[str, tuple[str, discord.ButtonStyle, str | None]] = {
    "join": ("Join", discord.ButtonStyle.success, "➕"),
    "leave": ("Leave", discord.ButtonStyle.secondary, None),
    "start": ("Start now", discord.ButtonStyle.primary, "▶️"),
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "mine": ("My feedback", discord.ButtonStyle.secondary, "🔎"),
}


class RoundButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:r:(?P<action>[a-z]+):(?P<round>[0-9]+):(?P<position>[0-9]+)",
):
    """A study-group round's buttons: lobby (join, leave, start), answer, my feedback."""

    def __init__(self, action: str, round_id: int, position: int = 0) -> None:
        label, style, emoji = _ROUND_LOOK[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                emoji=emoji,
                custom_id=f"ib:r:{action}:{round_id}:{position}",
            )
        )
        self.action = action
        self.round_id = round_id
        self.position = position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RoundButton:
        if match["action"] not in _ROUND_LOOK:
            raise ValueError(f"unknown round action {match['action']!r}")
        return cls(match["action"], int(match["round"]), int(match["position"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await _bot(interaction).rounds.on_button(
            interaction, self.action, self.round_id, self.position
        )


def lobby_buttons(round_id: int) -> discord.ui.View:
    return _view(RoundButton(action, round_id) for action in ("join", "leave", "start"))


def round_answer_buttons(round_id: int, position: int) -> discord.ui.View:
    return _view([RoundButton("answer", round_id, position)])


def reveal_buttons(round_id: int, position: int) -> discord.ui.View:
    return _view([RoundButton("mine", round_id, position)])


DYNAMIC_ITEMS = (SessionButton, ShareButton, QuestionPageButton, ForgetButton, RoundButton)


def _view(items: Iterable[discord.ui.Item[Any]]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def question_buttons(session_id: int, position: int) -> discord.ui.View:
    return _view(
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
    return _view(items)


def page_buttons(page: int, pages: int, topic: str | None, pack: str | None) -> discord.ui.View:
    return _view(
        [
            QuestionPageButton(max(page - 1, 0), topic or "", pack or "", "p", disabled=page <= 0),
            QuestionPageButton(
                min(page + 1, pages - 1), topic or "", pack or "", "n", disabled=page >= pages - 1
            ),
        ]
    )


def forget_buttons(user_id: int) -> discord.ui.View:
    return _view([ForgetButton(user_id, "confirm"), ForgetButton(user_id, "cancel")])


class _RoutedModal(discord.ui.Modal):
    """Submits are handled by `InterviewBot.on_interaction`; see the module docstring."""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def answer_modal(
    session_id: int, position: int, title: str, *, kind: str = "answer"
) -> discord.ui.Modal:
    """The one answer form: `kind` "answer" for solo sessions, "ranswer" for rounds."""
    modal = _RoutedModal(
        title=title[:45], custom_id=f"ib:{kind}:{session_id}:{position}", timeout=3600
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


QUESTION_FIELDS = ("prompt", "topic", "model_answer", "concepts", "tips")


def question_modal(
    question_id: str | None, defaults: dict[str, str] | None = None
) -> discord.ui.Modal:
    defaults = defaults or {}
    custom_id = f"ib:qform:edit:{question_id}" if question_id else "ib:qform:add"
    title = f"Edit {question_id}" if question_id else "Add a question"
    modal = _RoutedModal(title=title[:45], custom_id=custom_id, timeout=3600)
    paragraph, short = discord.TextStyle.paragraph, discord.TextStyle.short
    specs = (
        ("prompt", "Question", "What the candidate is asked.", paragraph, 10, 1000, None),
        (
            "topic",
            "Topic",
            "Add / easy, / medium or / hard for the difficulty (default medium).",
            short,
            1,
            80,
            "caching / hard",
        ),
        (
            "model_answer",
            "Model answer",
            "A strong answer, 20+ characters.",
            paragraph,
            20,
            4000,
            None,
        ),
        (
            "concepts",
            "Concepts",
            "One per line: name: phrase, phrase. Name* = required. Empty: derived from the "
            "model answer.",
            paragraph,
            0,
            4000,
            "Invalidation*: invalidate, expire, ttl\nEviction: lru, evict",
        ),
        ("tips", "Tips", "One per line.", paragraph, 1, 4000, None),
    )
    for key, text, description, style, low, high, placeholder in specs:
        modal.add_item(
            discord.ui.Label(
                text=text,
                description=description[:100],
                component=discord.ui.TextInput(
                    custom_id=key,
                    style=style,
                    min_length=low,
                    max_length=high,
                    required=low > 0,
                    default=defaults.get(key),
                    placeholder=placeholder,
                ),
            )
        )
    return modal


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
