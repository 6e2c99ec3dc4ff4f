"""Answers that list instead of explaining."""

from __future__ import annotations

import pytest

from questions.checks import is_checklist
from questions.loader import default_bank
from questions.reading import Reading
from questions.rubric import compile_rubric
from questions.scoring import score_answer

RUBRIC = compile_rubric(default_bank().questions["db-index-internals"])


def checklist(text: str) -> bool:
    return is_checklist(text, Reading(text, RUBRIC))


CHECKLIST = (
    "I'd use B+ tree indexes with O(log n) lookups, check selectivity and cardinality, follow "
    "the leftmost prefix rule for composite indexes, watch write amplification, add covering "
    "indexes with INCLUDE for index-only scans and verify everything with EXPLAIN ANALYZE."
)


def test_one_sentence_of_things_to_do_is_a_checklist() -> None:
    assert checklist(CHECKLIST)


@pytest.mark.parametrize(
    "answer",
    [
        # A reason ties the items together.
        CHECKLIST.replace("and verify", "because writes pay for each index, and verify"),
        # A third sentence explains the list.
        CHECKLIST + " Column order matters. Writes pay for every index.",
        # Bullets are read line by line by the structure pass.
        "- B+ tree indexes\n- selectivity\n- leftmost prefix\n- covering indexes\n- EXPLAIN",
        # Fewer than five items.
        "Use a B-tree index, check selectivity and verify with EXPLAIN.",
    ],
)
def test_what_is_not_a_checklist(answer: str) -> None:
    assert not checklist(answer)


def test_a_checklist_scores_as_a_term_list() -> None:
    result = score_answer(default_bank().questions["db-index-internals"], CHECKLIST)
    assert result.score <= 30
    assert any("lists terms without explaining" in note for note in result.notes)
