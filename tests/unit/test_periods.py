"""Review periods, today's date, when a review falls due; and the settings file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.periods import (
    check_period,
    next_period,
    period_bounds,
    period_of,
    periods_between,
    previous_period,
    quarter_of,
    review_due,
    today,
)
from outsource_tui.domain.playbook import Cadence
from outsource_tui.domain.settings import Settings, Thresholds, load_settings
from outsource_tui.errors import UserError, ValidationError

# -- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), "2026-Q1"),
        (date(2026, 3, 31), "2026-Q1"),
        (date(2026, 4, 1), "2026-Q2"),
        (date(2026, 6, 30), "2026-Q2"),
        (date(2026, 7, 1), "2026-Q3"),
        (date(2026, 9, 30), "2026-Q3"),
        (date(2026, 10, 1), "2026-Q4"),
        (date(2026, 12, 31), "2026-Q4"),
        (date(2024, 2, 29), "2024-Q1"),
    ],
)
def test_quarter_of(day: date, expected: str) -> None:
    assert quarter_of(day) == expected


def test_period_of_follows_the_cadence() -> None:
    day = date(2026, 11, 24)
    assert period_of(day, Cadence.QUARTERLY) == "2026-Q4"
    assert period_of(day, Cadence.ANNUAL) == "2026"


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_period_bounds(period: str, start: date, end: date) -> None:
    assert period_bounds(period) == (start, end)


@pytest.mark.parametrize(
    ("year", "days"),
    [
        (2024, 91),  # leap year: 31 + 29 + 31
        (2025, 90),  # 31 + 28 + 31
        (2000, 91),  # divisible by 400: leap
        (2100, 90),  # divisible by 100 but not 400: not leap
    ],
)
def test_the_first_quarter_of_a_leap_year_has_one_more_day(year: int, days: int) -> None:
    start, end = period_bounds(f"{year}-Q1")
    assert (end - start).days + 1 == days


@pytest.mark.parametrize("bad", ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "", "Q4-2026"])
def test_period_bounds_refuses_what_is_not_a_period(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not a period"):
        period_bounds(bad)


@pytest.mark.parametrize(
    ("period", "following"),
    [
        ("2026-Q1", "2026-Q2"),
        ("2026-Q3", "2026-Q4"),
        ("2026-Q4", "2027-Q1"),
        ("2023-Q4", "2024-Q1"),
        ("2026", "2027"),
    ],
)
def test_next_and_previous_period(period: str, following: str) -> None:
    assert next_period(period) == following
    assert previous_period(following) == period


@pytest.mark.parametrize(
    ("text", "cadence", "expected"),
    [
        ("2026-Q4", Cadence.QUARTERLY, "2026-Q4"),
        ("  2026-q1 ", Cadence.QUARTERLY, "2026-Q1"),
        ("2026", Cadence.ANNUAL, "2026"),
        (" 2025 ", Cadence.ANNUAL, "2025"),
    ],
)
def test_check_period_accepts(text: str, cadence: Cadence, expected: str) -> None:
    assert check_period(text, cadence) == expected


@pytest.mark.parametrize(
    ("text", "cadence", "example"),
    [
        ("2026-Q5", Cadence.QUARTERLY, "2026-Q4"),
        ("2026-Q0", Cadence.QUARTERLY, "2026-Q4"),
        ("2026", Cadence.QUARTERLY, "2026-Q4"),
        ("2026 Q4", Cadence.QUARTERLY, "2026-Q4"),
        ("Q4", Cadence.QUARTERLY, "2026-Q4"),
        ("", Cadence.QUARTERLY, "2026-Q4"),
        ("2026-Q4", Cadence.ANNUAL, "2026"),
        ("26", Cadence.ANNUAL, "2026"),
        ("next year", Cadence.ANNUAL, "2026"),
    ],
)
def test_check_period_refuses(text: str, cadence: Cadence, example: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_period(text, cadence)
    assert str(refused.value) == f"'{text.strip()}' is not a period: write it like {example}"


def test_check_period_defaults_to_quarters() -> None:
    assert check_period("2026-Q2") == "2026-Q2"
    with pytest.raises(ValidationError):
        check_period("2026")


def test_a_period_in_other_digits_is_never_kept_as_typed() -> None:
    # Full-width digits, as some input methods type them: kept as typed, the period would
    # sort after every ASCII one and never match the same quarter written plainly.
    try:
        value = check_period("\uff12\uff10\uff12\uff16-Q4")
    except ValidationError:
        return
    assert value == "2026-Q4"


@pytest.mark.parametrize("text", ["0000-Q1", "9999-Q4"])
def test_every_period_the_check_accepts_has_bounds_and_a_due_date(text: str) -> None:
    try:
        period = check_period(text)
    except ValidationError:
        return
    start, end = period_bounds(period)
    assert start <= end
    assert review_due(period) > end


@pytest.mark.parametrize(
    ("period", "due"),
    [
        ("2026-Q1", date(2026, 4, 30)),  # 31 Mar + 30 days
        ("2024-Q1", date(2024, 4, 30)),  # 31 Mar + 30 days, leap year or not
        ("2026-Q2", date(2026, 7, 30)),  # 30 Jun + 30 days
        ("2026-Q3", date(2026, 10, 30)),  # 30 Sep + 30 days
        ("2026-Q4", date(2027, 1, 30)),  # 31 Dec + 30 days
        ("2026", date(2027, 1, 30)),  # 31 Dec + 30 days
    ],
)
def test_review_due_is_thirty_days_after_the_period_ends(period: str, due: date) -> None:
    assert review_due(period) == due


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2025-Q3", "2026-Q2", ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]),
        ("2026-Q2", "2026-Q2", ["2026-Q2"]),
        ("2026-Q3", "2026-Q2", []),
        ("2024", "2026", ["2024", "2025", "2026"]),
    ],
)
def test_periods_between(first: str, last: str, expected: list[str]) -> None:
    assert periods_between(first, last) == expected


# -- today --------------------------------------------------------------------------------


def test_today_honours_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    assert today() == date(2026, 11, 24)
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", " 2024-02-29 ")
    assert today() == date(2024, 2, 29)


def test_without_the_environment_today_is_the_real_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTSOURCE_TUI_TODAY", raising=False)
    before = date.today()
    assert before <= today() <= date.today()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("2026-13-01", "2026-13-01 is not a real calendar date"),
        ("2025-02-29", "2025-02-29 is not a real calendar date"),
        ("tomorrow", "'tomorrow' is not a date: use YYYY-MM-DD"),
        ("24/11/2026", "'24/11/2026' is not a date: use YYYY-MM-DD"),
        ("3000-01-01", "3000-01-01 is out of range: use a year from 1900 to 2999"),
    ],
)
def test_today_refuses_a_bad_date(monkeypatch: pytest.MonkeyPatch, bad: str, reason: str) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", bad)
    with pytest.raises(ValidationError) as refused:
        today()
    assert str(refused.value).startswith(f"OUTSOURCE_TUI_TODAY: {reason}")


# -- settings -----------------------------------------------------------------------------


def write_settings(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_settings_file_the_defaults_apply(data_dir: Path) -> None:
    settings = load_settings(data_dir)
    assert settings == Settings()
    assert settings.thresholds == Thresholds(
        kpi_green=1.0, kpi_amber=0.9, score_green=80.0, score_amber=60.0
    )
    assert (settings.timezone, settings.hours_start, settings.hours_end) == ("", "09:00", "17:00")
    assert not (data_dir / "settings.toml").exists()


def test_values_come_from_the_settings_file(data_dir: Path) -> None:
    path = write_settings(
        data_dir,
        "[scorecard]\n"
        "kpi_green = 0.95\n"
        "kpi_amber = 0.85\n"
        "score_green = 75\n"
        "score_amber = 50\n"
        "\n"
        "[me]\n"
        'timezone = "Europe/Berlin"\n'
        'hours_start = "08:30"\n',
    )
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    settings = load_settings(data_dir)
    assert settings.thresholds == Thresholds(0.95, 0.85, 75.0, 50.0)
    assert settings.timezone == "Europe/Berlin"
    assert settings.hours_start == "08:30"
    assert settings.hours_end == "17:00"  # left out, so the default
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_partial_scorecard_table_keeps_the_other_defaults(data_dir: Path) -> None:
    write_settings(data_dir, "[scorecard]\nscore_green = 90\n")
    assert load_settings(data_dir).thresholds == Thresholds(1.0, 0.9, 90.0, 60.0)


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('[scorecard]\nkpi_green = 1.0\nkpi_amber = "high"\n', 3, "kpi_amber"),
        ("# colours\n[scorecard]\n\nscore_green = true\n", 4, "score_green"),
        ("[scorecard]\n  score_amber = [60]\n", 2, "score_amber"),
    ],
)
def test_a_threshold_that_is_not_a_number_is_named_with_its_line(
    data_dir: Path, text: str, line: int, key: str
) -> None:
    path = write_settings(data_dir, text)
    with pytest.raises(UserError) as refused:
        load_settings(data_dir)
    assert str(refused.value) == f"{path}:{line}: {key} must be a number"
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "text",
    [
        "[scorecard]\nkpi_green = 0.9\nkpi_amber = 0.95\n",
        "[scorecard]\nscore_amber = 85\n",  # above the default green of 80
    ],
)
def test_an_amber_threshold_above_its_green_one_is_refused(data_dir: Path, text: str) -> None:
    path = write_settings(data_dir, text)
    with pytest.raises(UserError) as refused:
        load_settings(data_dir)
    assert str(refused.value) == f"{path}: an amber threshold is above its green one"
    assert path.read_text(encoding="utf-8") == text


def test_amber_equal_to_green_is_allowed(data_dir: Path) -> None:
    write_settings(data_dir, "[scorecard]\nkpi_amber = 1.0\nscore_amber = 80\n")
    assert load_settings(data_dir).thresholds == Thresholds(1.0, 1.0, 80.0, 80.0)


@pytest.mark.parametrize(
    "text",
    [
        "[scorecard\nkpi_green = 1\n",
        "[scorecard]\nkpi_green = \n",
        "[scorecard]\nkpi_green = 1\nkpi_green = 2\n",
    ],
)
def test_a_file_that_is_not_toml_is_refused(data_dir: Path, text: str) -> None:
    path = write_settings(data_dir, text)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(UserError) as refused:
        load_settings(data_dir)
    message = str(refused.value)
    assert message.startswith(f"{path}: not valid TOML: ")
    assert "\n" not in message  # one line, fit to show as it is
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    ("text", "table"),
    [("scorecard = 3\n", "[scorecard]"), ('me = "Berlin"\n', "[me]")],
)
def test_a_section_that_is_not_a_table_is_refused(data_dir: Path, text: str, table: str) -> None:
    path = write_settings(data_dir, text)
    with pytest.raises(UserError) as refused:
        load_settings(data_dir)
    assert str(refused.value) == f"{path}: {table} must be a table"
