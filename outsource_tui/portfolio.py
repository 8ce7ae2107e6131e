"""The portfolio view: what the dashboard, scorecards, reports and `due` show for each vendor.

It reads the store and the playbooks and computes; it never imports Textual, so the app, the
command line and reports all share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from outsource_tui.domain.answers import Answer, parse_date
from outsource_tui.domain.contract import ContractClock, ContractState, Renewal, clock
from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import (
    next_period,
    period_bounds,
    period_of,
    previous_period,
    review_due,
    today,
)
from outsource_tui.domain.playbook import Cadence, Playbook
from outsource_tui.domain.run import Run, latest_runs, progress
from outsource_tui.domain.scoring import (
    KpiTarget,
    Scorecard,
    compute_scorecard,
    kpi_targets,
    open_action_items,
)
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import Vendor, VendorStatus, check_contract, contract_terms
from outsource_tui.errors import StoreError, ValidationError
from outsource_tui.store import Store

REVIEWED_STATUSES = {VendorStatus.ACTIVE.value, VendorStatus.ON_HOLD.value}


@dataclass(frozen=True)
class ReviewDue:
    """The next review of one recurring playbook for one vendor."""

    playbook: Playbook
    period: str
    due: date
    overdue: bool


@dataclass(frozen=True)
class PlaybookState:
    """How far a vendor got with one playbook."""

    playbook: Playbook
    state: str  # "done", "in progress" or "never started"
    checklist_percent: int | None
    run: Run | None


@dataclass(frozen=True)
class ActionItem:
    """An open action item from a vendor's latest review."""

    action: str
    owner: str
    due: str
    status: str
    overdue: bool


@dataclass(frozen=True)
class VendorOverview:
    """Everything the dashboard row of one vendor needs."""

    vendor: Vendor
    latest: Scorecard | None
    trend: tuple[tuple[str, float | None], ...]
    next_review: ReviewDue | None
    actions: tuple[ActionItem, ...]
    governance: tuple[PlaybookState, ...] = field(default=())
    contract: ContractClock | None = None
    problem: str = ""  # why the vendor's records cannot be read, when they cannot

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def urgency(self) -> tuple[int, date]:
        """Sort key: unreadable records, overdue reviews, overdue actions, nearest due date."""
        if self.problem:
            return (-1, date.min)
        due = self.next_review.due if self.next_review else date.max
        overdue = bool(self.next_review and self.next_review.overdue)
        return (0 if overdue else 1 if self.overdue_actions else 2, due)


class Portfolio:
    """Computed views over a store, for a given 'today'."""

    def __init__(
        self, store: Store, library: Library, settings: Settings, on: date | None = None
    ) -> None:
        self.store = store
        self.library = library
        self.settings = settings
        self.today = on or today()
        self._runs: dict[str, list[Run]] = {}  # read once per view: a Portfolio is short-lived
        self.problems: dict[str, str] = {}  # vendor id: why its records cannot be read

    def runs_of(self, vendor_id: str) -> list[Run]:
        """A vendor's runs, read from the store once for this view."""
        if vendor_id not in self._runs:
            self._runs[vendor_id] = self.store.runs(vendor_id)
        return self._runs[vendor_id]

    def readable_runs(self, vendor_id: str) -> list[Run] | None:
        """A vendor's runs, or ``None`` with the reason kept in ``problems`` if a file is broken.

        One damaged file then hides one vendor's history, not the whole portfolio.
        """
        try:
            return self.runs_of(vendor_id)
        except StoreError as exc:
            self.problems[vendor_id] = str(exc)
            return None

    # -- which playbooks play which part --------------------------------------------------

    def sla_playbooks(self) -> list[Playbook]:
        return [p for p in self.library if p.fed_tables("kpi-targets")]

    def review_playbooks(self) -> list[Playbook]:
        return [p for p in self.library if p.fed_tables("kpi-actuals")]

    def recurring_playbooks(self) -> list[Playbook]:
        return [p for p in self.library if p.cadence is not Cadence.ONCE]

    # -- per vendor -------------------------------------------------------------------------

    def targets(self, runs: list[Run]) -> list[KpiTarget]:
        """The KPI targets of the vendor's latest SLA run (a completed one if there is one)."""
        for playbook in self.sla_playbooks():
            mine = [r for r in runs if r.playbook_id == playbook.id]
            done = [r for r in mine if r.completed]
            chosen = (done or mine)[-1:] if mine else []
            if chosen:
                return kpi_targets(playbook, chosen[0])
        return []

    def review_runs(self, runs: list[Run], playbook: Playbook) -> dict[str, Run]:
        """The vendor's review runs by period: the latest run of each period wins."""
        by_period: dict[str, Run] = {}
        for run in runs:  # oldest first: a completed run is not hidden by a newer open one
            if run.playbook_id == playbook.id and run.period:
                kept = by_period.get(run.period)
                if kept is None or run.completed or not kept.completed:
                    by_period[run.period] = run
        return by_period

    def scorecard(
        self, vendor_id: str, period: str, runs: list[Run] | None = None
    ) -> Scorecard | None:
        """A period's scorecard: as stored with its completed review, else computed now."""
        runs = self.store.runs(vendor_id) if runs is None else runs
        playbooks = self.review_playbooks()
        if not playbooks:
            return None
        playbook = playbooks[0]
        run = self.review_runs(runs, playbook).get(period)
        if run is not None and run.completed and run.snapshot:
            return Scorecard.from_dict(run.snapshot)
        return compute_scorecard(
            period, playbook, run, self.targets(runs), self.settings.thresholds
        )

    def live_scorecard(self, playbook: Playbook, run: Run, runs: list[Run]) -> Scorecard:
        """The scorecard a review run makes now (what completing it will store)."""
        return compute_scorecard(
            run.period, playbook, run, self.targets(runs), self.settings.thresholds
        )

    def trend(self, runs: list[Run]) -> list[tuple[str, Scorecard]]:
        """Scorecards of every completed review, oldest period first."""
        out = []
        for playbook in self.review_playbooks()[:1]:
            for period, run in sorted(self.review_runs(runs, playbook).items()):
                if run.completed:
                    card = (
                        Scorecard.from_dict(run.snapshot)
                        if run.snapshot
                        else self.live_scorecard(playbook, run, runs)
                    )
                    out.append((period, card))
        return out

    def next_review(self, vendor: Vendor, runs: list[Run]) -> ReviewDue | None:
        """The most pressing next review among the recurring playbooks, for reviewed vendors."""
        if vendor.status not in REVIEWED_STATUSES:
            return None
        best: ReviewDue | None = None
        for playbook in self.recurring_playbooks():
            done = sorted(r.period for r in runs if r.playbook_id == playbook.id and r.completed)
            if done:
                period = next_period(done[-1])
            else:
                began = vendor.contract_start or vendor.created_at[:10]
                try:
                    start = parse_date(began)
                except ValidationError:  # a date edited by hand outside the calendar
                    start = self.today
                period = period_of(start, playbook.cadence)
                # A vendor begun mid-period is first reviewed for the period it started in.
            due = review_due(period)
            candidate = ReviewDue(playbook, period, due, due < self.today)
            if best is None or candidate.due < best.due:
                best = candidate
        return best

    def default_period(self, playbook: Playbook, runs: list[Run]) -> str:
        """The period a new review should cover: the one after the last reviewed, at most the
        current one; with no review yet, the last period that has ended."""
        done = [r.period for r in runs if r.playbook_id == playbook.id and r.completed]
        current = period_of(self.today, playbook.cadence)
        if not done:
            return previous_period(current)
        following = next_period(max(done))
        return following if period_bounds(following)[0] <= period_bounds(current)[0] else current

    def actions(self, runs: list[Run]) -> list[ActionItem]:
        """Open action items from the latest completed review that has action items."""
        for playbook in self.library:
            if not playbook.fed_tables("action-items"):
                continue
            reviews = [r for r in runs if r.playbook_id == playbook.id and r.completed]
            reviews.sort(key=lambda r: (r.period, r.completed_at))
            if reviews:
                return [self._action(row) for row in open_action_items(playbook, reviews[-1])]
        return []

    def _action(self, row: dict[str, Any]) -> ActionItem:
        due = str(row.get("due") or "")
        try:
            overdue = bool(due) and date.fromisoformat(due) < self.today
        except ValueError:
            overdue = False
        return ActionItem(
            action=str(row.get("action") or ""),
            owner=str(row.get("owner") or ""),
            due=due,
            status=str(row.get("status") or "Open"),
            overdue=overdue,
        )

    def review_prefill(self, playbook: Playbook, runs: list[Run]) -> dict[str, Answer]:
        """Answers a new review starts with: the SLA's KPI names, and last time's open items."""
        answers: dict[str, Answer] = {}
        names = [t.kpi for t in self.targets(runs)]
        for question in playbook.fed_tables("kpi-actuals")[:1]:
            if names:
                answers[question.id] = [{"kpi": name} for name in names]
        for question in playbook.fed_tables("action-items")[:1]:
            carried = [
                {k: v for k, v in vars(item).items() if k in {"action", "owner", "due", "status"}}
                for item in self.actions(runs)
            ]
            rows = [{k: v for k, v in row.items() if v} for row in carried]
            if rows:
                answers[question.id] = rows  # type: ignore[assignment]
        return answers

    def governance(self, runs: list[Run]) -> list[PlaybookState]:
        """Per playbook: done, in progress or never started, and checklist completion."""
        latest = latest_runs(runs)
        states = []
        for playbook in self.library:
            run = latest.get(playbook.id)
            if run is None:
                states.append(PlaybookState(playbook, "never started", None, None))
                continue
            state = "done" if run.completed else "in progress"
            percent = progress(playbook, run).checklist_percent
            states.append(PlaybookState(playbook, state, percent, run))
        return states

    def overview(self, vendor: Vendor) -> VendorOverview:
        """The dashboard's view of one vendor."""
        runs = self.readable_runs(vendor.id)
        if runs is None:
            return VendorOverview(
                vendor=vendor,
                latest=None,
                trend=(),
                next_review=None,
                actions=(),
                contract=contract_clock(vendor, self.today),
                problem=self.problems[vendor.id],
            )
        trend = self.trend(runs)
        return VendorOverview(
            vendor=vendor,
            latest=trend[-1][1] if trend else None,
            trend=tuple((period, card.overall) for period, card in trend),
            next_review=self.next_review(vendor, runs),
            actions=tuple(self.actions(runs)),
            governance=tuple(self.governance(runs)),
            contract=contract_clock(vendor, self.today),
        )

    def overviews(self) -> list[VendorOverview]:
        """Every vendor, the most urgent first."""
        rows = [self.overview(v) for v in self.store.list_vendors()]
        return sorted(rows, key=lambda o: (o.urgency, o.vendor.name.casefold()))


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


STALE_RUN_DAYS = 14  # a playbook untouched this long counts as left half done


def contract_clock(vendor: Vendor, on: date) -> ContractClock | None:
    """Where a vendor's contract stands on a day, if its terms are known and valid.

    None as well when the clock cannot be worked out on that day (a term past the
    end of the calendar); ``due`` lists such a vendor with the reason instead.
    """
    try:
        terms = contract_terms(vendor)
        return clock(terms, on) if terms is not None else None
    except ValidationError:
        return None


def _contract_items(vendor: Vendor, on: date) -> list[DueItem]:
    if vendor.status == VendorStatus.ENDED.value or not vendor.contract:
        return []
    item = lambda when, kind, text: DueItem(  # noqa: E731
        when, vendor.id, vendor.name, kind, text, when < on
    )
    # A problem is listed for the vendor rather than dropping it or failing the whole list.
    try:
        # Stored terms are checked again: the start date can be edited after them.
        terms = check_contract(vendor.contract_start, vendor.contract)
    except ValidationError as exc:
        return [item(on, "contract-terms", f"the contract terms cannot be used: {exc}")]
    try:
        state = clock(terms, on)
    except ValidationError as exc:
        return [item(on, "contract-terms", f"no contract clock on {on}: {exc}")]
    if state.state is ContractState.ENDED:
        return []
    if state.state is ContractState.MISSED:
        text = f"notice window closed on {state.last_notice_day}"
        if state.renewal is Renewal.AUTOMATIC and state.next_renewal:
            text += f": renews {state.next_renewal}"
        if state.next_exit_date and state.next_exit_notice_day:
            text += (
                f"; next possible exit {state.next_exit_date} "
                f"(notice by {state.next_exit_notice_day})"
            )
        return [item(state.last_notice_day, "notice-missed", text)]
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


def _days_after(day: date, days: int) -> date:
    """``days`` after ``day``, or the last day of the calendar if that comes first."""
    if days >= (date.max - day).days:
        return date.max
    return day + timedelta(days=days)


def due_items(portfolio: Portfolio, within_days: int) -> list[DueItem]:
    """Everything due from now to ``within_days`` ahead, and everything overdue, by date."""
    on = portfolio.today
    horizon = _days_after(on, within_days)
    items: list[DueItem] = []
    for vendor in portfolio.store.list_vendors():
        items += _contract_items(vendor, on)
        runs = portfolio.readable_runs(vendor.id)
        if runs is None:  # named in portfolio.problems; the other vendors are still listed
            continue
        review = portfolio.next_review(vendor, runs)
        if review is not None:
            items.append(
                DueItem(
                    review.due,
                    vendor.id,
                    vendor.name,
                    "review",
                    f"{review.playbook.title} for {review.period}",
                    review.overdue,
                )
            )
        if vendor.status != VendorStatus.ENDED.value:
            for action in portfolio.actions(runs):
                try:
                    when = date.fromisoformat(action.due)
                except ValueError:
                    continue
                owner = f" ({action.owner})" if action.owner else ""
                items.append(
                    DueItem(
                        when, vendor.id, vendor.name, "action", action.action + owner, when < on
                    )
                )
        for run in runs:
            if run.completed or not run.updated_at:
                continue
            try:
                touched = date.fromisoformat(run.updated_at[:10])
            except ValueError:
                continue
            stale = _days_after(touched, STALE_RUN_DAYS)
            label = f"{run.playbook_title} {run.period}".strip()
            items.append(
                DueItem(
                    stale,
                    vendor.id,
                    vendor.name,
                    "playbook",
                    f"{label}: left half done since {touched}",
                    stale < on,
                )
            )
    wanted = [i for i in items if i.overdue or i.when <= horizon]
    return sorted(wanted, key=lambda i: (i.when, i.vendor_name.casefold(), i.kind))
