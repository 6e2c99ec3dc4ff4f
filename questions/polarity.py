"""Claims whose polarity or certainty differs from the model answer's.

A stated fact denied, or a denied one stated: the model answer says "databases detect
deadlocks", an answer "databases can't detect deadlocks". Negations are loose in prose, so
the check is narrow on purpose:

- the negation must sit right before the word ("can't detect", "never have to wait", "never
  false positives"): "not by the data files" or "no rainbow tables" negate something else;
- the word must have two neighbours in common with the model answer's (within a few words,
  each on the same side), so both texts speak of the same things;
- the model answer must not itself say the word with the same polarity about them.

With one shared neighbour and any negator it fired on about as many right answers as wrong
ones (README: Calibration).

An overclaim: a certainty ("always", "never", "guarantees", "automatically", "instantly")
the model answer never uses, stated as fact in a clause that shares three terms with one of
its sentences. Fluent wrong answers overclaim; right ones hedge ("almost always") or give
advice ("a worker should never hold more than it can chew"), which is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from questions.text import NEGATORS, Tokens, split_sentences

# Negators that deny a statement; "no X", "none", "neither" usually deny a noun ("no rainbow
# tables" agrees with "rainbow tables are useless").
DENYING = NEGATORS - {"no", "none", "nothing", "neither", "nor"}
# Words that may stand between a negator and what it denies: "never have to wait".
BRIDGE = frozenset({"have", "has", "had", "to", "be", "been", "need", "needs", "ever", "even"})
# Any of these a few words before a word puts it in doubt, so it is not a plain statement.
DOUBTING = NEGATORS | {"neednt", "without"}
DOUBT_REACH = 4
NEIGHBOURHOOD = 5  # words either side that say what a word is about
SHARED_NEIGHBOURS = 2
# Claims of certainty. A fluent wrong answer overclaims ("guarantees", "never need"); one that
# the model answer never makes, in a clause about one of its sentences, is taken as wrong.
ABSOLUTES = frozenset(
    {"always", "never", "guarantees", "guaranteed", "completely", "instantly", "automatically"}
)
HEDGES = frozenset({"almost", "nearly", "may", "might", "could", "usually", "often"}) | NEGATORS
# What one can or should do is advice or possibility, not a claim of fact.
MODALS = frozenset({"can", "could", "should", "may", "might", "would"})
SHARED_WITH_SENTENCE = 3
# A certainty about what the candidate does is a habit, not a claim about the system.
PRACTICE = frozenset({"i", "we"})

Context = frozenset[tuple[str, bool]]  # (content stem, whether it comes after the word)


@dataclass(frozen=True)
class Occurrence:
    word: int
    denied: bool  # a denying negator right before it
    doubted: bool  # any negator a few words before it
    context: Context


@dataclass(frozen=True)
class ModelPolarity:
    """The model answer's content words by stem, built once per rubric."""

    tokens: Tokens
    words: frozenset[str]
    sentences: list[tuple[str, frozenset[str]]]  # each sentence and its content stems
    stated: dict[str, list[Occurrence]]  # not in doubt
    denied: dict[str, list[Occurrence]]
    doubted: dict[str, list[Occurrence]]


def model_polarity(model_answer: str) -> ModelPolarity:
    tokens = Tokens(model_answer)
    stated: dict[str, list[Occurrence]] = {}
    denied: dict[str, list[Occurrence]] = {}
    doubted: dict[str, list[Occurrence]] = {}
    for index, (word, stem, stop, negator) in enumerate(tokens.info):
        if stop or negator or len(stem) < 3 or word in BRIDGE:
            continue
        found = _occurrence(tokens, index)
        if found.denied:
            denied.setdefault(stem, []).append(found)
        if found.doubted:
            doubted.setdefault(stem, []).append(found)
        else:
            stated.setdefault(stem, []).append(found)
    sentences = []
    for piece in split_sentences(model_answer):
        info = Tokens(piece).info
        sentences.append((piece, frozenset(e[1] for e in info if not e[2] and not e[3])))
    words = frozenset(entry[0] for entry in tokens.info)
    return ModelPolarity(tokens, words, sentences, stated, denied, doubted)


def overclaims(tokens: Tokens, model: ModelPolarity) -> list[tuple[int, str]]:
    """(answer word, model sentence) for each certainty the model answer never claims, in a
    clause that shares terms with one of its sentences."""
    info, clauses = tokens.info, tokens.clauses
    found: list[tuple[int, str]] = []
    for index, entry in enumerate(info):
        word = entry[0]
        if word not in ABSOLUTES or word in model.words:
            continue
        clause = clauses[index]
        start = index
        while start > 0 and clauses[start - 1] == clause:
            start -= 1
        if index > start and info[index - 1][0] in HEDGES:
            continue  # "almost always", "not always"
        if any(info[i][0] in MODALS for i in range(start, index)):
            continue  # "you can never change an event", "a worker should never hold more"
        if index == start or any(info[i][0] in PRACTICE for i in range(start, index)):
            continue  # "Always set a TTL", "I always delete the key": practice, not a claim
        stems = {e[1] for e, c in zip(info, clauses, strict=True) if c == clause and not e[2]}
        shared, text = max((len(stems & s), t) for t, s in model.sentences)
        if shared >= SHARED_WITH_SENTENCE:
            found.append((index, text))
    return found


def find(tokens: Tokens, model: ModelPolarity) -> list[tuple[int, str]]:
    """(answer word, model sentence) for each word the answer denies where the model states
    it, or states where the model denies it, about the same things."""
    info = tokens.info
    found: list[tuple[int, str]] = []
    for index, (word, stem, stop, negator) in enumerate(info):
        if stop or negator or word in BRIDGE:
            continue
        # Cheap tests first: most words are neither denied nor denied by the model answer.
        if stem in model.denied and not _doubted(tokens, index):
            rivals, allies = model.denied[stem], model.stated.get(stem, [])
        elif stem in model.stated and _denied(tokens, index):
            rivals, allies = model.stated[stem], model.doubted.get(stem, [])
        else:
            continue
        mine = _context(tokens, index)
        if any(mine & ally.context for ally in allies):
            continue  # the model answer says it this way too, of the same things
        for rival in rivals:
            if len(mine & rival.context) >= SHARED_NEIGHBOURS:
                found.append((index, _sentence(model.tokens, rival.word)))
                break
    return found


def _sentence(tokens: Tokens, index: int) -> str:
    sentence = tokens.sentences[index]
    first = tokens.sentences.index(sentence)
    last = len(tokens.sentences) - 1 - tokens.sentences[::-1].index(sentence)
    return tokens.source[tokens.span(first)[0] : tokens.span(last)[1]].strip()


def _occurrence(tokens: Tokens, index: int) -> Occurrence:
    denied, doubted = _denied(tokens, index), _doubted(tokens, index)
    return Occurrence(index, denied, doubted, _context(tokens, index))


def _denied(tokens: Tokens, index: int) -> bool:
    info, clauses = tokens.info, tokens.clauses
    before = index - 1
    while before >= 0 and clauses[before] == clauses[index]:
        word = info[before][0]
        if word in DENYING:
            return True
        if word not in BRIDGE:
            return False
        before -= 1
    return False


def _doubted(tokens: Tokens, index: int) -> bool:
    info, clauses = tokens.info, tokens.clauses
    for before in range(index - 1, max(-1, index - DOUBT_REACH - 1), -1):
        if clauses[before] != clauses[index]:
            return False
        if info[before][0] in DOUBTING:
            return True
    return False


def _context(tokens: Tokens, index: int) -> Context:
    info, clauses = tokens.info, tokens.clauses
    low, high = max(0, index - NEIGHBOURHOOD), min(len(info), index + NEIGHBOURHOOD + 1)
    return frozenset(
        (info[i][1], i > index)
        for i in range(low, high)
        if i != index
        and clauses[i] == clauses[index]
        and not info[i][2]
        and not info[i][3]
        and len(info[i][1]) > 2
    )
