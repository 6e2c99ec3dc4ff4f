"""Capitals, full stops and brackets where no writer puts them: the marks of shuffled prose.

Shuffled prose carries its marks with its words, so they land where English never has them:
"keys transactions a is across store, Relational the NoSQL sessions. tables have" holds a
capitalised word mid-sentence, a sentence that begins in lower case, and brackets that never
close. Word order alone needs many words to tell salad from English (on 20-word windows
the class-bigram mean is 0.19 +- 0.16 for real answers and -0.19 +- 0.22 for shuffles);
these marks are rarer in real text than any order of classes. On 12-30-word windows of the
calibration answers a capitalised function word or lower-case sentence start mid-text
occurs in none of 88,000, a capitalised common word in 0.2 %, a far-off unmatched bracket
in 0.2 %; in short shuffles of model answers in 25 %, 52 %, 19 % and 17 %. Each mark
counts against the word it sits on, as the word-order model's ratios do, so marks and
order add up to one judgement in `questions.structure`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from questions.text import Tokens
from questions.word_order import CODE, LEXICON_FILE

# Log-likelihood-ratio-like weights per mark, on the scale of the order model's per-word
# ratios (about +-1): a mark all but absent from real text outweighs several transitions.
MISPLACED_CAPITAL, LOWER_START, COMMON_CAPITAL, STRAY_BRACKET = 8.0, 8.0, 6.0, 6.0
# A bracket a window or a sloppy writer leaves open closes within this many words.
BRACKET_REACH = 10
# A capitalised word after a space, itself after a lower-case letter, digit, comma or closing
# bracket: not after "Note:", "(", "- ", a quote, a line break or a hyphen ("If-None-Match").
MID_CAPITAL = re.compile(r" [A-Z][a-z]")
MID_SENTENCE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789,;)]%")
AFTER_A_NAME = frozenset(":-(")  # "When: large", "If-None-Match", "Atomicity (all or"
ABBREVIATIONS = frozenset({"etc", "vs", "eg", "ie", "approx", "cf"})
FUNCTION_CODES = CODE["NUM"]  # codes below this are function-word groups


@cache
def common_words() -> frozenset[str]:
    """Words the bank's prose writes in lower case and never capitalises mid-sentence."""
    data = resources.files("questions").joinpath("data", LEXICON_FILE)
    return frozenset(data.read_text(encoding="utf-8").split())


def mark_penalties(
    tokens: Tokens,
    codes: npt.NDArray[np.intp],
    sentences: npt.NDArray[np.int32],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    text: npt.NDArray[np.uint32],
) -> npt.NDArray[np.float64] | None:
    """Per word, the weight of the misplaced marks on it; None when there are none.

    A regular expression finds the few capitals mid-sentence; they are checked one by one.
    """
    count = len(codes)
    source = tokens.source
    brackets = "(" in source or ")" in source
    capitals = [
        match.start() + 1
        for match in MID_CAPITAL.finditer(source)
        if source[match.start() - 1] in MID_SENTENCE_BEFORE
    ]
    if count < 3 or (not capitals and not brackets):
        return None
    penalty = np.zeros(count, dtype=np.float64)
    common = common_words()
    info = tokens.info
    for index in np.searchsorted(starts, capitals).tolist():
        if not 0 < index < count - 1 or sentences[index] != sentences[index - 1]:
            continue
        if AFTER_A_NAME.intersection(source[ends[index] : starts[index + 1]]):
            continue
        # Names in Title Case: "304 Not Modified", "Atomicity, Consistency and Isolation".
        if _title(text, starts, ends, index + 1) or _upper(text, starts, index - 1):
            continue
        if codes[index - 1] == CODE["CC"] and index > 1 and _upper(text, starts, index - 2):
            continue
        if index + 2 < count and codes[index + 1] == CODE["CC"] and _upper(text, starts, index + 2):
            continue
        if codes[index] < FUNCTION_CODES:
            penalty[index] = MISPLACED_CAPITAL
        elif info[index][0] in common:
            penalty[index] = COMMON_CAPITAL
    # A function word capitalised mid-sentence ("the Relational ... a The") shows the text
    # capitalised its sentence starts before a shuffle moved them; only then is a lower-case
    # start a mark, not how the writer writes ("i use jwt. the server signs it").
    if (penalty == MISPLACED_CAPITAL).any():
        first = text[starts[1:]]
        lower = (first >= ord("a")) & (first <= ord("z")) & (sentences[1:] != sentences[:-1])
        for index in (np.flatnonzero(lower) + 1).tolist():
            previous = info[index - 1][0]
            before = source[ends[index - 1] : starts[index]]
            if "\n" in before or len(previous) < 3 or previous in ABBREVIATIONS:
                continue  # a bullet line, or "e.g. the"
            penalty[index] += LOWER_START
    if brackets:
        _stray_brackets(text, starts, ends, penalty)
    return penalty if penalty.any() else None


def _upper(text: npt.NDArray[np.uint32], starts: npt.NDArray[np.intp], index: int) -> bool:
    return ord("A") <= text[starts[index]] <= ord("Z")


def _title(
    text: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    index: int,
) -> bool:
    start = starts[index]
    return ends[index] - start > 1 and _upper(text, starts, index) and 97 <= text[start + 1] <= 122


def _stray_brackets(
    text: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    penalty: npt.NDArray[np.float64],
) -> None:
    """A ')' that closes nothing far into the text, or a '(' left open long before its end.

    Not "1) first, 2) second" or ":)": those close nothing in any text.
    """
    count = len(starts)
    offsets = np.flatnonzero((text == ord("(")) | (text == ord(")")))
    opening = (text[offsets] == ord("(")).tolist()
    after = np.searchsorted(starts, offsets).tolist()  # the word an opening bracket starts
    opened: list[int] = []
    for offset, is_open, word in zip(offsets.tolist(), opening, after, strict=True):
        if is_open:
            opened.append(word)
        elif opened:
            opened.pop()
        else:
            word -= 1 if word == count or starts[word] > offset else 0  # the word it closes
            numbering = ends[word] == offset and ends[word] - starts[word] <= 2
            smiley = offset > 0 and text[offset - 1] in (ord(":"), ord(";"))
            if word >= BRACKET_REACH and not numbering and not smiley:
                penalty[word] += STRAY_BRACKET
    for word in opened:
        if count - 1 - word >= BRACKET_REACH:
            penalty[word] += STRAY_BRACKET
