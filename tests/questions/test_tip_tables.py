"""A tip may be a table, stored as data so every front end can lay it out (item: raw
markdown tables wrapped mid-word in the terminal and showed as pipes in Discord)."""

from __future__ import annotations

import pytest

from questions.loader import PackError, default_bank, parse_pack, question_from_dict
from questions.model import TipTable
from tests.questions.test_loader import VALID

TABLE_TIPS = """\
    tips:
      - "Weigh both sides:"
      - table:
          columns: [Pros, Cons]
          rows:
            - [Fast reads, Stale data]
            - [Less load, ""]
"""


def test_a_table_tip_loads_as_columns_and_rows() -> None:
    pack = parse_pack(VALID.replace("    tips: [Mention TTLs.]\n", TABLE_TIPS), "demo.yaml")
    tips = pack.questions[0].tips
    assert tips == (
        "Weigh both sides:",
        TipTable(("Pros", "Cons"), (("Fast reads", "Stale data"), ("Less load", ""))),
    )


def test_a_table_round_trips_through_the_pack_format() -> None:
    question = default_bank().get("microservices-pros-cons")
    assert question is not None
    again = question_from_dict(question.to_dict(), question.pack, question.pack_version)
    assert again == question


@pytest.mark.parametrize(
    ("tips", "message"),
    [
        (
            "    tips:\n      - table: {columns: [Pros, Cons], rows: [[a, b], [c]]}\n",
            "demo.yaml:19, question 'first-question', field 'tips[0].table.rows[1]': "
            "has 1 cell(s); the table has 2 column(s)",
        ),
        (
            "    tips:\n      - table: {columns: [Pros], rows: [[a]], colour: blue}\n",
            "demo.yaml:19, question 'first-question', field 'tips[0].table': "
            "Additional properties are not allowed ('colour' was unexpected); "
            "allowed: columns, rows",
        ),
        (
            "    tips:\n      - 42\n",
            "demo.yaml:19, question 'first-question', field 'tips[0]': "
            "must be text or a table (table: {columns: [...], rows: [[...], ...]})",
        ),
        (
            "    tips:\n      - table: {columns: [], rows: []}\n",
            "demo.yaml:19, question 'first-question', field 'tips[0].table.columns': "
            "must not be empty",
        ),
    ],
)
def test_bad_tables_are_reported_with_line_and_field(tips: str, message: str) -> None:
    with pytest.raises(PackError) as caught:
        parse_pack(VALID.replace("    tips: [Mention TTLs.]\n", tips), "demo.yaml")
    assert message in [str(issue) for issue in caught.value.issues]


def test_the_microservices_pros_and_cons_are_a_table_faithful_to_the_pack() -> None:
    question = default_bank().get("microservices-pros-cons")
    assert question is not None
    tables = [tip for tip in question.tips if isinstance(tip, TipTable)]
    assert len(tables) == 1
    table = tables[0]
    assert table.columns == ("Pros", "Cons")
    assert len(table.rows) == 6
    assert table.rows[0] == (
        "Each service is deployed on its own schedule, without a big coordinated release",
        "Many more moving parts to operate: a pipeline per service, service discovery, "
        "configuration, on-call",
    )
    before = question.tips[question.tips.index(table) - 1]
    assert before == "A balanced answer pairs each benefit with the cost that comes with it:"


def test_no_shipped_tip_is_a_markdown_table() -> None:
    for question in default_bank().questions.values():
        for tip in question.tips:
            if isinstance(tip, str):
                assert not any(line.lstrip().startswith("|") for line in tip.splitlines()), (
                    question.id
                )
