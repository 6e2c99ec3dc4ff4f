"""Swapped roles: saying of one of the things a question compares what belongs to the other.

The costliest wrong answer to "compare blue-green and canary releases" swaps the two:
"blue-green sends a small percentage of users to the new version". Every word is right and
well related; only the thing it is said of is wrong, so word matching and meaning credit it.

The rivals are what the prompt sets side by side: words either side of an "and", "or", "vs",
"over" or "with" in a prompt that asks to compare, choose or tell apart, which also lead
model-answer sentences ("Keyset pagination instead remembers ..."). Words of one name stay
together ("blue-green", "canary releases"); a word that leads sentences about two of them
("locking" of "optimistic and pessimistic locking") names neither. A model-answer sentence
that names one rival (or starts with "It" right after one) is about it, and the words that no
sentence naming another rival uses are what the model answer says of that one alone.

An answer clause that names one rival, uses none of its own words and at least two of
another's says of it what belongs to the other. A clause with a negation is left alone
("canary does not switch everyone at once" is right), and so is one naming two rivals
("unlike canary, ..." compares them). By construction the model answer never swaps itself.
Measured on the derived-rubric calibration sets, this fires on 5 of 150 wrong-or-weak
answers and on none graded 3 or more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from questions.text import Tokens, split_sentences

COORDINATORS = frozenset({"and", "or", "vs", "versus", "over", "with"})
# A prompt sets things side by side only when it asks to compare, choose or tell apart.
# "explain" was a cue too: "explain at-most-once, at-least-once and exactly-once delivery" made
# rivals of "queue" and "delivery", and three strong answers judged by derived rubrics were
# read as swaps (bank answers, tenth pass); no wrong answer was caught through it alone.
COMPARISON_CUES = frozenset(
    {"compar", "differ", "vs", "versus", "choos", "contrast", "between", "over"}
)
CONTINUATIONS = frozenset({"it", "its", "they", "their", "this", "these", "that", "those"})
WINDOW = 3  # content words either side of a coordinator that may name a rival
LEADING_WORDS = 3  # a sentence's first content words say what it is about
MIN_OWN_WORDS = 6  # a rival the model answer says too little about alone has no profile
MIN_BORROWED = 2  # another rival's own words a clause must use to swap them


@dataclass(frozen=True)
class Rivals:
    markers: tuple[frozenset[str], ...]  # the stems that name each rival
    own_words: tuple[frozenset[str], ...]  # per rival, the stems only its sentences use
    # per rival, the model-answer sentences about it, with their content stems
    sentences: tuple[tuple[tuple[str, frozenset[str]], ...], ...]


@dataclass(frozen=True)
class Swap:
    first: int
    last: int
    correction: str  # that rival's model-answer sentence closest to the clause


Sentence = tuple[str, frozenset[str]]  # a model-answer sentence and its content stems


def _sentences(text: str) -> tuple[list[Sentence], list[list[str]]]:
    """Each sentence with its content stems, and each sentence's first content stems."""
    sentences: list[Sentence] = []
    leading: list[list[str]] = []
    for piece in split_sentences(text):
        stems = [entry[1] for entry in Tokens(piece).info if not entry[2] and not entry[3]]
        sentences.append((piece, frozenset(stems)))
        leading.append(stems[:LEADING_WORDS])
    return sentences, leading


@lru_cache(maxsize=512)
def find_rivals(prompt: str, model_answer: str) -> Rivals | None:
    """The things the prompt compares and what the model answer says of each alone."""
    sentences, leading = _sentences(model_answer)
    chosen = _pick_rivals(prompt, sentences, leading) if len(sentences) >= 2 else []
    if len(chosen) < 2:
        return None
    owner = _owners(sentences, chosen)
    markers: list[frozenset[str]] = []
    own_words: list[frozenset[str]] = []
    texts: list[tuple[Sentence, ...]] = []
    names = frozenset().union(*chosen)
    for rival in chosen:
        owned = [i for i, o in enumerate(owner) if o == rival]
        # Words a sentence naming another rival uses (about it, or about both) are not its own.
        others = frozenset().union(
            *(
                stems
                for i, (_, stems) in enumerate(sentences)
                if owner[i] != rival and any(m & stems for m in chosen if m != rival)
            )
        )
        said = frozenset().union(*(sentences[i][1] for i in owned))
        own = frozenset(s for s in said - others - names if not s.isdigit())
        if len(own) >= MIN_OWN_WORDS:
            markers.append(rival)
            own_words.append(own)
            texts.append(tuple(sentences[i] for i in owned))
    if len(markers) < 2:
        return None
    return Rivals(tuple(markers), tuple(own_words), tuple(texts))


def _pick_rivals(
    prompt: str, sentences: list[Sentence], leading: list[list[str]]
) -> list[frozenset[str]]:
    """The stems naming each compared thing (see the module's docstring)."""
    coordinated = _coordinated(prompt)
    compared = frozenset(a for a, _ in coordinated)
    # What a sentence is about comes first: the compared words among its first content
    # words. Of those, the one that leads the fewest sentences names this one thing.
    subjects = [[s for s in first if s in compared] for first in leading]
    leads: dict[str, int] = {}
    for subject in subjects:
        for stem in subject:
            leads[stem] = leads.get(stem, 0) + 1
    picked: list[str] = []
    for subject in subjects:
        if subject:
            marker = min(subject, key=leads.__getitem__)
            if marker not in picked:
                picked.append(marker)
    adjacent = _adjacent_pairs(prompt)  # words of one name are one rival
    chosen: list[frozenset[str]] = []
    for marker in picked:
        joined = [group for group in chosen if any((m, marker) in adjacent for m in group)]
        if joined:
            chosen[chosen.index(joined[0])] = joined[0] | {marker}
        else:
            chosen.append(frozenset({marker}))

    def shared(stem: str, group: frozenset[str]) -> bool:
        """It leads a sentence together with another rival's name."""
        return any(
            stem in subject and any(o & set(subject) for o in chosen if o != group)
            for subject in subjects
        )

    chosen = [
        frozenset(s for s in g if not shared(s, g)) or frozenset({min(g, key=leads.__getitem__)})
        for g in chosen
    ]
    return [  # a rival is compared with another one in the prompt
        group
        for group in chosen
        if any(
            (a, b) in coordinated
            for other in chosen
            if other != group
            for a in group
            for b in other
        )
    ]


def _coordinated(prompt: str) -> frozenset[tuple[str, str]]:
    """Pairs of content stems either side of a coordinator, in a prompt that compares."""
    tokens = Tokens(prompt)
    info = tokens.info
    # One sentence asking for a comparison ("How do they differ?") makes the prompt one.
    if not any(entry[1] in COMPARISON_CUES for entry in info):
        return frozenset()
    pairs: set[tuple[str, str]] = set()
    for index, entry in enumerate(info):
        sentence = tokens.sentences[index]
        if entry[0] not in COORDINATORS:
            continue
        same = [i for i in range(len(info)) if tokens.sentences[i] == sentence]
        content = [i for i in same if not info[i][2] and not info[i][3]]
        before = [info[i][1] for i in content if i < index][-WINDOW:]
        after = [info[i][1] for i in content if i > index][:WINDOW]
        pairs.update((a, b) for a in before for b in after)
        pairs.update((b, a) for a in before for b in after)
    return frozenset(pairs)


def _adjacent_pairs(prompt: str) -> frozenset[tuple[str, str]]:
    """Stems written next to each other in the prompt, both ways round."""
    stems = [entry[1] for entry in Tokens(prompt).info]
    pairs = set(pairwise(stems))
    return frozenset(pairs | {(b, a) for a, b in pairs})


def _owners(
    sentences: list[Sentence], markers: list[frozenset[str]]
) -> list[frozenset[str] | None]:
    """The one rival each sentence is about, or None."""
    owners: list[frozenset[str] | None] = []
    previous: frozenset[str] | None = None
    for text, stems in sentences:
        named = [m for m in markers if m & stems]
        if len(named) == 1:
            previous = named[0]
        elif named or text.split(" ", 1)[0].lower() not in CONTINUATIONS:
            previous = None
        owners.append(previous)
    return owners


def swaps(tokens: Tokens, rivals: Rivals) -> list[Swap]:
    """Answer clauses that say of one rival what the model answer says of another."""
    info = tokens.info
    found: list[Swap] = []
    for first, last in _clauses(tokens):
        stems = {info[i][1] for i in range(first, last + 1) if not info[i][2] and not info[i][3]}
        named = [m for m in rivals.markers if m & stems]
        if len(named) != 1 or any(info[i][3] for i in range(first, last + 1)):
            continue
        mine = rivals.markers.index(named[0])
        own_hits = len(stems & rivals.own_words[mine])
        for other, words in enumerate(rivals.own_words):
            borrowed = stems & words
            if other == mine or len(borrowed) < MIN_BORROWED or own_hits > 0:
                continue
            correction = max(rivals.sentences[other], key=lambda s: len(borrowed & s[1]))[0]
            found.append(Swap(first, last, correction))
            break
    return found


def _clauses(tokens: Tokens) -> Iterable[tuple[int, int]]:
    """(first, last) word of each clause."""
    clauses = tokens.clauses
    start = 0
    for index in range(1, len(clauses) + 1):
        if index == len(clauses) or clauses[index] != clauses[start]:
            yield start, index - 1
            start = index
