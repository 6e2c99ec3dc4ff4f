import discord

from bot.discord.text import (
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    escape,
    fit_embed,
    join_lines,
    score_bar,
    truncate,
)


def test_escape_neutralises_mentions_and_markdown() -> None:
    text = escape("@everyone look at **this** <@123456789012345678>")
    assert "@everyone" not in text
    assert "**" not in text.replace("\\*", "")
    assert "<@123456789012345678>" not in text


def test_truncate_cuts_on_a_word_and_marks_it() -> None:
    text = "word " * 100
    cut = truncate(text, 50)
    assert len(cut) <= 50
    assert cut.endswith("…")
    assert not cut[:-1].endswith(" ")
    assert truncate("short", 50) == "short"


def test_truncate_never_leaves_a_dangling_escape() -> None:
    cut = truncate(escape("x" * 40 + "*" * 40), 45)
    assert not cut[:-1].endswith("\\") or cut[:-1].endswith("\\\\")


def test_join_lines_keeps_whole_lines_and_counts_the_rest() -> None:
    lines = [f"line {i} " + "x" * 50 for i in range(40)]
    value = join_lines(lines)
    assert len(value) <= FIELD_VALUE_LIMIT
    assert value.endswith("more")
    shown = value.count("\n")
    assert value.endswith(f"and {40 - shown} more")


def test_fit_embed_respects_every_limit() -> None:
    embed = discord.Embed(title="t" * 400, description="d" * 5000)
    for i in range(30):
        embed.add_field(name=f"n{i}" * 200, value="v" * 2000)
    embed.set_footer(text="f" * 3000)
    fit_embed(embed)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= 256
    assert len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)


def test_score_bar_scales() -> None:
    assert score_bar(0) == "▱" * 10
    assert score_bar(100) == "▰" * 10
    assert score_bar(55).count("▰") == 6
