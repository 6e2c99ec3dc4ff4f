"""Concepts recognised by meaning: an answer's sentences and clauses against each concept.

Lexical matching finds a concept where the rubric's words (or typos of them) occur. A
candidate who says "a set of already-open connections that requests borrow" for a
connection pool uses none of them. Here a concept is also the model-answer sentence that
states it, as a unit vector, and each stretch of the answer that says something is one
vector; the closer a stretch comes to the sentence, the more of the concept it earns.

This is for concepts nobody wrote paraphrases for: rubrics derived from a model answer. It
was measured on hand-written rubrics too, and left off there. The shipped rubrics list a
dozen phrasings per concept, and matching by meaning as well credited fluent wrong answers
(the bank's read calibration rows: wrong-facts 32 -> 52 on average, agreement 0.926 ->
0.901): a wrong claim about the right things reads much like a right one to word vectors.
For a hand-written concept with only a phrase or two, the passages of one model-answer
sentence overlap so much that a sentence about one concept earned its neighbours too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from questions import semantic
from questions.reading import Reading
from questions.rubric import CompiledRubric
from questions.text import Tokens

MIN_SEGMENT_WORDS = 3  # content words where something is said
# A stretch of answer against a model-answer sentence earns credit on a ramp of cosines.
# A stretch's lead over the runner-up concept earns credit on a ramp: none at LOW, all at HIGH.
# Tuned on the auto-rubric rows of the seed answers and the read bank rows: the whole lead
# over the runner-up, with credit from any lead up to full at 0.1 (0.75 and 0.05-0.25 before
# sentences stopped competing with themselves).
MARGIN_WEIGHT = 1.0  # how much of the runner-up's similarity the leader must beat
ANCHOR_LOW, ANCHOR_HIGH = 0.0, 0.1
# A stretch close to a sentence of k concepts earns each k ** -SHARED_POWER of its credit: it
# shows the sentence's gist, not each of its terms (those can still be earned by their words).
SHARED_POWER = 0.5


@dataclass(frozen=True)
class ConceptVectors:
    matrix: npt.NDArray[np.float32]  # one unit vector per distinct model-answer sentence
    concepts_of_row: tuple[tuple[int, ...], ...]  # the concepts each sentence states


def concept_vectors(rubric: CompiledRubric) -> ConceptVectors | None:
    """Built once per compiled rubric, on first use."""
    cached = rubric.meaning
    if cached is not None or rubric.meaning_built:
        return cached
    embedder = semantic.embedder()
    result = None
    if embedder is not None:
        # Concepts derived from one sentence are one row: judged against the other sentences
        # together, not as rivals of each other (a row against its own copy has no margin).
        owners: dict[str, list[int]] = {}
        for index, sentences in rubric.anchors.items():
            for sentence in sentences:
                owners.setdefault(sentence, []).append(index)
        texts = [(words, tuple(o)) for s, o in owners.items() if (words := _content_words(s))]
        if texts:
            result = ConceptVectors(
                embedder.texts([words for words, _ in texts]), tuple(o for _, o in texts)
            )
    rubric.meaning = result
    rubric.meaning_built = True
    return result


def _content_words(text: str) -> list[str]:
    tokens = Tokens(text)
    return [entry[0] for entry in tokens.info if not entry[2]]


def matches(reading: Reading, rubric: CompiledRubric) -> dict[int, tuple[float, int, int]]:
    """Per concept, the best (credit 0-1, first word, last word) earned by meaning.

    The concepts derived from one model-answer sentence share that sentence's credit: a
    stretch that matches a sentence of k concepts earns each of them credit / sqrt(k).

    The stretches are the answer's sentences and clauses, each as the sum of the vectors of
    its content words where something is said: a list inside a sentence adds nothing, and a
    stretch under a negation is skipped (its meaning is too easily the opposite).
    """
    vectors = concept_vectors(rubric)
    embedder = semantic.embedder()
    info = reading.tokens.info
    count = len(info)
    if vectors is None or embedder is None or count == 0:
        return {}
    explained = np.asarray(reading.structure.explained_words, dtype=bool)
    flags = np.array([(entry[2], entry[3]) for entry in info], dtype=bool)
    use = explained & ~flags[:, 0]
    used = np.flatnonzero(use)
    if len(used) < MIN_SEGMENT_WORDS:
        return {}
    # Running sums over the used words: a stretch's vector is the difference of two rows.
    running = np.zeros((len(used) + 1, embedder.dimensions), dtype=np.float32)
    np.cumsum(embedder.words([info[i][0] for i in used.tolist()]), axis=0, out=running[1:])
    used_before = np.r_[0, np.cumsum(use)]  # used words before each word, and in all
    negations_before = np.r_[0, np.cumsum(flags[:, 1])]
    firsts, lasts = [], []
    for groups in (reading.tokens.sentences, reading.tokens.clauses):
        labels = np.asarray(groups)
        first = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
        firsts.append(first)
        lasts.append(np.r_[first[1:], count] - 1)
    segment_first, segment_last = np.concatenate(firsts), np.concatenate(lasts)
    low, high = used_before[segment_first], used_before[segment_last + 1]
    negations = negations_before[segment_last + 1] - negations_before[segment_first]
    keep = (high - low >= MIN_SEGMENT_WORDS) & (negations == 0)
    if not keep.any():
        return {}
    segment_first, segment_last = segment_first[keep], segment_last[keep]
    sums = running[high[keep]] - running[low[keep]]
    per_sentence = semantic.normalised(sums) @ vectors.matrix.T
    # A stretch earns by meaning only the sentence it is closest to, and only by the margin
    # it leads the runner-up with: a sentence that resembles every concept equally (it shares
    # the topic's words) says nothing in particular about any of them.
    if per_sentence.shape[1] > 1:
        top_two = np.partition(per_sentence, -2, axis=1)[:, -2:]
        runner_up = top_two[:, 0:1]
        leader = per_sentence >= top_two[:, 1:2]
        per_sentence = np.where(leader, per_sentence - MARGIN_WEIGHT * runner_up, 0.0)
    credit = np.clip((per_sentence - ANCHOR_LOW) / (ANCHOR_HIGH - ANCHOR_LOW), 0.0, 1.0)
    per_sentence = credit
    best_segment = per_sentence.argmax(axis=0)
    best_credit = per_sentence.max(axis=0)
    return {
        concept: (
            float(best_credit[column]) / len(vectors.concepts_of_row[column]) ** SHARED_POWER,
            int(segment_first[best_segment[column]]),
            int(segment_last[best_segment[column]]),
        )
        for column in np.flatnonzero(best_credit > 0).tolist()
        for concept in vectors.concepts_of_row[column]
    }
