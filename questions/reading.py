"""An answer read against one rubric: its words mapped onto the rubric's, and where they sit."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from operator import itemgetter

from questions.rubric import CompiledRubric, Phrase
from questions.structure import Structure
from questions.text import KEEP_WHEN_UPPERCASE, TokenInfo, Tokens

NEGATION_REACH = 6  # words before a match that a negation can reach
# Words that, after a negation that follows a term, dismiss it ("X is not needed").
DISMISSIVE = frozenset(
    {"need", "needed", "required", "necessary", "important", "useful", "worth", "matter"}
)
PREVENTERS = frozenset({"stop", "stops", "prevent", "prevents", "block", "blocks", "keep", "keeps"})
PHRASE_SLACK = 2  # extra words allowed between the words of one phrase
FOCUS_MIN_SENTENCES = 5  # shorter answers have no room to ramble
FOCUS_MIN_WORDS = 3  # sentences shorter than this ("Anyway.") are not counted


def _prevention_denied(info: list[TokenInfo], negator: int, first: int, last: int) -> bool:
    """ "doesn't stop a request from reaching the server": the negation denies the stopping,
    so what the match says still happens."""
    return (
        negator + 1 < first
        and info[negator + 1][0] in PREVENTERS
        and any(info[i][0] == "from" for i in range(negator + 2, last + 1))
    )


def _nearest(candidates: list[int], anchor: int, window: int, taken: list[int]) -> int | None:
    """The candidate nearest to anchor within window, not taken; the earlier on a tie.
    Candidates are in ascending order, so only the window's slice is looked at."""
    pick, distance = None, window + 1
    for candidate in candidates[bisect_left(candidates, anchor - window) :]:
        if candidate > anchor + window:
            break
        if abs(candidate - anchor) < distance and candidate not in taken:
            pick, distance = candidate, abs(candidate - anchor)
    return pick


class Reading:
    """The answer as a sequence of rubric-canonical content words."""

    def __init__(self, text: str, rubric: CompiledRubric) -> None:
        tokens = Tokens(text)
        info = tokens.info
        count = len(info)
        canonical_cache = rubric._canonical_cache
        slots: list[tuple[str, int]] = []
        content_stems: list[str] = []
        join_prefixes = rubric._join_prefixes
        joined = rubric.joined
        merged_from: dict[int, int] = {}  # a compound's last slot -> its first word
        skip_next = False
        for index, (token, token_stem, stop, negator, _) in enumerate(info):
            if skip_next:
                skip_next = False
                continue
            if negator or (stop and not (token in KEEP_WHEN_UPPERCASE and tokens.upper(index))):
                continue
            content_stems.append(token_stem)
            if token in join_prefixes and index + 1 < count:
                merged = joined(token, info[index + 1][0])
                if merged is not None:  # the last stem sits on the second word, for spans
                    slots.extend((s, index) for s in merged[:-1])
                    merged_from[len(slots)] = index  # so "write-through" is quoted whole
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
        for slot_index, slot_stem in enumerate(map(itemgetter(0), slots)):
            positions[slot_stem].append(slot_index)
        self.tokens = tokens
        self.structure = Structure(tokens)
        self._viable: dict[int, list[Phrase]] | None = None
        self.slots = slots
        self._merged_from = merged_from
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
                if _prevention_denied(info, i, first, last):
                    continue
                return True
        if any(info[i][3] for i in range(first, last + 1)):
            return True
        # "HTTPS is not needed", "a salt isn't required": the negation follows the term.
        end = min(len(info), last + 5)
        for i in range(last + 1, end):
            if clauses[i] != clause:
                break
            if info[i][3]:
                for j in range(i + 1, min(i + 3, end)):
                    if clauses[j] != clause:
                        break
                    if info[j][0] in DISMISSIVE:
                        return True
        return False

    def find(self, phrase: Phrase) -> tuple[int, int] | None:
        """Word range of the first match with the phrase's polarity, or None."""
        return next(self.matches(phrase), None)

    def matches(self, phrase: Phrase) -> Iterator[tuple[int, int]]:
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
                    pick = _nearest(candidates, anchor, window, chosen)
                if pick is None:
                    break
                chosen.append(pick)
            else:
                raw_indexes = [self.slots[p][1] for p in chosen]
                first, last = min(raw_indexes), max(raw_indexes)
                if self._merged_from:
                    first = min(first, *(self._merged_from.get(p, first) for p in chosen))
                if phrase.ordered and self.tokens.clauses[first] != self.tokens.clauses[last]:
                    continue  # a claim is made within one clause
                if self.tokens.sentences[first] != self.tokens.sentences[last]:
                    continue  # and a concept within one sentence
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
        slots, positions = self.slots, self.positions
        on_point = {sentence_of[slots[slot][1]] for key in keys for slot in positions[key]}
        return len(on_point & sentences) / len(sentences)

    def viable_phrases(self, rubric: CompiledRubric) -> dict[int, list[Phrase]]:
        """Per concept, in rubric order, the phrases whose words all occur in the answer.

        Only these can match, so a large rubric costs little: they are found through the
        answer's words instead of by trying every phrase.
        """
        if self._viable is None:
            present = self.positions.keys()
            by_key = rubric.phrases_by_key_stem
            found: dict[int, list[tuple[int, Phrase]]] = {}
            for answer_stem in by_key.keys() & present:
                for concept, index, phrase in by_key[answer_stem]:
                    if len(phrase.stems) == 1 or phrase.stem_set <= present:
                        found.setdefault(concept, []).append((index, phrase))
            self._viable = {
                concept: [phrase for _, phrase in sorted(pairs, key=itemgetter(0))]
                for concept, pairs in sorted(found.items(), key=itemgetter(0))
            }
        return self._viable

    def span_text(self, first: int, last: int) -> tuple[str, tuple[int, int]]:
        start, end = self.tokens.span(first)[0], self.tokens.span(last)[1]
        return self.tokens.source[start:end], (start, end)
