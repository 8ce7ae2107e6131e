"""Words every front end and report shows the same way: statuses, ratings, choices, marks."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Question, QuestionType

if TYPE_CHECKING:
    from outsource_tui.domain.scoring import KpiLine, Scorecard

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


def rated(value: float | None) -> str:
    """A given rating (or a median of several, which may be a half) as shown in tables and
    reports."""
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


def money(amount: float | None, currency: str = "") -> str:
    """An amount as '1,234.50 EUR' ('' when unknown); whole amounts without decimals."""
    if amount is None:
        return ""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{text} {currency}".strip()


def credit_lines(card: Scorecard) -> list[tuple[str, str]]:
    """What a period's credits and bonus come to, in words: (kind, line) pairs.

    kind is 'owed', 'none', 'earned-back' or 'bonus'. Amounts in money appear beside the
    percentages once the monthly fee is known.
    """

    def part(percent: float) -> str:
        amount = money(card.amount(percent), card.currency)
        return f"{percent:g} % of the monthly fee" + (f" ({amount})" if amount else "")

    lines = []
    if card.credit_percent:
        text = f"Service credits owed for {card.period}: {part(card.credit_percent)}."
        if card.capped:
            text += (
                f" Capped at {card.credit_cap_percent:g} %: the missed KPIs add up to "
                f"{card.credit_uncapped_percent:g} %."
            )
        lines.append(("owed", text))
    else:
        lines.append(("none", f"No service credits owed for {card.period}."))
    if card.earned_back_percent:
        lines.append(
            (
                "earned-back",
                f"Earned back from the period before: {part(card.earned_back_percent)}.",
            )
        )
    if card.bonus_percent:
        lines.append(("bonus", f"Bonus earned: {part(card.bonus_percent)}."))
    return lines


def attainment_text(value: float | None) -> str:
    """Attainment as a percentage, whole unless rounding would cross a line it did not
    reach: 99.6 % of target shows as 99.6%, not as the 100% that would mean met."""
    if value is None:
        return "—"
    percent = 100 * value
    shown = round(percent)
    if shown > percent and shown % 10 == 0:
        return f"{math.floor(percent * 10) / 10:.1f}%"
    return f"{shown}%"


def actual_text(line: KpiLine) -> str:
    """A KPI line's figure with its unit, 'missing', and '(theirs)' when the partner's
    reported figure stands in for ours."""
    from outsource_tui.domain.answers import format_number

    if line.actual is None:
        return "missing"
    unit = f" {line.target.unit}" if line.target.unit else ""
    return format_number(line.actual) + unit + (" (theirs)" if line.reported else "")
