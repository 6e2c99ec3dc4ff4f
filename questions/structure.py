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
  word, and a long run of content words with no small words between them is a list whatever the
  punctuation. (Measured in `questions.word_order` and here; see the constants below.)
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

from questions.surface import mark_penalties
from questions.text import Tokens
from questions.word_order import COARSE, CODE, LABELS, order_model, word_codes

RELATING = frozenset({"PRON", "BE", "AUX", "MOD", "PREP", "TO", "SUB", "NEG"})
CONTENT = frozenset({"W", "S", "NUM", "LY", "ED", "ING"})
CONTENT_CODES = [CODE[label] for label in CONTENT]
IS_CONTENT = np.isin(np.arange(len(LABELS)), CONTENT_CODES)
IS_RELATING = np.isin(np.arange(len(LABELS)), [CODE[label] for label in RELATING])

VERB_FORMS = frozenset({CODE["ING"], CODE["ED"]})
PREDICATE_AFTER_WORDS = 4  # the unit before "and" must be this long to be a clause it goes on
TERM_RUN = 7  # this many content words in a row are a list, not a phrase
LIST_UNIT_WORDS, LIST_FUNCTION_SHARE = 8, 0.12  # a long unit this short of small words
# English prose averages +0.26 per word with a spread of about 0.91 per word (the model answers'
# 0.23 and 0.85 under the coarser classes, scaled by what finer classes do to 20-word windows
# of the calibration answers); a text is salad when its mean, less the marks of a shuffle
# (questions.surface), sits this many standard errors below that, so short texts need a much
# lower mean than long ones before they are judged. At -2.75 real windows are called salad
# as rarely as at -3 under the coarser classes (0.08 % against 0.06 %).
ENGLISH_MEAN, ENGLISH_SPREAD, SALAD_Z = 0.26, 0.91, -2.75
# The standard error shrinks with length, but writers differ in style, not only by chance: a
# terse 230-word answer of "Term: definition;" lines averages +0.08 per word, significantly
# below English and still plainly English. Salad also needs a mean no better than no order at
# all. Over 927 answers and model answers of 40 words or more, real text averages 0.24 (the
# lowest 1 % under 0.05) and the same texts shuffled -0.65 (the highest -0.005).
SALAD_MEAN = 0.0
SALAD_MIN_WORDS = 12

BULLET = re.compile(r"^[ \t]*(?:[-*\u2022\u00b7]|\d{1,2}[.)])[ \t]+(.*)$", re.MULTILINE)
# A bullet states something when it qualifies its term (a bracket, colon, equals, plus or
# arrow) or runs to four words. A slash was one and three words were enough until "- mutex /
# atomic update" and "- lock ordering, timeouts" carried a bulleted term list to 64 (ninth
# bank set); a slash lists alternatives.
ELABORATION = re.compile(r"[(:=+]|->")
BULLET_STATEMENT_WORDS = 4


def _is_salad(mean: float, words: int) -> bool:
    """Significantly below English word order, and no better than no order at all."""
    return mean < SALAD_MEAN and _salad_score(mean, words) < SALAD_Z


def _salad_score(mean: float, words: int) -> float:
    """Standard errors below English word order."""
    return (mean - ENGLISH_MEAN) * math.sqrt(words) / ENGLISH_SPREAD


def _bullet_lines(tokens: Tokens) -> npt.NDArray[np.int64] | None:
    """Per word, the start offset of the bullet line it sits on (-1 outside); None: no bullets."""
    lines = [(m.start(1), m.end(1)) for m in BULLET.finditer(tokens.source)]
    if not lines:
        return None
    result = np.full(len(tokens), -1, dtype=np.int64)
    line = 0
    for index in range(len(tokens)):
        start = tokens.span(index)[0]
        while line < len(lines) and lines[line][1] < start:
            line += 1
        if line < len(lines) and lines[line][0] <= start:
            result[index] = lines[line][0]
    return result


def _statement_bullets(
    tokens: Tokens,
    bullets: npt.NDArray[np.int64] | None,
    unit_of: npt.NDArray[np.intp],
    sizes: npt.NDArray[np.int64],
) -> set[int]:
    """Bullet units that qualify their term (a parenthesis, colon, arrow, plus) or are long."""
    if bullets is None:
        return set()
    elaborated = {
        m.start(1) for m in BULLET.finditer(tokens.source) if ELABORATION.search(m.group(1))
    }
    return {
        int(unit_of[index])
        for index in np.nonzero(bullets >= 0)[0].tolist()
        if sizes[unit_of[index]] >= BULLET_STATEMENT_WORDS or int(bullets[index]) in elaborated
    }


class Structure:
    """Which words of an answer sit where something is said about them.

    Per-word facts are numpy arrays and units are contiguous runs of words, so the rules
    below are a handful of array operations rather than loops: this runs on every answer.
    """

    __slots__ = ("_explained", "_garbled", "order", "salad", "sentence_salad")

    def __init__(self, tokens: Tokens) -> None:
        info, source = tokens.info, tokens.source
        count = len(info)
        order_codes = word_codes(tokens.words)
        raw_codes = COARSE[order_codes]
        codes = raw_codes.copy()
        starts, ends = _source_spans(tokens)
        # The text as code points, to find hyphens next to words at once.
        text = np.frombuffer(source.encode("utf-32-le"), dtype=np.uint32)
        if "-" in source and count:
            padded = np.concatenate(([0], text, [0]))  # so starts - 1 and ends stay in range
            hyphen = (padded[starts] == ord("-")) | (padded[ends + 1] == ord("-"))
            codes[hyphen & ~IS_CONTENT[raw_codes]] = CODE["W"]  # stale-while-...
        clauses = np.asarray(tokens.clauses, dtype=np.int32)
        sentences = np.asarray(tokens.sentences, dtype=np.int32)
        bullets = _bullet_lines(tokens)
        unit_of, parent = _units(tokens, bullets, codes, clauses, starts, ends)
        units = int(unit_of.max()) + 1 if count else 0
        content = IS_CONTENT[codes]
        relating = np.bincount(unit_of, weights=IS_RELATING[codes], minlength=units) > 0
        sizes = np.bincount(unit_of, minlength=units)
        function_share = np.bincount(unit_of, weights=~content, minlength=units) / np.maximum(
            sizes, 1
        )
        determiners = np.bincount(unit_of, weights=codes == CODE["DET"], minlength=units) > 0
        # "Clients send the token": a determiner in a clause of four words or more.
        relating |= determiners & (sizes >= 4)
        # A long unit of nearly all content words is a list with a preposition in it.
        relating &= ~((sizes >= LIST_UNIT_WORDS) & (function_share < LIST_FUNCTION_SHARE))
        # A parenthesis restates or qualifies what the clause around it says: "a CDN (content
        # delivery network) serves assets". It shares that clause's standing.
        for unit, around in parent.items():
            if unit < units:
                relating[unit] |= relating[around]
        # "... each holding something the other needs and both waiting forever": a verb after
        # "and" that goes on a full clause says more about it; it is not an item of a list.
        for unit in _continued_predicates(codes, unit_of, clauses, sizes, relating):
            relating[unit] = True
        # A bullet that elaborates on its term, or is long enough to be a statement.
        for unit in _statement_bullets(tokens, bullets, unit_of, sizes):
            relating[unit] = True
        in_run = _term_runs(content, unit_of)
        ratios, word_ratios = order_model().word_ratios(order_codes, clauses, sentences)
        total = float(ratios.sum())
        marks = mark_penalties(tokens, raw_codes, sentences, starts, ends, text) if count else None
        if marks is not None:  # capitals and full stops a shuffle left where English has none
            total -= float(marks.sum())
            word_ratios = word_ratios - marks[1:]
        mean = total / len(ratios) if len(ratios) else ENGLISH_MEAN
        self.order = _salad_score(mean, len(ratios)) if len(ratios) else 0.0
        self.salad = count >= SALAD_MIN_WORDS and _is_salad(mean, len(ratios))
        self.sentence_salad: set[int] = set()
        if count > SALAD_MIN_WORDS:
            later = sentences[1:]
            totals = np.bincount(later, weights=word_ratios, minlength=int(sentences.max()) + 1)
            lengths = np.bincount(later, minlength=int(sentences.max()) + 1)
            for sentence in np.nonzero(lengths >= SALAD_MIN_WORDS)[0].tolist():
                sentence_mean = float(totals[sentence] / lengths[sentence])
                if _is_salad(sentence_mean, int(lengths[sentence])):
                    self.sentence_salad.add(sentence)
        if self.sentence_salad and not self.salad:
            garbled = np.isin(sentences, list(self.sentence_salad))
        else:
            garbled = np.full(count, self.salad)
        self._garbled: list[bool] = garbled.tolist()
        explained = relating[unit_of] & ~in_run & ~garbled
        if count > 2:
            # "... how it plans to run them, and look for ...": a joiner between two units that
            # say something is part of what they say, so a phrase may span it.
            joiner = codes[1:-1] == CODE["CC"]
            explained[1:-1] |= joiner & explained[:-2] & explained[2:]
        self._explained: list[bool] = explained.tolist()

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

    @property
    def explained_words(self) -> list[bool]:
        return self._explained


def _continued_predicates(
    codes: npt.NDArray[np.intp],
    unit_of: npt.NDArray[np.intp],
    clauses: npt.NDArray[np.int32],
    sizes: npt.NDArray[np.int64],
    relating: npt.NDArray[np.bool_],
) -> list[int]:
    """Units after "and"/"or" that open with a verb ("both waiting forever", "giving up")
    and follow a relating unit of a full clause's length in the same clause."""
    found: list[int] = []
    for index in np.flatnonzero(codes[:-1] == CODE["CC"]).tolist():
        unit, before = int(unit_of[index + 1]), int(unit_of[index])
        if unit == before or clauses[index + 1] != clauses[index]:
            continue
        if sizes[before] == 1 and before > 0:
            before -= 1  # ", and giving up": the "and" opens a clause of its own
        if not relating[before] or sizes[before] < PREDICATE_AFTER_WORDS or sizes[unit] < 2:
            continue
        first = index + 1
        if codes[first] == CODE["DET"] and first + 1 < len(codes) and unit_of[first + 1] == unit:
            first += 1  # "both waiting", "each holding"
        if codes[first] in VERB_FORMS:
            found.append(unit)
    return found


def _source_spans(tokens: Tokens) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Each word's start and end offsets in the original text, as arrays."""
    if tokens.exact_offsets:
        return np.asarray(tokens.starts, dtype=np.intp), np.asarray(tokens.ends, dtype=np.intp)
    spans = [tokens.span(index) for index in range(len(tokens))]
    return (
        np.asarray([start for start, _ in spans], dtype=np.intp),
        np.asarray([end for _, end in spans], dtype=np.intp),
    )


def _units(
    tokens: Tokens,
    bullets: npt.NDArray[np.int64] | None,
    codes: npt.NDArray[np.intp],
    clauses: npt.NDArray[np.int32],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.intp], dict[int, int]]:
    """Units: clauses, further cut at list joiners ("A, B and C" is three units).

    A bullet line is one unit: bullets are terse statements ("- async processing via a
    queue"). A parenthesis is a unit of its own, and the clause goes on after it.
    """
    count = len(tokens)
    if not count:
        return np.zeros(0, dtype=np.intp), {}
    boundary = np.zeros(count, dtype=bool)
    # A list joiner (and, or, nor) ends a unit: "but" and "yet" already end clauses.
    boundary[1:] = (clauses[1:] != clauses[:-1]) | (codes[:-1] == CODE["CC"])
    if bullets is not None:
        boundary &= bullets < 0
        boundary[1:] |= bullets[1:] != bullets[:-1]
    source = tokens.source
    if "(" not in source:
        return np.cumsum(boundary), {}
    opened = _in_gaps(_offsets(source, "("), starts, ends)
    closed = _in_gaps(_offsets(source, ")"), starts, ends)
    both = opened & closed  # "f() then": an empty pair, or ") (": read as neither
    opened &= ~both
    closed &= ~both
    base = np.cumsum(boundary | opened | closed)
    mapping = np.arange(int(base[-1]) + 1)
    outer: list[int] = []  # units waiting for their parenthesis to close
    parent: dict[int, int] = {}
    for index in np.flatnonzero(opened | closed).tolist():
        if closed[index] and outer:
            mapping[base[index]] = outer.pop()  # the clause goes on after its parenthesis
        if opened[index]:
            around = int(mapping[base[index - 1]])
            outer.append(around)
            parent[int(base[index])] = around
    return mapping[base], parent


def _offsets(source: str, char: str) -> npt.NDArray[np.intp]:
    """Where char occurs in source; str.find skips the rest at C speed."""
    found = []
    at = source.find(char)
    while at != -1:
        found.append(at)
        at = source.find(char, at + 1)
    return np.array(found, dtype=np.intp)


def _in_gaps(
    where: npt.NDArray[np.intp], starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Per word, whether one of the offsets `where` lies between the previous word and it."""
    result = np.zeros(len(starts), dtype=bool)
    if len(starts) > 1 and len(where):
        result[1:] = np.searchsorted(where, starts[1:]) > np.searchsorted(where, ends[:-1])
    return result


def _term_runs(
    content: npt.NDArray[np.bool_], unit_of: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Words in a run of TERM_RUN or more content words within one unit."""
    count = len(content)
    in_run = np.zeros(count, dtype=bool)
    if count < TERM_RUN:
        return in_run
    starts = np.ones(count, dtype=bool)
    starts[1:] = ~content[:-1] | (unit_of[1:] != unit_of[:-1])
    run_id = np.cumsum(starts)
    lengths = np.bincount(run_id, weights=content)
    in_run = content & (lengths[run_id] >= TERM_RUN)
    return in_run
