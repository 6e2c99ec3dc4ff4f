"""The buttons of a study-group round: lobby (join, leave, start), answer, my feedback."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, Look, looked_button, view_of

ROUND_ANSWER_MODAL = re.compile(r"ib:ranswer:(?P<round>[0-9]+):(?P<position>[0-9]+)")

_ROUND_LOOK: dict[str, Look] = {
    "join": ("Join", discord.ButtonStyle.success, "➕"),
    "leave": ("Leave", discord.ButtonStyle.secondary, None),
    "start": ("Start now", discord.ButtonStyle.primary, "▶️"),
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "mine": ("My feedback", discord.ButtonStyle.secondary, "🔎"),
}


class RoundButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:r:(?P<action>[a-z]+):(?P<round>[0-9]+):(?P<position>[0-9]+)",
):
    """One action on one round; answer and feedback buttons also name the question."""

    def __init__(self, action: str, round_id: int, position: int = 0) -> None:
        super().__init__(looked_button(_ROUND_LOOK, action, f"ib:r:{action}:{round_id}:{position}"))
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


def lobby_buttons(round_id: int) -> discord.ui.View:
    return view_of(RoundButton(action, round_id) for action in ("join", "leave", "start"))


def round_answer_buttons(round_id: int, position: int) -> discord.ui.View:
    return view_of([RoundButton("answer", round_id, position)])


def reveal_buttons(round_id: int, position: int) -> discord.ui.View:
    return view_of([RoundButton("mine", round_id, position)])
