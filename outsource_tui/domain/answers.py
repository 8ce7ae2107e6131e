"""Turn what the user typed into a stored answer, or refuse it with the reason."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Question, QuestionType
from outsource_tui.errors import ValidationError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the years review periods can name
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

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


def parse_number(text: str, question: Question | None = None) -> int | float:
    """A plain decimal number, checked against the question's min and max."""
    cleaned = text.strip()
    unit_text = question.unit.strip() if question is not None else ""
    if unit_text and cleaned.casefold().endswith(unit_text.casefold()):
        cleaned = cleaned[: -len(unit_text)]
    cleaned = cleaned.replace(" ", "").replace("_", "")
    if not NUMBER.match(cleaned):
        raise ValidationError(f"'{text.strip()}' is not a number: type digits such as 42 or 3.5")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValidationError("that number is too large")
    unit = f" {question.unit}" if question is not None and question.unit else ""
    if question is not None and question.min is not None and value < question.min:
        raise ValidationError(f"must be at least {format_number(question.min)}{unit}")
    if question is not None and question.max is not None and value > question.max:
        raise ValidationError(f"must be at most {format_number(question.max)}{unit}")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


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
        return text or None
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
        rows = []
        for number, row in enumerate(raw, start=1):
            try:
                cleaned = validate_row(question, row)
            except ValidationError as exc:
                raise ValidationError(f"row {number}: {exc}") from None
            if cleaned:
                rows.append(cleaned)
        return rows or None
    raise ValidationError(f"unsupported question type {kind}")  # pragma: no cover


def validate_row(question: Question, raw: Any) -> dict[str, Cell]:
    """One row of a table question: every cell checked, blank cells left out.

    An empty row comes back empty; a row with some cells but a blank required one is refused.
    """
    if not isinstance(raw, dict):
        raise ValidationError("a row must map column ids to values")
    row: dict[str, Cell] = {}
    for column in question.columns:
        try:
            value = validate_answer(column, raw.get(column.id))
        except ValidationError as exc:
            raise ValidationError(f"{column.prompt}: {exc}") from None
        if is_answered(value):
            row[column.id] = value  # type: ignore[assignment]
    if row:
        for column in question.columns:
            if column.required and column.id not in row:
                raise ValidationError(f"{column.prompt} is required")
    return row


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
    return "a number" + (f" ({', '.join(parts)})" if parts else "")
