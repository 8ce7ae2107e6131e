"""The portfolio read model: what the dashboard, scorecards, reports and `due` show.

It reads the store and the playbooks and computes; it never imports Textual, so the app, the
plain mode, the command line and the reports all read the same figures from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from outsource_tui.domain import due as due_list
from outsource_tui.domain import facts
from outsource_tui.domain.answers import Answer, Cell, parse_date
from outsource_tui.domain.due import Dated, DueItem
from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import (
    next_period,
    period_bounds,
    period_of,
    previous_period,
    review_due,
)
from outsource_tui.domain.playbook import Cadence, Playbook
from outsource_tui.domain.run import Run, latest_runs, progress
from outsource_tui.domain.scoring import (
    KpiTarget,
    Scorecard,
    SlaTerms,
    compute_scorecard,
    kpi_targets,
    open_action_items,
)
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.summary import (
    TREND_KEPT,
    ActionItem,
    NextReview,
    Summary,
    VendorOverview,
)
from outsource_tui.domain.vendor import Vendor, VendorStatus
from outsource_tui.errors import StoreError, ValidationError
from outsource_tui.store import Store

# An onboarding vendor is reviewed too: its first quarter is when problems are cheapest.
REVIEWED_STATUSES = {
    VendorStatus.ONBOARDING.value,
    VendorStatus.ACTIVE.value,
    VendorStatus.ON_HOLD.value,
}


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


class Portfolio:
    """Computed views over a store, for a given 'today'."""

    def __init__(self, store: Store, library: Library, settings: Settings, on: date) -> None:
        self.store = store
        self.library = library
        self.settings = settings
        self.today = on
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

    def candidates(self, playbook: Playbook) -> list[tuple[Vendor, Run]]:
        """Vendors still in the running, each with its latest (completed, if any) selection run.

        An ended or active vendor's old rating stays out of a comparison.
        """
        found = []
        for vendor in self.store.list_vendors():
            if vendor.status != VendorStatus.CANDIDATE.value:
                continue
            runs = [r for r in self.runs_of(vendor.id) if r.playbook_id == playbook.id]
            done = [r for r in runs if r.completed] or runs
            if done:
                found.append((vendor, done[-1]))
        return found

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

    def sla_terms(self, runs: list[Run]) -> SlaTerms:
        """The money side of the vendor's SLA: fee, currency, credit cap, earn-back."""
        library = list(self.library)

        def number(name: str) -> float | None:
            value = facts.agreed(library, runs, name)
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return float(value) if ok and isinstance(value, int | float) else None

        currency = facts.agreed(library, runs, "currency")
        return SlaTerms(
            monthly_fee=number("monthly-fee"),
            currency=str(currency) if isinstance(currency, str) else "",
            credit_cap=number("credit-cap"),
            earn_back=facts.agreed(library, runs, "earn-back") is True,
        )

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
            return Scorecard.from_checked(run.snapshot)  # the store checked it
        return self._compute(period, playbook, run, runs)

    def live_scorecard(self, playbook: Playbook, run: Run, runs: list[Run]) -> Scorecard:
        """The scorecard a review run makes now (what completing it will store)."""
        return self._compute(run.period, playbook, run, runs)

    def _compute(
        self, period: str, playbook: Playbook, run: Run | None, runs: list[Run]
    ) -> Scorecard:
        terms = self.sla_terms(runs)
        previous = None
        if terms.earn_back:
            earlier = [(p, c) for p, c in self.trend(runs) if p < period]
            previous = earlier[-1][1] if earlier else None
        return compute_scorecard(
            period, playbook, run, self.targets(runs), self.settings.thresholds, terms, previous
        )

    def trend(self, runs: list[Run]) -> list[tuple[str, Scorecard]]:
        """Scorecards of every completed review, oldest period first."""
        out: list[tuple[str, Scorecard]] = []
        for playbook in self.review_playbooks()[:1]:
            for period, run in sorted(self.review_runs(runs, playbook).items()):
                if run.completed:
                    card = (
                        Scorecard.from_checked(run.snapshot)  # the store checked it
                        if run.snapshot
                        else compute_scorecard(
                            period,
                            playbook,
                            run,
                            self.targets(runs),
                            self.settings.thresholds,
                            self.sla_terms(runs),
                            out[-1][1] if out else None,
                        )
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
                kpi_rows: list[dict[str, Cell]] = [{"kpi": name} for name in names]
                answers[question.id] = kpi_rows
        for question in playbook.fed_tables("action-items")[:1]:
            rows: list[dict[str, Cell]] = []
            for item in self.actions(runs):
                row: dict[str, Cell] = {
                    "action": item.action,
                    "owner": item.owner,
                    "due": item.due,
                    "status": item.status,
                }
                rows.append({k: v for k, v in row.items() if v})
            if rows:
                answers[question.id] = rows
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

    def summary(self, vendor: Vendor) -> Summary:
        """What the vendor's run files make of it: scores, next review, actions, dates."""
        runs = self.readable_runs(vendor.id)
        if runs is None:
            return Summary(problem=self.problems[vendor.id])
        trend = self.trend(runs)
        latest = trend[-1][1] if trend else None
        review = self.next_review(vendor, runs)
        return Summary(
            overall=None if latest is None else latest.overall,
            score_status="" if latest is None else latest.status,
            latest_period="" if latest is None else latest.period,
            trend=tuple((period, card.overall) for period, card in trend[-TREND_KEPT:]),
            next_review=None
            if review is None
            else NextReview(review.playbook.id, review.playbook.title, review.period, review.due),
            actions=tuple(self.actions(runs)),
            dates=tuple(self.dates(vendor, runs)),
        )

    def overview(self, vendor: Vendor) -> VendorOverview:
        """The dashboard's view of one vendor, read from its run files."""
        return VendorOverview.of(vendor, self.summary(vendor), self.today)

    def overviews(self) -> list[VendorOverview]:
        """Every vendor, the most urgent first."""
        rows = [self.overview(v) for v in self.store.list_vendors()]
        return sorted(rows, key=lambda o: (o.urgency, o.vendor.name.casefold()))

    def dates(self, vendor: Vendor, runs: list[Run]) -> list[Dated]:
        """The dates a vendor's runs set: its next review, open action items, runs left half
        done, and reminders. Whether each is overdue is left to the day it is looked at."""
        found: list[Dated] = []
        review = self.next_review(vendor, runs)
        if review is not None:
            text = f"{review.playbook.title} for {review.period}"
            found.append(Dated(review.due, "review", text))
        ended = vendor.status == VendorStatus.ENDED.value
        if not ended:
            for action in self.actions(runs):
                dated = due_list.action_date(action.action, action.owner, action.due)
                if dated is not None:
                    found.append(dated)
        found += due_list.stale_run_dates(runs)
        if not ended:
            found += self.reminders(runs)
        return found

    def due(self, within_days: int) -> list[DueItem]:
        """Everything due from today to ``within_days`` ahead, and everything overdue, by date.

        A vendor whose records cannot be read keeps its contract dates; the reason is kept in
        ``problems`` and the other vendors are listed as usual.
        """
        on = self.today
        items: list[DueItem] = []
        for vendor in self.store.list_vendors():
            items += due_list.contract_items(vendor, on)
            runs = self.readable_runs(vendor.id)
            if runs is None:
                continue
            for dated in self.dates(vendor, runs):
                item = dated.on(vendor, on)
                if item is not None:
                    items.append(item)
        return due_list.within(items, on, within_days)

    def reminders(self, runs: list[Run]) -> list[Dated]:
        """The dates answered in the vendor's latest run of each playbook that a question
        declares a reminder for (the next SLA review, the first deliverable...). Once its day
        has passed, a reminder is history rather than overdue."""
        items = []
        for playbook_id, run in latest_runs(runs).items():
            playbook = self.library.get(playbook_id)
            if playbook is None:
                continue
            for question in playbook.questions_by_id.values():
                value = run.answers.get(question.id)
                if not question.remind or not isinstance(value, str):
                    continue
                try:
                    when = date.fromisoformat(value)
                except ValueError:
                    continue
                text = f"{question.remind} ({playbook.title})"
                items.append(Dated(when, "reminder", text, lapses=True))
        return items
