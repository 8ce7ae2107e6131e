"""Review periods ('2026-Q4', '2026'), today's date, and when a review falls due."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

from outsource_tui.domain.answers import parse_date
from outsource_tui.domain.playbook import Cadence
from outsource_tui.errors import ValidationError

TODAY_ENV = "OUTSOURCE_TUI_TODAY"
REVIEW_GRACE_DAYS = 30  # a period's review is due this long after the period ends

QUARTER = re.compile(r"^((?:19|2[0-9])[0-9]{2})-Q([1-4])$")  # ASCII digits, 1900-2999
YEAR = re.compile(r"^((?:19|2[0-9])[0-9]{2})$")


def today() -> date:
    """Today, or the date in $OUTSOURCE_TUI_TODAY (YYYY-MM-DD) for reproducible runs."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            return parse_date(fixed)
        except ValidationError as exc:
            raise ValidationError(f"{TODAY_ENV}: {exc}") from None
    return date.today()


def quarter_of(day: date) -> str:
    """The quarter a day falls in, as 'YYYY-Qn'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def period_of(day: date, cadence: Cadence) -> str:
    """The review period of ``cadence`` that contains ``day``."""
    return str(day.year) if cadence is Cadence.ANNUAL else quarter_of(day)


def check_period(text: str, cadence: Cadence = Cadence.QUARTERLY) -> str:
    """A period written as 'YYYY-Qn' (quarterly) or 'YYYY' (annual); refuses anything else."""
    value = text.strip().upper()
    pattern, example = (YEAR, "2026") if cadence is Cadence.ANNUAL else (QUARTER, "2026-Q4")
    if not pattern.match(value):
        raise ValidationError(f"'{text.strip()}' is not a period: write it like {example}")
    return value


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period."""
    quarter = QUARTER.match(period)
    if quarter:
        year, q = int(quarter.group(1)), int(quarter.group(2))
        start = date(year, 3 * q - 2, 1)
        end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
        return start, end
    year_match = YEAR.match(period)
    if year_match:
        year = int(year_match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    raise ValidationError(f"'{period}' is not a period: write it like 2026-Q4 or 2026")


def next_period(period: str) -> str:
    """The period after ``period``."""
    _, end = period_bounds(period)
    following = end + timedelta(days=1)
    return str(following.year) if YEAR.match(period) else quarter_of(following)


def previous_period(period: str) -> str:
    """The period before ``period``."""
    start, _ = period_bounds(period)
    before = start - timedelta(days=1)
    return str(before.year) if YEAR.match(period) else quarter_of(before)


def review_due(period: str) -> date:
    """The day a period's review is due: a grace span after the period ends."""
    return period_bounds(period)[1] + timedelta(days=REVIEW_GRACE_DAYS)


def periods_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (empty if ``last`` comes first)."""
    out: list[str] = []
    current = first
    while period_bounds(current)[0] <= period_bounds(last)[0]:
        out.append(current)
        current = next_period(current)
    return out
