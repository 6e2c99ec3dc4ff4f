"""Answers that show no understanding whatever they mention: lists, copies, repetition."""

from __future__ import annotations

import re

from questions.reading import Reading
from questions.rubric import CompiledRubric

JARGON_SHARE = 0.3  # acronyms and product names per word that mark a jargon dump
JARGON_MIN_WORDS, JARGON_MAX_WORDS = 8, 60
CHECKLIST_ITEMS, CHECKLIST_ITEM_WORDS = 5, 8
CHECKLIST_SEPARATORS = re.compile(r",|;|\band\b")
# Words that tie an item to a reason, a condition or a consequence.
LINKS = frozenset(
    "because so since which that when if while otherwise unless whereas where why how means "
    "then until before after instead".split()
)


def is_keyword_list(text: str, answer: Reading) -> bool:
    """A comma-separated run of terms with nothing said about any of them."""
    segments = [s for s in text.replace(";", ",").replace("\n", ",").split(",") if s.strip()]
    if len(segments) < 5:
        return False
    short = sum(1 for s in segments if len(s.split()) <= 2)
    return short / len(segments) >= 0.7 and answer.function_words / max(1, answer.word_count) < 0.15


def is_checklist(text: str, answer: Reading) -> bool:
    """One or two sentences that only list what to do or use: five or more short items joined
    by commas or "and", and no word that links an item to a reason or a consequence ("I'd
    use B-trees, check selectivity, follow the leftmost prefix rule, ... and verify with
    EXPLAIN"). Bulleted lines are left to the structure pass, which reads each as a unit."""
    tokens = answer.tokens
    if not tokens.sentences or tokens.sentences[-1] > 1 or "\n" in text.strip():
        return False
    if not LINKS.isdisjoint(tokens.words):
        return False
    items = [item for item in CHECKLIST_SEPARATORS.split(text) if item.strip()]
    if len(items) < CHECKLIST_ITEMS:
        return False
    short = sum(1 for item in items if len(item.split()) <= CHECKLIST_ITEM_WORDS)
    return short / len(items) >= 0.8


def is_jargon_dump(answer: Reading) -> bool:
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


def is_question_copy(answer: Reading, rubric: CompiledRubric) -> bool:
    content = answer.content_stems
    if not content or not rubric.prompt_stems:
        return False
    prompt = rubric.prompt_stems
    echoed = sum(map(prompt.__contains__, content))
    return echoed / len(content) >= 0.6 and len(set(content) - prompt) <= 5


def is_repetitive(answer: Reading) -> bool:
    content = answer.content_stems
    if len(content) < 20:
        return False
    return len(set(content)) / len(content) < 0.4
