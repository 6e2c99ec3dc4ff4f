"""Tips as embed lines. Discord does not render markdown tables, so a table tip becomes one
list line per row, each cell named by its column: the pairing of a row survives, and every
line is a whole entry that the field splitting in `embeds` can move or cut cleanly."""

from __future__ import annotations

from collections.abc import Sequence

from bot.discord.text import escape
from questions.model import Tip, TipTable


def _row_line(table: TipTable, row: Sequence[str]) -> str:
    cells = [
        f"**{escape(column)}:** {escape(cell)}"
        for column, cell in zip(table.columns, row, strict=True)
        if cell
    ]
    return "◦ " + " — ".join(cells)


def tip_lines(tips: Sequence[Tip]) -> list[str]:
    """One line per text tip (escaped: a guild's tips are user text) and per table row."""
    lines: list[str] = []
    for tip in tips:
        if isinstance(tip, TipTable):
            lines += [_row_line(tip, row) for row in tip.rows]
        else:
            lines.append(f"• {escape(tip)}")
    return lines
