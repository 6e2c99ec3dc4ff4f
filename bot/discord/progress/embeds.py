"""The embeds of /progress and /leaderboard."""

from __future__ import annotations

import discord

from bot.discord.colours import NEUTRAL
from bot.discord.text import escape, fit_embed, join_lines, score_bar, timestamp, truncate
from bot.engine.leaderboard import Leaderboard
from bot.engine.mock.progress import PeerProgress
from bot.engine.mock.rules import AXES, AXIS_NAMES, trend
from bot.engine.progress import ProgressSummary


def add_peer_field(embed: discord.Embed, peer: PeerProgress | None) -> None:
    """Peer mock interviews, apart from scored answers: average rating per axis, its trend
    (the last three against the ones before), and the latest ratings."""
    if peer is None or not (peer.received or peer.given):
        return
    lines = [f"{peer.received} received · {peer.given} given"]
    for axis in AXES:
        if peer.averages:
            arrow = trend(peer.series(axis))
            lines.append(f"{AXIS_NAMES[axis]} **{peer.averages[axis]:.1f}**/4 {arrow}".rstrip())
    lines += [
        f"{timestamp(moment, 'd')} · {depth}/{communication}/{solving}"
        for moment, depth, communication, solving in reversed(peer.history[-3:])
    ]
    embed.add_field(
        name="Peer interviews (ratings out of 4)", value=join_lines(lines), inline=False
    )


def progress_embed(
    summary: ProgressSummary,
    member_name: str,
    scope: str,
    titles: dict[str, str],
    peer: PeerProgress | None = None,
    *,
    own: bool = True,
) -> discord.Embed:
    embed = discord.Embed(title=f"Progress of {truncate(member_name, 80)}", colour=NEUTRAL)
    if own and summary.reminders_off_reason:  # only the member learns why, never a viewer
        embed.add_field(
            name="Reminders are off",
            value=f"Turned off because {escape(summary.reminders_off_reason)}. Allow DMs from "
            "this server's members, then `/remind on`.",
            inline=False,
        )
    if not summary.answered:
        embed.description = (
            f"No answers yet {scope}. Start with `/interview start`; every answer counts here."
        )
        add_peer_field(embed, peer)
        return fit_embed(embed)
    embed.description = (
        f"**{summary.answered}** answers to **{summary.distinct_questions}** questions {scope} · "
        f"average **{summary.average:.0f}** · best **{summary.best}** · "
        f"streak **{summary.streak_days}** day{'s' * (summary.streak_days != 1)} "
        f"(longest **{summary.longest_streak}**)"
    )
    if summary.topics:
        embed.add_field(
            name="Mastery by topic",
            value=join_lines(
                [
                    f"{score_bar(round(t.mastery), 8)} {t.mastery:>3.0f} · {escape(t.topic)} "
                    f"({t.questions} question{'s' * (t.questions != 1)})"
                    for t in sorted(summary.topics, key=lambda t: -t.mastery)
                ]
            ),
            inline=False,
        )
    if summary.most_missed:
        embed.add_field(
            name="Most missed concepts",
            value=join_lines(
                [
                    f"❌ {escape(m.concept)} — {escape(titles.get(m.question_id, m.question_id))}"
                    f" (×{m.times})"
                    for m in summary.most_missed
                ]
            ),
            inline=False,
        )
    if summary.recent:
        embed.add_field(
            name="Recent",
            value=join_lines(
                [
                    f"{a.score:>3} · {a.band} · {escape(titles.get(a.question_id, a.question_id))}"
                    f" · {timestamp(a.submitted_at)}"
                    for a in summary.recent[:5]
                ]
            ),
            inline=False,
        )
    add_peer_field(embed, peer)
    if summary.due_for_review:
        review = f"**{summary.due_for_review}** due now: `/review`"
    elif summary.next_review_at is not None:
        review = f"Next one {timestamp(summary.next_review_at)}"
    else:
        review = "Nothing scheduled yet."
    embed.add_field(name="Review", value=review, inline=False)
    return fit_embed(embed)


def leaderboard_embed(board: Leaderboard, guild_name: str) -> discord.Embed:
    period = {"week": "last 7 days", "month": "last 30 days", "all": "all time"}[board.period]
    embed = discord.Embed(
        title=f"Leaderboard · {truncate(guild_name, 80)}",
        description=f"{period} · {board.participants} candidate{'s' * (board.participants != 1)}",
        colour=NEUTRAL,
    )
    medals = ["🥇", "🥈", "🥉"]

    def place(i: int) -> str:
        return medals[i] if i < len(medals) else f"`{i + 1:>2}.`"

    if board.by_average:
        lines = [
            f"{place(i)} {escape(t.display_name)} — **{t.average:.0f}** ({t.answered} answers)"
            for i, t in enumerate(board.by_average)
        ]
        value = join_lines(lines)
    else:
        value = f"Nobody has {board.min_answers} answers yet in this period."
    embed.add_field(name=f"Best average (at least {board.min_answers} answers)", value=value)
    if board.by_answered:
        value = join_lines(
            [
                f"{place(i)} {escape(t.display_name)} — **{t.answered}** (avg {t.average:.0f})"
                for i, t in enumerate(board.by_answered)
            ]
        )
    else:
        value = "No answers yet in this period. `/interview start` to be first!"
    embed.add_field(name="Most questions answered", value=value, inline=False)
    if board.by_rounds:
        value = join_lines(
            [
                f"{place(i)} {escape(t.display_name)} — {t.won} won of {t.played} played"
                for i, t in enumerate(board.by_rounds)
            ]
        )
        embed.add_field(name="Study-group rounds", value=value, inline=False)
    if board.by_streak:
        value = join_lines(
            [
                f"{place(i)} {escape(r.display_name)} — 🔥 **{r.current}** day"
                f"{'s' * (r.current != 1)} (longest {r.longest})"
                for i, r in enumerate(board.by_streak)
            ]
        )
        embed.add_field(name="Current streaks", value=value, inline=False)
    if board.by_mock_given:
        value = join_lines(
            [
                f"{place(i)} {escape(t.display_name)} — {t.given}"
                for i, t in enumerate(board.by_mock_given)
            ]
        )
        embed.add_field(name="Mock interviews given", value=value, inline=False)
    return fit_embed(embed)
