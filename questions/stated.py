"""Misconceptions stated in a candidate's own sentence, found through the claim itself.

A hand-written misconception lists short phrasings ("replicas add write capacity") that must
appear in order within a couple of words. A candidate who holds the misconception states it in
a sentence of their own ("read replicas are how you scale writes"), with other words between
and around the ones that matter. The claim's own wording is one more phrasing, matched
loosely: every content word of the claim in one clause of the answer, in the claim's order
but with any words between, and with the same polarity (both deny something, or neither
does). The claim needs three content words or more, so the match says something specific.
A claim of five content words or more may have one of them out of place ("the database is
synced later" for "syncs to the database later"). Over every graded answer this adds one
match, on a wrong answer graded 0, and none on a model answer or a strong sample.

In any order, it fired on model answers: "threads live inside one process and share its
memory" holds every word of "processes share memory, like threads". In order, measured on
the hand-rubric calibration sets before it was switched on, it fired on 5 answers graded
0-1, one graded 2 and none graded 3 or more.

A sentence that calls the claim a myth or a mistake is debunking it, and is left alone.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from questions.structure import Structure
from questions.text import TokenInfo, Tokens

MIN_CLAIM_WORDS = 3
# A claim of this many content words may have one of them out of its order: "write-through
# writes only to the cache and the database is synced later" states "... writes only to the
# cache and syncs to the database later" as surely as the claim's own order does.
LOOSE_ORDER_WORDS = 5
DENIALS = frozenset({"without"})  # negates like "not" for polarity, though not a negator
DEBUNKING = frozenset(
    {"myth", "misconception", "mistake", "wrong", "wrongly", "false", "untrue", "incorrect"}
)
# "False positives" and "false sharing" are terms of art, not a verdict on a claim.
TERMS_AFTER_FALSE = frozenset(
    {"positive", "positives", "negative", "negatives", "alarm", "alarms", "sharing"}
)


@dataclass(frozen=True)
class Claim:
    order: tuple[str, ...]  # its content stems, each once, in the order the claim says them
    stems: frozenset[str]
    negated: bool


def claim_of(text: str) -> Claim | None:
    info = Tokens(text).info
    order = tuple(dict.fromkeys(entry[1] for entry in info if not entry[2] and not entry[3]))
    if len(order) < MIN_CLAIM_WORDS:
        return None
    return Claim(order, frozenset(order), any(entry[3] or entry[0] in DENIALS for entry in info))


def told_apart(claim: Claim | None, correction: str) -> Claim | None:
    """The claim, unless its words in its order also spell its own correction.

    "In cache-aside the application writes to the cache and the cache writes to the database"
    has every word of its correction in the same order; only the roles differ, which this
    matcher cannot see, so such a claim is left to its hand-written phrases.
    """
    if claim is None or not correction:
        return claim
    tokens = Tokens(correction)
    by_clause: dict[int, list[TokenInfo]] = {}
    for clause, entry in zip(tokens.clauses, tokens.info, strict=True):
        by_clause.setdefault(clause, []).append(entry)
    for entries in by_clause.values():
        negated = any(entry[3] or entry[0] in DENIALS for entry in entries)
        if negated == claim.negated and _in_order([e[1] for e in entries], claim.order):
            return None
    return claim


def debunked_sentences(tokens: Tokens) -> set[int]:
    """Sentences that call something a myth or a mistake: they state no claim of their own."""
    words = tokens.words
    if DEBUNKING.isdisjoint(words):  # most answers call nothing a myth
        return set()
    sentences = tokens.sentences
    return {
        sentences[i]
        for i, word in enumerate(words)
        if word in DEBUNKING
        and not (word == "false" and i + 1 < len(words) and words[i + 1] in TERMS_AFTER_FALSE)
    }


def _in_order(stems: list[str], order: tuple[str, ...]) -> bool:
    remaining = iter(stems)
    return all(wanted in remaining for wanted in order)


def _nearly_in_order(stems: list[str], order: tuple[str, ...]) -> bool:
    """The claim's words in its order, or all but one of them for a long claim."""
    if _in_order(stems, order):
        return True
    if len(order) < LOOSE_ORDER_WORDS:
        return False
    # How many of the claim's words the clause holds in the claim's order (the longest common
    # subsequence of the two).
    previous = [0] * (len(stems) + 1)
    for wanted in order:
        current = [0]
        for index, stem in enumerate(stems):
            if stem == wanted:
                current.append(previous[index] + 1)
            else:
                current.append(max(previous[index + 1], current[index]))
        previous = current
    return previous[-1] >= len(order) - 1


def stated(
    tokens: Tokens, structure: Structure, claims: list[Claim | None]
) -> list[tuple[int, int, int]]:
    """(claim index, first word, last word) of each claim an answer clause states."""
    info = tokens.info
    everywhere = tokens.stem_set
    # Most answers hold no claim's every word anywhere: that costs one subset test each.
    candidates = [
        (index, claim)
        for index, claim in enumerate(claims)
        if claim is not None and claim.stems <= everywhere
    ]
    if not candidates:
        return []
    clauses, sentences = tokens.clauses, tokens.sentences
    debunked = debunked_sentences(tokens)
    found: list[tuple[int, int, int]] = []
    first = 0
    while first < len(info) and candidates:
        last = bisect_right(clauses, clauses[first], first) - 1
        span = range(first, last + 1)
        if sentences[first] not in debunked and structure.says_something(first, last):
            stems = [info[i][1] for i in span]
            present = set(stems)
            negated = any(info[i][3] or info[i][0] in DENIALS for i in span)
            for index, claim in list(candidates):
                if (
                    claim.negated == negated
                    and claim.stems <= present
                    and _nearly_in_order(stems, claim.order)
                ):
                    candidates.remove((index, claim))
                    found.append((index, first, last))
        first = last + 1
    return found
