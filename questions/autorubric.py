"""Derive a rubric from a model answer, for questions an admin added without one.

The key terms of a model answer are its informative word runs: acronyms, technical words and
multi-word terms. Each becomes a concept, and each word of a longer term is an alternative
phrase: a candidate who uses part of a term gets a fifth of the credit, a hint of the idea.
Words the question itself uses are left out: repeating the question shows nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from questions.model import Concept
from questions.text import Word, words
from questions.word_order import word_class

MIN_CONCEPTS = 6
MAX_CONCEPTS = 12
WORDS_PER_CONCEPT = 6  # roughly one key idea per this many content words
MAX_TERM_WORDS = 3
LABEL_BEFORE, LABEL_AFTER = 3, 2  # words of context around a lone word in its name
IDENTIFIER_JOINERS = frozenset({"-", "_", ".", "/"})  # kept in a name: they make one identifier
LABEL_EDGE_WORDS = frozenset({"and", "or", "but", "so", "then", "which", "that", "because"})
# Small words of a clause ("can", "whereas", "per") are no part of a term.
FUNCTION_CLASSES = frozenset({"DET", "PRON", "BE", "AUX", "MOD", "PREP", "TO", "CC", "SUB", "NEG"})
SENTENCE_BREAK = re.compile(r"[.!?;](?=\s)|\n")

# Words that carry little meaning on their own in a technical answer.
GENERIC_WORDS = frozenset(
    """
    able add added adding allow allows answer approach based better big case cases common
    different done easy example first good great help helps important instead keep keeps large
    less make makes making many means need needs new often part possible provide provides put
    plus right run runs say see set several small still take takes time times two type types use
    used uses using way ways well without work works want wants whole
    """.split()
)
# Units say how much, not what: "64 KB" names no idea a candidate should mention.
UNITS = frozenset("kb mb gb tb kib mib gib tib ms us ns kbps mbps gbps rps qps".split())


def _informativeness(word: Word, source: str) -> float:
    written = source[word.start : word.end]
    if word.text in UNITS:
        return 0.0
    if word.upper and len(word.text) >= 2:
        return 3.0  # acronyms: JWT, ACID, CDN
    if any(c.isupper() for c in written[1:]) or (
        any(c.isdigit() for c in written) and any(c.isalpha() for c in written)
    ):
        return 3.0  # product and protocol names: RabbitMQ, OAuth2, k8s
    if word.text in GENERIC_WORDS or word.text.isdigit():
        return 0.0
    base = 1.0 + min(2.0, max(0, len(word.text) - 4) / 3)
    before = source[: word.start].rstrip()
    if written[:1].isupper() and before and before[-1] not in ".!?:;\n":
        base += 1.0  # a capitalised name mid-sentence: Redis, Kafka, Postgres
    return base


def _is_name(word: Word, source: str) -> bool:
    """An acronym or a product name (JWT, RabbitMQ, Redis) names itself; a long plain word
    ("inconsistent") is as informative but says nothing on its own in the feedback."""
    written = source[word.start : word.end]
    if word.upper and len(word.text) >= 2:
        return True
    if any(c.isupper() for c in written[1:]) or any(c.isdigit() for c in written):
        return True
    before = source[: word.start].rstrip()
    return written[:1].isupper() and bool(before) and before[-1] not in ".!?:;\n"


def _label(term: list[Word], clause_words: list[Word], source: str) -> str:
    """What the candidate reads as the concept's name.

    A lone plain word ("items", "removed") says nothing on its own in the feedback, so it is
    shown with a few words of its clause around it ("storing the items"); names, acronyms and
    longer terms stand as they are.
    """
    first = term[0]
    if len(term) > 1 or _is_name(first, source):
        return _written(term, source)
    at = clause_words.index(first)
    # Small words around it ("when it was created") say nothing: reach further for a word that
    # does ("the row when it was created"), or leave the word alone if the clause has none.
    for before, after in ((LABEL_BEFORE, LABEL_AFTER), (2 * LABEL_BEFORE, 2 * LABEL_AFTER)):
        window = _window(clause_words, at, before, after)
        if len(window) > 1:
            break
    end = window[-1].end
    while end < len(source) and (source[end] == "-" or source[end].isalnum()):
        end += 1  # the rest of a hyphenated word: "happened-before", not "happened"
    return source[window[0].start : end]


def _written(term: list[Word], source: str) -> str:
    """The term as the model answer writes it: "UV_THREADPOOL", "RateLimit-Remaining"."""
    text = source[term[0].start : term[0].end]
    for before, word in pairwise(term):
        gap = source[before.end : word.start]
        text += (gap if gap in IDENTIFIER_JOINERS else " ") + source[word.start : word.end]
    return text


def _window(clause_words: list[Word], at: int, before: int, after: int) -> list[Word]:
    """The words up to the term, trimmed of small words at the start; failing that, the
    term and what follows it, trimmed at the end."""
    window = clause_words[max(0, at - before) : at + 1]
    while len(window) > 1 and _edge(window[0]):
        window = window[1:]
    if len(window) == 1:
        window = clause_words[at : at + 1 + after]
        while len(window) > 1 and _edge(window[-1]):
            window = window[:-1]
    return window


def _edge(word: Word) -> bool:
    """A word a name should not start or end on."""
    return (
        word.is_stopword
        or word.text in LABEL_EDGE_WORDS
        or word_class(word.text) in FUNCTION_CLASSES
    )


def _candidate_terms(model_answer: str, skip_stems: frozenset[str]) -> list[list[Word]]:
    """Runs of up to three adjacent informative words within one clause."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in words(model_answer):
        useful = (
            not word.is_stopword
            and word_class(word.text) not in FUNCTION_CLASSES
            and not word.is_negator
            and word.stem not in skip_stems
            and _informativeness(word, model_answer) > 0
            and (len(word.text) >= 3 or word.upper)
        )
        if useful and (not current or current[-1].clause == word.clause):
            current.append(word)
            continue
        if current:
            runs.append(current)
        current = [word] if useful else []
    if current:
        runs.append(current)
    terms: list[list[Word]] = []
    for run in runs:
        # The head of an English noun phrase comes last: cut long runs from the end, so
        # "become partial unique indexes" gives "partial unique indexes" whole.
        for end in range(len(run), 0, -MAX_TERM_WORDS):
            terms.append(run[max(0, end - MAX_TERM_WORDS) : end])
    return terms


def derive_concepts(model_answer: str, prompt: str = "") -> tuple[Concept, ...]:
    """Pick the model answer's key terms as equally weighted concepts."""
    return derive_rubric(model_answer, prompt)[0]


def derive_rubric(
    model_answer: str, prompt: str = ""
) -> tuple[tuple[Concept, ...], dict[int, list[str]]]:
    """Concepts from the model answer's key terms, each with the sentence it came from.

    The sentence lets a candidate earn the concept in other words (``questions.meaning``).
    """
    prompt_stems = frozenset(w.stem for w in words(prompt) if not w.is_stopword)
    terms = _candidate_terms(model_answer, prompt_stems)
    stem_counts = Counter(w.stem for term in terms for w in term)
    content_words = sum(len(term) for term in terms)
    wanted = max(MIN_CONCEPTS, min(MAX_CONCEPTS, round(content_words / WORDS_PER_CONCEPT)))

    def value(term: list[Word]) -> float:
        total = sum(
            _informativeness(w, model_answer) * (1 + 0.5 * (stem_counts[w.stem] - 1)) for w in term
        )
        return total / len(term) ** 0.5  # a longer term is worth more, but not per word

    sentences = _sentences(model_answer)
    all_words = words(model_answer)
    concepts: list[Concept] = []
    names: set[str] = set()
    anchors: dict[int, list[str]] = {}
    used_stems: set[str] = set()
    for term in sorted(terms, key=value, reverse=True):
        stems = {w.stem for w in term}
        if stems & used_stems:
            continue
        used_stems |= stems
        written = " ".join(model_answer[w.start : w.end] for w in term)
        phrases = [written]
        if len(term) > 1:  # each word alone is a hint, worth a fifth (questions.scoring)
            phrases += [model_answer[w.start : w.end] for w in term]
        clause = [w for w in all_words if w.clause == term[0].clause]
        name = _label(term, clause, model_answer)
        if name in names:
            name = written
        names.add(name)
        anchors[len(concepts)] = [
            text for start, end, text in sentences if start <= term[0].start < end
        ]
        concepts.append(Concept(name=name, phrases=tuple(dict.fromkeys(phrases)), weight=1.0))
        if len(concepts) == wanted:
            break
    return tuple(concepts), anchors


def _sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence, cut at sentence ends and semicolons."""
    result: list[tuple[int, int, str]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        result.append((start, match.end(), text[start : match.end()].strip()))
        start = match.end()
    if start < len(text):
        result.append((start, len(text), text[start:].strip()))
    return [item for item in result if item[2]]
