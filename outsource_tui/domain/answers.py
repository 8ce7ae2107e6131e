"""Turn what the user typed into a stored answer, or refuse it with the reason."""

from __future__ import annotations

import difflib
import math
import re
from datetime import date
from typing import Any

from outsource_tui.domain.playbook import (
    HOUR_ROLES,
    RATING_MAX,
    RATING_MIN,
    Question,
    QuestionType,
)
from outsource_tui.errors import ValidationError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the years review periods can name
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Commas only between groups of three digits, before any decimal point: 120,000 or 1,234.5.
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
PERCENT_UNIT = re.compile(r"^(%|percent\b|per cent\b)", re.IGNORECASE)
PERCENT_SUFFIX = re.compile(r"\s*(%|percent|per cent)$", re.IGNORECASE)
# A UTC offset typed instead of a zone: UTC+05:30, GMT-3, +02:00.
UTC_OFFSET = re.compile(r"^(utc|gmt)?\s*[+\-\u2212]\s*\d{1,2}(:?\d{2})?$", re.IGNORECASE)
ZONE_EXAMPLE = "Europe/Lisbon"
# The areas IANA files real places under; their names are offered before older aliases.
ZONE_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

Cell = str | int | float | bool | None
Answer = str | int | float | bool | list[str] | list[dict[str, Cell]] | None


def format_number(value: float) -> str:
    """A number as typed: no trailing ``.0``, every significant digit kept."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def parse_date(text: str) -> date:
    """A calendar date written as YYYY-MM-DD."""
    text = text.strip()
    if not ISO_DATE.match(text):
        raise ValidationError(f"'{text}' is not a date: use YYYY-MM-DD, for example 2026-12-31")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text} is not a real calendar date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            f"{text} is out of range: use a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return day


def is_percent(question: Question | None) -> bool:
    """Whether the question's unit is a percentage ('%', '% of monthly fee', 'percent')."""
    return question is not None and bool(PERCENT_UNIT.match(question.unit.strip()))


def parse_number(text: str, question: Question | None = None) -> int | float:
    """A decimal number as people type it, checked against the question's min and max.

    Thousands separators (``120,000``), the question's unit after the number and, for a
    percentage, a trailing ``%`` are accepted; a comma that could be a decimal comma
    (``1,2``) is refused rather than guessed.
    """
    shown = text.strip()
    cleaned = shown
    unit_text = question.unit.strip() if question is not None else ""
    if unit_text and cleaned.casefold().endswith(unit_text.casefold()):
        cleaned = cleaned[: -len(unit_text)]
    elif is_percent(question):
        cleaned = PERCENT_SUFFIX.sub("", cleaned)
    cleaned = cleaned.replace(" ", "").replace("_", "")
    if "," in cleaned:
        if not THOUSANDS.match(cleaned):
            raise ValidationError(
                f"'{shown}' is ambiguous: decimals take a dot (3.5), thousands a comma (1,200)"
            )
        cleaned = cleaned.replace(",", "")
    if not NUMBER.match(cleaned):
        if cleaned.endswith("%") and NUMBER.match(cleaned[:-1]):
            unit = f" in {question.unit}" if question is not None and question.unit else ""
            raise ValidationError(f"'{shown}': this asks for a number{unit}, not a percentage")
        raise ValidationError(f"'{shown}' is not a number: type digits such as 42 or 3.5")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValidationError("that number is too large")
    unit = f" {question.unit}" if question is not None and question.unit else ""
    if question is not None and question.min is not None and value < question.min:
        raise ValidationError(f"must be at least {format_number(question.min)}{unit}")
    if question is not None and question.max is not None and value > question.max:
        raise ValidationError(f"must be at most {format_number(question.max)}{unit}")
    if question is not None and question.integer and not value.is_integer():
        raise ValidationError(f"must be a whole number, such as {_whole_example(value, question)}")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _whole_example(value: float, question: Question) -> str:
    """The whole number nearest to ``value`` that the question accepts, to show as an example."""
    example = math.floor(value + 0.5)
    if question.min is not None:
        example = max(example, math.ceil(question.min))
    if question.max is not None:
        example = min(example, math.floor(question.max))
    return str(example)


def _zone_key(text: str) -> str:
    return "_".join(text.split()).casefold()


ZONE_NAME_MAX = 40  # the longest IANA names are about 32 characters


def closest_timezones(text: str, limit: int = 3) -> list[str]:
    """Known zones close to ``text``: the same name in other case, or the same city.

    ``manila`` gives Asia/Manila and ``new york`` America/New_York; a city misspelt by a
    letter or two (``Lisbn``) still finds its zone. Nothing comes back when nothing is close.
    """
    from outsource_tui.domain.vendor import known_timezones  # vendor imports this module

    key = _zone_key(text)
    if not key or len(key) > ZONE_NAME_MAX:  # no zone is near a line of pasted text
        return []
    zones = sorted(known_timezones(), key=lambda z: (not z.startswith(ZONE_AREAS), z))
    same = [z for z in zones if z.casefold() == key]
    if same:
        return same[:limit]
    city = key.rsplit("/", 1)[-1]
    by_city: dict[str, list[str]] = {}
    for zone in zones:
        by_city.setdefault(zone.rsplit("/", 1)[-1].casefold(), []).append(zone)
    cities = [city] if city in by_city else difflib.get_close_matches(city, by_city, 3, 0.8)
    found = [zone for name in cities for zone in by_city[name]]
    return found[:limit]


def matching_timezones(text: str, limit: int = 6) -> list[str]:
    """Known zones whose name holds ``text`` anywhere, case aside: ``mani`` finds Asia/Manila.

    Names that start with it come first, then those whose city starts with it, then the rest.
    """
    from outsource_tui.domain.vendor import known_timezones  # vendor imports this module

    key = _zone_key(text)
    if not key:
        return []

    def rank(zone: str) -> tuple[int, bool, str]:
        folded = zone.casefold()
        city = folded.rsplit("/", 1)[-1]
        place = 0 if folded.startswith(key) else 1 if city.startswith(key) else 2
        return place, not zone.startswith(ZONE_AREAS), zone

    return sorted((z for z in known_timezones() if key in z.casefold()), key=rank)[:limit]


def parse_timezone(text: str) -> str:
    """An IANA zone name such as Asia/Manila; refused with the closest known zone, if any."""
    from outsource_tui.domain.vendor import check_timezone  # vendor imports this module

    shown = text.strip()
    try:
        return check_timezone(shown)
    except ValidationError:
        pass
    if UTC_OFFSET.match(shown):
        raise ValidationError(
            f"'{shown}' is a UTC offset, not a zone: type a name such as {ZONE_EXAMPLE}"
        )
    close = closest_timezones(shown)
    if close:
        raise ValidationError(f"unknown time zone '{shown}': did you mean {' or '.join(close)}?")
    raise ValidationError(f"unknown time zone '{shown}': use an IANA name such as {ZONE_EXAMPLE}")


def parse_time_of_day(text: str) -> str:
    """A time of day typed as 9, 09:00, 17:30 or 5pm, stored as HH:MM (24-hour)."""
    from outsource_tui.domain.timezones import parse_hours  # it imports vendor, which imports us
    from outsource_tui.domain.vendor import check_timezone

    shown = text.strip()
    try:
        return f"{parse_hours(shown):%H:%M}"
    except ValidationError as exc:
        refusal = exc
    try:
        is_zone = bool(UTC_OFFSET.match(shown) or check_timezone(shown))
    except ValidationError:
        is_zone = False
    if is_zone:
        raise ValidationError(f"'{shown}' is a time zone: type a time of day, such as 09:00 or 5pm")
    raise refusal


def validate_answer(question: Question, raw: Any) -> Answer:
    """The value to store for ``raw``, ``None`` when left blank; raises ValidationError."""
    kind = question.type
    if raw is None:
        return None
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        text = str(raw)
        if kind is QuestionType.TEXT:
            text = " ".join(text.split())
        text = text.strip()
        if text and kind is QuestionType.TEXT and question.role in HOUR_ROLES:
            return parse_time_of_day(text)
        return text or None
    if kind is QuestionType.TIMEZONE:
        if not str(raw).strip():
            return None
        return parse_timezone(str(raw))
    if kind is QuestionType.NUMBER:
        if isinstance(raw, bool):
            raise ValidationError("expected a number")
        if isinstance(raw, int | float):
            raw = repr(raw)
        if not str(raw).strip():
            return None
        return parse_number(str(raw), question)
    if kind is QuestionType.DATE:
        if not str(raw).strip():
            return None
        return parse_date(str(raw)).isoformat()
    if kind is QuestionType.CHOICE:
        if raw == "":
            return None
        if raw not in question.options:
            raise ValidationError(f"'{raw}' is not one of the options")
        return str(raw)
    if kind is QuestionType.MULTI_CHOICE:
        if not isinstance(raw, list | tuple | set):
            raise ValidationError("expected a list of options")
        unknown = [v for v in raw if v not in question.options]
        if unknown:
            raise ValidationError(f"'{unknown[0]}' is not one of the options")
        chosen = [o for o in question.options if o in raw]
        for option in question.exclusive:
            if option in chosen and len(chosen) > 1:
                raise ValidationError(f"'{option}' cannot be combined with other choices")
        return chosen or None
    if kind is QuestionType.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"y", "yes", "true"}:
            return True
        if text in {"n", "no", "false"}:
            return False
        if not text:
            return None
        raise ValidationError("answer yes or no")
    if kind is QuestionType.RATING:
        if isinstance(raw, bool):
            raise ValidationError("expected a rating")
        text = str(raw).strip()
        if not text:
            return None
        if text not in {str(n) for n in range(RATING_MIN, RATING_MAX + 1)}:
            raise ValidationError(f"rate from {RATING_MIN} to {RATING_MAX}")
        return int(text)
    if kind is QuestionType.TABLE:
        if not isinstance(raw, list | tuple):
            raise ValidationError("expected a list of rows")
        rows: list[dict[str, Cell]] = []
        for number, row in enumerate(raw, start=1):
            try:
                cleaned = validate_row(question, row)
                check_unique_row(question, rows, cleaned)
            except ValidationError as exc:
                raise ValidationError(f"row {number}: {exc}") from None
            if cleaned:
                rows.append(cleaned)
        return rows or None
    raise ValidationError(f"unsupported question type {kind}")  # pragma: no cover


# Tables whose rows are KPIs: a KPI is named once, whatever the case or spacing.
UNIQUE_KPI_FEEDS = frozenset({"kpi-targets", "kpi-actuals"})


def check_unique_row(
    question: Question, rows: list[dict[str, Cell]], row: dict[str, Cell], skip: int | None = None
) -> None:
    """Refuse ``row`` when it names a KPI another row (other than number ``skip``) names."""
    if question.feeds not in UNIQUE_KPI_FEEDS:
        return
    name = row.get("kpi")
    if not isinstance(name, str):
        return
    key = " ".join(name.casefold().split())
    for index, other in enumerate(rows):
        theirs = other.get("kpi")
        if index != skip and isinstance(theirs, str) and " ".join(theirs.casefold().split()) == key:
            raise ValidationError(f"KPI: '{theirs}' is already in the table")


def validate_row(question: Question, raw: Any) -> dict[str, Cell]:
    """One row of a table question: every cell checked, blank cells left out.

    An empty row comes back empty; a row with some cells but a blank required one is refused.
    """
    if not isinstance(raw, dict):
        raise ValidationError("a row must map column ids to values")
    row: dict[str, Cell] = {}
    problems: list[tuple[str, str]] = []
    for column in question.columns:
        try:
            value = validate_answer(column, raw.get(column.id))
        except ValidationError as exc:
            problems.append((column.id, f"{column.prompt}: {exc}"))
            continue
        if is_answered(value):
            row[column.id] = value  # type: ignore[assignment]
    if row or problems:
        filled = set(row) | {column_id for column_id, _ in problems}
        for column in question.columns:
            if column.required and column.id not in filled:
                problems.append((column.id, f"{column.prompt} is required"))
    if problems:
        order = [c.id for c in question.columns]
        problems.sort(key=lambda p: order.index(p[0]))
        raise RowProblems(problems)
    if row and question.feeds == "kpi-targets":
        _check_credit_tiers(question, row)
    return row


class RowProblems(ValidationError):
    """Every problem of one table row at once, each with the column it is in."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def _check_credit_tiers(question: Question, row: dict[str, Cell]) -> None:
    """A second credit tier lies beyond the target (below it, or above it when lower is
    better) and owes at least the first tier's credit."""
    floor, target = row.get("floor"), row.get("target")
    if not isinstance(floor, int | float) or not isinstance(target, int | float):
        return
    labels = {c.id: c.prompt for c in question.columns}
    lower_better = row.get("direction") == "lower is better"
    if (floor <= target) if lower_better else (floor >= target):
        side = "above" if lower_better else "below"
        raise ValidationError(
            f"{labels.get('floor', 'floor')}: must be {side} the target ({format_number(target)})"
        )
    credit, deeper = row.get("credit") or 0, row.get("floor_credit")
    if isinstance(deeper, int | float) and isinstance(credit, int | float) and deeper < credit:
        raise ValidationError(
            f"{labels.get('floor_credit', 'floor_credit')}: a result beyond the lower level "
            f"owes at least the first credit ({format_number(credit)} %)"
        )


def is_answered(value: Answer) -> bool:
    """Whether a stored value counts as an answer."""
    return value is not None and value != "" and value != []


def format_answer(question: Question, value: Answer) -> str:
    """A stored answer as one readable text."""
    if not is_answered(value):
        return "—"
    if question.type is QuestionType.YES_NO:
        return "Yes" if value else "No"
    if question.type is QuestionType.MULTI_CHOICE and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.type is QuestionType.NUMBER and isinstance(value, int | float):
        unit = f" {question.unit}" if question.unit else ""
        return f"{format_number(float(value))}{unit}"
    if question.type is QuestionType.RATING:
        return f"{value} / {RATING_MAX}"
    if question.type is QuestionType.TABLE and isinstance(value, list):
        return "\n".join(format_row(question, row) for row in value if isinstance(row, dict))
    return str(value)


def format_row(question: Question, row: dict[str, Cell]) -> str:
    """One table row as 'Label: value · Label: value'."""
    return " · ".join(
        f"{column.prompt}: {format_answer(column, row.get(column.id))}"
        for column in question.columns
        if is_answered(row.get(column.id))
    )


def number_hint(question: Question) -> str:
    """What a number question accepts, such as 'a number (0 to 100, EUR)'."""
    parts = []
    if question.min is not None and question.max is not None:
        parts.append(f"{format_number(question.min)} to {format_number(question.max)}")
    elif question.min is not None:
        parts.append(f"at least {format_number(question.min)}")
    elif question.max is not None:
        parts.append(f"at most {format_number(question.max)}")
    if question.unit:
        parts.append(question.unit)
    kind = "a whole number" if question.integer else "a number"
    return kind + (f" ({', '.join(parts)})" if parts else "")
