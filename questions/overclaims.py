"""Overclaims: a certainty the model answer never claims, stated as fact about what it says.

Fluent wrong answers overclaim ("more connections always means more throughput", "databases
automatically process duplicates one at a time"); right ones hedge ("almost always"), give
advice ("a worker should never hold more than it can chew") or describe a habit ("I always
set a TTL"), which are left alone. An absolute ("always", "never", "guarantees", "instantly",
"automatically") counts only in a clause that shares three terms with one model sentence, and
only where the model answer never uses that word. "completely" was one too, and was dropped
when the fifth blind set showed it in a strong answer ("the two limits fail in completely
different ways") and in no weak answer of any set.

A verdict the model answer never gives ("the safest option", "the best shard key", "is
recommended", "the preferred choice") is an overclaim too, and is judged where a rubric was
written as well. On the read calibration sets of the ninth pass it fired on 17 wrong-facts
answers and on one partial answer graded 2 ("WebSockets are the best option", which its
grader faulted for giving no basis). "Works best as JSON" is advice, not a ranking: it hit a
strong answer of the seventh bank set. A verdict needs two terms shared with a model
sentence, an absolute three; with two, and with "preferred", the tenth pass's read sets show
16 more wrong answers caught and no right one.

A check of denied facts ("databases can't detect deadlocks" against a model answer that says
they detect them) was tried beside it and dropped: on the third blind set it caught one wrong
answer and fired on three right ones (README: Calibration).
"""

from __future__ import annotations

from collections.abc import Sequence

from questions.text import NEGATORS, Tokens

ABSOLUTES = frozenset({"always", "never", "guarantees", "guaranteed", "instantly", "automatically"})
# A verdict ("the safest option", "the best shard key") the model answer never gives, about what
# it discusses. Unlike the absolutes these are checked against hand-written rubrics as well.
VERDICTS = frozenset(
    {"best", "safest", "fastest", "strongest", "ideal", "recommended", "preferred"}
)
HEDGES = frozenset({"almost", "nearly", "may", "might", "could", "usually", "often"}) | NEGATORS
# What one can or should do is advice or possibility, not a claim of fact.
MODALS = frozenset({"can", "could", "should", "may", "might", "would"})
# A certainty about what the candidate does is a habit, not a claim about the system.
PRACTICE = frozenset({"i", "we"})
SHARED_WITH_SENTENCE = 3
# A verdict is rarer in right answers than an absolute, so a shorter clause may carry one: "the
# safest way is a single UPDATE" shares only two terms with its model sentence. Over the read
# sets, two shared terms instead of three catch 13 more wrong answers and no right one (one
# shared term hit two right answers).
SHARED_WITH_VERDICT = 2
# "instead of" or "rather than" this many words before a certainty: it is what is rejected.
REJECTED_REACH = 4
REJECTING = frozenset({("instead", "of"), ("rather", "than")})
PERFECT = frozenset({"have", "has", "had", "ive", "youve", "weve", "theyve"})
WORK = frozenset({"work", "works", "worked", "working"})


def overclaims(
    tokens: Tokens,
    sentences: Sequence[tuple[str, Sequence[tuple[str, str]], frozenset[str]]],
    certainties: frozenset[str] = ABSOLUTES | VERDICTS,
) -> list[tuple[int, str]]:
    """(answer word, model sentence) for each certainty the model answer never claims, in a
    clause that shares terms with one of its sentences."""
    info, clauses = tokens.info, tokens.clauses
    found: list[tuple[int, str]] = []
    words = tokens.words
    if certainties.isdisjoint(words):  # most answers: the check costs one set test
        return found
    for index, word in enumerate(words):
        if word not in certainties or any(word == w for _, ws, _ in sentences for w, _ in ws):
            continue
        if word == "best" and index + 1 < len(info) and info[index + 1][0] == "of":
            continue  # "the best of both": an idiom, not a verdict
        if word == "best" and index > 0 and _adverbial(info[index - 1][0]):
            continue  # "logs work best as JSON", "scaling best": how it does, not a ranking
        if any(entry[0] == "only" for entry in info[index + 1 : index + 3]):
            continue  # "ordering is guaranteed only within a partition": a bound, not a boast
        clause = clauses[index]
        start = index
        while start > 0 and clauses[start - 1] == clause:
            start -= 1
        if index > start and info[index - 1][0] in HEDGES:
            continue  # "almost always", "not always"
        if index > start and info[index - 1][0] in PERFECT:
            continue  # "a backup you've never restored": an experience, not a claim
        if _rejected(words, max(start, index - REJECTED_REACH), index):
            continue  # "instead of always returning the whole body": the rejected alternative
        if any(info[i][0] in MODALS for i in range(start, index)):
            continue  # "you can never change an event", "a worker should never hold more"
        if index == start or any(info[i][0] in PRACTICE for i in range(start, index)):
            continue  # "Always set a TTL", "I always delete the key": practice, not a claim
        stems = {e[1] for e, c in zip(info, clauses, strict=True) if c == clause and not e[2]}
        shared, text = max(((len(stems & s), t) for t, _, s in sentences), default=(0, ""))
        if shared >= (SHARED_WITH_VERDICT if word in VERDICTS else SHARED_WITH_SENTENCE):
            found.append((index, text))
    return found


def _adverbial(before: str) -> bool:
    """ "best" after a verb says how something does ("works best", "the juggler scaling best to
    many connections"), not which thing is the best."""
    return before in WORK or (len(before) > 4 and before.endswith("ing"))


def _rejected(words: list[str], first: int, index: int) -> bool:
    """Whether "instead of" or "rather than" opens somewhere in first..index."""
    return any((words[i], words[i + 1]) in REJECTING for i in range(first, index - 1))
