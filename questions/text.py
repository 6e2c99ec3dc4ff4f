"""Text normalisation shared by the scorer and the auto-rubric.

Every word keeps its character span in the original answer, so feedback can quote the exact
words that covered a concept even after case folding, accent stripping and stemming.
"""

from __future__ import annotations

import re
import unicodedata
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_LIMIT = 200_000


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
KEEP_WHEN_UPPERCASE = frozenset({"get"})


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


class Word(NamedTuple):
    text: str  # folded, apostrophes removed
    stem: str
    start: int  # span in the original text
    end: int
    clause: int
    is_stopword: bool
    is_negator: bool
    upper: bool  # written in capitals in the original (acronyms, HTTP methods)


_BREAK_CHARS = ".!?;:,\n()[]"
_BREAK_WORDS = frozenset({"but", "however", "although"})
_NEWLINE = ord("\n")
_WHITESPACE = np.array([chr(code).isspace() for code in range(256)])
_SENTENCE_MARKS = np.array([chr(code) in ".!?" for code in range(256)])
# Same-length translation: clause breaks become NUL, other ASCII separators spaces, so
# offsets in the translated text are offsets in the folded text.
_SEPARATORS = str.maketrans(
    {
        **{chr(c): " " for c in range(128) if not chr(c).isalnum() and chr(c) != "'"},
        **dict.fromkeys(_BREAK_CHARS, "\x00"),
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A sentence ends at . ! ? before white space (not inside "node.js" or "3.5"), or at a line
# break: each line of a bulleted answer is a statement of its own.
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# Per distinct token: (text, stem, is_stopword, is_negator, content stem or ""); answers
# repeat words a lot, and several readers want the content stems alone.
TokenInfo = tuple[str, str, bool, bool, str]
_TOKEN_INFO: dict[str, TokenInfo] = {}


def _token_info(raw: str) -> TokenInfo:
    info = _TOKEN_INFO.get(raw)
    if info is None:
        token = raw.replace("'", "")
        is_negator = token in NEGATORS
        is_stopword = not is_negator and token in STOPWORDS
        token_stem = stem(token)
        content = "" if is_stopword or is_negator else token_stem
        info = (token, token_stem, is_stopword, is_negator, content)
        if len(_TOKEN_INFO) > _STEM_CACHE_LIMIT:
            _TOKEN_INFO.clear()
        _TOKEN_INFO[raw] = info
    return info


class Tokens:
    """An answer's words as parallel lists, built with C-level string methods.

    This is the scorer's hot path. The text is translated so that every separator is a
    space or a clause-break marker of the same length, then split on single spaces, so each
    word's offset falls out of the lengths already in hand instead of a regex search.
    """

    __slots__ = (
        "_content",
        "_origin",
        "_stem_set",
        "_stems",
        "_words",
        "clauses",
        "ends",
        "folded",
        "info",
        "sentences",
        "source",
        "starts",
    )

    def __init__(self, text: str) -> None:
        folded, origin = fold(text)
        marked = folded.replace(" - ", " \x00 ").translate(_SEPARATORS)
        if origin is not None:
            marked = _NON_ASCII.sub(" ", marked)
        self.source = text
        self.folded = folded
        self._origin = origin
        self._words: list[str] | None = None
        self._stems: list[str] | None = None
        self._content: list[str] | None = None
        self._stem_set: frozenset[str] | None = None
        self.info: list[TokenInfo] = []
        self.clauses: list[int] = []
        self.starts: list[int] = []  # offsets in the folded text
        self.ends: list[int] = []
        self.sentences: list[int] = []
        info, clauses, starts, ends = self.info, self.clauses, self.starts, self.ends
        sentences = self.sentences
        sentence_ends = _sentence_ends(folded, origin is None)
        sentence_ends.append(len(folded) + 1)  # sentinel
        next_end = sentence_ends[0]
        end_index = 0
        sentence = 0
        breaks = []
        found = marked.find("\x00")
        while found != -1:
            breaks.append(found)
            found = marked.find("\x00", found + 1)
        breaks.append(len(marked) + 1)  # sentinel
        next_break = breaks[0]
        break_index = 0
        clause = 0
        offset = 0
        cache = _TOKEN_INFO
        for piece in marked.replace("\x00", " ").split(" "):
            if piece:
                while next_break < offset:
                    clause += 1
                    break_index += 1
                    next_break = breaks[break_index]
                start = offset
                part = piece
                if "'" in part:
                    stripped = part.lstrip("'")
                    start += len(part) - len(stripped)
                    part = stripped.rstrip("'")
                if part in _BREAK_WORDS:
                    clause += 1
                elif part:
                    if next_end < start:
                        while next_end < start:
                            end_index += 1
                            next_end = sentence_ends[end_index]
                        sentence = end_index
                    info.append(cache.get(part) or _token_info(part))
                    clauses.append(clause)
                    sentences.append(sentence)
                    starts.append(start)
                    ends.append(start + len(part))
            offset += len(piece) + 1

    def __len__(self) -> int:
        return len(self.info)

    # Several readers of one answer want these lists; each is built once, at C speed.
    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = list(map(itemgetter(0), self.info))
        return self._words

    @property
    def stems(self) -> list[str]:
        if self._stems is None:
            self._stems = list(map(itemgetter(1), self.info))
        return self._stems

    @property
    def content(self) -> list[str]:
        """Per word, its stem, or "" for a small word or a negation."""
        if self._content is None:
            self._content = list(map(itemgetter(4), self.info))
        return self._content

    @property
    def stem_set(self) -> frozenset[str]:
        if self._stem_set is None:
            self._stem_set = frozenset(self.stems)
        return self._stem_set

    @property
    def exact_offsets(self) -> bool:
        """Whether `starts` and `ends` are offsets in the original text (ASCII answers)."""
        return self._origin is None

    def clause_bounds(self, first: int, last: int) -> tuple[int, int]:
        """first..last widened to the whole clauses they sit in."""
        clauses = self.clauses
        while first > 0 and clauses[first - 1] == clauses[first]:
            first -= 1
        while last + 1 < len(clauses) and clauses[last + 1] == clauses[last]:
            last += 1
        return first, last

    def span(self, index: int) -> tuple[int, int]:
        """Where the index-th word sits in the original text."""
        start, end = self.starts[index], self.ends[index]
        if self._origin is None:
            return start, end
        return self._origin[start], self._origin[end - 1] + 1

    def upper(self, index: int) -> bool:
        """Written in capitals, as acronyms and HTTP methods are."""
        start, end = self.span(index)
        written = self.source[start:end]
        return len(written) > 1 and written.isupper()


def _sentence_ends(folded: str, ascii_only: bool) -> list[int]:
    """Offsets where SENTENCE_END matches; in ASCII text array operations find them faster
    than the regular expression does."""
    if not ascii_only:
        return [m.start() for m in SENTENCE_END.finditer(folded)]
    codes = np.frombuffer(folded.encode("ascii"), dtype=np.uint8)
    ends = codes == _NEWLINE
    ends[:-1] |= _SENTENCE_MARKS[codes[:-1]] & _WHITESPACE[codes[1:]]
    found: list[int] = np.flatnonzero(ends).tolist()
    return found


def words(text: str) -> list[Word]:
    """Words with stems, clause numbers and original spans, for code off the hot path."""
    tokens = Tokens(text)
    result = []
    for index, (token, token_stem, is_stopword, is_negator, _) in enumerate(tokens.info):
        start, end = tokens.span(index)
        upper = tokens.upper(index)
        if is_stopword and upper and token in KEEP_WHEN_UPPERCASE:
            is_stopword = False
        result.append(
            Word(
                token, token_stem, start, end, tokens.clauses[index], is_stopword, is_negator, upper
            )
        )
    return result


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """A prose text's sentences (semicolons end one too), for comparing texts sentence by
    sentence; not for answers, whose words keep their spans through ``Tokens``."""
    return [piece.strip() for piece in _SENTENCE_SPLIT.split(text) if piece.strip()]
