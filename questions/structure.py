"""Whether an answer says something about the terms it uses, or only names them.

A concept is earned where the answer relates it to something: the words sit in a clause with
a verb, a preposition or a subordinate link ("tokens are signed so the server can trust
them"). Two things are not answers however many right words they hold:

- **word salad**: the model answer shuffled. Its word classes follow each other in an order
  English does not use. A bigram model over word classes (function words by group, content
  words by suffix) trained on the bank's own prose tells the two apart: per word, the
  log-likelihood ratio of the bigram model over plain class frequencies is positive for
  English and near or below zero for a shuffle.
- **term lists**: terms separated by commas, "and" or nothing at all, even inside a carrier
  sentence ("I would use A, B and C"). Each list item is a unit of its own with no relating
  word, and a run of five or more content words in a row is a list whatever the punctuation.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from functools import cache
from importlib import resources

from questions.text import Tokens

# Function words by the job they do in a clause. Content words are classed by suffix.
WORD_GROUPS: dict[str, str] = {
    "DET": "a an the this these those each every any some all both another such",
    "PRON": "i you he she it we they me him her us them my your his its our their itself "
    "themselves who whom whose which what",
    "BE": "is are was were be been being am",
    "AUX": "do does did have has had having",
    "MOD": "will would can could should may might must shall cannot",
    "PREP": "of in on at by for with from into onto over under between through about against "
    "during without within via per across behind beyond along among around after before "
    "until since than as like",
    "TO": "to",
    "CC": "and or nor but yet",
    "SUB": "because if when while although though unless whereas whether where how why so then "
    "that",
    "NEG": "not no never none nothing",
    "ADV": "also only just very more most less least too there here even still already often "
    "always usually again instead rather quite much many few",
}
CLASS_OF = {word: group for group, members in WORD_GROUPS.items() for word in members.split()}
# Classes that relate a term to something else: a clause holding one says something.
RELATING = frozenset({"PRON", "BE", "AUX", "MOD", "PREP", "TO", "SUB", "NEG"})
LIST_JOINERS = frozenset({"and", "or", "nor"})
CONTENT = frozenset({"W", "S", "NUM", "LY", "ED", "ING"})
BREAK, END = ",", "END"

TERM_RUN = 5  # this many content words in a row are a list, not a phrase
LIST_UNIT_WORDS, LIST_FUNCTION_SHARE = 6, 0.2  # a long unit this short of small words
SMOOTHING = 0.5
# English prose averages +0.23 per word with a spread of about 0.85 per word (measured on the
# model answers); a text is salad when its mean sits this many standard errors below that, so
# short texts need a much lower mean than long ones before they are judged.
ENGLISH_MEAN, ENGLISH_SPREAD, SALAD_Z = 0.23, 0.85, -3.0
SALAD_MIN_WORDS = 12

MODEL_FILE = "word_order.json"
BULLET = re.compile(r"^[ \t]*(?:[-*\u2022\u00b7]|\d{1,2}[.)])[ \t]+(.*)$", re.MULTILINE)
ELABORATION = re.compile(r"[(:=+/]|->")
BULLET_STATEMENT_WORDS = 4


def word_class(word: str) -> str:
    group = CLASS_OF.get(word)
    if group is not None:
        return group
    if word.isdigit():
        return "NUM"
    if len(word) > 4 and word.endswith("ly"):
        return "LY"
    if len(word) > 5 and word.endswith("ing"):
        return "ING"
    if len(word) > 4 and word.endswith("ed"):
        return "ED"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return "S"
    return "W"


def class_sequence(tokens: Tokens) -> list[str]:
    """Word classes with clause breaks and sentence ends, as the order model sees text."""
    sequence: list[str] = []
    info, clauses, sentences = tokens.info, tokens.clauses, tokens.sentences
    for index, entry in enumerate(info):
        if index:
            if sentences[index] != sentences[index - 1]:
                sequence.append(END)
            elif clauses[index] != clauses[index - 1]:
                sequence.append(BREAK)
        sequence.append(word_class(entry[0]))
    return sequence


def train(texts: list[str]) -> dict[str, dict[str, int]]:
    """Class bigram counts over well-formed prose; `python -m questions.structure` ships them."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        sequence = [END, *class_sequence(Tokens(text)), END]
        for first, second in itertools.pairwise(sequence):
            row = counts.setdefault(first, {})
            row[second] = row.get(second, 0) + 1
    return counts


class OrderModel:
    """Per-word log-likelihood ratio of class bigrams over class frequencies."""

    def __init__(self, counts: dict[str, dict[str, int]]) -> None:
        classes = set(counts) | {c for row in counts.values() for c in row}
        unigram: dict[str, int] = {}
        for row in counts.values():
            for second, count in row.items():
                unigram[second] = unigram.get(second, 0) + count
        total = sum(unigram.values())
        size = len(classes)
        self._ratio: dict[tuple[str, str], float] = {}
        for first in classes:
            row = counts.get(first, {})
            row_total = sum(row.values())
            for second in classes:
                p_bigram = (row.get(second, 0) + SMOOTHING) / (row_total + SMOOTHING * size)
                p_unigram = (unigram.get(second, 0) + SMOOTHING) / (total + SMOOTHING * size)
                self._ratio[first, second] = math.log(p_bigram / p_unigram)

    def ratios(self, sequence: list[str]) -> list[float]:
        ratio = self._ratio
        return [ratio.get(pair, 0.0) for pair in itertools.pairwise(sequence)]


@cache
def order_model() -> OrderModel:
    data = resources.files("questions").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return OrderModel(json.loads(data))


def _is_salad(ratios: list[float]) -> bool:
    mean = sum(ratios) / len(ratios)
    return (mean - ENGLISH_MEAN) * math.sqrt(len(ratios)) / ENGLISH_SPREAD < SALAD_Z


def _bullet_lines(tokens: Tokens) -> list[int]:
    """Per word, the start offset of the bullet line it sits on, or -1 outside bullets."""
    lines = [(m.start(1), m.end(1)) for m in BULLET.finditer(tokens.source)]
    result: list[int] = []
    line = 0
    for index in range(len(tokens)):
        start = tokens.span(index)[0]
        while line < len(lines) and lines[line][1] < start:
            line += 1
        inside = line < len(lines) and lines[line][0] <= start
        result.append(lines[line][0] if inside else -1)
    return result


def _elaborated(tokens: Tokens) -> set[int]:
    """Bullet lines that qualify their term: a parenthesis, a colon, an arrow, a plus."""
    return {m.start(1) for m in BULLET.finditer(tokens.source) if ELABORATION.search(m.group(1))}


class Structure:
    """Which words of an answer sit where something is said about them."""

    __slots__ = ("_explained", "_garbled", "salad", "sentence_salad")

    def __init__(self, tokens: Tokens) -> None:
        info, clauses, sentences = tokens.info, tokens.clauses, tokens.sentences
        count = len(info)
        classes = [word_class(entry[0]) for entry in info]
        source = tokens.source
        for index, label in enumerate(classes):
            if label not in CONTENT:
                start, end = tokens.span(index)
                if source[start - 1 : start] == "-" or source[end : end + 1] == "-":
                    classes[index] = "W"  # part of a compound such as stale-while-revalidate
        # Units: clauses, further cut at list joiners ("A, B and C" is three units). A bullet
        # line is one unit: bullets are terse statements ("- async processing via a queue").
        bullet_line = _bullet_lines(tokens)
        unit_of: list[int] = []
        unit = next_unit = 0
        outer: list[int] = []  # units waiting for their parenthesis to close
        inside: set[int] = set()  # units that are parentheses
        for index in range(count):
            if index:
                gap = tokens.source[tokens.span(index - 1)[1] : tokens.span(index)[0]]
                if "(" in gap:
                    outer.append(unit)
                    next_unit += 1
                    unit = next_unit
                    inside.add(unit)
                elif ")" in gap and outer:
                    unit = outer.pop()  # the clause goes on after its parenthesis
                elif bullet_line[index] != bullet_line[index - 1] or (
                    bullet_line[index] < 0
                    and (clauses[index] != clauses[index - 1] or info[index - 1][0] in LIST_JOINERS)
                ):
                    next_unit += 1
                    unit = next_unit
            unit_of.append(unit)
        parent = {}
        for index in range(1, count):
            if unit_of[index] in inside and unit_of[index - 1] not in inside:
                parent.setdefault(unit_of[index], unit_of[index - 1])
        relating: set[int] = set()
        sizes: dict[int, int] = {}
        determiners: set[int] = set()
        for index in range(count):
            sizes[unit_of[index]] = sizes.get(unit_of[index], 0) + 1
            if classes[index] in RELATING:
                relating.add(unit_of[index])
            elif classes[index] == "DET":
                determiners.add(unit_of[index])
        # "Clients send the token": a determiner in a clause of four words or more.
        relating |= {u for u in determiners if sizes[u] >= 4}
        # A long unit of nearly all content words is a list with a preposition in it.
        function_words: dict[int, int] = {}
        for index in range(count):
            if classes[index] not in CONTENT:
                function_words[unit_of[index]] = function_words.get(unit_of[index], 0) + 1
        relating -= {
            u
            for u, size in sizes.items()
            if size >= LIST_UNIT_WORDS and function_words.get(u, 0) / size < LIST_FUNCTION_SHARE
        }
        # A parenthesis restates or qualifies what the clause around it says: "a CDN (content
        # delivery network) serves assets". It shares that clause's standing.
        relating |= {u for u, around in parent.items() if around in relating}
        # A bullet that elaborates on its term, or is long enough to be a statement.
        relating |= {
            unit_of[index]
            for index in range(count)
            if bullet_line[index] >= 0
            and (
                sizes[unit_of[index]] >= BULLET_STATEMENT_WORDS
                or bullet_line[index] in _elaborated(tokens)
            )
        }
        in_run = [False] * count
        run_start: int | None = None
        for index in range(count + 1):
            content = index < count and classes[index] in CONTENT
            if content and run_start is not None and unit_of[index] == unit_of[index - 1]:
                continue
            if run_start is not None and index - run_start >= TERM_RUN:
                in_run[run_start:index] = [True] * (index - run_start)
            run_start = index if content else None
        sequence = class_sequence(tokens)
        ratios = order_model().ratios(sequence)
        self.salad = count >= SALAD_MIN_WORDS and _is_salad(ratios)
        # Per sentence, the ratios of the transitions into its words (break markers skipped).
        per_sentence: dict[int, list[float]] = {}
        word = 0
        for position in range(1, len(sequence)):
            if sequence[position] in (BREAK, END):
                continue
            word += 1
            per_sentence.setdefault(sentences[word], []).append(ratios[position - 1])
        self.sentence_salad = {
            sentence
            for sentence, values in per_sentence.items()
            if len(values) >= SALAD_MIN_WORDS and _is_salad(values)
        }
        self._garbled = [self.salad or sentences[i] in self.sentence_salad for i in range(count)]
        self._explained = [
            unit_of[i] in relating and not in_run[i] and not self._garbled[i] for i in range(count)
        ]

    def refute(self, ranges: list[tuple[int, int]]) -> None:
        """Words in clauses that contradict the model answer earn nothing, like salad."""
        for first, last in ranges:
            for index in range(first, last + 1):
                self._garbled[index] = True
                self._explained[index] = False

    def garbled(self, first: int, last: int) -> bool:
        """Whether the words first..last sit in word salad, where nothing is said at all."""
        return all(self._garbled[first : last + 1])

    def says_something(self, first: int, last: int) -> bool:
        """Whether any word in first..last sits where something is said (for whole clauses)."""
        return any(self._explained[first : last + 1])

    def explained(self, first: int, last: int) -> bool:
        """Whether the words first..last sit in a unit that relates them to something."""
        return all(self._explained[first : last + 1])


def _shipped_prose() -> list[str]:
    from questions.loader import default_bank

    texts: list[str] = []
    for question in default_bank().questions.values():
        texts += [question.prompt, question.model_answer, *question.tips, *question.follow_ups]
    return texts


if __name__ == "__main__":  # regenerate the shipped model after the packs' prose changes
    target = resources.files("questions").joinpath("data", MODEL_FILE)
    with resources.as_file(target) as path:
        path.write_text(json.dumps(train(_shipped_prose()), sort_keys=True) + "\n")
        print(f"wrote {path}")
