"""A question's rubric compiled once: normalised phrases, typo targets and compounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz, process

from questions import catalog
from questions.model import Concept, Misconception, Question
from questions.stated import Claim, claim_of, told_apart
from questions.text import stem, words

FUZZY_MIN_LENGTH = 7  # shorter words are too easily another real word ("token"/"taken")
FUZZY_CUTOFF = 85.0


@dataclass(frozen=True, slots=True)
class Phrase:
    stems: tuple[str, ...]
    negated: bool  # the phrase itself states a negation
    echo: bool  # every word of it already appears in the question
    ordered: bool  # misconceptions are claims: their word order matters
    # The longest, so likely rarest, word: phrases are looked up by it. Both are worked out
    # once here, because every answer asks for them.
    key: str = field(init=False, compare=False)
    stem_set: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", max(self.stems, key=len))
        object.__setattr__(self, "stem_set", frozenset(self.stems))


@dataclass
class CompiledRubric:
    """Everything about a question's rubric that does not depend on the answer."""

    question: Question
    concepts: tuple[Concept, ...]
    auto: bool
    concept_phrases: list[list[Phrase]] = field(default_factory=list)
    # a phrase's key stem -> (concept index, phrase index), in rubric order
    phrases_by_key_stem: dict[str, list[tuple[int, int, Phrase]]] = field(default_factory=dict)
    # The question's own misconceptions, then the catalog's about what it names.
    misconceptions: list[Misconception] = field(default_factory=list)
    misconception_phrases: list[list[Phrase]] = field(default_factory=list)
    misconception_claims: list[Claim | None] = field(default_factory=list)
    # A misconception phrase's key stem -> (misconception index, phrase index, phrase).
    misconceptions_by_key: dict[str, list[tuple[int, int, Phrase]]] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)  # every stem used by any phrase
    fuzzy_words: dict[str, str] = field(default_factory=dict)  # long rubric word -> stem
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "loadbalancer"
    prompt_stems: frozenset[str] = frozenset()
    # Typo candidates grouped by first letter: a typo rarely hits the first letter, and
    # searching one group instead of every word keeps unseen words cheap.
    _fuzzy_by_initial: dict[str, list[str]] = field(default_factory=dict)
    _join_prefixes: frozenset[str] = frozenset()
    _canonical_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Model-answer sentences a derived concept came from, matched by meaning too.
    anchors: dict[int, list[str]] = field(default_factory=dict)
    meaning: Any = None  # questions.meaning.ConceptVectors, built on first use
    meaning_built: bool = False
    claims_cache: Any = None  # questions.claims' model-answer sentences, built on first use

    @classmethod
    def build(cls, question: Question) -> CompiledRubric:
        concepts = question.rubric
        anchors: dict[int, list[str]] = {}
        auto = False
        if not concepts:
            from questions.autorubric import derive_rubric

            concepts, anchors = derive_rubric(question.model_answer, question.prompt)
            auto = True
        rubric = cls(question=question, concepts=concepts, auto=auto)
        if auto:
            rubric.anchors = anchors
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
            rubric.misconceptions.append(misconception)
            rubric.misconception_phrases.append(
                rubric._compile(misconception.phrases, ordered=True)
            )
            rubric.misconception_claims.append(
                told_apart(claim_of(misconception.claim), misconception.correction)
            )
        for word in rubric.fuzzy_words:
            rubric._fuzzy_by_initial.setdefault(word[0], []).append(word)
        rubric._join_prefixes = frozenset(
            word[:cut]
            for word in (*rubric.compounds, *rubric.fuzzy_words)
            for cut in range(2, len(word) - 1)
        )
        rubric._add_catalog()
        for index, phrases in enumerate(rubric.misconception_phrases):
            for order, phrase in enumerate(phrases):
                entry = (index, order, phrase)
                rubric.misconceptions_by_key.setdefault(phrase.key, []).append(entry)
        return rubric

    def _add_catalog(self) -> None:
        """The catalog's beliefs about this question, except any its model answer states."""
        from questions.reading import Reading

        extra = catalog.relevant(self.question)
        if not extra:
            return
        # Catalog words stay out of the typo targets: they would pull answer words away
        # from the rubric's own.
        compiled = [self._compile(m.phrases, ordered=True, learn=False) for m in extra]
        model = Reading(self.question.model_answer, self)
        for misconception, phrases in zip(extra, compiled, strict=True):
            if phrases and all(model.find(phrase) is None for phrase in phrases):
                self.misconceptions.append(misconception)
                self.misconception_phrases.append(phrases)
                self.misconception_claims.append(None)  # matched by its phrases only

    def _compile(
        self, phrases: Iterable[str], *, ordered: bool, learn: bool = True
    ) -> list[Phrase]:
        compiled: dict[tuple[tuple[str, ...], bool], Phrase] = {}
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
                compiled.setdefault((variant, negated), Phrase(variant, negated, echo, ordered))
            if not learn:
                continue
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
