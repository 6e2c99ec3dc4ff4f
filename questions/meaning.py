"""Concepts recognised by meaning: an answer's sentences and clauses against each concept.

Lexical matching finds a concept where the rubric's words (or typos of them) occur. A
candidate who says "a set of already-open connections that requests borrow" for a
connection pool uses none of them. Here each concept is a handful of unit vectors (its
name, its phrases and, for derived rubrics, the model-answer sentence it came from) and
each stretch of the answer that says something is one vector; a concept is met where a
stretch comes close enough to one of its vectors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from questions import semantic
from questions.reading import Reading
from questions.rubric import CompiledRubric

MAX_VECTORS_PER_CONCEPT = 12
MIN_SEGMENT_WORDS = 3  # content words where something is said
THRESHOLD = float(os.environ.get("INTERVIEW_SEMANTIC_THRESHOLD", "0.62"))
# A stretch of answer against a whole model-answer sentence earns credit on a ramp.
ANCHOR_LOW = float(os.environ.get("IB_ANCHOR_LOW", "0.40"))
ANCHOR_HIGH = float(os.environ.get("IB_ANCHOR_HIGH", "0.70"))


@dataclass(frozen=True)
class ConceptVectors:
    matrix: npt.NDArray[np.float32]  # one unit vector per row
    concept_of_row: npt.NDArray[np.int32]
    anchor_rows: npt.NDArray[np.bool_]  # rows that are whole model-answer sentences


def concept_vectors(rubric: CompiledRubric) -> ConceptVectors | None:
    """Built once per compiled rubric, on first use."""
    cached = rubric.meaning
    if cached is not None or rubric.meaning_built:
        return cached
    embedder = semantic.embedder()
    result = None
    if embedder is not None:
        texts: list[list[str]] = []
        owners: list[int] = []
        is_anchor: list[bool] = []
        for index, concept in enumerate(rubric.concepts):
            sources = [(s, False) for s in [concept.name, *concept.phrases]]
            sources = sources[:MAX_VECTORS_PER_CONCEPT]
            sources += [(s, True) for s in rubric.anchors.get(index, [])]
            for source, anchor in dict.fromkeys(sources):
                words = _content_words(source)
                if words:
                    texts.append(words)
                    owners.append(index)
                    is_anchor.append(anchor)
        if texts:
            result = ConceptVectors(
                embedder.texts(texts),
                np.array(owners, dtype=np.int32),
                np.array(is_anchor, dtype=np.bool_),
            )
    rubric.meaning = result
    rubric.meaning_built = True
    return result


def _content_words(text: str) -> list[str]:
    from questions.text import Tokens

    tokens = Tokens(text)
    return [entry[0] for entry in tokens.info if not entry[2]]


def matches(reading: Reading, rubric: CompiledRubric) -> dict[int, tuple[float, int, int]]:
    """Per concept, the best (credit 0-1, first word, last word) earned by meaning."""
    vectors = concept_vectors(rubric)
    embedder = semantic.embedder()
    if vectors is None or embedder is None:
        return {}
    tokens = reading.tokens
    structure = reading.structure
    info = tokens.info
    segments: list[tuple[int, int]] = []
    for groups in (tokens.sentences, tokens.clauses):
        start = 0
        for index in range(1, len(info) + 1):
            if index == len(info) or groups[index] != groups[start]:
                segments.append((start, index - 1))
                start = index
    kept: list[tuple[tuple[int, int], list[str]]] = []
    for first, last in segments:
        if any(info[i][3] for i in range(first, last + 1)):
            continue  # meaning under a negation is too easily the opposite
        # Only the words where something is said: a list inside a sentence adds nothing.
        words = [
            info[i][0]
            for i in range(first, last + 1)
            if not info[i][2] and structure.explained(i, i)
        ]
        if len(words) >= MIN_SEGMENT_WORDS:
            kept.append(((first, last), words))
    segment_matrix = embedder.texts([words for _, words in kept])
    similarity = segment_matrix @ vectors.matrix.T
    credit = np.where(
        vectors.anchor_rows[np.newaxis, :],
        np.clip((similarity - ANCHOR_LOW) / (ANCHOR_HIGH - ANCHOR_LOW), 0.0, 1.0),
        (similarity >= THRESHOLD).astype(np.float32),
    )
    best: dict[int, tuple[float, int, int]] = {}
    rows, columns = np.nonzero(credit > 0)
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        concept = int(vectors.concept_of_row[column])
        value = float(credit[row, column])
        if concept not in best or value > best[concept][0]:
            first, last = kept[row][0]
            best[concept] = (value, first, last)
    return best
