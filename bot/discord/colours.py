"""The colours and icons every feature's embeds share, so a band looks the same everywhere."""

from __future__ import annotations

import discord

BAND_COLOURS = {
    "strong": discord.Colour.green(),
    "good": discord.Colour.teal(),
    "partial": discord.Colour.gold(),
    "weak": discord.Colour.red(),
}
NEUTRAL = discord.Colour.blurple()
DIFFICULTY_ICONS = {"easy": "🟢", "medium": "🟡", "hard": "🔴"}
