"""Table questions, weighted ratings and fed tables: parsed, and refused precisely."""

from __future__ import annotations

import pytest

from outsource_tui.domain.playbook import QuestionType

from .test_parser import only_problem, parse, problems_of, question_block

KPI_TABLE = (
    'type = "table"',  # line 16
    'prompt = "KPIs"',
    'feeds = "kpi-targets"',  # 18
    "",
    "[[question.column]]",  # 20
    'id = "kpi"',
    'type = "text"',
    'label = "KPI"',
    "required = true",
    "",
    "[[question.column]]",  # 26
    'id = "target"',
    'type = "number"',
    'label = "Target"',
    "",
    "[[question.column]]",  # 31
    'id = "direction"',
    'type = "choice"',
    'label = "Better when"',
    'options = ["higher is better", "lower is better"]',
    "",
    "[[question.column]]",  # 37
    'id = "weight"',
    'type = "number"',
    'label = "Weight"',
    "min = 0",
)


def test_a_table_question_with_columns_and_a_feed() -> None:
    question = parse(question_block(*KPI_TABLE)).questions_by_id["a"]
    assert question.type is QuestionType.TABLE
    assert question.feeds == "kpi-targets"
    assert [(c.id, c.type, c.prompt) for c in question.columns] == [
        ("kpi", QuestionType.TEXT, "KPI"),
        ("target", QuestionType.NUMBER, "Target"),
        ("direction", QuestionType.CHOICE, "Better when"),
        ("weight", QuestionType.NUMBER, "Weight"),
    ]
    assert question.columns[0].required and not question.columns[1].required
    assert [c.line for c in question.columns] == [20, 26, 31, 37]
    assert question.columns[3].min == 0


def test_weighted_ratings_are_the_scored_questions() -> None:
    playbook = parse(question_block('type = "rating"', 'prompt = "Security"', "weight = 15"))
    assert playbook.questions_by_id["a"].weight == 15
    assert [q.id for q in playbook.scored_questions()] == ["a"]


def test_a_table_without_columns_is_refused() -> None:
    problem = only_problem(question_block('type = "table"', 'prompt = "Rows"'))
    assert (problem.line, problem.message) == (
        14,
        "table question 'a' needs columns: add [[question.column]] tables after it",
    )


def test_a_column_type_that_cannot_sit_in_a_cell_is_refused() -> None:
    body = list(KPI_TABLE)
    body[6] = 'type = "long-text"'  # the kpi column, file line 22
    problem = only_problem(question_block(*body))
    assert problem.line == 22
    assert "column 'kpi' of table 'a' has unknown type 'long-text'" in problem.message
    assert "(use one of: choice, date, number, rating, text, yes-no)" in problem.message


def test_a_column_needs_a_label_not_a_prompt() -> None:
    body = list(KPI_TABLE)
    body[7] = 'prompt = "KPI"'  # line 23
    problems = problems_of(question_block(*body))
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (20, "column 'kpi' of table 'a' needs a label: the column heading"),
        (23, "unknown key 'prompt' in column of table 'a'"),
    ]


def test_two_columns_with_one_id_are_refused() -> None:
    body = list(KPI_TABLE)
    body[11] = 'id = "kpi"'  # the target column, header on line 26
    problems = problems_of(question_block(*body))
    assert any(
        p.line == 26 and "table 'a' has two columns with id 'kpi'" in p.message for p in problems
    )


def test_an_unknown_feed_is_refused() -> None:
    body = list(KPI_TABLE)
    body[2] = 'feeds = "kpi-dreams"'
    problem = only_problem(question_block(*body))
    assert problem.line == 18
    assert "unknown feeds 'kpi-dreams' (use one of: action-items, kpi-actuals, kpi-targets)" in (
        problem.message
    )


def test_a_feed_missing_a_column_names_it() -> None:
    problem = only_problem(question_block(*KPI_TABLE[:20]))  # no weight column
    assert problem.line == 18
    assert "feeds kpi-targets and needs a column with id 'weight' (number)" in problem.message


def test_a_fed_column_of_the_wrong_type_is_refused() -> None:
    body = list(KPI_TABLE)
    body[12] = 'type = "text"'  # target as text
    problem = only_problem(question_block(*body))
    assert problem.line == 26
    assert "column 'target' must be of type number to feed kpi-targets" in problem.message


def test_the_direction_column_must_offer_exactly_the_two_directions() -> None:
    body = list(KPI_TABLE)
    body[19] = 'options = ["up", "down"]'
    problem = only_problem(question_block(*body))
    assert problem.line == 31
    assert "the direction column's options must be" in problem.message


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (('type = "number"', 'prompt = "N"', "weight = 2"), 18, "weight only applies to rating"),
        (('type = "rating"', 'prompt = "R"', "weight = -1"), 18, "weight must be a number of 0"),
        (('type = "rating"', 'prompt = "R"', 'weight = "high"'), 18, "weight must be a number"),
        (('type = "text"', 'prompt = "T"', 'feeds = "action-items"'), 18, "feeds only applies"),
    ],
)
def test_weights_and_feeds_in_the_wrong_place_are_refused(
    body: tuple[str, ...], line: int, fragment: str
) -> None:
    problem = only_problem(question_block(*body))
    assert problem.line == line
    assert fragment in problem.message
