"""Tokens, the scorer's hot path: fast paths must agree with the plain definitions."""

from __future__ import annotations

import random

import pytest

from questions.reading import _nearest
from questions.text import SENTENCE_END, Tokens, _sentence_ends


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One. Two! Three? Four",
        "node.js and 3.5 are not ends.\nA new line is one.",
        "Ends with a mark.",
        "Tabs\tafter a stop.\tCount too.\x1cSeparators count as space in Python.",
        "... and... then?!",
    ],
)
def test_sentence_ends_in_ascii_match_the_regular_expression(text: str) -> None:
    assert _sentence_ends(text, ascii_only=True) == [m.start() for m in SENTENCE_END.finditer(text)]


def test_sentence_ends_agree_on_random_ascii_text() -> None:
    rng = random.Random(5)
    alphabet = "ab .!?\n\t\x0b\x1f,"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        expected = [m.start() for m in SENTENCE_END.finditer(text)]
        assert _sentence_ends(text, ascii_only=True) == expected, repr(text)


def test_content_stems_leave_out_small_words_and_negations() -> None:
    tokens = Tokens("The server doesn't store sessions")
    assert tokens.words == ["the", "server", "doesnt", "store", "sessions"]
    assert tokens.content == ["", tokens.stems[1], "", tokens.stems[3], tokens.stems[4]]
    assert tokens.stem_set == frozenset(tokens.stems)


def test_quotes_around_a_word_are_not_part_of_it() -> None:
    tokens = Tokens("call it 'cache' but don't")
    assert tokens.words == ["call", "it", "cache", "dont"]
    assert tokens.source[tokens.starts[2] : tokens.ends[2]] == "cache"
    assert tokens.clauses == [0, 0, 0, 1]  # "but" opens a clause and is no word of its own


@pytest.mark.parametrize(
    ("candidates", "anchor", "taken", "expected"),
    [
        ([1, 5, 9], 6, [], 5),
        ([4, 8], 6, [], 4),  # a tie goes to the earlier word
        ([4, 8], 6, [4], 8),
        ([0, 20], 10, [], None),  # both beyond the window of 3
        ([], 3, [], None),
    ],
)
def test_nearest_candidate_within_the_window(
    candidates: list[int], anchor: int, taken: list[int], expected: int | None
) -> None:
    assert _nearest(candidates, anchor, 3, taken) == expected
