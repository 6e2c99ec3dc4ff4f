"""Claims that contradict the model answer: the right words, related the wrong way.

A fluent wrong answer ("the breaker closes when the downstream fails") holds the rubric's
words, so word matching alone credits it. Each clause of the answer that talks about the same
thing as a model-answer sentence (they share key words, or mean much the same) is compared
with it, and the clause contradicts it where:

- it uses a word whose opposite the sentence uses ("closes" where the sentence says "opens",
  "synchronous" where it says "asynchronous"), and not the sentence's own word;
- it puts two shared terms the other way round around an order word of the same kind ("update
  the cache, then the database" against "update the database, then delete the cache key";
  "delete the key after the write" is "write, then delete").

Numbers were tried too (a different number next to the same terms) and dropped: lists of
status codes made them fire on right answers.

Overclaims (a certainty the model answer never claims) are found in ``questions.overclaims``.

A contradicted clause earns no concept, and the feedback says how it differs and quotes the
model answer's sentence as the correction.

These checks judge questions with a derived rubric only. Where a rubric was written, its
misconceptions and the catalog are the precise cases, plus verdicts (``questions.overclaims``):
over the 513 graded answers to rubric questions, opposites and reversed orders hit six right
answers and no wrong one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from questions import dismissals, overclaims, roles
from questions.reading import Reading
from questions.rubric import CompiledRubric
from questions.text import NEGATORS, TokenInfo, Tokens, split_sentences, stem

# Pairs of opposites, by stem. General words of engineering prose, not any question's terms.
# "always never" was one: right answers say the same thing the other way round ("never holds
# stale data" for "is always fresh"), and it fired on those and on no weak answer.
OPPOSITES_TEXT = """
synchronous asynchronous | sync async | synchronously asynchronously |
open close | opens closes | opened closed | permanent temporary | permanently temporarily |
allow prevent | allows prevents | stateless stateful | optimistic pessimistic | random
consistent | random fixed | mutable immutable | increase decrease | increase reduce |
increases reduces | increases decreases | faster slower | long short | longer shorter |
higher lower | enable disable | accept reject | valid invalid | encrypted signed | fail succeed
| cheap expensive | secure insecure | safe unsafe | idempotent nonidempotent |
vertical horizontal | vertically horizontally | hides exposes | blocks
allows | less more | fewer more | smaller larger
| internal public | private public | runtime compile | static dynamic | small large |
slow fast | gradually instantly | gradual instant | centralized decentralized | tightly
loosely | tight loose | manual automatic | manually automatically | explicit implicit |
explicitly implicitly | eager lazy | eagerly lazily | required optional | lightweight heavy
| single multiple | binary text | strong weak | minimum maximum
| push pull | survive lose | survives lost | grows constant | bounded unbounded
"""
# Order words by kind: a pair of terms around one contradicts only a pair around the same kind
# ("delete after the write" is "write, then delete"). "from" was one and was dropped: "reads
# from the new column" and "removes the old column from the code" say no order at all.
ORDER_KINDS = {
    "then": "sequence",
    "before": "sequence",
    "first": "sequence",
    "after": "sequence",  # read backwards
    "than": "comparison",
    # "over" was one ("prefer A over B") and was dropped: it read layering ("HTTP/3 runs over
    # QUIC" against "QUIC over UDP for HTTP/3") as a reversed order in a strong answer, and
    # caught no wrong answer in any read set.
    # "into" was one ("input concatenated into SQL") and was dropped: "puts SQL into an input
    # field" says the same, and it hit four right or partial answers and no wrong one.
}
ORDER_WORDS = frozenset(ORDER_KINDS)
POSSIBILITY = frozenset({"can", "could", "may", "might"})
RELATED_SHARED_STEMS = 2
BACK_REFERENCES = frozenset({"which", "that", "this", "it"})
GOVERNED_WORDS = 3  # words an opening "after"/"before" governs when no comma closes them
NEIGHBOURHOOD = 4  # words either side that say what a word is about
# Words before an opposite in which a negation makes it agree ("shouldn't write to a database
# synchronously"); three until a strong bank answer with four between was read as a claim.
NEGATION_WINDOW = 5


@cache
def opposites() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for pair in OPPOSITES_TEXT.split("|"):
        words = pair.split()
        if len(words) != 2:
            continue
        first, second = (stem(w) for w in words)
        table.setdefault(first, set()).add(second)
        table.setdefault(second, set()).add(first)
    return {key: frozenset(value) for key, value in table.items()}


@dataclass(frozen=True)
class Contradiction:
    first: int  # word range of the answer's clause
    last: int
    claim: str  # the answer's words
    correction: str  # the model answer's sentence
    reason: str


@dataclass(frozen=True)
class _Sentence:
    text: str
    stems: tuple[str, ...]  # content stems in order
    words: list[tuple[str, str]]  # (word, content stem or "") in order
    stem_set: frozenset[str]
    pairs: frozenset[tuple[str, str, str]]  # its terms in order (_ordered_pairs)
    word_stems: tuple[str, ...]  # every word's stem, small words too
    negated: bool  # holds a negation: a dismissal of what it says may be right


def model_sentences(rubric: CompiledRubric) -> list[_Sentence]:
    cached = rubric.claims_cache
    if cached is None:
        cached = []
        text = rubric.question.model_answer
        for piece in split_sentences(text):
            tokens = Tokens(piece)
            stems = tuple(entry[1] for entry in tokens.info if not entry[2] and not entry[3])
            words = [_word(entry) for entry in tokens.info]
            pairs = frozenset(_ordered_pairs(words, tokens.clauses))
            word_stems = tuple(entry[1] for entry in tokens.info)
            negated = any(entry[3] for entry in tokens.info)
            cached.append(
                _Sentence(piece, stems, words, frozenset(stems), pairs, word_stems, negated)
            )
        rubric.claims_cache = cached
    return cached


def _word(entry: TokenInfo) -> tuple[str, str]:
    return entry[0], "" if entry[2] or entry[3] else entry[1]


def find(reading: Reading, rubric: CompiledRubric) -> list[Contradiction]:
    """Clauses of the answer that contradict a related sentence of the model answer."""
    tokens = reading.tokens
    sentences = model_sentences(rubric)
    model = [(s.text, s.words, s.stem_set) for s in sentences]
    # Where a rubric was written, its misconceptions and the catalog are the precise cases, and
    # only verdicts are added: over all 513 graded answers to rubric questions the opposite
    # words and reversed orders hit 6 right answers and no wrong one; absolutes hit right
    # answers too ("never blocks", "completely separate").
    if not rubric.auto:
        verdicts = overclaims.overclaims(tokens, model, overclaims.VERDICTS)
        return _add_clauses([], reading, [(i, c, _overclaim(tokens, i)) for i, c in verdicts])
    found = _relations(reading, rubric)
    rivals = roles.find_rivals(rubric.question.prompt, rubric.question.model_answer)
    for swap in roles.swaps(tokens, rivals) if rivals is not None else ():
        if any(c.first <= swap.last and swap.first <= c.last for c in found):
            continue
        claim = tokens.source[tokens.span(swap.first)[0] : tokens.span(swap.last)[1]]
        reason = "says of one of the compared things what the model answer says of the other"
        found.append(Contradiction(swap.first, swap.last, claim, swap.correction, reason))
    negated = [s.negated for s in sentences]
    flagged = [
        (index, correction, _overclaim(tokens, index))
        for index, correction in overclaims.overclaims(tokens, model)
    ] + [
        (index, correction, "dismisses what the model answer states")
        for index, correction in dismissals.dismissals(tokens, model, negated)
    ]
    return _add_clauses(found, reading, flagged)


def _overclaim(tokens: Tokens, index: int) -> str:
    return f"claims {tokens.info[index][0]!r}, which the model answer never does"


def _add_clauses(
    found: list[Contradiction], reading: Reading, flagged: list[tuple[int, str, str]]
) -> list[Contradiction]:
    """found, plus the clause of each flagged word that says something and is not in it yet."""
    tokens = reading.tokens
    for index, correction, reason in flagged:
        if any(c.first <= index <= c.last for c in found):
            continue
        first, last = tokens.clause_bounds(index, index)
        if not reading.structure.says_something(first, last):
            continue
        claim = tokens.source[tokens.span(first)[0] : tokens.span(last)[1]]
        found.append(Contradiction(first, last, claim, correction, reason))
    return found


def _relations(reading: Reading, rubric: CompiledRubric) -> list[Contradiction]:
    """Opposite words and reversed orders (see the module's docstring)."""
    sentences = model_sentences(rubric)
    if not sentences:
        return []
    table = opposites()
    tokens = reading.tokens
    info = tokens.info
    # Only sentences holding a word with an opposite, or an order word, can contradict. This
    # runs on every answer, so it works on slices and sets rather than word by word.
    all_words = tokens.words
    all_stems = tokens.stems
    everywhere = tokens.stem_set
    wanted_stems = everywhere & table.keys()
    wanted_words = ORDER_WORDS.intersection(all_words)
    if not wanted_stems and not wanted_words:
        return []
    content = tokens.content
    structure = reading.structure
    found: list[Contradiction] = []
    model_pairs = frozenset().union(*(sentence.pairs for sentence in sentences))
    sentence_of = tokens.sentences
    end = 0
    while end < len(info):
        current = end
        end = bisect_right(sentence_of, sentence_of[current], current)
        last = end - 1
        if wanted_stems.isdisjoint(all_stems[current:end]) and wanted_words.isdisjoint(
            all_words[current:end]
        ):
            continue
        if not structure.says_something(current, last):
            continue
        stem_set = set(content[current:end])
        stem_set.discard("")
        related = [s for s in sentences if len(stem_set & s.stem_set) >= RELATED_SHARED_STEMS]
        if not related:
            continue
        ordered_words = list(zip(all_words[current:end], content[current:end], strict=True))
        word_stems = all_stems[current:end]
        # An order the model answer itself uses somewhere is fine.
        pairs = _ordered_pairs(ordered_words, tokens.clauses[current:end]) - model_pairs
        for sentence in related:
            reason = _opposite(ordered_words, word_stems, sentence, table, sentences, everywhere)
            swap = _swapped(pairs, sentence) if reason is None else None
            if swap is not None:  # the order is found on stems; the feedback names the words
                first, second = (_written(stem_, ordered_words) for stem_ in swap)
                reason = f"puts {second!r} before {first!r}; the model answer has it the other way"
            if reason is not None:
                claim = tokens.source[tokens.span(current)[0] : tokens.span(last)[1]]
                found.append(Contradiction(current, last, claim, sentence.text, reason))
                break
    return found


def _opposite(
    answer: list[tuple[str, str]],
    answer_stems: list[str],
    model: _Sentence,
    table: dict[str, frozenset[str]],
    everything: list[_Sentence],
    everywhere: frozenset[str],
) -> str | None:
    """A word whose opposite the sentence uses next to a term both share.

    An answer that uses both words somewhere ("lazy loading causes it; eager loading fixes
    it") is contrasting them, not confusing them.
    """
    model_stems = model.word_stems
    for index, mine in enumerate(answer_stems):
        others = table.get(mine)
        if others is None or mine in model_stems:
            continue
        if any(w in NEGATORS for w, _ in answer[max(0, index - NEGATION_WINDOW) : index]):
            continue  # "not so strong" agrees with "eventual"
        if any(w in POSSIBILITY for w, _ in answer[max(0, index - 2) : index]):
            continue  # "you can lose one replica": a possibility, not a claim against "survive"
        for other in others:
            if other not in model_stems or other in everywhere:
                continue
            near_mine = _neighbours(answer, index)
            if _said_elsewhere(mine, near_mine, everything):
                continue  # the model answer itself says this word of the same things
            for position, model_stem in enumerate(model_stems):
                if model_stem == other and near_mine & _neighbours(model.words, position):
                    word, model_word = answer[index][0], model.words[position][0]
                    return f"says {word!r} where the model answer says {model_word!r}"
    return None


def _said_elsewhere(word: str, near: set[str], sentences: list[_Sentence]) -> bool:
    return any(
        s == word and near & _neighbours(sentence.words, position)
        for sentence in sentences
        for position, s in enumerate(sentence.word_stems)
    )


def _neighbours(words: list[tuple[str, str]], index: int) -> set[str]:
    """Content stems within a few words of a position: what the word there is about."""
    low, high = max(0, index - NEIGHBOURHOOD), index + NEIGHBOURHOOD + 1
    return {s for _, s in words[low:index] + words[index + 1 : high] if s and len(s) > 2}


def _swapped(answer: set[tuple[str, str, str]], model: _Sentence) -> tuple[str, str] | None:
    """Two terms (stems) both texts order around an order word of one kind, the other way
    round: the model answer's order."""
    for first, second, kind in model.pairs:
        if (second, first, kind) in answer:
            return first, second
    return None


def _written(stem_: str, words: list[tuple[str, str]]) -> str:
    return next((word for word, content in words if content == stem_), stem_)


def _ordered_pairs(words: list[tuple[str, str]], clauses: list[int]) -> set[tuple[str, str, str]]:
    """(a, b, kind) for content stems a and b around an order word of that kind, a first.

    An "after" or "before" that opens its clause orders that clause against the next one
    ("after the commit, delete the key"); elsewhere it orders the words either side of it.
    """
    pairs: set[tuple[str, str, str]] = set()
    for index, (word, _) in enumerate(words):
        kind = ORDER_KINDS.get(word)
        if kind is None:
            continue
        if index + 1 < len(words) and words[index + 1][0] in BACK_REFERENCES:
            continue  # "after which it reads": ordered against what came before, not here
        if word in ("after", "before") and (index == 0 or clauses[index - 1] != clauses[index]):
            end = index + 1
            while end < len(words) and clauses[end] == clauses[index]:
                end += 1
            # Without a comma the order word governs only a short phrase ("after a crash the
            # data files hold ..."): the rest of its clause is what comes later.
            cut = min(end, index + 1 + GOVERNED_WORDS)
            earlier, later = _terms(words[index + 1 : cut]), _terms(words[cut : cut + 5])
            if word == "before":
                earlier, later = later, earlier
        else:
            earlier = _terms(words[max(0, index - 4) : index])
            later = _terms(words[index + 1 : index + 6])
            if word == "after":
                earlier, later = later, earlier
        both = set(earlier) & set(later)  # a term on both sides is not ordered by the word
        pairs.update(
            (a, b, kind) for a in earlier for b in later if a not in both and b not in both
        )
    return pairs


def _terms(words: list[tuple[str, str]]) -> list[str]:
    return [s for _, s in words if len(s) > 2]
