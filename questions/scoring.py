"""Score a free-text answer against a question's concept rubric.

How an answer is judged:

1. Every rubric phrase is normalised once per question (``CompiledRubric``): folded, split
   into words, stop words dropped, stemmed. Joined forms ("loadbalancer") and acronyms of
   long phrases ("content delivery network" -> "cdn") are added as extra spellings.
2. The answer gets the same treatment. Each word that is not a rubric word is mapped to one by
   rapidfuzz when it is a likely typo ("authetication"), and joined words are split back into
   the rubric's words. Two adjacent words that join into a rubric word ("data base") are
   merged.
3. A phrase matches where all of its words occur close together, in any order. A match whose
   clause negates it ("I don't know what JWT is") does not count, unless the phrase itself is
   a negation ("never plain text").
4. The score is the weighted share of covered concepts on a concave curve (an answer does not
   need every concept to be excellent), times a depth factor, minus misconception penalties.
   Answers that only list buzzwords, restate the question, repeat themselves or are too short
   to explain anything are capped, and the feedback says why.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Literal

from rapidfuzz import fuzz, process

from questions.model import Concept, Misconception, Question, Tip
from questions.text import KEEP_WHEN_UPPERCASE, Tokens, stem, words

Band = Literal["strong", "good", "partial", "weak"]
BANDS: tuple[tuple[int, Band], ...] = ((80, "strong"), (60, "good"), (35, "partial"), (0, "weak"))

MAX_ANSWER_CHARS = 4000

# Tuned on tests/data/calibration/seed-answers-dev.csv; see tests/questions/test_calibration.py.
FULL_MARKS_COVERAGE = 0.8  # share of rubric weight that already earns full coverage credit
COVERAGE_CURVE = 0.85  # < 1 makes the curve concave: the first concepts count most
DEPTH_WORDS = 45  # content words at which an answer stops looking thin
DEPTH_FLOOR = 0.55  # the depth factor for a one-word answer
ECHO_CREDIT = 0.5  # credit for a concept expressed only with the question's own words
SHORT_ANSWER_WORDS = 6  # fewer content words than this cannot explain anything
SHORT_ANSWER_CAP = 30
KEYWORD_LIST_CAP = 30
JARGON_SHARE = 0.3  # acronyms and product names per word that mark a jargon dump
JARGON_MIN_WORDS, JARGON_MAX_WORDS = 8, 60
COPY_CAP = 10
REPETITION_FACTOR = 0.6
MAX_TOTAL_PENALTY = 40  # wrong claims cost points, but cannot erase everything else said
FOCUS_MIN_SENTENCES = 5  # shorter answers have no room to ramble
FOCUS_MIN_WORDS = 3  # sentences shorter than this ("Anyway.") are not counted
FOCUS_TARGET = 0.75  # share of on-point sentences that earns no deduction
FOCUS_FLOOR = 0.6  # the factor for an answer that is nearly all filler
MISSING_REQUIRED_CAP = 79  # a strong band needs every required concept
FUZZY_MIN_LENGTH = 7  # shorter words are too easily another real word ("token"/"taken")
FUZZY_CUTOFF = 85.0
NEGATION_REACH = 6  # words before a match that a negation can reach
PHRASE_SLACK = 2  # extra words allowed between the words of one phrase


def band_for(score: int) -> Band:
    for floor, band in BANDS:
        if score >= floor:
            return band
    return "weak"


@dataclass(frozen=True, slots=True)
class _Phrase:
    stems: tuple[str, ...]
    negated: bool  # the phrase itself states a negation
    echo: bool  # every word of it already appears in the question
    ordered: bool  # misconceptions are claims: their word order matters

    @property
    def key(self) -> str:
        """The longest, so likely rarest, word: phrases are looked up by it."""
        return max(self.stems, key=len)


@dataclass(frozen=True)
class ConceptResult:
    name: str
    weight: float
    required: bool
    covered: bool
    matched_text: str = ""
    span: tuple[int, int] | None = None
    echo_only: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": self.weight,
            "required": self.required,
            "covered": self.covered,
            "matched_text": self.matched_text,
            "span": list(self.span) if self.span else None,
        }


@dataclass(frozen=True)
class MisconceptionHit:
    claim: str
    correction: str
    penalty: float
    matched_text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, object]:
        return {
            "claim": self.claim,
            "correction": self.correction,
            "penalty": self.penalty,
            "matched_text": self.matched_text,
            "span": list(self.span),
        }


@dataclass(frozen=True)
class ScoreResult:
    """Everything a front end needs to give feedback on one answer."""

    question_id: str
    score: int
    band: Band
    concepts: tuple[ConceptResult, ...]
    misconceptions: tuple[MisconceptionHit, ...]
    notes: tuple[str, ...]
    tips: tuple[Tip, ...]
    model_answer: str
    follow_ups: tuple[str, ...] = ()
    auto_rubric: bool = False

    @property
    def covered(self) -> list[ConceptResult]:
        return [c for c in self.concepts if c.covered]

    @property
    def missed(self) -> list[ConceptResult]:
        return [c for c in self.concepts if not c.covered]


class AnswerRejected(ValueError):
    """The answer cannot be scored at all (empty or too long); nothing should be recorded."""


def check_answer(answer: str) -> str:
    """Return the answer stripped, or raise with a message fit to show the candidate."""
    stripped = answer.strip() if isinstance(answer, str) else ""
    if not stripped:
        raise AnswerRejected("The answer is empty: type your answer, then send it.")
    if len(stripped) > MAX_ANSWER_CHARS:
        raise AnswerRejected(
            f"The answer is {len(stripped):,} characters; the limit is {MAX_ANSWER_CHARS:,}. "
            "Shorten it and send it again."
        )
    return stripped


@dataclass
class CompiledRubric:
    """Everything about a question's rubric that does not depend on the answer."""

    question: Question
    concepts: tuple[Concept, ...]
    auto: bool
    concept_phrases: list[list[_Phrase]] = field(default_factory=list)
    # a phrase's key stem -> (concept index, phrase index), in rubric order
    phrases_by_key_stem: dict[str, list[tuple[int, int, _Phrase]]] = field(default_factory=dict)
    misconception_phrases: list[list[_Phrase]] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)  # every stem used by any phrase
    fuzzy_words: dict[str, str] = field(default_factory=dict)  # long rubric word -> stem
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "loadbalancer"
    prompt_stems: frozenset[str] = frozenset()
    # Typo candidates grouped by first letter: a typo rarely hits the first letter, and
    # searching one group instead of every word keeps unseen words cheap.
    _fuzzy_by_initial: dict[str, list[str]] = field(default_factory=dict)
    _join_prefixes: frozenset[str] = frozenset()
    _canonical_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, question: Question) -> CompiledRubric:
        concepts = question.rubric
        auto = False
        if not concepts:
            from questions.autorubric import derive_concepts

            concepts = derive_concepts(question.model_answer, question.prompt)
            auto = True
        rubric = cls(question=question, concepts=concepts, auto=auto)
        rubric.prompt_stems = frozenset(w.stem for w in words(question.prompt) if not w.is_stopword)
        for concept_index, concept in enumerate(concepts):
            phrases = rubric._compile(concept.phrases, ordered=False)
            rubric.concept_phrases.append(phrases)
            for phrase_index, phrase in enumerate(phrases):
                # Keyed by the longest word: rarer than the others, so an answer's everyday
                # words wake few phrases.
                rubric.phrases_by_key_stem.setdefault(phrase.key, []).append(
                    (concept_index, phrase_index, phrase)
                )
        for misconception in question.misconceptions:
            rubric.misconception_phrases.append(
                rubric._compile(misconception.phrases, ordered=True)
            )
        for word in rubric.fuzzy_words:
            rubric._fuzzy_by_initial.setdefault(word[0], []).append(word)
        rubric._join_prefixes = frozenset(
            word[:cut]
            for word in (*rubric.compounds, *rubric.fuzzy_words)
            for cut in range(2, len(word) - 1)
        )
        return rubric

    def _compile(self, phrases: Iterable[str], *, ordered: bool) -> list[_Phrase]:
        compiled: dict[tuple[tuple[str, ...], bool], _Phrase] = {}
        for text in phrases:
            tokens = words(text)
            negated = any(w.is_negator for w in tokens)
            content = [w for w in tokens if not w.is_stopword and not w.is_negator]
            if not content:  # an idiom made of small words ("all or nothing"): keep them all
                content, negated = tokens, False
            if not content:
                continue
            stems = tuple(w.stem for w in content)
            variants = [stems]
            if len(content) >= 3 and not ordered:
                acronym = "".join(w.text[0] for w in content)
                variants.append((stem(acronym),))
            for variant in variants:
                echo = all(s in self.prompt_stems for s in variant)
                compiled.setdefault((variant, negated), _Phrase(variant, negated, echo, ordered))
            self.vocabulary.update(s for variant in variants for s in variant)
            for word in content:
                if len(word.text) >= FUZZY_MIN_LENGTH and not word.text.isdigit():
                    self.fuzzy_words.setdefault(word.text, word.stem)
            if len(content) >= 2:
                joined = "".join(w.text for w in content)
                if len(joined) >= 6:
                    self.compounds.setdefault(joined, stems)
                    self.fuzzy_words.setdefault(joined, "\0" + joined)
        return list(compiled.values())

    def canonical(self, word: str, word_stem: str) -> tuple[str, ...]:
        """The rubric stems an answer word stands for: itself, a typo's fix, or a compound.

        Memoised per rubric: answers reuse words, and the fuzzy search is the costly part.
        """
        cached = self._canonical_cache.get(word)
        if cached is not None:
            return cached
        if word_stem in self.vocabulary:
            result: tuple[str, ...] = (word_stem,)
        elif word in self.compounds:
            result = self.compounds[word]
        elif len(word) < FUZZY_MIN_LENGTH or not self.fuzzy_words:
            result = (word_stem,)
        else:
            best = process.extractOne(
                word,
                self._fuzzy_by_initial.get(word[0], ()),
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
            )
            if best is None:
                result = (word_stem,)
            else:
                target = self.fuzzy_words[best[0]]
                result = self.compounds[target[1:]] if target.startswith("\0") else (target,)
        if len(self._canonical_cache) > 50_000:
            self._canonical_cache.clear()
        self._canonical_cache[word] = result
        return result

    def joined(self, first: str, second: str) -> tuple[str, ...] | None:
        """Two answer words that together spell a rubric word or phrase ("data base")."""
        if first not in self._join_prefixes:
            return None
        joined = first + second
        merged = self.compounds.get(joined)
        if merged is None and self.fuzzy_words.get(joined, "\0")[0] != "\0":
            merged = (self.fuzzy_words[joined],)
        return merged

    @cached_property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.concepts) or 1.0


_RUBRIC_CACHE: dict[int, CompiledRubric] = {}


def compile_rubric(question: Question) -> CompiledRubric:
    """Compile once per question object; questions are immutable, so the cache stays valid."""
    key = id(question)
    rubric = _RUBRIC_CACHE.get(key)
    if rubric is None or rubric.question is not question:
        if len(_RUBRIC_CACHE) > 4096:
            _RUBRIC_CACHE.clear()
        rubric = CompiledRubric.build(question)
        _RUBRIC_CACHE[key] = rubric
    return rubric


class _Answer:
    """The answer as a sequence of rubric-canonical content words."""

    def __init__(self, text: str, rubric: CompiledRubric) -> None:
        tokens = Tokens(text)
        info = tokens.info
        count = len(info)
        canonical_cache = rubric._canonical_cache
        slots: list[tuple[str, int]] = []
        content_stems: list[str] = []
        join_prefixes = rubric._join_prefixes
        skip_next = False
        for index, (token, token_stem, stop, negator) in enumerate(info):
            if skip_next:
                skip_next = False
                continue
            if negator or (stop and not (token in KEEP_WHEN_UPPERCASE and tokens.upper(index))):
                continue
            content_stems.append(token_stem)
            if token in join_prefixes and index + 1 < count:
                merged = rubric.joined(token, info[index + 1][0])
                if merged is not None:  # the last stem sits on the second word, for spans
                    slots.extend((s, index) for s in merged[:-1])
                    slots.append((merged[-1], index + 1))
                    content_stems.append(info[index + 1][1])
                    skip_next = True
                    continue
            canon = canonical_cache.get(token) or rubric.canonical(token, token_stem)
            if len(canon) == 1:
                slots.append((canon[0], index))
            else:
                slots.extend((s, index) for s in canon)
        positions: dict[str, list[int]] = defaultdict(list)
        for slot_index, (slot_stem, _) in enumerate(slots):
            positions[slot_stem].append(slot_index)
        self.tokens = tokens
        self._viable: dict[int, list[_Phrase]] | None = None
        self.slots = slots
        self.positions = positions
        self.content_stems = content_stems
        self.function_words = count - len(self.content_stems)
        self.word_count = count

    def _negated(self, first: int, last: int) -> bool:
        info, clauses = self.tokens.info, self.tokens.clauses
        clause = clauses[first]
        for i in range(first - 1, max(0, first - NEGATION_REACH) - 1, -1):
            if clauses[i] != clause:
                break
            if info[i][3] and not (i + 1 < len(info) and info[i + 1][0] == "only"):
                return True
        return any(info[i][3] for i in range(first, last + 1))

    def find(self, phrase: _Phrase) -> tuple[int, int] | None:
        """Word range of the first match with the phrase's polarity, or None."""
        return next(self.matches(phrase), None)

    def matches(self, phrase: _Phrase) -> Iterator[tuple[int, int]]:
        """Every word range where the phrase matches with its polarity, in answer order."""
        first_positions = self.positions.get(phrase.stems[0])
        if not first_positions:
            return
        others = phrase.stems[1:]
        window = len(phrase.stems) + PHRASE_SLACK
        for anchor in first_positions:
            chosen = [anchor]
            for other in others:
                candidates = self.positions.get(other)
                if not candidates:
                    return
                if phrase.ordered:
                    pick = next(
                        (p for p in candidates if chosen[-1] < p <= chosen[-1] + window), None
                    )
                else:  # the nearest occurrence, so a far-off repeat can't drag in a "not"
                    pick = min(
                        (p for p in candidates if abs(p - anchor) <= window and p not in chosen),
                        key=lambda p: abs(p - anchor),
                        default=None,
                    )
                if pick is None:
                    break
                chosen.append(pick)
            else:
                raw_indexes = [self.slots[p][1] for p in chosen]
                first, last = min(raw_indexes), max(raw_indexes)
                if phrase.ordered and self.tokens.clauses[first] != self.tokens.clauses[last]:
                    continue  # a claim is made within one clause
                if self._negated(first, last) == phrase.negated:
                    yield first, last

    def focus(self, rubric: CompiledRubric) -> float:
        """Share of the answer's sentences that touch some concept (1.0 for short answers).

        Rambling answers bury a few right ideas in anecdotes and filler; interviewers mark
        that down, so the score does too. A sentence touches a concept when it holds the key
        word of a phrase whose words all occur in the answer: cheap, and close enough to a
        full match for this purpose.
        """
        sentence_of = self.tokens.sentences
        sizes = Counter(sentence_of)
        sentences = {s for s, size in sizes.items() if size >= FOCUS_MIN_WORDS}
        if len(sentences) < FOCUS_MIN_SENTENCES:
            return 1.0
        keys = {
            phrase.key for phrases in self.viable_phrases(rubric).values() for phrase in phrases
        }
        on_point = {sentence_of[word] for stem_, word in self.slots if stem_ in keys}
        return len(on_point & sentences) / len(sentences)

    def viable_phrases(self, rubric: CompiledRubric) -> dict[int, list[_Phrase]]:
        """Per concept, in rubric order, the phrases whose words all occur in the answer.

        Only these can match, so a large rubric costs little: they are found through the
        answer's words instead of by trying every phrase.
        """
        if self._viable is None:
            positions = self.positions
            found: dict[int, list[tuple[int, _Phrase]]] = {}
            for answer_stem in positions:
                entries = rubric.phrases_by_key_stem.get(answer_stem)
                if entries is None:
                    continue
                for concept, index, phrase in entries:
                    if len(phrase.stems) == 1 or all(s in positions for s in phrase.stems):
                        found.setdefault(concept, []).append((index, phrase))
            self._viable = {
                concept: [phrase for _, phrase in sorted(pairs, key=itemgetter(0))]
                for concept, pairs in found.items()
            }
        return self._viable

    def span_text(self, first: int, last: int) -> tuple[str, tuple[int, int]]:
        start, end = self.tokens.span(first)[0], self.tokens.span(last)[1]
        return self.tokens.source[start:end], (start, end)


def _is_keyword_list(text: str, answer: _Answer) -> bool:
    """A comma-separated run of terms with nothing said about any of them."""
    segments = [s for s in text.replace(";", ",").replace("\n", ",").split(",") if s.strip()]
    if len(segments) < 5:
        return False
    short = sum(1 for s in segments if len(s.split()) <= 2)
    return short / len(segments) >= 0.7 and answer.function_words / max(1, answer.word_count) < 0.15


def _is_jargon_dump(answer: _Answer) -> bool:
    """A short answer that is mostly acronyms and product names strings terms together.

    "JWT-driven OAuth2/OIDC with SAML, PKCE, MFA and RBAC" names a lot and explains nothing.
    Real explanations, even terse ones, keep such names to a fraction of their words.
    """
    tokens = answer.tokens
    count = len(tokens)
    if not JARGON_MIN_WORDS <= count <= JARGON_MAX_WORDS:
        return False
    jargon = 0
    for index in range(count):
        start, end = tokens.span(index)
        written = tokens.source[start:end]
        capitals = sum(1 for char in written if char.isupper())
        has_digit = any(char.isdigit() for char in written)
        if capitals >= 2 or (has_digit and not written.isdigit()):
            jargon += 1
    return jargon / count >= JARGON_SHARE


def _is_question_copy(answer: _Answer, rubric: CompiledRubric) -> bool:
    content = answer.content_stems
    if not content or not rubric.prompt_stems:
        return False
    echoed = sum(1 for stem_ in content if stem_ in rubric.prompt_stems)
    novel = {stem_ for stem_ in content if stem_ not in rubric.prompt_stems}
    return echoed / len(content) >= 0.6 and len(novel) <= 5


def _is_repetitive(answer: _Answer) -> bool:
    content = answer.content_stems
    if len(content) < 20:
        return False
    return len(set(content)) / len(content) < 0.4


def score_answer(question: Question, answer: str) -> ScoreResult:
    """Score one answer; deterministic for a given question and answer text."""
    text = check_answer(answer)
    rubric = compile_rubric(question)
    reading = _Answer(text, rubric)
    positions = reading.positions

    concept_results: list[ConceptResult] = []
    credit = 0.0
    viable = reading.viable_phrases(rubric)
    for concept_index, concept in enumerate(rubric.concepts):
        best: tuple[_Phrase, tuple[int, int]] | None = None
        for phrase in viable.get(concept_index, ()):
            found = reading.find(phrase)
            if found is not None and (best is None or (best[0].echo and not phrase.echo)):
                best = (phrase, found)
                if not phrase.echo:
                    break
        if best is None:
            concept_results.append(
                ConceptResult(concept.name, concept.weight, concept.required, False)
            )
            continue
        matched, span = reading.span_text(*best[1])
        echo_only = best[0].echo
        credit += concept.weight * (ECHO_CREDIT if echo_only else 1.0)
        concept_results.append(
            ConceptResult(
                concept.name, concept.weight, concept.required, True, matched, span, echo_only
            )
        )

    hits: list[MisconceptionHit] = []
    for misconception, phrases in zip(
        question.misconceptions, rubric.misconception_phrases, strict=True
    ):
        for phrase in phrases:
            if not all(s in positions for s in phrase.stems):
                continue
            found = reading.find(phrase)
            if found is not None:
                matched, span = reading.span_text(*found)
                hits.append(_hit(misconception, matched, span))
                break

    coverage = credit / rubric.total_weight
    content_count = len(reading.content_stems)
    depth = DEPTH_FLOOR + (1 - DEPTH_FLOOR) * min(1.0, content_count / DEPTH_WORDS)
    raw_score = 100 * min(1.0, coverage / FULL_MARKS_COVERAGE) ** COVERAGE_CURVE * depth

    notes: list[str] = []
    caps: list[float] = []
    if _is_question_copy(reading, rubric):
        caps.append(COPY_CAP)
        notes.append("The answer mostly restates the question; say how you would actually do it.")
    elif content_count < SHORT_ANSWER_WORDS:
        caps.append(SHORT_ANSWER_CAP)
        notes.append(
            "The answer is too short to show understanding: explain how and why, not just what."
        )
    if _is_keyword_list(text, reading) or _is_jargon_dump(reading):
        caps.append(KEYWORD_LIST_CAP)
        notes.append(
            "The answer lists terms without explaining them. Say what each one does and how "
            "they fit together."
        )
    focus = 1.0 if rubric.auto else reading.focus(rubric)  # derived concepts are too sparse
    if focus < FOCUS_TARGET:
        raw_score *= max(FOCUS_FLOOR, focus / FOCUS_TARGET)
        notes.append(
            "Much of the answer does not address the question; cut the filler and spend the "
            "words on the ideas that matter."
        )
    if _is_repetitive(reading):
        raw_score *= REPETITION_FACTOR
        notes.append("The answer repeats itself; repetition does not add points.")
    missing_required = [c.name for c in concept_results if c.required and not c.covered]
    if missing_required:
        caps.append(MISSING_REQUIRED_CAP)
    raw_score -= min(MAX_TOTAL_PENALTY, sum(hit.penalty for hit in hits))
    if hits:
        notes.append("Some statements are wrong; see the misconceptions below.")
    if caps:
        raw_score = min(raw_score, *caps)
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


def _hit(misconception: Misconception, matched: str, span: tuple[int, int]) -> MisconceptionHit:
    return MisconceptionHit(
        misconception.claim, misconception.correction, misconception.penalty, matched, span
    )


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 2 or n != len(ys):
        raise ValueError("need two equally long series of at least two values")
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return 0.0
    return cov / (var_x * var_y) ** 0.5
