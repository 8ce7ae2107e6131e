"""Answers to table questions: rows checked cell by cell, blank rows dropped."""

from __future__ import annotations

import pytest

from outsource_tui.domain.answers import format_answer, validate_answer, validate_row
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.errors import ValidationError

ACTIONS = Question(
    id="actions",
    type=QuestionType.TABLE,
    prompt="Action items",
    columns=(
        Question(id="action", type=QuestionType.TEXT, prompt="Action", required=True),
        Question(id="due", type=QuestionType.DATE, prompt="Due"),
        Question(id="hours", type=QuestionType.NUMBER, prompt="Hours", min=0, unit="h"),
        Question(id="done", type=QuestionType.YES_NO, prompt="Done"),
    ),
)


def test_rows_are_cleaned_and_blank_cells_and_rows_left_out() -> None:
    raw = [
        {"action": "  Send   the report ", "due": "2026-12-01", "hours": "3", "done": "no"},
        {"action": "", "due": "", "hours": ""},
        {"action": "Call Ana", "done": True},
    ]
    assert validate_answer(ACTIONS, raw) == [
        {"action": "Send the report", "due": "2026-12-01", "hours": 3, "done": False},
        {"action": "Call Ana", "done": True},
    ]


def test_no_rows_is_no_answer() -> None:
    assert validate_answer(ACTIONS, []) is None
    assert validate_answer(ACTIONS, [{"action": " "}]) is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"due": "2026-12-01"}, "Action is required"),
        ({"action": "x", "due": "2026-02-30"}, "Due: 2026-02-30 is not a real calendar date"),
        ({"action": "x", "hours": "-1"}, "Hours: must be at least 0 h"),
    ],
)
def test_a_bad_cell_is_refused_with_its_column_and_row(row: dict, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_row(ACTIONS, row)
    assert str(refused.value) == message
    with pytest.raises(ValidationError) as refused:
        validate_answer(ACTIONS, [{"action": "fine"}, row])
    assert str(refused.value) == f"row 2: {message}"


def test_rows_must_be_a_list_of_mappings() -> None:
    with pytest.raises(ValidationError):
        validate_answer(ACTIONS, "not rows")
    with pytest.raises(ValidationError):
        validate_answer(ACTIONS, ["not a row"])


def test_a_table_answer_reads_row_by_row() -> None:
    rows = [{"action": "Send [the] report", "hours": 2.5}, {"action": "Call", "done": False}]
    assert format_answer(ACTIONS, rows) == (
        "Action: Send [the] report · Hours: 2.5 h\nAction: Call · Done: No"
    )


def test_a_refused_row_names_every_problem_in_column_order() -> None:
    from outsource_tui.domain.answers import RowProblems

    with pytest.raises(RowProblems) as caught:
        validate_row(ACTIONS, {"due": "31 June", "hours": "-2"})
    assert [column for column, _ in caught.value.problems] == ["action", "due", "hours"]
    message = str(caught.value)
    assert message.startswith("Action is required; Due: ")
    assert "Hours: " in message
