"""Words every front end and report shows the same way: statuses, ratings, choices, marks."""

from __future__ import annotations

from datetime import date
from typing import Any

from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Question, QuestionType

# A scorecard's colour in words.
STATUS_WORD = {"green": "on track", "amber": "slipping", "red": "off track", "missing": "no data"}

RATING_LABELS = {RATING_MIN: f"{RATING_MIN} poor", RATING_MAX: f"{RATING_MAX} excellent"}

# Whether a goal meets one SMART criterion: met, not met, or for the user to judge.
SMART_WORD = {True: "yes", False: "NO", None: "you judge"}
SMART_MARK = {True: "✓", False: "✗", None: "?"}


def status_word(status: object) -> str:
    """'on track', 'slipping', 'off track' or 'no data' for a scorecard colour."""
    return STATUS_WORD.get(str(status), str(status))


def rating_label(value: int) -> str:
    """A rating as offered for picking: the ends of the scale say what they mean."""
    return RATING_LABELS.get(value, str(value))


def rated(value: int | None) -> str:
    """A given rating as shown in tables and reports."""
    return "—" if value is None else f"{value} / {RATING_MAX}"


def answer_choices(question: Question, *, short: bool = False) -> list[tuple[str, Any]]:
    """(label, value) for each answer a pick question offers, in order.

    ``short`` gives bare numbers for ratings, where a table cell has little room.
    """
    if question.type is QuestionType.YES_NO:
        return [("Yes", True), ("No", False)]
    if question.type is QuestionType.RATING:
        return [
            (str(n) if short else rating_label(n), n) for n in range(RATING_MIN, RATING_MAX + 1)
        ]
    return [(option, option) for option in question.options]


def smart_lines(goal: str, on: date) -> list[tuple[bool | None, str]]:
    """One line per SMART criterion for a goal, with whether it is met (None: you judge)."""
    from outsource_tui.domain.smart import analyse_goal

    lines = []
    for name, criterion in analyse_goal(goal, today=on).items():
        label = "time-bound" if name == "time_bound" else name
        line = f"{label}: {SMART_WORD[criterion.ok]}. {criterion.why}"
        if criterion.suggestion:
            line += f" Try: {criterion.suggestion}."
        lines.append((criterion.ok, line))
    return lines


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 vendor', '2 vendors'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
