"""Score a free-text answer against a question's concept rubric.

How an answer is judged:

1. Every rubric phrase is normalised once per question (``questions.rubric``): folded, split
   into words, stop words dropped, stemmed. Joined forms ("loadbalancer") and acronyms of
   long phrases ("content delivery network" -> "cdn") are added as extra spellings.
2. The answer gets the same treatment (``questions.reading``). Each word that is not a rubric
   word is mapped to one by rapidfuzz when it is a likely typo ("authetication"), and joined
   words are split back into the rubric's words.
3. A phrase matches where all of its words occur close together, in any order. A match whose
   clause negates it ("I don't know what JWT is") does not count, unless the phrase itself is
   a negation ("never plain text").
4. The score is the weighted share of covered concepts on a concave curve (an answer does not
   need every concept to be excellent), times a depth factor, minus misconception penalties;
   each wrong claim also caps it (60, 45, then 30), so an answer that says something wrong is
   never strong.
   Answers that only list buzzwords, restate the question, repeat themselves or are too short
   to explain anything are capped, and the feedback says why.
"""

from __future__ import annotations

import re
from operator import itemgetter

from questions import claims, meaning
from questions.checks import (
    is_checklist,
    is_jargon_dump,
    is_keyword_list,
    is_question_copy,
    is_repetitive,
)
from questions.model import Misconception, Question
from questions.reading import Reading
from questions.results import (
    BANDS,
    MAX_ANSWER_CHARS,
    AnswerRejected,
    Band,
    ConceptResult,
    MisconceptionHit,
    ScoreResult,
    band_for,
    check_answer,
)
from questions.rubric import CompiledRubric, compile_rubric
from questions.stated import debunked_sentences, stated

__all__ = [
    "BANDS",
    "CONTRADICTION_CLAIM",
    "MAX_ANSWER_CHARS",
    "AnswerRejected",
    "Band",
    "CompiledRubric",
    "ConceptResult",
    "MisconceptionHit",
    "ScoreResult",
    "band_for",
    "check_answer",
    "compile_rubric",
    "score_answer",
]

# Tuned on tests/data/calibration/seed-answers-dev.csv; see tests/questions/test_calibration.py.
FULL_MARKS_COVERAGE = 0.8  # share of rubric weight that already earns full coverage credit
COVERAGE_CURVE = 0.85  # < 1 makes the curve concave: the first concepts count most
DEPTH_WORDS = 45  # content words at which an answer stops looking thin
DEPTH_FLOOR = 0.55  # the depth factor for a one-word answer
ECHO_CREDIT = 0.5  # credit for a concept expressed only with the question's own words
SHORT_ANSWER_WORDS = 6  # fewer content words than this cannot explain anything
SHORT_ANSWER_CAP = 30
KEYWORD_LIST_CAP = 30
COPY_CAP = 10
SALAD_CAP = 10
NAMED_LIST_MIN = 3  # this many concepts only named, and at most
NAMED_LIST_MAX_EXPLAINED = 1  # this many explained, make the answer a term list
REPETITION_FACTOR = 0.6
MAX_TOTAL_PENALTY = 40  # wrong claims cost points, but cannot erase everything else said
FOCUS_TARGET = 0.75  # share of on-point sentences that earns no deduction
FOCUS_FLOOR = 0.6  # the factor for an answer that is nearly all filler
MISSING_REQUIRED_CAP = 79  # a strong band needs every required concept
COVERED_CREDIT = 0.5  # a concept earned by meaning shows as covered from this much credit
CONTRADICTION_CLAIM = "This contradicts the model answer"
CONTRADICTION_PENALTY = 10  # for contradicting the model answer, besides losing the concept
NAMED_CREDIT = 0.25  # a concept named in a list or word salad, with nothing said about it
# The cap for one wrong claim, two, and three or more: an answer that states something wrong
# is partial at best. Graders give fluent wrong answers 0-1, and the checks catch one or two of
# their several wrong claims. 60 / 45 / 30 until the tenth pass: every set with wrong-facts
# rows agreed better as the caps came down (README: Calibration, tenth pass).
WRONG_CLAIM_CAPS = (35, 25, 15)
# A hand-written misconception is a known wrong belief, caught precisely: stating one shows the
# candidate misunderstands that part, which an interviewer grades as weak.
KNOWN_MISCONCEPTION_CAPS = (30, 20, 10)
PART_CREDIT = 0.2  # one word of a derived multi-word term ("pool" of "connection pool")

LIST_SEPARATOR = re.compile(r",|;|\band\b")


def score_answer(question: Question, answer: str) -> ScoreResult:
    """Score one answer; deterministic for a given question and answer text."""
    text = check_answer(answer)
    rubric = compile_rubric(question)
    reading = Reading(text, rubric)

    concept_results: list[ConceptResult] = []
    credit = 0.0
    viable = reading.viable_phrases(rubric)
    structure = reading.structure
    contradictions = claims.find(reading, rubric)
    hits, wrong_clauses = _misconceptions(rubric, reading)
    # A clause that states a known misconception is explained by it: one wrong claim, one hit.
    contradictions = [
        c for c in contradictions if not any(a <= c.last and c.first <= b for a, b in wrong_clauses)
    ]
    hits[:0] = [
        MisconceptionHit(
            CONTRADICTION_CLAIM,
            f"Your answer {c.reason}. The model answer says: \u201c{c.correction}\u201d",
            CONTRADICTION_PENALTY,
            c.claim,
            reading.span_text(c.first, c.last)[1],
        )
        for c in contradictions
    ]
    # A clause that states a wrong claim earns no concept, however right its words.
    structure.refute([(c.first, c.last) for c in contradictions] + wrong_clauses)
    by_meaning = meaning.matches(reading, rubric)
    for concept_index, concept in enumerate(rubric.concepts):
        # A derived concept is a term of the model answer; one word of a longer term is a hint.
        whole = len(rubric.concept_phrases[concept_index][0].stems) if rubric.auto else 0
        best: tuple[tuple[bool, bool], tuple[int, int]] | None = None
        lexical = 0.0
        for phrase in viable.get(concept_index, ()):
            part = PART_CREDIT if len(phrase.stems) < whole else 1.0
            for found in reading.matches(phrase):
                if structure.garbled(*found):
                    continue
                explained, novel = structure.explained(*found), not phrase.echo
                value = part * ((1.0 if novel else ECHO_CREDIT) if explained else NAMED_CREDIT)
                if value > lexical:
                    best, lexical = ((explained, novel), found), value
                if value == 1.0:
                    break
            if lexical == 1.0:
                break
        meant = by_meaning.get(concept_index)
        if meant is not None and meant[0] > lexical:
            best = ((True, True), (meant[1], meant[2]))
            lexical = meant[0]
        if best is None:
            concept_results.append(
                ConceptResult(concept.name, concept.weight, concept.required, False)
            )
            continue
        (explained, novel), found = best
        matched, span = reading.span_text(*found)
        credit += concept.weight * lexical
        if not explained:
            concept_results.append(
                ConceptResult(
                    concept.name,
                    concept.weight,
                    concept.required,
                    False,
                    matched,
                    span,
                    named_only=True,
                )
            )
            continue
        concept_results.append(
            ConceptResult(
                concept.name,
                concept.weight,
                concept.required,
                lexical >= COVERED_CREDIT,
                matched,
                span,
                not novel,
            )
        )

    coverage = credit / rubric.total_weight
    content_count = len(reading.content_stems)
    depth = DEPTH_FLOOR + (1 - DEPTH_FLOOR) * min(1.0, content_count / DEPTH_WORDS)
    raw_score = 100 * min(1.0, coverage / FULL_MARKS_COVERAGE) ** COVERAGE_CURVE * depth

    notes: list[str] = []
    caps: list[float] = []
    if is_question_copy(reading, rubric):
        caps.append(COPY_CAP)
        notes.append("The answer mostly restates the question; say how you would actually do it.")
    elif content_count < SHORT_ANSWER_WORDS:
        caps.append(SHORT_ANSWER_CAP)
        notes.append(
            "The answer is too short to show understanding: explain how and why, not just what."
        )
    named = [c for c in concept_results if c.named_only]
    explained_count = sum(1 for c in concept_results if c.covered)
    if len(named) >= NAMED_LIST_MIN and explained_count <= NAMED_LIST_MAX_EXPLAINED:
        caps.append(KEYWORD_LIST_CAP)
        notes.append(_named_note(named))
    elif structure.salad:
        caps.append(SALAD_CAP)
        notes.append(
            "The answer does not read as sentences: the right words in no order explain "
            "nothing. Say how the pieces work and why."
        )
    elif is_keyword_list(text, reading) or is_jargon_dump(reading) or is_checklist(text, reading):
        caps.append(KEYWORD_LIST_CAP)
        notes.append(
            "The answer lists terms without explaining them. Say what each one does and how "
            "they fit together."
        )
    elif named:
        notes.append(_named_note(named))
    focus = 1.0 if rubric.auto else reading.focus(rubric)  # derived concepts are too sparse
    if focus < FOCUS_TARGET:
        raw_score *= max(FOCUS_FLOOR, focus / FOCUS_TARGET)
        notes.append(
            "Much of the answer does not address the question; cut the filler and spend the "
            "words on the ideas that matter."
        )
    if is_repetitive(reading):
        raw_score *= REPETITION_FACTOR
        notes.append("The answer repeats itself; repetition does not add points.")
    missing_required = [c.name for c in concept_results if c.required and not c.covered]
    if missing_required:
        caps.append(MISSING_REQUIRED_CAP)
    raw_score -= min(MAX_TOTAL_PENALTY, sum(hit.penalty for hit in hits))
    if hits:
        # An answer that states something wrong cannot be strong, however much else is right.
        caps.append(WRONG_CLAIM_CAPS[min(len(hits), len(WRONG_CLAIM_CAPS)) - 1])
        known = len(hits) - len(contradictions)
        if known:
            caps.append(KNOWN_MISCONCEPTION_CAPS[min(known, len(KNOWN_MISCONCEPTION_CAPS)) - 1])
        notes.append("Some statements are wrong; see the misconceptions below.")
    if caps:
        raw_score = min(raw_score, *caps)
    if not notes and not any(c.covered or c.named_only for c in concept_results):
        notes.append(
            "None of the ideas this question is about came up. Read the model answer, then "
            "try again in your own words."
        )
    if missing_required and raw_score >= 60:
        notes.append("A strong answer also needs: " + ", ".join(missing_required) + ".")
    score = max(0, min(100, round(raw_score)))
    if rubric.auto:
        notes.append(
            "This question has no hand-written rubric; concepts come from its model answer."
        )
    return ScoreResult(
        question_id=question.id,
        score=score,
        band=band_for(score),
        concepts=tuple(concept_results),
        misconceptions=tuple(hits),
        notes=tuple(notes),
        tips=question.tips,
        model_answer=question.model_answer,
        follow_ups=question.follow_ups,
        auto_rubric=rubric.auto,
    )


def _named_note(named: list[ConceptResult]) -> str:
    # A match can run across list items ("invalidation, versioned keys"): name each item once.
    items = (item.strip() for c in named for item in LIST_SEPARATOR.split(c.matched_text))
    terms = list(dict.fromkeys(item for item in items if item))
    shown = ", ".join(terms[:-1]) + " and " + terms[-1] if len(terms) > 1 else terms[0]
    what = "what either does" if len(terms) == 2 else "what it does"
    if len(terms) > 2:
        what = "what they do or how they fit together"
    return f"You named {shown} but didn't say {what}."


def _misconceptions(
    rubric: CompiledRubric, reading: Reading
) -> tuple[list[MisconceptionHit], list[tuple[int, int]]]:
    """The known wrong claims the answer makes (the question's own and the catalog's), and
    the word ranges of their clauses."""
    hits: list[MisconceptionHit] = []
    clauses: list[tuple[int, int]] = []
    present = reading.positions.keys()
    sentence_of = reading.tokens.sentences
    debunked: set[int] | None = None
    own = len(rubric.question.misconceptions)
    by_key = rubric.misconceptions_by_key
    # Only phrases whose longest word the answer holds can match: a few of the hundreds.
    woken = [item for key in by_key.keys() & present for item in by_key[key]]
    woken.sort(key=itemgetter(0, 1))  # rubric order, whatever order the set gave
    done: set[int] = set()
    for index, _, phrase in woken:
        if index in done or not phrase.stem_set <= present:
            continue
        if debunked is None:
            debunked = debunked_sentences(reading.tokens)
        found = next(
            (f for f in reading.matches(phrase) if sentence_of[f[0]] not in debunked), None
        )
        if found is None:
            continue
        done.add(index)
        first, last = reading.tokens.clause_bounds(*found)
        # Catalog entries overlap (two wordings of one belief): a clause that already
        # stated a wrong claim is not counted again for the catalog.
        if index >= own and any(a <= last and first <= b for a, b in clauses):
            continue
        matched, span = reading.span_text(*found)
        hits.append(_hit(rubric.misconceptions[index], matched, span))
        clauses.append((first, last))
    # The claim in the candidate's own sentence (questions.stated), where no phrase matched.
    matched_claims = {hit.claim for hit in hits}
    for index, first, last in stated(
        reading.tokens, reading.structure, rubric.misconception_claims
    ):
        misconception = rubric.misconceptions[index]
        if misconception.claim not in matched_claims:
            matched, span = reading.span_text(first, last)
            hits.append(_hit(misconception, matched, span))
            clauses.append((first, last))
    return hits, clauses


def _hit(misconception: Misconception, matched: str, span: tuple[int, int]) -> MisconceptionHit:
    return MisconceptionHit(
        misconception.claim, misconception.correction, misconception.penalty, matched, span
    )
