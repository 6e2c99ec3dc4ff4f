"""Dismissals: the answer waves away something the model answer says.

A fluent wrong answer often names a step and then dismisses it ("you don't need physical base
backups", "receivers don't need event ids", "keeping the copies correct isn't really a
concern", "hedged requests are a bad idea"). Where the dismissing clause shares a term with a
model-answer sentence that has no negation of its own, the candidate denies what the model
answer states. Right answers dismiss too ("you don't need a lock, the update is atomic"); then
the model answer either says so itself, with a negation, or does not talk about those things.

Checked only where no one wrote a rubric, like overclaims: on the read calibration sets it
fired on 16 wrong-facts answers graded 0-1 of questions with a derived rubric, on one partial
answer graded 2 ("the JVM doesn't need to collect as often") and on two answers graded 3-4
that say NoSQL needs no schema where the model sentence is about relational databases. A
negation after "that" or "which" describes a thing rather than dismissing it ("tune the pages
that didn't need a human"), read off a strong answer of the fifth bank set once it had been
measured. It is narrower than the check of denied facts that was tried and dropped
(questions.overclaims): only a need, a concern or an idea is denied, not any statement.
"""

from __future__ import annotations

from collections.abc import Sequence

from questions.text import TokenInfo, Tokens

# Words a negation just before turns into a dismissal: "isn't necessary", "don't need".
DISMISSED_BY_NEGATION = frozenset(
    {"necessary", "needed", "need", "needs", "required", "require", "requires", "concern"}
    | {"issue", "problem", "important"}
)
DISMISSIVE = frozenset({"unnecessary", "pointless", "overkill"})
TRIGGERS = DISMISSED_BY_NEGATION | DISMISSIVE | {"bad"}
NOT_TERMS = DISMISSED_BY_NEGATION | DISMISSIVE | {"bad", "idea", "really"}
RELATIVES = frozenset({"that", "which", "who"})
CONDITIONS = frozenset({"where", "when", "whenever", "if", "unless"})
BE = frozenset({"is", "are", "was", "were", "be", "being", "been", "its", "thats"})
# One term shared with the model sentence is enough: "backoff is not necessary" dismisses the
# sentence about backoff. Over the tenth pass's read sets, one instead of two catches ten more
# wrong answers and no right one (once "never to need", an aim, stopped counting).
SHARED_WITH_SENTENCE = 1
NEGATION_REACH = 3  # "isn't really a concern": words from the negator to what it dismisses


def dismissals(
    tokens: Tokens,
    sentences: Sequence[tuple[str, Sequence[tuple[str, str]], frozenset[str]]],
    negated: Sequence[bool],
) -> list[tuple[int, str]]:
    """(answer word, model sentence) for each clause dismissing what a plain sentence says."""
    info, clauses = tokens.info, tokens.clauses
    found: list[tuple[int, str]] = []
    # This runs on every answer to a question with a derived rubric; most hold no trigger.
    words = tokens.words
    if TRIGGERS.isdisjoint(words):
        return found
    triggers = [i for i, word in enumerate(words) if word in TRIGGERS]
    for index in triggers:
        if not _dismisses(info, clauses, index, info[index][0]):
            continue
        clause = clauses[index]
        stems = {
            e[1]
            for e, c in zip(info, clauses, strict=True)
            if c == clause and not e[2] and not e[3] and e[0] not in NOT_TERMS
        }
        shared, number = max(
            ((len(stems & s), n) for n, (_, _, s) in enumerate(sentences)), default=(0, 0)
        )
        if shared >= SHARED_WITH_SENTENCE and not negated[number]:
            found.append((index, sentences[number][0]))
    return found


def _dismisses(info: list[TokenInfo], clauses: list[int], index: int, word: str) -> bool:
    if word in DISMISSIVE:
        # "causes pointless failovers" describes the failovers; "is pointless" dismisses.
        attributive = index + 1 < len(info) and not info[index + 1][2] and not info[index + 1][3]
        return not attributive or (index > 0 and info[index - 1][0] in BE)
    if word == "bad":
        return index + 1 < len(info) and info[index + 1][0] == "idea"
    if word not in DISMISSED_BY_NEGATION:
        return False
    if index > 0 and info[index - 1][0] == "to":
        return False  # "I try never to need a v2": an aim, not a verdict on what is needed
    for i in range(max(0, index - NEGATION_REACH), index):
        if info[i][3] and clauses[i] == clauses[index]:
            # "delete the pages that didn't need a human": describes which, dismisses nothing
            if i > 0 and info[i - 1][0] in RELATIVES:
                return False
            # "async where the caller doesn't need the result": the case a step suits
            start = i
            while start > 0 and clauses[start - 1] == clauses[i]:
                start -= 1
            return not any(info[j][0] in CONDITIONS for j in range(start, i))
    return False
