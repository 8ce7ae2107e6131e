"""The portfolio view: what the dashboard, scorecards, reports and `due` show for each vendor.

It reads the store and the playbooks and computes; it never imports Textual, so the app, the
command line and reports all share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from outsource_tui.domain.answers import Answer
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
from outsource_tui.domain.vendor import Vendor, VendorStatus
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

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def urgency(self) -> tuple[int, date]:
        """Sort key: overdue reviews first, then overdue actions, then the nearest due date."""
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
        for run in runs:
            if run.playbook_id == playbook.id and run.period:
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
                    start = date.fromisoformat(began)
                except ValueError:
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
        runs = self.store.runs(vendor.id)
        trend = self.trend(runs)
        return VendorOverview(
            vendor=vendor,
            latest=trend[-1][1] if trend else None,
            trend=tuple((period, card.overall) for period, card in trend),
            next_review=self.next_review(vendor, runs),
            actions=tuple(self.actions(runs)),
            governance=tuple(self.governance(runs)),
        )

    def overviews(self) -> list[VendorOverview]:
        """Every vendor, the most urgent first."""
        rows = [self.overview(v) for v in self.store.list_vendors()]
        return sorted(rows, key=lambda o: (o.urgency, o.vendor.name.casefold()))
