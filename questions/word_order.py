"""A word-order model of English: which word classes follow which, in well-formed prose.

Words are classed by the job a function word does (determiner, preposition, auxiliary...) or,
for content words, by suffix. A bigram model over those classes, trained on the bank's own
prose and shipped as counts, scores each transition against plain class frequencies: the
log-likelihood ratio is positive on average for English and near or below zero for the same
words shuffled. `python -m questions.word_order` retrains it after the packs' prose changes.
"""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from questions.text import Tokens

MODEL_FILE = "word_order.json"
LEXICON_FILE = "common_words.txt"  # for `questions.surface`
SMOOTHING = 0.5

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
BREAK, END = ",", "END"
LABELS = (*WORD_GROUPS, "NUM", "LY", "ING", "ED", "S", "W")
CODE = {label: code for code, label in enumerate(LABELS)}
# Finer groups the order model alone sees: "a" wants a singular noun, "them" follows a verb,
# "is" a singular subject. Measured on 20-word windows: real text and shuffles lie 2.39
# spreads apart with them, 2.19 without.
FINE_GROUPS: dict[str, str] = {
    "A": "a an",
    "OBJ": "me him us them",
    "POSS": "my your his its our their",
    "WH": "who whom whose which what",
    "HAVE": "have has had having",
    "THAT": "that",
    "IF": "because if when while although though unless whereas whether",
    "OF": "of",
    "IS": "is was",
    "ARE": "are were",
}
FINE_OF = {word: group for group, members in FINE_GROUPS.items() for word in members.split()}
ORDER_LABELS = (*LABELS, *FINE_GROUPS)
ORDER_CODE = {label: code for code, label in enumerate(ORDER_LABELS)}
# Per order code, the class code the rest of the scorer uses.
COARSE = np.array(
    [
        CODE[CLASS_OF[FINE_GROUPS[label].split()[0]]] if label in FINE_GROUPS else CODE[label]
        for label in ORDER_LABELS
    ],
    dtype=np.intp,
)
SEQUENCE_CODE = {**ORDER_CODE, BREAK: len(ORDER_LABELS), END: len(ORDER_LABELS) + 1}
_CLASS_CACHE: dict[str, str] = {}


def _class_cached(word: str) -> str:
    label = _CLASS_CACHE.get(word)
    if label is None:
        if len(_CLASS_CACHE) > 200_000:
            _CLASS_CACHE.clear()
        label = _CLASS_CACHE[word] = FINE_OF.get(word) or word_class(word)
    return label


_CODE_CACHE: dict[str, int] = {}


def _code_cached(word: str) -> int:
    code = _CODE_CACHE.get(word)
    if code is None:
        if len(_CODE_CACHE) > 200_000:
            _CODE_CACHE.clear()
        code = _CODE_CACHE[word] = ORDER_CODE[FINE_OF.get(word) or word_class(word)]
    return code


def word_codes(words: list[str]) -> npt.NDArray[np.intp]:
    """Order-model codes of many words at once (`COARSE` maps them to class codes); each
    distinct word is classed once a process."""
    codes = list(map(_CODE_CACHE.get, words))
    if None in codes:
        codes = [
            _code_cached(word) if code is None else code
            for word, code in zip(words, codes, strict=True)
        ]
    return np.array(codes, dtype=np.intp)


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


def class_sequence(tokens: Tokens, labels: list[str] | None = None) -> list[str]:
    """Word classes with clause breaks and sentence ends, as the order model sees text."""
    if labels is None:
        labels = [_class_cached(entry[0]) for entry in tokens.info]
    sequence: list[str] = []
    clauses, sentences = tokens.clauses, tokens.sentences
    for index in range(len(labels)):
        if index:
            if sentences[index] != sentences[index - 1]:
                sequence.append(END)
            elif clauses[index] != clauses[index - 1]:
                sequence.append(BREAK)
        sequence.append(labels[index])
    return sequence


def train(texts: list[str]) -> dict[str, dict[str, int]]:
    """Class bigram counts over well-formed prose; `python -m questions.word_order` ships them."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        sequence = [END, *class_sequence(Tokens(text)), END]
        for first, second in itertools.pairwise(sequence):
            row = counts.setdefault(first, {})
            row[second] = row.get(second, 0) + 1
    return counts


def common_words(texts: list[str]) -> list[str]:
    """Words the prose writes in lower case and never in capitals mid-sentence.

    Such a word capitalised mid-sentence ("the Validation sets") was a sentence start moved
    by a shuffle; names ("Redis", "Cassandra") and header parts ("Cache-Control") are not.
    """
    lower: set[str] = set()
    named: set[str] = set()
    for text in texts:
        tokens = Tokens(text)
        for index, (word, *_) in enumerate(tokens.info):
            start, end = tokens.span(index)
            written = text[start:end]
            mid_sentence = index and tokens.sentences[index] == tokens.sentences[index - 1]
            if written.islower() and written.isalpha():
                lower.add(word)
            elif mid_sentence and written[:1].isupper() and not written.isupper():
                named.add(word)
    return sorted(lower - named)


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
        # The same as an array indexed by class codes, for whole answers at once.
        self.table = np.zeros((len(SEQUENCE_CODE), len(SEQUENCE_CODE)), dtype=np.float64)
        for (first, second), value in self._ratio.items():
            if first in SEQUENCE_CODE and second in SEQUENCE_CODE:
                self.table[SEQUENCE_CODE[first], SEQUENCE_CODE[second]] = value

    def ratios(self, sequence: list[str]) -> list[float]:
        ratio = self._ratio
        return [ratio.get(pair, 0.0) for pair in itertools.pairwise(sequence)]

    def word_ratios(
        self,
        codes: npt.NDArray[np.intp],
        clauses: npt.NDArray[np.int32],
        sentences: npt.NDArray[np.int32],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """All transition ratios, and per word from the second on the ratio into it."""
        count = len(codes)
        marker = np.full(count, -1, dtype=np.intp)
        if count > 1:
            marker[1:] = np.where(
                sentences[1:] != sentences[:-1],
                SEQUENCE_CODE[END],
                np.where(clauses[1:] != clauses[:-1], SEQUENCE_CODE[BREAK], -1),
            )
        has_marker = marker >= 0
        position = np.arange(count) + np.cumsum(has_marker)
        sequence = np.empty(count + int(has_marker.sum()), dtype=np.intp)
        sequence[position] = codes
        sequence[position[has_marker] - 1] = marker[has_marker]
        ratios = self.table[sequence[:-1], sequence[1:]]
        return ratios, ratios[position[1:] - 1]


@cache
def order_model() -> OrderModel:
    data = resources.files("questions").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return OrderModel(json.loads(data))


def _shipped_prose() -> list[str]:
    from questions.loader import default_bank

    texts: list[str] = []
    for question in default_bank().questions.values():
        texts += [question.prompt, question.model_answer, *question.follow_ups]
        for tip in question.tips:
            texts += [tip] if isinstance(tip, str) else [cell for row in tip.rows for cell in row]
    return texts


if __name__ == "__main__":  # regenerate the shipped data after the packs' prose changes
    prose = _shipped_prose()
    for name, content in (
        (MODEL_FILE, json.dumps(train(prose), sort_keys=True)),
        (LEXICON_FILE, "\n".join(common_words(prose))),
    ):
        with resources.as_file(resources.files("questions").joinpath("data", name)) as path:
            path.write_text(content + "\n")
            print(f"wrote {path}")
