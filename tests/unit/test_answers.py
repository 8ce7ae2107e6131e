"""Turning typed input into stored answers, and stored answers back into text."""

from __future__ import annotations

from datetime import date

import pytest

from outsource_tui.domain.answers import (
    format_answer,
    is_answered,
    parse_date,
    parse_number,
    validate_answer,
)
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.errors import ValidationError


def q(kind: QuestionType, **kwargs) -> Question:
    return Question(id="q", type=kind, prompt="Prompt?", **kwargs)


TEXT = q(QuestionType.TEXT)
LONG_TEXT = q(QuestionType.LONG_TEXT)
NUMBER = q(QuestionType.NUMBER)
BUDGET = q(QuestionType.NUMBER, min=0, max=1000, unit="EUR")
DATE = q(QuestionType.DATE)
CHOICE = q(QuestionType.CHOICE, options=("Lower cost", "Skills we lack", "Speed"))
MULTI = q(QuestionType.MULTI_CHOICE, options=("Chat", "Tickets", "Email"))
YES_NO = q(QuestionType.YES_NO)
RATING = q(QuestionType.RATING)


# text and long-text


def test_text_collapses_inner_whitespace_and_trims():
    assert validate_answer(TEXT, "  Jane   \t Doe \n Ltd  ") == "Jane Doe Ltd"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t \n", None])
def test_blank_text_is_unanswered(raw):
    assert validate_answer(TEXT, raw) is None
    assert validate_answer(LONG_TEXT, raw) is None


def test_long_text_keeps_newlines_and_trims_ends():
    raw = "\n  First line\nSecond  line\n\nFourth\n  "
    assert validate_answer(LONG_TEXT, raw) == "First line\nSecond  line\n\nFourth"


# number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        ("  42  ", 42),
        ("-7", -7),
        ("+5", 5),
        ("3.5", 3.5),
        (".5", 0.5),
        ("5.", 5),
        ("2.0", 2),
        ("1e3", 1000),
        (" 1 000 ", 1000),
        ("1 234 567", 1234567),
        ("1_000", 1000),
    ],
)
def test_number_accepts_plain_decimals(raw, expected):
    value = validate_answer(NUMBER, raw)
    assert value == expected
    assert type(value) is type(expected)


def test_whole_number_is_stored_as_int():
    assert isinstance(validate_answer(NUMBER, "42"), int)
    assert isinstance(validate_answer(NUMBER, "3.5"), float)


@pytest.mark.parametrize(("raw", "expected"), [(42, 42), (3.5, 3.5), (7.0, 7)])
def test_number_accepts_numeric_values(raw, expected):
    value = validate_answer(NUMBER, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("raw", "expected"), [("12 EUR", 12), ("12EUR", 12), ("1 000 EUR", 1000)])
def test_number_accepts_its_unit_as_suffix(raw, expected):
    assert validate_answer(BUDGET, raw) == expected


def test_number_accepts_a_unit_containing_a_space():
    question = q(QuestionType.NUMBER, unit="person days")
    assert validate_answer(question, "3 person days") == 3


def test_number_refuses_a_unit_that_is_not_its_own():
    with pytest.raises(ValidationError, match="'12 USD' is not a number"):
        validate_answer(BUDGET, "12 USD")


@pytest.mark.parametrize("raw", ["abc", "12abc", "1.2.3", "--1", "0x10", "½", " 12 km "])
def test_number_refuses_non_numbers_naming_the_input(raw):
    with pytest.raises(ValidationError) as info:
        validate_answer(NUMBER, raw)
    assert str(info.value) == f"'{raw.strip()}' is not a number: type digits such as 42 or 3.5"


def test_number_refuses_the_unit_alone():
    with pytest.raises(ValidationError) as info:
        validate_answer(BUDGET, "EUR")
    assert str(info.value) == "'EUR' is not a number: type digits such as 42 or 3.5"


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_number_refuses_nan_and_infinity(raw):
    with pytest.raises(ValidationError, match="is not a number"):
        validate_answer(NUMBER, raw)


def test_number_refuses_a_value_that_overflows_to_infinity():
    with pytest.raises(ValidationError, match="too large"):
        validate_answer(NUMBER, "1e999")


def test_number_refuses_a_bool():
    with pytest.raises(ValidationError, match="expected a number"):
        validate_answer(NUMBER, True)


def test_number_below_min_names_the_bound_and_unit():
    with pytest.raises(ValidationError) as info:
        validate_answer(BUDGET, "-1")
    assert str(info.value) == "must be at least 0 EUR"


def test_number_above_max_names_the_bound_and_unit():
    with pytest.raises(ValidationError) as info:
        validate_answer(BUDGET, "1000.5")
    assert str(info.value) == "must be at most 1000 EUR"


def test_number_bounds_without_unit_have_no_trailing_space():
    question = q(QuestionType.NUMBER, min=0.5, max=2.5)
    with pytest.raises(ValidationError) as low:
        validate_answer(question, "0.25")
    with pytest.raises(ValidationError) as high:
        validate_answer(question, "3")
    assert str(low.value) == "must be at least 0.5"
    assert str(high.value) == "must be at most 2.5"


@pytest.mark.parametrize("raw", ["0", "1000", "0 EUR", "1000 EUR"])
def test_number_bounds_are_inclusive(raw):
    assert validate_answer(BUDGET, raw) in (0, 1000)


@pytest.mark.parametrize("raw", ["", "   "])
def test_blank_number_is_unanswered(raw):
    assert validate_answer(NUMBER, raw) is None
    assert validate_answer(BUDGET, raw) is None


def test_parse_number_without_question_has_no_bounds():
    assert parse_number("-1e6") == -1_000_000
    assert parse_number(" 0.25 ") == 0.25


def test_parse_number_keeps_huge_values_as_float():
    value = parse_number("1e20")
    assert value == 1e20
    assert isinstance(value, float)


# date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-12-31", "2026-12-31"), ("  2024-02-29 ", "2024-02-29"), ("2026-01-05", "2026-01-05")],
)
def test_date_accepts_iso_dates(raw, expected):
    assert validate_answer(DATE, raw) == expected


def test_parse_date_returns_a_date():
    assert parse_date("2026-12-31") == date(2026, 12, 31)


@pytest.mark.parametrize("raw", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10"])
def test_date_refuses_days_that_do_not_exist(raw):
    with pytest.raises(ValidationError) as info:
        validate_answer(DATE, raw)
    assert str(info.value) == f"{raw} is not a real calendar date"


@pytest.mark.parametrize(
    "raw", ["31/12/2026", "20261231", "2026-1-5", "tomorrow", "2026-12-31T10:00"]
)
def test_date_refuses_other_formats_and_shows_the_expected_form(raw):
    with pytest.raises(ValidationError) as info:
        validate_answer(DATE, raw)
    message = str(info.value)
    assert message.startswith(f"'{raw}' is not a date")
    assert "YYYY-MM-DD" in message
    assert "2026-12-31" in message


@pytest.mark.parametrize("raw", ["", "  "])
def test_blank_date_is_unanswered(raw):
    assert validate_answer(DATE, raw) is None


# choice


@pytest.mark.parametrize("raw", ["Lower cost", "Skills we lack", "Speed"])
def test_choice_accepts_each_option(raw):
    assert validate_answer(CHOICE, raw) == raw


@pytest.mark.parametrize("raw", ["Other", "lower cost", " Speed", "Speed "])
def test_choice_refuses_anything_but_an_option(raw):
    with pytest.raises(ValidationError) as info:
        validate_answer(CHOICE, raw)
    assert str(info.value) == f"'{raw}' is not one of the options"


def test_blank_choice_is_unanswered():
    assert validate_answer(CHOICE, "") is None
    assert validate_answer(CHOICE, None) is None


# multi-choice


def test_multi_choice_returns_options_in_declared_order():
    assert validate_answer(MULTI, ["Email", "Chat"]) == ["Chat", "Email"]
    assert validate_answer(MULTI, ("Tickets",)) == ["Tickets"]
    assert validate_answer(MULTI, {"Email", "Tickets", "Chat"}) == ["Chat", "Tickets", "Email"]


def test_multi_choice_drops_repeated_picks():
    assert validate_answer(MULTI, ["Chat", "Chat"]) == ["Chat"]


def test_multi_choice_refuses_an_unknown_option():
    with pytest.raises(ValidationError) as info:
        validate_answer(MULTI, ["Chat", "Fax"])
    assert str(info.value) == "'Fax' is not one of the options"


@pytest.mark.parametrize("raw", [[], (), set(), None])
def test_empty_multi_choice_is_unanswered(raw):
    assert validate_answer(MULTI, raw) is None


def test_multi_choice_refuses_a_single_string():
    with pytest.raises(ValidationError, match="expected a list of options"):
        validate_answer(MULTI, "Chat")


# yes-no


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Yes", True),
        (" YES ", True),
        ("y", True),
        ("true", True),
        ("no", False),
        ("No", False),
        ("n", False),
        ("false", False),
    ],
)
def test_yes_no_accepts_yes_and_no(raw, expected):
    assert validate_answer(YES_NO, raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "1", "0", "yess", "oui"])
def test_yes_no_refuses_anything_else(raw):
    with pytest.raises(ValidationError, match="^answer yes or no$"):
        validate_answer(YES_NO, raw)


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_blank_yes_no_is_unanswered(raw):
    assert validate_answer(YES_NO, raw) is None


# rating


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("3", 3), (" 5 ", 5), (4, 4)])
def test_rating_accepts_one_to_five(raw, expected):
    value = validate_answer(RATING, raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["0", "6", "x", "-1", "3.5", "10", 0, 6])
def test_rating_refuses_values_outside_one_to_five(raw):
    with pytest.raises(ValidationError, match="^rate from 1 to 5$"):
        validate_answer(RATING, raw)


def test_rating_refuses_a_bool():
    with pytest.raises(ValidationError, match="expected a rating"):
        validate_answer(RATING, True)


def test_rating_refuses_superscript_digit_with_a_validation_error():
    with pytest.raises(ValidationError, match="^rate from 1 to 5$"):
        validate_answer(RATING, "²")


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_blank_rating_is_unanswered(raw):
    assert validate_answer(RATING, raw) is None


# is_answered


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ([], False),
        ("x", True),
        (0, True),
        (0.0, True),
        (False, True),
        (True, True),
        (["Chat"], True),
    ],
)
def test_is_answered(value, expected):
    assert is_answered(value) is expected


# format_answer


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        (TEXT, "Jane Doe", "Jane Doe"),
        (LONG_TEXT, "line one\nline two", "line one\nline two"),
        (NUMBER, 42, "42"),
        (NUMBER, 3.5, "3.5"),
        (NUMBER, 2.0, "2"),
        (NUMBER, 0, "0"),
        (BUDGET, 1200, "1200 EUR"),
        (BUDGET, 12.5, "12.5 EUR"),
        (DATE, "2026-12-31", "2026-12-31"),
        (CHOICE, "Speed", "Speed"),
        (MULTI, ["Chat", "Email"], "Chat, Email"),
        (YES_NO, True, "Yes"),
        (YES_NO, False, "No"),
        (RATING, 4, "4 / 5"),
        (RATING, 1, "1 / 5"),
    ],
)
def test_format_answer(question, value, expected):
    assert format_answer(question, value) == expected


@pytest.mark.parametrize("question", [TEXT, NUMBER, BUDGET, DATE, CHOICE, MULTI, YES_NO, RATING])
@pytest.mark.parametrize("value", [None, "", []])
def test_format_unanswered_is_a_dash(question, value):
    assert format_answer(question, value) == "—"


def test_format_number_keeps_every_digit():
    assert format_answer(BUDGET, 12345.67) == "12345.67 EUR"


def test_format_round_trips_a_validated_answer():
    stored = validate_answer(BUDGET, "750 EUR")
    assert format_answer(BUDGET, stored) == "750 EUR"
    assert format_answer(YES_NO, validate_answer(YES_NO, "no")) == "No"
    assert format_answer(MULTI, validate_answer(MULTI, ["Email", "Chat"])) == "Chat, Email"
