"""The contract clock: which term a contract is in, and when to decide about the next.

Date arithmetic only. Days are calendar days; "N days before the end" counts
back from the last day of the term.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from enum import StrEnum

from outsource_tui.errors import ValidationError

MAX_DAYS = 36_600
"""The longest notice, window or lead time accepted: a hundred years."""


class Renewal(StrEnum):
    """What happens at the end of a term."""

    NONE = "none"
    """The contract ends; there is no renewal."""
    AUTOMATIC = "automatic"
    """The contract renews unless notice is given in time."""
    MANUAL = "manual"
    """The contract ends unless a renewal is agreed in time."""


class ContractState(StrEnum):
    """Where the contract stands against its deadlines today."""

    RUNNING = "running"
    """Nothing to do yet: the decide-by date is still ahead."""
    DECIDE_NOW = "decide-now"
    """The decide-by date has come; notice can still be given."""
    NOTICE_WINDOW_NOT_OPEN = "notice-window-not-open"
    """Time to decide, but notice cannot be given before the window opens."""
    MISSED = "missed"
    """The last notice day of this term has passed."""
    ENDED = "ended"
    """The contract did not renew and its term is over."""
    NOTICE_GIVEN = "notice-given"
    """Notice was given in time: the contract ends with the term it was given for."""


def add_months(d: date, months: int) -> date:
    """``d`` moved by ``months`` (may be negative), clamped to the end of a shorter month.

    31 January plus one month is 28 February (29 in a leap year).
    """
    index = d.year * 12 + d.month - 1 + months
    year, month_index = divmod(index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        unit = "month" if abs(months) == 1 else "months"
        raise ValidationError(f"{months} {unit} from {d.isoformat()} is off the calendar")
    month = month_index + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _days_before(d: date, days: int) -> date:
    try:
        return d - timedelta(days=days)
    except OverflowError:
        raise ValidationError(f"{days} days before {d.isoformat()} is off the calendar") from None


TERM_WORDS = {
    "initial_months": "the first term",
    "renewal_months": "a renewal term",
    "notice_days": "the notice period",
    "window_earliest_days": "the earliest notice",
    "window_latest_days": "the latest notice",
    "lead_days": "the time needed to decide",
}


@dataclass(frozen=True)
class ContractTerms:
    """The dates and periods a contract sets out.

    ``notice_days`` is the notice period: notice must reach the vendor at least
    that many days before the term ends. A notice window narrows it: no earlier
    than ``window_earliest_days`` and no later than ``window_latest_days``
    before the end (``notice_days`` when not given). For a manual renewal the
    same dates bound the request to renew. ``lead_days`` is how long before
    the last notice day the user wants to be told to decide.
    """

    start: date
    initial_months: int
    renewal: Renewal
    renewal_months: int = 12
    notice_days: int = 0
    window_earliest_days: int | None = None
    window_latest_days: int | None = None
    lead_days: int = 30

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime) or not isinstance(self.start, date):
            raise ValidationError("a contract start must be a date such as 2026-01-31")
        try:
            renewal = Renewal(
                self.renewal.strip().lower() if isinstance(self.renewal, str) else self.renewal
            )
        except ValueError:
            allowed = ", ".join(r.value for r in Renewal)
            raise ValidationError(
                f"unknown renewal '{self.renewal}': use one of {allowed}"
            ) from None
        object.__setattr__(self, "renewal", renewal)
        for name in ("initial_months", "renewal_months"):
            value = self._whole_number(name)
            if value < 1:
                raise ValidationError(f"{TERM_WORDS[name]} must be at least one month")
        for name in ("notice_days", "window_earliest_days", "window_latest_days", "lead_days"):
            if getattr(self, name) is None:
                continue
            value = self._whole_number(name)
            if value < 0:
                raise ValidationError(f"{TERM_WORDS[name]} cannot be a negative number of days")
            if value > MAX_DAYS:
                raise ValidationError(f"{TERM_WORDS[name]} can be at most {MAX_DAYS} days")
        latest = self.latest_notice_days
        if self.window_latest_days is not None and self.window_latest_days < self.notice_days:
            raise ValidationError(
                f"the latest notice ({self.window_latest_days} days before the end) falls"
                f" inside the {self.notice_days}-day notice period"
            )
        earliest = self.window_earliest_days
        if earliest is not None and earliest < latest:
            raise ValidationError(
                f"the notice window opens {earliest} days before the end,"
                f" after it closes ({latest} days before)"
            )
        add_months(self.start, self.initial_months)
        self._check_on_the_calendar()

    def _check_on_the_calendar(self) -> None:
        """Refuse terms whose dates the calendar (0001-01-01 to 9999-12-31) cannot hold.

        Every later term ends later, so when the first term's deadlines are on the
        calendar, so are every term's. An automatic renewal must also fit one renewal
        term on it, or a renewal term of a million months would only fail once it began.
        """
        end = self.term_end(1)
        for days, what in (
            (self.window_earliest_days, "the notice window of the first term would open"),
            (self.latest_notice_days, "the last notice day of the first term would be"),
            (self.latest_notice_days + self.lead_days, "the first decide-by date would be"),
        ):
            if days is not None and days >= end.toordinal():
                raise ValidationError(
                    f"{what} {days} days before {end.isoformat()}, before"
                    f" {date.min.isoformat()} where the calendar begins: check the start date"
                )
        if self.renewal is Renewal.AUTOMATIC:
            try:
                self.term_start(3)
            except ValidationError:
                raise ValidationError(
                    f"a {self.renewal_months}-month renewal from {self.term_start(2).isoformat()}"
                    f" runs past {date.max.isoformat()}, the end of the calendar"
                ) from None

    def _whole_number(self, name: str) -> int:
        value = getattr(self, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{TERM_WORDS[name]} must be a whole number")
        return value

    @property
    def latest_notice_days(self) -> int:
        """How many days before the end of a term the notice window closes."""
        return self.notice_days if self.window_latest_days is None else self.window_latest_days

    def term_start(self, number: int) -> date:
        """The first day of term ``number`` (1 is the initial term), renewing as agreed.

        Worked out from the original start every time, so a contract that began
        on 31 January starts a term on the 31st whenever the month has one.
        """
        if number < 1:
            raise ValidationError("terms are numbered from 1")
        if number == 1:
            return self.start
        months = self.initial_months + (number - 2) * self.renewal_months
        try:
            return add_months(self.start, months)
        except ValidationError:
            raise ValidationError(
                f"term {number} of the contract would start after {date.max.isoformat()},"
                " the end of the calendar"
            ) from None

    def term_end(self, number: int) -> date:
        """The last day of term ``number``: the day before the next term would start."""
        return self.term_start(number + 1) - timedelta(days=1)

    def last_notice_day(self, number: int) -> date:
        """The last day notice can be given to end the contract with term ``number``."""
        return _days_before(self.term_end(number), self.latest_notice_days)

    def term_on(self, day: date) -> int:
        """The number of the term ``day`` falls in (1 before the start as well).

        Without automatic renewal there is only the first term.
        """
        if self.renewal is not Renewal.AUTOMATIC or day < self.term_start(2):
            return 1
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        number = max(2, (months - self.initial_months) // self.renewal_months + 2)
        while number > 2 and self.term_start(number) > day:
            number -= 1
        while self.term_start(number + 1) <= day:
            number += 1
        return number


@dataclass(frozen=True)
class ContractClock:
    """A contract's dates and state, seen on ``today``.

    ``next_renewal`` is the first day of the next term: it follows by itself
    with an automatic renewal, only if agreed with a manual one, and is None
    without renewal or once the contract has ended.

    ``next_exit_date`` is the earliest day the contract can still be over
    (its last day): with an automatic renewal, the end of the first term whose
    last notice day (``next_exit_notice_day``) is today or later, which after a
    missed notice is the end of the following term. Without automatic renewal
    the contract simply stops at ``term_end`` and needs no notice. Both are
    None once the contract has ended, or when that term would end past
    9999-12-31, the end of the calendar.

    ``days_to_decide`` counts from today to ``decide_by``; it is negative once
    that day has passed.
    """

    today: date
    renewal: Renewal
    term_number: int
    term_start: date
    term_end: date
    notice_opens: date | None
    last_notice_day: date
    decide_by: date
    next_renewal: date | None
    state: ContractState
    days_to_decide: int
    next_exit_date: date | None
    next_exit_notice_day: date | None
    notice_given: date | None = None
    ends_on: date | None = None  # the last day, once notice has been given

    def in_notice_window(self, day: date) -> bool:
        """Whether notice given on ``day`` is in time and not too early for this term."""
        opens = self.notice_opens or date.min
        return opens <= day <= self.last_notice_day


def clock(terms: ContractTerms, today: date, notice_given: date | None = None) -> ContractClock:
    """The contract clock for ``terms`` on ``today``; ``notice_given`` is the day notice
    to end the contract was given, if it was.

    Notice takes effect at the end of the first term whose last notice day is that day or
    later: notice given in time ends the current term, notice given late the next one.
    Raises ValidationError when the term ``today`` falls in would end past
    9999-12-31: an automatic renewal seen near the end of the calendar.
    """
    running = _clock(terms, today)
    if notice_given is None:
        return running
    number = terms.term_on(notice_given) if terms.renewal is Renewal.AUTOMATIC else 1
    if terms.renewal is Renewal.AUTOMATIC:
        while terms.last_notice_day(number) < notice_given:
            number += 1
    ends = terms.term_end(number)
    if today > ends:
        return replace(
            running,
            state=ContractState.ENDED,
            term_number=number,
            term_start=terms.term_start(number),
            term_end=ends,
            next_renewal=None,
            next_exit_date=None,
            next_exit_notice_day=None,
            notice_given=notice_given,
            ends_on=ends,
        )
    return replace(
        running,
        state=ContractState.NOTICE_GIVEN,
        next_renewal=None,
        next_exit_date=ends,
        next_exit_notice_day=None,
        notice_given=notice_given,
        ends_on=ends,
    )


def _clock(terms: ContractTerms, today: date) -> ContractClock:
    """The contract clock for ``terms`` on ``today``.

    Raises ValidationError when the term ``today`` falls in would end past
    9999-12-31: an automatic renewal seen near the end of the calendar.
    """
    if isinstance(today, datetime) or not isinstance(today, date):
        raise ValidationError("today must be a date")
    number = terms.term_on(today)
    term_start = terms.term_start(number)
    term_end = terms.term_end(number)
    earliest = terms.window_earliest_days
    notice_opens = None if earliest is None else _days_before(term_end, earliest)
    last_notice_day = terms.last_notice_day(number)
    decide_by = _days_before(last_notice_day, terms.lead_days)
    automatic = terms.renewal is Renewal.AUTOMATIC

    if not automatic and today > term_end:
        state = ContractState.ENDED
    elif today > last_notice_day:
        state = ContractState.MISSED
    elif today >= decide_by:
        if notice_opens is not None and today < notice_opens:
            state = ContractState.NOTICE_WINDOW_NOT_OPEN
        else:
            state = ContractState.DECIDE_NOW
    else:
        state = ContractState.RUNNING

    ended = state is ContractState.ENDED
    next_renewal = None if terms.renewal is Renewal.NONE or ended else term_end + timedelta(days=1)
    exit_date: date | None = None
    exit_notice: date | None = None
    if automatic:
        exit_number = number
        try:
            while terms.last_notice_day(exit_number) < today:
                exit_number += 1
            exit_date = terms.term_end(exit_number)
            exit_notice = terms.last_notice_day(exit_number)
        except ValidationError:  # the next way out is past the end of the calendar
            exit_date = exit_notice = None
    elif not ended:
        exit_date = term_end

    return ContractClock(
        today=today,
        renewal=terms.renewal,
        term_number=number,
        term_start=term_start,
        term_end=term_end,
        notice_opens=notice_opens,
        last_notice_day=last_notice_day,
        decide_by=decide_by,
        next_renewal=next_renewal,
        state=state,
        days_to_decide=(decide_by - today).days,
        next_exit_date=exit_date,
        next_exit_notice_day=exit_notice,
    )


def clock_phrase(state: ContractClock) -> str:
    """Where the contract stands, in one line, as the vendor screen and reports say it."""
    if state.state is ContractState.NOTICE_GIVEN:
        return f"notice given {state.notice_given}: the contract ends {state.ends_on}"
    if state.state is ContractState.ENDED:
        return f"ended {state.term_end}"
    return (
        f"term {state.term_number} ends {state.term_end}; decide by {state.decide_by}; "
        f"last notice day {state.last_notice_day} ({state.state.value.replace('-', ' ')})"
    )
