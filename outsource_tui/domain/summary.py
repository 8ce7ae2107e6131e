"""What the dashboard shows of one vendor, worked out once from its run files and kept.

A summary holds only what the run files decide, and nothing that depends on the day it is
looked at: a due date stays a date, and whether it has passed is decided when it is shown.
So a summary stays true from one day to the next; only a change to the vendor's records, its
playbooks or the score thresholds makes it stale. ``VendorOverview`` puts a summary together
with the vendor's record and a day: what one dashboard row shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from outsource_tui.domain.contract import ContractClock
from outsource_tui.domain.due import Dated, DueItem, contract_view, days_after
from outsource_tui.domain.vendor import Vendor

# Bump when what a summary holds, or how it is worked out, changes: every kept one is rebuilt.
SUMMARY_VERSION = 1
TREND_KEPT = 8  # the dashboard's sparkline shows the last eight periods


@dataclass(frozen=True)
class NextReview:
    """The next review a vendor owes: which playbook, for which period, by when."""

    playbook_id: str
    title: str
    period: str
    due: date


@dataclass(frozen=True)
class ReviewShown:
    """The next review as of a day: with whether it is overdue."""

    playbook_id: str
    title: str
    period: str
    due: date
    overdue: bool


@dataclass(frozen=True)
class ActionItem:
    """An open action item from a vendor's latest review."""

    action: str
    owner: str
    due: str
    status: str
    overdue: bool = False


@dataclass(frozen=True)
class Summary:
    """One vendor's figures as its run files make them."""

    overall: float | None = None  # the latest completed review's score
    score_status: str = ""  # its status (green, amber, red, missing); empty with no review
    latest_period: str = ""
    trend: tuple[tuple[str, float | None], ...] = ()  # the last TREND_KEPT reviews' scores
    next_review: NextReview | None = None
    actions: tuple[ActionItem, ...] = ()
    dates: tuple[Dated, ...] = ()  # everything the runs set a date for, for the due list
    problem: str = ""  # why the vendor's records cannot be read, when they cannot

    def to_json(self) -> dict[str, Any]:
        review = self.next_review
        return {
            "overall": self.overall,
            "score_status": self.score_status,
            "latest_period": self.latest_period,
            "trend": [[period, value] for period, value in self.trend],
            "next_review": None
            if review is None
            else [review.playbook_id, review.title, review.period, review.due.isoformat()],
            "actions": [[a.action, a.owner, a.due, a.status] for a in self.actions],
            "dates": [[d.when.isoformat(), d.kind, d.text, d.lapses] for d in self.dates],
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, data: object) -> Summary:
        """A summary read back; ``ValueError`` for anything but what ``to_json`` writes.

        Read for every vendor before the first frame, so the checks are written out flat.
        """
        if not isinstance(data, dict):
            raise ValueError("not an object")
        trend = []
        for period, value in data["trend"]:
            trend.append((_text(period), _score(value)))
        review = data["next_review"]
        next_review = None
        if review is not None:
            playbook_id, title, period, due = review
            next_review = NextReview(_text(playbook_id), _text(title), _text(period), _day(due))
        actions = []
        for action, owner, due, status in data["actions"]:
            actions.append(ActionItem(_text(action), _text(owner), _text(due), _text(status)))
        dates = []
        for when, kind, text, lapses in data["dates"]:
            if lapses is not True and lapses is not False:
                raise ValueError("not true or false")
            dates.append(Dated(_day(when), _text(kind), _text(text), lapses))
        return cls(
            _score(data["overall"]),
            _text(data["score_status"]),
            _text(data["latest_period"]),
            tuple(trend),
            next_review,
            tuple(actions),
            tuple(dates),
            _text(data["problem"]),
        )


def _text(value: object) -> str:
    if value.__class__ is not str:
        raise ValueError("not text")
    return value


def _score(value: object) -> float | None:
    if value is None:
        return None
    if value.__class__ is not float and value.__class__ is not int:
        raise ValueError("not a score")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not a score")
    return number


def _day(value: object) -> date:
    return date.fromisoformat(_text(value))


PENDING = Summary()


@dataclass(frozen=True)
class VendorOverview:
    """Everything the dashboard row of one vendor needs, as of ``today``.

    ``pending`` marks a vendor whose summary is being worked out: its row shows the record's
    own facts until then.
    """

    vendor: Vendor
    summary: Summary
    today: date
    contract: ContractClock | None = None
    contract_due: tuple[DueItem, ...] = ()  # what the contract has due as of today
    pending: bool = False

    @classmethod
    def of(
        cls, vendor: Vendor, summary: Summary, today: date, *, pending: bool = False
    ) -> VendorOverview:
        """The overview of ``vendor`` on ``today``, its contract worked out once."""
        contract, contract_due = contract_view(vendor, today)
        return cls(vendor, summary, today, contract, tuple(contract_due), pending)

    @property
    def problem(self) -> str:
        return self.summary.problem

    @property
    def overall(self) -> float | None:
        return self.summary.overall

    @property
    def score_status(self) -> str:
        return self.summary.score_status

    @property
    def latest_period(self) -> str:
        return self.summary.latest_period

    @property
    def trend(self) -> tuple[tuple[str, float | None], ...]:
        return self.summary.trend

    @property
    def next_review(self) -> ReviewShown | None:
        review = self.summary.next_review
        if review is None:
            return None
        overdue = review.due < self.today
        return ReviewShown(review.playbook_id, review.title, review.period, review.due, overdue)

    @property
    def actions(self) -> tuple[ActionItem, ...]:
        return tuple(
            ActionItem(a.action, a.owner, a.due, a.status, _before(a.due, self.today))
            for a in self.summary.actions
        )

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.summary.actions if _before(a.due, self.today))

    @property
    def urgency(self) -> tuple[int, date]:
        """Sort key: unreadable records, then an overdue review or contract decision, overdue
        actions, the nearest review; a vendor still being worked out comes last."""
        if self.pending:
            return (3, date.max)
        if self.problem:
            return (-1, date.min)
        review = self.summary.next_review
        due = review.due if review else date.max
        overdue = review is not None and review.due < self.today
        # A contract decision or notice day gone by is as pressing as an overdue review.
        missed = any(i.overdue and i.kind in ("decide", "notice") for i in self.contract_due)
        return (0 if overdue or missed else 1 if self.overdue_actions else 2, due)

    def due_items(self, within_days: int | None = None) -> list[DueItem]:
        """Everything this vendor has due, its contract's dates and its runs': all of them, or
        only what is overdue or due in the next ``within_days`` days."""
        items = list(self.contract_due)
        horizon = None if within_days is None else days_after(self.today, within_days)
        for dated in self.summary.dates:
            if horizon is not None and dated.when > horizon:
                continue
            item = dated.on(self.vendor, self.today)
            if item is not None:
                items.append(item)
        return items


def _before(day: str, today: date) -> bool:
    try:
        return bool(day) and date.fromisoformat(day) < today
    except ValueError:
        return False
