"""Agreement between the scorer and an experienced interviewer's 0-5 grades.

- dev: the 40 graded answers to the article's questions (copied from shared/calibration);
  the rubrics and the scorer were tuned on it.
- held-out: 50 more, written and graded without sight of the rubrics.
- bank: 60 blind answers to 12 questions of the other packs. Rows 01, 03 and 05 of each
  question guided rubric work; rows 02 and 04 were kept unread until they were measured.
- new2: a second such set (ten questions, fifty answers), written after the first one had
  been tuned on, sealed, and measured once after the last scorer change.
- new3: a third such set, written by a helper that saw only the second set's files, sealed
  while the wrong-claim and word-salad work was tuned, and measured once at its end.
- new4: a fourth such set, written by a helper that saw only the third set's files, sealed
  through all of the fourth pass and measured once at its end.
- bank2: 50 answers to ten bank questions the first bank set left out, written by a helper
  that saw only the prompts and model answers, sealed and measured once like new4.
- new5 and bank3: a fifth set of new questions, and 50 answers to ten bank questions (the five
  no other set covered and five of bank2's), written the same way before the sixth pass
  began, sealed through it and measured once at its end.
- new6: a sixth set of new questions, written by a helper that saw only the fifth set's file
  formats, sealed until every scorer change of the sixth pass was made, then measured once.
- new7 and bank4: a seventh set of new questions and 50 answers to ten bank questions, written
  the same way before the seventh pass began, sealed through it and measured once at its end.
- new8 and bank5: an eighth set of new questions and 60 answers to the twelve bank questions
  the other bank sets cover least, written by a helper that saw only file formats and prompts
  before the eighth pass began, sealed through it and measured once at its end.
- new9 and bank6: a ninth set of new questions and 60 answers to twelve more bank questions,
  written the same way while the eighth pass was under way (the helper saw nothing of it),
  sealed until the pass was done, then measured once.
- new10 and bank7, new11 and bank8, new12 and bank9: written the same way, each pair sealed
  until a pass was done, then measured once (the figures are beside their thresholds).
- new: ten questions nobody wrote a rubric for, with five graded answers each, written
  before the judgement work began and measured once, at its end (README: Calibration).

Thresholds sit a little below what the scorer reaches, so a change that grades worse fails
here; where the scorer falls short of the target the issue set, the comment says so.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import replace
from pathlib import Path

import pytest

from questions.loader import default_bank, load_pack
from questions.model import Question
from questions.scoring import score_answer
from tests.stats import pearson

CALIBRATION = Path(__file__).parents[1] / "data" / "calibration"
BANK_QUESTIONS = default_bank().questions
NEW_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind-new-questions.yaml").questions}
NEW2_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind2-questions.yaml").questions}
NEW3_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind3-questions.yaml").questions}
NEW4_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind4-questions.yaml").questions}
NEW5_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind5-questions.yaml").questions}
NEW6_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind6-questions.yaml").questions}
NEW7_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind7-questions.yaml").questions}
NEW8_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind8-questions.yaml").questions}
NEW9_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind9-questions.yaml").questions}
NEW10_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind10-questions.yaml").questions}
NEW11_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind11-questions.yaml").questions}
NEW12_QUESTIONS = {q.id: q for q in load_pack(CALIBRATION / "blind12-questions.yaml").questions}


def load(name: str) -> list[dict[str, str]]:
    with (CALIBRATION / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


DEV = load("seed-answers-dev.csv")
HOLDOUT = load("holdout-answers.csv")
BANK = load("bank-blind-answers.csv")
BANK_UNREAD = [row for row in BANK if row["id"][-2:] in ("02", "04")]
NEW = load("blind-new-answers.csv")
NEW2 = load("blind2-answers.csv")
NEW3 = load("blind3-answers.csv")
NEW4 = load("blind4-answers.csv")
BANK2 = load("bank2-answers.csv")
NEW5 = load("blind5-answers.csv")
BANK3 = load("bank3-answers.csv")
NEW6 = load("blind6-answers.csv")
NEW7 = load("blind7-answers.csv")
BANK4 = load("bank4-answers.csv")
NEW8 = load("blind8-answers.csv")
BANK5 = load("bank5-answers.csv")
NEW9 = load("blind9-answers.csv")
BANK6 = load("bank6-answers.csv")
NEW10 = load("blind10-answers.csv")
BANK7 = load("bank7-answers.csv")
NEW11 = load("blind11-answers.csv")
BANK8 = load("bank8-answers.csv")
NEW12 = load("blind12-answers.csv")
BANK9 = load("bank9-answers.csv")
ALL_RUBRIC_SETS = DEV + HOLDOUT + BANK
# The sets of new questions in the order they were written: (answers, questions).
NEW_SETS = [
    (NEW, NEW_QUESTIONS),
    (NEW2, NEW2_QUESTIONS),
    (NEW3, NEW3_QUESTIONS),
    (NEW4, NEW4_QUESTIONS),
    (NEW5, NEW5_QUESTIONS),
    (NEW6, NEW6_QUESTIONS),
    (NEW7, NEW7_QUESTIONS),
    (NEW8, NEW8_QUESTIONS),
    (NEW9, NEW9_QUESTIONS),
    (NEW10, NEW10_QUESTIONS),
    (NEW11, NEW11_QUESTIONS),
    (NEW12, NEW12_QUESTIONS),
]
ALL_QUESTIONS = {**BANK_QUESTIONS, **{k: v for _, qs in NEW_SETS for k, v in qs.items()}}


def derived(question: Question) -> Question:
    """The question as an admin would add it: a model answer and nothing else."""
    return replace(question, id=f"{question.id}-derived", rubric=(), misconceptions=())


def scores(rows: list[dict[str, str]], *, auto: bool = False) -> list[int]:
    result = []
    for row in rows:
        question = ALL_QUESTIONS[row["question_id"]]
        result.append(score_answer(derived(question) if auto else question, row["answer"]).score)
    return result


def agreement(rows: list[dict[str, str]], *, auto: bool = False) -> float:
    return pearson(scores(rows, auto=auto), [int(row["grade"]) for row in rows])


def test_the_sets_are_complete() -> None:
    assert len(DEV) == 40 and len(HOLDOUT) == 50 and len(BANK) == 60 and len(BANK_UNREAD) == 24
    assert {row["question_id"] for row in DEV} == {
        "auth-web-services",
        "microservices-pros-cons",
        "sql-vs-nosql",
        "restful-api-design",
        "handling-huge-traffic",
    }
    earlier = set(BANK_QUESTIONS)
    for answers, questions in NEW_SETS:  # each: ten questions of its own, model answers only
        assert len(answers) == 50 and len(questions) == 10
        assert all(not q.rubric for q in questions.values())
        assert not set(questions) & earlier
        earlier |= set(questions)
    assert len(BANK2) == 50 and {row["question_id"] for row in BANK2} <= set(BANK_QUESTIONS)
    assert not {row["question_id"] for row in BANK2} & {row["question_id"] for row in BANK}
    assert len(BANK3) == 50 and len({row["question_id"] for row in BANK3}) == 10
    assert {row["question_id"] for row in BANK3} <= set(BANK_QUESTIONS)
    assert not {row["question_id"] for row in BANK3} & {row["question_id"] for row in BANK}
    later_banks = ((BANK4, 10), (BANK5, 12), (BANK6, 12), (BANK7, 12), (BANK8, 12), (BANK9, 12))
    for rows, question_count in later_banks:  # five answers to each of its bank questions
        assert len(rows) == 5 * question_count
        assert len({row["question_id"] for row in rows}) == question_count
        assert {row["question_id"] for row in rows} <= set(BANK_QUESTIONS)
    assert not {row["question_id"] for row in BANK9} & {row["question_id"] for row in BANK8}


@pytest.mark.parametrize(
    ("name", "rows", "auto", "threshold"),
    [
        ("dev", DEV, False, 0.93),  # 0.942 after pass 10 (0.948 before its harder caps)
        ("held-out seed answers", HOLDOUT, False, 0.93),  # 0.943 after pass 10; target 0.93
        ("bank, all 60", BANK, False, 0.91),  # 0.922 after pass 10
        # Target 0.85: 0.389 when first measured, 0.744 after the later work in README, 0.878
        # after fixes read off three of these rows (a verb after "and" continues its clause;
        # misconception phrasings for CAP and observability). No longer blind: the second bank
        # set (bank2) is the measure that was not tuned on.
        ("bank, the 24 unread rows", BANK_UNREAD, False, 0.86),
        ("derived rubric, seed answers", DEV + HOLDOUT, True, 0.85),  # 0.869; target 0.80
        # Target 0.80, not met: 0.487 measured once, 0.650 after the later work, 0.699 after
        # the wrong-claim checks, 0.768 with swapped roles (README: Calibration; not blind).
        ("derived rubric, new questions", NEW, True, 0.82),  # 0.844 after pass 10
        # Second blind set: 0.591 measured once, after all tuning; 0.742 after the wrong-claim
        # checks, which were tuned on it (no longer blind); target 0.80.
        ("derived rubric, second new set", NEW2, True, 0.81),  # 0.839 after pass 10
        # Third blind set: 0.598 measured once, after all tuning (0.600 on the code before this
        # session's work); 0.638 after two fixes read off it (no longer blind), 0.658 with
        # swapped roles; target 0.80.
        ("derived rubric, third new set", NEW3, True, 0.76),  # 0.786 after pass 10
        # Fourth blind set: 0.713 measured once, after all of this session's tuning (the
        # previous session's code scores the same); target 0.80, not met.
        ("derived rubric, fourth new set", NEW4, True, 0.75),  # 0.771 after pass 10
        # A second bank set, 50 answers to 10 bank questions the first bank set left out:
        # 0.592 measured once with the hand-written rubrics (the previous session's code scores
        # the same); target 0.85, not met. Its wrong-facts answers averaged 67 (grade 0.1).
        # 0.683 once a misconception's own claim sentence counts as a phrasing (questions.stated)
        # and 0.690 once a phrase must sit in one sentence: rules chosen with these rows in
        # view, so no longer blind.
        ("bank, second set (hand-written rubrics)", BANK2, False, 0.79),  # 0.811 after pass 10
        # Fifth blind set and third bank set, measured once after all of the sixth pass (the
        # previous session's code scores the same): 0.434 with derived rubrics (target 0.80)
        # and 0.504 with the hand-written ones (target 0.85). Neither is met: their wrong-facts
        # answers score 71-73, as high as the plain-language paraphrases (70-71). Then 0.483
        # and 0.507 once "always/never" stopped being opposites and "completely" an overclaim,
        # two precision fixes read off their strong answers: no longer blind.
        ("derived rubric, fifth new set", NEW5, True, 0.60),  # 0.627 after pass 10
        ("bank, third set (hand-written rubrics)", BANK3, False, 0.76),  # 0.783 after pass 10
        # Sixth blind set, sealed through every change above and measured once at the end:
        # 0.492 (the previous session's code: 0.491); target 0.80, not met. Wrong-facts
        # answers average 70, paraphrases 65.
        ("derived rubric, sixth new set", NEW6, True, 0.59),  # 0.614 after pass 10
        # Seventh blind set and fourth bank set, written before the seventh pass (known
        # misconceptions cap harder, 779 more phrasings, the catalog of common wrong beliefs),
        # sealed through it and measured once at its end: 0.450 with derived rubrics (the
        # previous session's code: 0.450; target 0.80) and 0.798 with the hand-written ones
        # (previous code 0.736; target 0.85). Neither target is met.
        ("derived rubric, seventh new set", NEW7, True, 0.60),  # 0.631 after pass 10
        ("bank, fourth set (hand-written rubrics)", BANK4, False, 0.85),  # 0.875 after pass 10
        # Eighth blind set and fifth bank set, written before the eighth pass (dismissals on
        # derived rubrics, 430 more catalog beliefs), sealed through it and measured once at
        # its end: 0.600 with derived rubrics (previous code 0.587; target 0.80) and 0.683
        # with the hand-written ones (previous code 0.713; target 0.85). Then 0.713 once two
        # false hits on strong bank5 answers were mended (a catalog phrase that named only its
        # terms, a negation after "that"): no longer blind. Neither target is met.
        ("derived rubric, eighth new set", NEW8, True, 0.76),  # 0.786 after pass 10
        ("bank, fifth set (hand-written rubrics)", BANK5, False, 0.75),  # 0.774 after pass 10
        # Ninth blind set and sixth bank set, sealed until the eighth pass was done, measured
        # once: 0.632 with derived rubrics (previous code 0.610; target 0.80) and 0.750 with the
        # hand-written ones (previous code 0.750; target 0.85). Then 0.645 once a catalog
        # phrase that fired on a paraphrase graded 4 was dropped: no longer blind.
        ("derived rubric, ninth new set", NEW9, True, 0.69),  # 0.717 after pass 10
        ("bank, sixth set (hand-written rubrics)", BANK6, False, 0.84),  # 0.862 after pass 10
        # Tenth blind set and seventh bank set, written before the ninth pass (speed, verdicts,
        # one hit per wrong clause) and measured once at its end: 0.626 with derived rubrics
        # (previous code 0.604; target 0.80) and 0.673 with the hand-written ones (previous
        # code 0.673; target 0.85). Neither target is met. Then bank7 0.829 once five false
        # hits on its strong answers were mended: a long, terse answer read as word salad,
        # "doesn't stop X from reaching" read as a negation, "works best" as a verdict, "runs
        # over QUIC" as a reversed order, and a rubric phrase ("keep all traces") named only
        # its terms. No longer blind. The salad fix also lifted the eighth set to 0.688.
        ("derived rubric, tenth new set", NEW10, True, 0.71),  # 0.737 after pass 10
        ("bank, seventh set (hand-written rubrics)", BANK7, False, 0.87),  # 0.898 after pass 10
        # Eleventh blind set and eighth bank set, written after the ninth pass and measured once
        # before the tenth began: 0.762 with derived rubrics (the code before the ninth pass:
        # 0.745; target 0.80) and 0.708 with the hand-written ones (before the ninth pass:
        # 0.744; target 0.85). Neither target is met. Read from the tenth pass on.
        ("derived rubric, eleventh new set", NEW11, True, 0.82),  # 0.849 after pass 10
        ("bank, eighth set (hand-written rubrics)", BANK8, False, 0.74),  # 0.762 after pass 10
        # Twelfth blind set and ninth bank set, written before the tenth pass's tuning began and
        # measured once at its end: 0.619 with derived rubrics (0.445 at the pass's start;
        # target 0.80) and 0.810 with the hand-written ones (0.744 at its start; target 0.85).
        # Neither target is met. Then 0.624 and 0.840 once three general fixes were read off
        # them ("instead of always", "best" after a verb, bullets of three words or a slash
        # state nothing): no longer blind.
        ("derived rubric, twelfth new set", NEW12, True, 0.60),
        ("bank, ninth set (hand-written rubrics)", BANK9, False, 0.82),
    ],
)
def test_pearson_agreement(
    name: str, rows: list[dict[str, str]], auto: bool, threshold: float
) -> None:
    measured = agreement(rows, auto=auto)
    assert measured >= threshold, f"{name}: Pearson {measured:.3f} < {threshold}"


def style_mean(style: str) -> float:
    rows = [row for row in ALL_RUBRIC_SETS if row["style"] == style]
    assert rows
    return statistics.mean(scores(rows))


def test_plain_language_paraphrases_score_good_on_average() -> None:
    assert style_mean("paraphrase") >= 60


def test_bare_term_lists_score_under_30_on_average() -> None:
    assert style_mean("keyword-stuffing") < 30


def test_fluent_wrong_answers_score_low_on_average() -> None:
    # Target under 30, reached 28.7 once each wrong claim caps the score (README: How answers
    # are scored); 29.1 since an answer using both words of an opposite pair is let be; 25.6
    # with the misconception phrasings read off two unread bank rows (no longer blind); 19.4
    # after the seventh pass (harder caps for known misconceptions, more phrasings); 13.3 after
    # the tenth (a wrong claim caps at 35, a known misconception at 30). A
    # wrong claim is still caught only where it contradicts the model answer's words or a
    # hand-written misconception.
    assert style_mean("wrong-facts") < 30


def test_fluent_wrong_answers_to_questions_without_a_rubric_score_under_half() -> None:
    # The 20 wrong-facts rows of the two new sets, derived rubrics: 62.2 before the wrong-claim
    # checks (denied facts, overclaims, more opposites), 49.1 after (tuned on these rows), 33.5
    # once a wrong claim capped the score at 35 and 27.6 at the end of the tenth pass.
    rows = [row for row in NEW + NEW2 if row["style"] == "wrong-facts"]
    assert len(rows) == 20
    assert statistics.mean(scores(rows, auto=True)) < 31


@pytest.mark.parametrize(
    ("style", "ceiling"),
    [("keyword-stuffing", 30), ("negated", 20), ("copy-of-question", 10), ("off-topic", 20)],
)
def test_answers_that_show_no_understanding_score_low(style: str, ceiling: int) -> None:
    rows = [row for row in DEV if row["style"] == style]
    assert rows
    assert max(scores(rows)) <= ceiling


def test_held_out_answers_without_understanding_score_low_on_average() -> None:
    styles = {"keyword-stuffing", "negated", "off-topic", "copy-of-question"}
    rows = [row for row in HOLDOUT if row["style"] in styles]
    assert len(rows) >= 10
    assert sum(scores(rows)) / len(rows) <= 20


def test_top_grades_score_higher_than_bottom_grades() -> None:
    graded = list(zip(scores(DEV), (int(row["grade"]) for row in DEV), strict=True))
    # On the dev set the bands do not overlap at all: every 4-5 beats every 0-1.
    top = [score for score, grade in graded if grade >= 4]
    bottom = [score for score, grade in graded if grade <= 1]
    assert min(top) > max(bottom)
