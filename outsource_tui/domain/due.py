"""The due list: what needs doing by a date, across decisions, notices, reviews and actions.

Pure: the service that reads the store hands each vendor's facts in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from outsource_tui.domain.contract import ContractClock, ContractState, Renewal, clock
from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import (
    Vendor,
    VendorStatus,
    check_contract,
    contract_conflict,
    notice_given_on,
)
from outsource_tui.errors import ValidationError


@dataclass(frozen=True)
class DueItem:
    """One thing that needs doing by a date: a decision, a notice, a review, an action."""

    when: date
    vendor_id: str
    vendor_name: str
    # decide, notice, notice-missed, contract-end, contract-terms, review, action, playbook
    kind: str
    text: str
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the date as YYYY-MM-DD."""
        return {
            "date": self.when.isoformat(),
            "vendor": self.vendor_name,
            "vendor_id": self.vendor_id,
            "kind": self.kind,
            "what": self.text,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Dated:
    """A date a vendor's runs set (a review, an action item, a reminder), on no given day.

    Whether it is overdue depends on the day it is looked at, so that is left to ``on``:
    what the runs say stays true from one day to the next.
    """

    when: date
    kind: str  # review, action, playbook or reminder
    text: str
    lapses: bool = False  # a reminder: once its day has passed it is history, not overdue

    def on(self, vendor: Vendor, today: date) -> DueItem | None:
        """This date as a due item on ``today``; None for a reminder whose day has passed."""
        if self.lapses and self.when < today:
            return None
        overdue = not self.lapses and self.when < today
        return DueItem(self.when, vendor.id, vendor.name, self.kind, self.text, overdue)


STALE_RUN_DAYS = 14  # a playbook untouched this long counts as left half done


def contract_items(vendor: Vendor, on: date) -> list[DueItem]:
    """What the vendor's contract has due on ``on``: decisions, notices, its end, problems."""
    return contract_view(vendor, on)[1]


def contract_view(vendor: Vendor, on: date) -> tuple[ContractClock | None, list[DueItem]]:
    """Where the vendor's contract stands on ``on`` (None without usable terms), and what it
    has due: both from one working-out of the clock. An ended vendor has nothing due."""
    if not vendor.contract:
        return None, []
    ended = vendor.status == VendorStatus.ENDED.value
    item = lambda when, kind, text: DueItem(  # noqa: E731
        when, vendor.id, vendor.name, kind, text, when < on
    )
    # A problem is listed for the vendor rather than dropping it or failing the whole list.
    try:
        # Stored terms are checked again: the start date can be edited after them.
        terms = check_contract(vendor.contract_start, vendor.contract)
    except ValidationError as exc:
        return None, [] if ended else [
            item(on, "contract-terms", f"the contract terms cannot be used: {exc}")
        ]
    try:
        state = clock(terms, on, notice_given_on(vendor))
    except ValidationError as exc:
        return None, [] if ended else [
            item(on, "contract-terms", f"no contract clock on {on}: {exc}")
        ]
    if ended:
        return state, []
    conflict = contract_conflict(vendor)
    warnings = [item(on, "contract-terms", conflict)] if conflict else []
    return state, warnings + _clock_items(state, terms.lead_days, item)


def _clock_items(
    state: ContractClock, lead_days: int, item: Callable[[date, str, str], DueItem]
) -> list[DueItem]:
    if state.state is ContractState.ENDED:
        return []
    if state.state is ContractState.NOTICE_GIVEN and state.ends_on is not None:
        return [
            item(
                state.ends_on,
                "contract-end",
                f"contract ends {state.ends_on} (notice given {state.notice_given})",
            )
        ]
    if state.state is ContractState.MISSED:
        text = f"notice window closed on {state.last_notice_day}"
        if state.renewal is Renewal.AUTOMATIC and state.next_renewal:
            text += f": renews {state.next_renewal}"
        if state.next_exit_date and state.next_exit_notice_day:
            text += (
                f"; next possible exit {state.next_exit_date} "
                f"(notice by {state.next_exit_notice_day})"
            )
        missed = [item(state.last_notice_day, "notice-missed", text)]
        exit_date, notice_day = state.next_exit_date, state.next_exit_notice_day
        if exit_date is None or notice_day is None:
            return missed
        # The next way out has dates of its own: the next decide-by and last notice day.
        decide_by = days_before(notice_day, lead_days)
        return missed + [
            item(
                decide_by, "decide", f"decide: renew, renegotiate or exit (term ends {exit_date})"
            ),
            item(notice_day, "notice", f"last day to give notice, or it renews after {exit_date}"),
        ]
    if state.renewal is Renewal.NONE:
        return [item(state.term_end, "contract-end", f"contract ends {state.term_end}")]
    verb = "give notice" if state.renewal is Renewal.AUTOMATIC else "agree a renewal"
    after = (
        f"or it renews on {state.next_renewal}"
        if state.renewal is Renewal.AUTOMATIC
        else f"or it ends on {state.term_end}"
    )
    return [
        item(
            state.decide_by,
            "decide",
            f"decide: renew, renegotiate or exit (term ends {state.term_end})",
        ),
        item(state.last_notice_day, "notice", f"last day to {verb}, {after}"),
    ]


def days_before(day: date, days: int) -> date:
    """``days`` before ``day``, or the first day of the calendar if that comes first."""
    if days >= (day - date.min).days:
        return date.min
    return day - timedelta(days=days)


def days_after(day: date, days: int) -> date:
    """``days`` after ``day``, or the last day of the calendar if that comes first."""
    if days >= (date.max - day).days:
        return date.max
    return day + timedelta(days=days)


def stale_run_dates(runs: Iterable[Run]) -> list[Dated]:
    """A reminder for each run left half done: due STALE_RUN_DAYS after it was last touched."""
    items = []
    for run in runs:
        if run.completed or not run.updated_at:
            continue
        try:
            touched = date.fromisoformat(run.updated_at[:10])
        except ValueError:
            continue
        label = f"{run.playbook_title} {run.period}".strip()
        text = f"{label}: left half done since {touched}"
        items.append(Dated(days_after(touched, STALE_RUN_DAYS), "playbook", text))
    return items


def action_date(action: str, owner: str, due: str) -> Dated | None:
    """An open action item as a date, or None when it has no usable due date."""
    try:
        when = date.fromisoformat(due)
    except ValueError:
        return None
    who = f" ({owner})" if owner else ""
    return Dated(when, "action", action + who)


def within(items: Iterable[DueItem], on: date, days: int) -> list[DueItem]:
    """Everything due from ``on`` to ``days`` ahead, and everything overdue, by date."""
    horizon = days_after(on, days)
    wanted = [i for i in items if i.overdue or i.when <= horizon]
    return sorted(wanted, key=lambda i: (i.when, i.vendor_name.casefold(), i.kind))
