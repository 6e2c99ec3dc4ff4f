"""Text normalisation shared by the scorer and the auto-rubric.

Every word keeps its character span in the original answer, so feedback can quote the exact
words that covered a concept even after case folding, accent stripping and stemming.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_LIMIT = 200_000

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
# Where a negation's reach ends: sentence and clause punctuation, and contrastive words.
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n()\[\]]|\s-\s|\bbut\b|\bhowever\b|\balthough\b")

NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "neither",
        "nor",
        "cannot",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "wouldnt",
        "cant",
        "couldnt",
        "shouldnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "mustnt",
        "aint",
        "nothing",
        "none",
    }
)

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both by could did do does doing down during each either else etc even
    ever few for from further get gets got had has have having he her here hers herself him
    himself his how i if in into is it its itself just let lets like may me might mine much
    must my myself of off on only or other ought our ours ourselves out over quite rather really
    she should so some such than that thats the their theirs them themselves then there theres
    these they thing things this those though to too under until up upon us very via was we were
    what whats when where whether which while who whom whose why will with would yes yet you
    your yours yourself yourselves im ive id youre weve theyre one ones usually basically
    actually simply kind sort lot lots maybe probably
    """.split()
)
# "get" is an HTTP method as well as filler; keep it when written in capitals.
_KEEP_WHEN_UPPERCASE = frozenset({"get", "put", "post", "delete", "patch", "head", "it"})


def stem(word: str) -> str:
    cached = _STEM_CACHE.get(word)
    if cached is None:
        if len(_STEM_CACHE) > _STEM_CACHE_LIMIT:
            _STEM_CACHE.clear()
        cached = _STEMMER.stemWord(word)
        _STEM_CACHE[word] = cached
    return cached


def fold(text: str) -> tuple[str, list[int] | None]:
    """Lowercase and strip accents; returns the folded text and a map back to the original.

    ASCII text (the common case) folds without changing offsets, so the map is None.
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    if text.isascii():
        return text.lower(), None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        for piece in decomposed:
            if unicodedata.combining(piece):
                continue
            for folded in piece.casefold():
                chars.append(folded)
                origin.append(index)
    origin.append(len(text))
    return "".join(chars), origin


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # folded, apostrophes removed
    stem: str
    start: int  # span in the original text
    end: int
    clause: int
    is_stopword: bool
    is_negator: bool
    upper: bool  # written in capitals in the original (acronyms, HTTP methods)


def words(text: str) -> list[Word]:
    """Split text into words with stems, clause numbers and original spans."""
    folded, origin = fold(text)
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(folded)]
    result: list[Word] = []
    clause = 0
    break_index = 0
    for match in _WORD.finditer(folded):
        start, end = match.span()
        while break_index < len(breaks) and breaks[break_index] < start:
            clause += 1
            break_index += 1
        token = match.group().replace("'", "")
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        upper = text[start:end].isupper() and len(token) > 1
        is_negator = token in NEGATORS
        is_stopword = not is_negator and token in STOPWORDS
        if is_stopword and upper and token in _KEEP_WHEN_UPPERCASE:
            is_stopword = False
        result.append(Word(token, stem(token), start, end, clause, is_stopword, is_negator, upper))
    return result


def content_stems(text: str) -> list[str]:
    return [w.stem for w in words(text) if not w.is_stopword and not w.is_negator]
