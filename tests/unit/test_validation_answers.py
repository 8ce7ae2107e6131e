"""Validation that fits the question: whole numbers, numbers as people type them, exclusive
options, time zones, and times of day where working hours are asked."""

from __future__ import annotations

import pytest

from outsource_tui.domain import answers
from outsource_tui.domain.answers import number_hint, validate_answer, validate_row
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.errors import ValidationError

AMBIGUOUS = "is ambiguous: decimals take a dot (3.5), thousands a comma (1,200)"


def q(kind: QuestionType, **kwargs) -> Question:
    return Question(id="q", type=kind, prompt="Q", **kwargs)


def refusal(question: Question, raw) -> str:
    with pytest.raises(ValidationError) as info:
        validate_answer(question, raw)
    return str(info.value)


# -- whole numbers ----------------------------------------------------------------------

COUNT = q(QuestionType.NUMBER, integer=True)
LEVEL = q(QuestionType.NUMBER, integer=True, min=1, max=5)


def test_a_whole_number_question_refuses_a_fraction_with_an_example() -> None:
    assert refusal(COUNT, "1.5") == "must be a whole number, such as 2"


def test_the_example_is_a_whole_number_the_question_accepts() -> None:
    assert refusal(LEVEL, "4.7") == "must be a whole number, such as 5"
    assert refusal(LEVEL, "1.2") == "must be a whole number, such as 1"


def test_a_number_out_of_range_says_so_before_it_says_whole() -> None:
    assert refusal(LEVEL, "7.5") == "must be at most 5"


@pytest.mark.parametrize(("raw", "stored"), [("2", 2), ("2.0", 2), (" 3 ", 3), ("1e3", 1000)])
def test_a_whole_number_question_takes_whole_numbers(raw: str, stored: int) -> None:
    value = validate_answer(COUNT, raw)
    assert value == stored and isinstance(value, int)


def test_a_stored_fraction_is_refused_too() -> None:
    assert refusal(COUNT, 2.5) == "must be a whole number, such as 3"


def test_a_plain_number_question_still_takes_fractions() -> None:
    assert validate_answer(q(QuestionType.NUMBER), "1.5") == 1.5


def test_a_whole_number_column_refuses_a_fraction_in_its_row() -> None:
    table = q(
        QuestionType.TABLE,
        columns=(
            Question(id="level", type=QuestionType.NUMBER, prompt="Level", integer=True, min=1),
            Question(id="who", type=QuestionType.TEXT, prompt="Who"),
        ),
    )
    with pytest.raises(ValidationError) as info:
        validate_row(table, {"level": "1.5", "who": "Ana"})
    assert str(info.value) == "Level: must be a whole number, such as 2"
    assert validate_row(table, {"level": "2", "who": "Ana"}) == {"level": 2, "who": "Ana"}


def test_the_hint_says_whole_number() -> None:
    days = q(QuestionType.NUMBER, integer=True, min=0, max=30, unit="days")
    assert number_hint(days) == "a whole number (0 to 30, days)"


# -- numbers as people type them ---------------------------------------------------------

NUMBER = q(QuestionType.NUMBER)
BUDGET = q(QuestionType.NUMBER, min=0, unit="EUR")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("120,000", 120000),
        ("1,234.5", 1234.5),
        ("-1,234,567", -1234567),
        ("1,000,000.25", 1000000.25),
    ],
)
def test_thousands_separators_are_accepted(raw: str, stored: float) -> None:
    assert validate_answer(NUMBER, raw) == stored


def test_thousands_separators_with_the_unit_after_them() -> None:
    assert validate_answer(BUDGET, "120,000 EUR") == 120000


@pytest.mark.parametrize("raw", ["1,2", "1,23", "12,34,567", "1.234,5", "1,,000", ",5"])
def test_a_comma_that_could_be_a_decimal_comma_is_refused(raw: str) -> None:
    assert refusal(NUMBER, raw) == f"'{raw}' {AMBIGUOUS}"


@pytest.mark.parametrize("unit", ["%", "% of monthly fee", "percent", "Percent"])
@pytest.mark.parametrize("raw", ["90%", "90 %"])
def test_a_percentage_takes_a_trailing_percent_sign(unit: str, raw: str) -> None:
    question = q(QuestionType.NUMBER, min=0, max=100, unit=unit)
    assert validate_answer(question, raw) == 90


def test_a_percentage_is_still_checked_against_its_range() -> None:
    question = q(QuestionType.NUMBER, min=0, max=100, unit="% of monthly fee")
    assert refusal(question, "120%") == "must be at most 100 % of monthly fee"


def test_a_percent_sign_where_no_percentage_is_asked_is_refused_with_the_reason() -> None:
    assert refusal(BUDGET, "90%") == "'90%': this asks for a number in EUR, not a percentage"
    assert refusal(NUMBER, "90%") == "'90%': this asks for a number, not a percentage"


# -- exclusive options -------------------------------------------------------------------

TRAINING = q(
    QuestionType.MULTI_CHOICE,
    options=("Tools", "Processes", "Working across cultures", "None"),
    exclusive=("None",),
)


def test_an_exclusive_option_cannot_be_combined() -> None:
    assert refusal(TRAINING, ["Tools", "None"]) == "'None' cannot be combined with other choices"


def test_an_exclusive_option_alone_and_other_options_together_are_fine() -> None:
    assert validate_answer(TRAINING, ["None"]) == ["None"]
    assert validate_answer(TRAINING, ["Processes", "Tools"]) == ["Tools", "Processes"]


def test_without_exclusive_none_combines_as_before() -> None:
    free = q(QuestionType.MULTI_CHOICE, options=("Tools", "None"))
    assert validate_answer(free, ["Tools", "None"]) == ["Tools", "None"]


# -- time zones --------------------------------------------------------------------------

ZONE = q(QuestionType.TIMEZONE)


@pytest.mark.parametrize("raw", ["Asia/Manila", "Europe/Lisbon", " America/New_York ", "UTC"])
def test_a_time_zone_question_takes_iana_names(raw: str) -> None:
    assert validate_answer(ZONE, raw) == raw.strip()


def test_a_blank_time_zone_is_no_answer() -> None:
    assert validate_answer(ZONE, "  ") is None


def test_a_utc_offset_is_refused_with_the_reason() -> None:
    assert refusal(ZONE, "UTC+05:30") == (
        "'UTC+05:30' is a UTC offset, not a zone: type a name such as Europe/Lisbon"
    )


def test_an_unknown_zone_with_nothing_close_is_refused() -> None:
    assert refusal(ZONE, "Mars/Olympus") == (
        "unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Lisbon"
    )


@pytest.mark.parametrize(
    ("raw", "suggested"),
    [
        ("manila", "Asia/Manila"),
        ("MANILA", "Asia/Manila"),
        ("new york", "America/New_York"),
        ("asia/manila", "Asia/Manila"),
        ("Europe/Lisbn", "Europe/Lisbon"),
    ],
)
def test_an_unknown_zone_suggests_the_closest_known_one(raw: str, suggested: str) -> None:
    assert refusal(ZONE, raw) == f"unknown time zone '{raw}': did you mean {suggested}?"


def test_closest_zones_prefers_the_place_names() -> None:
    assert answers.closest_timezones("kolkata") == ["Asia/Kolkata"]
    assert answers.closest_timezones("olympus") == []


def test_matching_zones_finds_the_text_anywhere_whatever_the_case() -> None:
    assert answers.matching_timezones("MANIL") == ["Asia/Manila"]
    assert answers.matching_timezones("york") == ["America/New_York"]
    assert answers.matching_timezones("europe/lis") == ["Europe/Lisbon"]


# -- working hours -----------------------------------------------------------------------

STARTS = q(QuestionType.TEXT, role="their-hours-start")


@pytest.mark.parametrize(
    ("raw", "stored"), [("9", "09:00"), ("09:00", "09:00"), ("17:30", "17:30"), ("5pm", "17:00")]
)
def test_an_hours_question_takes_a_time_of_day(raw: str, stored: str) -> None:
    assert validate_answer(STARTS, raw) == stored


@pytest.mark.parametrize("raw", ["Europe/Lisbon", "UTC+05:30"])
def test_an_hours_question_refuses_a_time_zone(raw: str) -> None:
    assert (
        refusal(STARTS, raw) == f"'{raw}' is a time zone: type a time of day, such as 09:00 or 5pm"
    )


def test_an_hours_question_refuses_other_text() -> None:
    assert refusal(STARTS, "after lunch") == (
        "'after lunch' is not a time of day: write it like 9, 09:00, 17:30 or 5pm"
    )


def test_an_hours_question_left_blank_is_no_answer() -> None:
    assert validate_answer(STARTS, "   ") is None


def test_a_text_question_without_an_hours_role_takes_any_text() -> None:
    assert validate_answer(q(QuestionType.TEXT), "Europe/Lisbon") == "Europe/Lisbon"
