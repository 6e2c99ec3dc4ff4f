"""Common wrong beliefs about backend subjects, checked on every question that touches them.

An admin who adds a question writes a model answer and nothing else, so a fluent answer that
states a well-known wrong belief ("a B-tree lookup is O(1)") would only be caught where it
contradicts the model answer's own words. An interviewer knows these beliefs whatever the
question; this catalog is that knowledge, shipped as data (`data/misconceptions.yaml`).

An entry is considered for a question whose prompt or model answer names one of its terms,
and its phrases match like a hand-written misconception's: in order, within one clause, with
the same polarity. Each phrase was checked against the model answers and corrections of every
shipped and calibration question when it was written; an entry whose phrases fire on the
question's own model answer is dropped for that question (questions.rubric).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from questions.model import Misconception, Question
from questions.text import words

CATALOG = "misconceptions.yaml"
DEFAULT_PENALTY = 15.0


@dataclass(frozen=True)
class Entry:
    terms: tuple[frozenset[str], ...]  # each term's stems; one term present is enough
    misconception: Misconception


def _stems(text: str) -> frozenset[str]:
    # Stop words included: "where" and "having" are terms of SQL.
    return frozenset(w.stem for w in words(text))


def parse(data: Any, origin: str = CATALOG) -> tuple[Entry, ...]:
    """Entries from the catalog's YAML data, or ValueError naming what is wrong and where."""
    if not isinstance(data, list):
        raise ValueError(f"{origin}: expected a list of entries")
    entries: list[Entry] = []
    for number, item in enumerate(data, 1):
        where = f"{origin}: entry {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected a mapping")
        missing = [key for key in ("terms", "claim", "correction", "phrases") if not item.get(key)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        terms, phrases = item["terms"], item["phrases"]
        if not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
            raise ValueError(f"{where}: terms must be a list of words")
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            raise ValueError(f"{where}: phrases must be a list of strings")
        entries.append(
            Entry(
                tuple(s for s in map(_stems, terms) if s),
                Misconception(
                    str(item["claim"]),
                    tuple(phrases),
                    str(item["correction"]),
                    float(item.get("penalty", DEFAULT_PENALTY)),
                ),
            )
        )
    return tuple(entries)


@cache
def entries() -> tuple[Entry, ...]:
    text = resources.files("questions").joinpath("data", CATALOG).read_text(encoding="utf-8")
    # libyaml's loader where installed: the pure-Python one takes ten times as long (130 ms).
    return parse(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def warm_up() -> None:
    """Load the catalog in a background thread: 105-130 ms a first answer need not wait for."""
    if entries.cache_info().currsize == 0:
        threading.Thread(target=entries, name="catalog-warm-up", daemon=True).start()


def relevant(question: Question) -> tuple[Misconception, ...]:
    """The catalog's beliefs about what this question names, beyond its own misconceptions."""
    named = _stems(f"{question.prompt} {question.model_answer}")
    own = {m.claim for m in question.misconceptions}
    return tuple(
        entry.misconception
        for entry in entries()
        if entry.misconception.claim not in own and any(term <= named for term in entry.terms)
    )
