"""The life of a playbook run, decided once for both front ends.

Whether a playbook is resumed, started afresh or shown as finished; which answers and ticks
actually changed; what completing a run keeps: the app and the plain mode both ask here, so
they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from outsource_tui.domain import facts, reviewers
from outsource_tui.domain.answers import Answer, format_number
from outsource_tui.domain.periods import check_period, period_bounds, period_of
from outsource_tui.domain.playbook import Cadence, Playbook, Question, Step
from outsource_tui.domain.run import Run, check_key, progress, resume_index
from outsource_tui.domain.vendor import Vendor, VendorStatus
from outsource_tui.errors import UserError, ValidationError

if TYPE_CHECKING:
    from outsource_tui.domain.scoring import KpiTarget, SlaTerms
    from outsource_tui.services.portfolio import Portfolio
    from outsource_tui.store import Store

EDITED_NOTICE = (
    "This playbook was edited after this run began: answers to questions that still exist are "
    "kept, the rest stay stored but are not shown."
)
NO_TARGETS = "No KPI targets agreed yet: walk the SLA and KPIs playbook first."


class Opening(StrEnum):
    """What opening a playbook for a vendor leads to."""

    STARTED = "started"  # a new run was begun (pre-filled where the playbook asks for it)
    RESUMED = "resumed"  # a run in progress, to carry on from where it was left
    FINISHED = "finished"  # the run is complete: show its summary; edits reopen it


class AlreadyInProgress(UserError):
    """Asked to start afresh while a run of the same playbook is still open."""


@dataclass(frozen=True)
class OpenedRun:
    """The run a front end should show, and how it came to be chosen."""

    run: Run
    opening: Opening
    start_index: int  # the step to show first

    @property
    def period(self) -> str:
        return self.run.period


@dataclass(frozen=True)
class Completion:
    """The outcome of trying to complete a run."""

    run: Run
    done: bool
    missing: tuple[int, str] | None = None  # (step index, question id) of the first gap
    snapshot: dict[str, Any] | None = None


def changed_answers(stored: Mapping[str, Answer], given: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers in ``given`` that differ from ``stored`` (``None`` clears a stored one)."""
    return {
        qid: value
        for qid, value in given.items()
        if (value is None and qid in stored) or (value is not None and stored.get(qid) != value)
    }


def changed_ticks(
    step: Step, stored: set[str], chosen_item_ids: Iterable[str]
) -> tuple[set[str], set[str]]:
    """(ticked, unticked) checklist keys of one step, against what is stored."""
    keys = {check_key(step, item.id) for item in step.checklist}
    chosen = {check_key(step, item_id) for item_id in chosen_item_ids} & keys
    return chosen - stored, (keys - chosen) & stored


def check_order(
    playbook: Playbook, question: Question, value: Answer, answers: Mapping[str, Answer]
) -> None:
    """Refuse a date that comes before the date it must follow (the SLA's next review before
    the day it was agreed), or a date that such a later date would then precede."""
    pairs = [(question, value, playbook.questions_by_id.get(question.after))]
    pairs += [
        (later, answers.get(later.id), question)
        for later in playbook.questions_by_id.values()
        if later.after == question.id
    ]
    for later, later_value, earlier in pairs:
        if earlier is None or not isinstance(later_value, str):
            continue
        earlier_value = value if earlier is question else answers.get(earlier.id)
        if isinstance(earlier_value, str) and later_value < earlier_value:
            raise ValidationError(
                f"{later.prompt.split(' (')[0]}: {later_value} comes before "
                f"{earlier.prompt.split(' (')[0].lower()} ({earlier_value})"
            )


def _as_text(value: Answer) -> str:
    return "" if value is None else str(value)


def edited_notice(playbook: Playbook, run: Run) -> str | None:
    """Why some stored answers may not be shown: the playbook changed after the run began."""
    if run.playbook_digest and run.playbook_digest != playbook.digest:
        return EDITED_NOTICE
    return None


def target_lines(targets: list[KpiTarget], terms: SlaTerms | None = None) -> list[str]:
    """The agreed KPI targets, a line each, with what a miss costs; then the credit terms
    (fee, cap, earn-back) when any were agreed. Both front ends show them beside results."""
    from outsource_tui.domain.labels import money
    from outsource_tui.domain.scoring import LOWER

    def cost(percent: float) -> str:
        amount = money(terms.money(percent), terms.currency) if terms else ""
        return f"{format_number(percent)} % of the fee" + (f" ({amount})" if amount else "")

    lines = []
    for target in targets:
        unit = f" {target.unit}" if target.unit else ""
        line = (
            f"{target.kpi}: {format_number(target.target)}{unit}, "
            f"{target.direction}, weight {format_number(target.weight)}"
        )
        if target.credit:
            line += f"; a miss costs {cost(target.credit)}"
            if target.floor is not None and target.floor_credit:
                beyond = "above" if target.direction == LOWER else "below"
                floor = f"{format_number(target.floor)}{unit}"
                line += f", {beyond} {floor} {cost(target.floor_credit)}"
        if target.bonus:
            line += f"; beaten earns {cost(target.bonus)}"
        if target.critical:
            line += "; critical"
        lines.append(line)
    if terms is not None:
        parts = []
        if terms.monthly_fee is not None:
            parts.append(f"monthly fee {money(terms.monthly_fee, terms.currency)}")
        if terms.credit_cap is not None:
            parts.append(f"credits capped at {cost(terms.credit_cap)} a period")
        if terms.earn_back:
            parts.append("a credit is earned back when the KPI is met the next period")
        if parts:
            lines.append("Credit terms: " + "; ".join(parts) + ".")
    return lines


ONBOARDING_ID = "onboarding"


def next_status_after(playbook: Playbook, vendor: Vendor) -> str | None:
    """The status a finished playbook suggests for the vendor, if any: onboarding done, the
    vendor becomes active. Both front ends offer it; neither sets it unasked."""
    if playbook.id == ONBOARDING_ID and vendor.status == VendorStatus.ONBOARDING.value:
        return VendorStatus.ACTIVE.value
    return None


def result_lines(targets: list[KpiTarget], playbook: Playbook, run: Run) -> list[str]:
    """How the KPI results entered so far stand against the targets: how many were met,
    which have no result yet, and which results name a KPI the SLA does not have."""
    from outsource_tui.domain.reported import reported_actuals
    from outsource_tui.domain.scoring import attainment, kpi_actuals, standing_actual
    from outsource_tui.domain.vendor import name_key

    actuals = kpi_actuals(playbook, run)
    theirs = reported_actuals(run)  # the partner's figures: as the scorecard counts them
    if not targets or not (actuals or theirs):
        return []
    known = {name_key(t.kpi) for t in targets}
    met = missing = 0
    blank = []
    each = []
    for target in targets:
        actual, reported = standing_actual(target, actuals, theirs)
        if actual is None:
            blank.append(target.kpi)
            continue
        reached = attainment(target.target, actual, target.direction)
        unit = f" {target.unit}" if target.unit else ""
        if reached is not None and reached >= 1.0:
            met += 1
            verdict = "met"
        else:
            missing += 1
            verdict = "missed"
        whose = " (the partner's figure)" if reported else ""
        each.append(
            f"  {target.kpi}: {format_number(actual)}{unit}{whose} against "
            f"{format_number(target.target)}{unit}, {verdict}"
        )
    lines = [f"Targets met: {met} of {len(targets)}" + (f", {missing} missed" if missing else "")]
    lines += each
    if blank:
        lines.append("No result yet for: " + ", ".join(blank))
    names = []
    for question in playbook.fed_tables("kpi-actuals"):
        rows = run.answers.get(question.id)
        if isinstance(rows, list):
            names += [
                str(row["kpi"])
                for row in rows
                if isinstance(row, dict) and isinstance(row.get("kpi"), str)
            ]
    strangers = [n for n in names if name_key(n) not in known]
    if strangers:
        lines.append("Not in the SLA, so not scored: " + ", ".join(strangers) + " (check the name)")
    return lines


class RunService:
    """Opening, saving and completing runs, over one store and one portfolio view."""

    def __init__(self, store: Store, portfolio: Portfolio) -> None:
        self.store = store
        self.portfolio = portfolio
        # Who is rating: a named reviewer's weighted ratings are kept as theirs alone.
        self.reviewer = portfolio.settings.reviewer

    # -- opening -------------------------------------------------------------------------

    def period_for(self, vendor_id: str, playbook: Playbook, period: str | None) -> str:
        """The period a run covers: checked when given, else the one a new review should cover.

        Raises :class:`UserError` for a period that is not of the playbook's cadence, or for a
        period given to a playbook walked once.
        """
        if playbook.cadence is Cadence.ONCE:
            if period:
                raise UserError(f"'{playbook.id}' is walked once, not per period")
            return ""
        if period:
            try:
                return check_period(period, playbook.cadence)
            except ValidationError as exc:
                raise UserError(str(exc)) from None
        return self.portfolio.default_period(playbook, self.store.runs(vendor_id))

    def future_period(self, playbook: Playbook, period: str) -> str | None:
        """The current period when ``period`` has not begun yet (a review is of the past:
        both front ends ask before starting one ahead of time), else None."""
        if not period or playbook.cadence is Cadence.ONCE:
            return None
        current = period_of(self.portfolio.today, playbook.cadence)
        return current if period_bounds(period)[0] > period_bounds(current)[0] else None

    def open(
        self, vendor_id: str, playbook: Playbook, period: str = "", *, fresh: bool = False
    ) -> OpenedRun:
        """The run to show for this vendor, playbook and period (the period of a recurring
        playbook must be given; see :meth:`period_for`).

        The one rule: a run in progress is resumed where it was left; a finished run is shown
        as finished; with no run yet, one is started, pre-filled with what is known (a review
        starts with the SLA's KPI names and the last review's open action items). ``fresh``
        starts a new run of a finished one-off playbook, and refuses while one is in progress;
        a period of a recurring playbook has one run, reopened to change it.
        """
        runs = self.store.runs(vendor_id)
        if playbook.cadence is Cadence.ONCE:
            period = ""
        elif not period:
            raise UserError(f"'{playbook.id}' is walked per period: name the period")
        else:
            fresh = False  # one run per period: a finished one is reopened to change it
        same = [r for r in runs if r.playbook_id == playbook.id and r.period == period]
        latest = same[-1] if same else None
        if latest is not None and not latest.completed:
            if fresh:
                raise AlreadyInProgress("already in progress: resume it instead")
            return OpenedRun(latest, Opening.RESUMED, resume_index(playbook, latest))
        if latest is not None and not fresh:
            return OpenedRun(latest, Opening.FINISHED, 0)
        prefill = self.portfolio.review_prefill(playbook, runs) if period else {}
        run = self.store.start_run(vendor_id, playbook, period=period, answers=prefill)
        return OpenedRun(run, Opening.STARTED, 0)

    def latest(self, vendor_id: str, playbook: Playbook, period: str = "") -> Run | None:
        """The latest run of a playbook for a vendor (of ``period``, when one is given)."""
        runs = [r for r in self.store.runs(vendor_id) if r.playbook_id == playbook.id]
        if period:
            runs = [r for r in runs if r.period == period]
        return runs[-1] if runs else None

    def abandon(self, vendor_id: str, playbook: Playbook, period: str = "") -> Run:
        """Give up the latest run of a playbook (of ``period``): it stays on disk, marked
        abandoned, and counts for nothing; opening the playbook again starts afresh."""
        run = self.latest(vendor_id, playbook, period)
        if run is None:
            what = f"{playbook.id} for {period}" if period else playbook.id
            raise UserError(f"no run of {what} to abandon")
        self.store.abandon_run(vendor_id, run.id)
        return run

    # -- saving --------------------------------------------------------------------------

    def shown_answers(self, playbook: Playbook, run: Run) -> dict[str, Answer]:
        """The answers to show for a run: a question that states a vendor fact shows the
        vendor record's value, which may have been changed elsewhere since; a weighted
        rating shows the reviewer's own."""
        vendor = self.store.get_vendor(run.vendor_id)
        return facts.with_vendor_facts(
            playbook, reviewers.own_view(playbook, run, self.reviewer), vendor
        )

    def save_answers(self, playbook: Playbook, run: Run, given: Mapping[str, Answer]) -> list[str]:
        """Save the answers that changed, one at a time; returns the ids saved.

        An answer that states a vendor fact (the partner's time zone, the day notice was
        given) writes the vendor record first, checked as the vendor form checks it.
        ``run.answers`` follows each save, so a failure part way leaves it true to the store
        (the :class:`UserError` names the problem; what was not saved can be tried again).
        """
        saved = []
        questions = playbook.questions_by_id
        # A vendor fact is compared with the vendor record, its home, not with what this run
        # once said: the record may have been changed since (the vendor form, another run).
        shown = self.shown_answers(playbook, run)
        stored = {
            qid: shown.get(qid) if facts.vendor_field(q) else run.answers.get(qid)
            for qid, q in questions.items()
            if qid in run.answers or (facts.vendor_field(q) and qid in shown)
        }
        if self.reviewer:  # a weighted rating is compared with this reviewer's own
            own = reviewers.own_ratings(run, self.reviewer)
            for rating in playbook.scored_questions():
                stored.pop(rating.id, None)
                if rating.id in own:
                    stored[rating.id] = own[rating.id]
        for question_id, value in changed_answers(stored, given).items():
            question = questions.get(question_id)
            if question is not None:
                check_order(playbook, question, value, {**run.answers, **given})
            if self.reviewer and question is not None and reviewers.is_rating(question):
                name = self.store.save_rating(
                    run.vendor_id, run.id, self.reviewer, question_id, value
                )
                reviewers.set_rating(run.ratings_by, name, question_id, value)
                saved.append(question_id)
                continue
            field = facts.vendor_field(question) if question is not None else ""
            if field:
                self.store.set_vendor_facts(run.vendor_id, {field: _as_text(value)})
            self.store.save_answer(run.vendor_id, run.id, question_id, value)
            if value is None:
                run.answers.pop(question_id, None)
            else:
                run.answers[question_id] = value
            saved.append(question_id)
        return saved

    def set_ticks(self, run: Run, step: Step, chosen_item_ids: Iterable[str]) -> bool:
        """Store which of a step's checklist items are ticked; False when nothing changed.

        Only the items that changed are written, so another instance's ticks survive.
        """
        ticked, unticked = changed_ticks(step, run.checked, chosen_item_ids)
        if not (ticked or unticked):
            return False
        run.checked = self.store.set_checked(run.vendor_id, run.id, ticked, unticked)
        return True

    def go_to_step(self, run: Run, playbook: Playbook, index: int) -> None:
        """Remember the step the user is on, so a stop resumes there in either front end."""
        step = playbook.steps[index]
        if (run.step_index, run.step_id) != (index, step.id):
            self.store.set_step(run.vendor_id, run.id, index, step.id)
            run.step_index, run.step_id = index, step.id

    # -- completing ----------------------------------------------------------------------

    def complete(self, playbook: Playbook, run_id: str, vendor_id: str) -> Completion:
        """Complete the run if every required question is answered.

        What is stored is read back first (another instance may have answered meanwhile). A
        review keeps its scorecard as it stands, so later SLA edits do not rewrite history.
        """
        run = self.store.get_run(vendor_id, run_id)
        missing = progress(playbook, run).first_missing()
        if missing is not None:
            return Completion(run, False, missing)
        snapshot = None
        if playbook.fed_tables("kpi-actuals") and run.period:
            runs = self.store.runs(vendor_id)
            snapshot = self.portfolio.live_scorecard(playbook, run, runs).to_dict()
        self.store.complete_run(vendor_id, run.id, snapshot)
        return Completion(self.store.get_run(vendor_id, run.id), True, None, snapshot)

    # -- what to show beside the questions -----------------------------------------------

    def targets(self, vendor_id: str) -> list[KpiTarget]:
        """The KPI targets agreed in the vendor's SLA."""
        return self.portfolio.targets(self.store.runs(vendor_id))

    def sla_terms(self, vendor_id: str) -> SlaTerms:
        """The money side of the vendor's SLA: fee, currency, credit cap, earn-back."""
        return self.portfolio.sla_terms(self.store.runs(vendor_id))
