"""Walk a playbook step by step: read the guidance, tick the checklist, answer the questions.

Every answer is saved as it is given: at once for a pick or a tick, and for typed text when
the user pauses, leaves the field, changes step or quits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Header, Markdown, SelectionList, Static

from outsource_tui.domain import facts, reviewers
from outsource_tui.domain.answers import Answer
from outsource_tui.domain.contract import clock_phrase
from outsource_tui.domain.playbook import DECISION_ROLE, Playbook, Step
from outsource_tui.domain.run import Run, check_key, progress, resume_index
from outsource_tui.domain.vendor import Vendor, contract_clock
from outsource_tui.domain.working_hours import overlap_lines
from outsource_tui.errors import UserError
from outsource_tui.services.runs import (
    NO_TARGETS,
    RunService,
    edited_notice,
    result_lines,
    target_lines,
)
from outsource_tui.tui.navigation import ImportPack, RunFinished
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.checklist import Checklist
from outsource_tui.tui.widgets.footer import KeyFooter
from outsource_tui.tui.widgets.question_field import QuestionField

if TYPE_CHECKING:
    from outsource_tui.domain.scoring import KpiTarget, SlaTerms

SAVE_PAUSE = 0.6  # seconds of no typing before a typed answer is saved
NARROW = 100  # below this many columns the step list narrows to one line a step


@dataclass
class StepContext:
    """What the reference panel shows beside a step, read once when the step opens."""

    vendor: Vendor
    targets: list[KpiTarget] | None  # None: the step records no KPI results
    terms: SlaTerms | None = None  # the SLA's fee, cap and earn-back, beside the targets


class RunnerScreen(AppScreen[None]):
    """One run of one playbook for one vendor."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next step", id="next-step", tooltip="Go to the next step"),
        Binding(
            "ctrl+b",
            "previous_step",
            "Previous step",
            id="previous-step",
            tooltip="Go back to the step before",
        ),
        Binding("escape", "leave", "Back", id="leave", tooltip="Save and go back to the vendor"),
        Binding(
            "ctrl+g",
            "first_gap",
            "First blank",
            id="first-gap",
            tooltip="Go to the first required question still blank",
        ),
        Binding(
            "ctrl+o",
            "import_pack",
            "Partner's pack",
            id="import-pack",
            tooltip="Read the review pack the partner filled in: see what it changes, then save",
        ),
    ]

    def __init__(self, vendor_id: str, playbook: Playbook, run_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.playbook = playbook
        self.run_id = run_id
        self.run: Run | None = None
        self.step_index = 0
        self._pending: dict[str, Answer] = {}
        self._save_timer: Timer | None = None
        self._step_context: StepContext | None = None
        self._service: RunService | None = None

    @property
    def runs(self) -> RunService:
        """The run service, over one read of the portfolio for this screen's life."""
        if self._service is None:
            self._service = self.services.runs()
        return self._service

    @property
    def step(self) -> Step:
        return self.playbook.steps[self.step_index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="steps"):
                yield Static(Content(self.playbook.title), id="steps-title")
                for index, _step in enumerate(self.playbook.steps):
                    yield Static("", id=f"step-{index}", classes="step-entry")
                yield Static("", id="steps-overall")
            yield VerticalScroll(id="step-body")
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            if self.run is not None:
                self._draw_steps()

    async def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        store = self.services.store
        try:
            self.run = store.get_run(self.vendor_id, self.run_id)
            vendor = store.get_vendor(self.vendor_id)
        except UserError as exc:
            self.show_error(exc)
            self.app.pop_screen()
            return
        self.title = self.playbook.title
        period = f" · {self.run.period}" if self.run.period else ""
        rating_as = reviewers.rating_as(self.playbook, self.runs.reviewer)
        self.sub_title = vendor.name + period + rating_as
        start = resume_index(self.playbook, self.run)
        await self.show_step(start)
        gap = progress(self.playbook, self.run).first_missing()
        if gap is not None and gap[0] < start:
            # Resumed past a required answer still blank: say where, one key away.
            question = self.playbook.questions_by_id[gap[1]].prompt
            self.notify(
                f"A required answer is still blank in step {gap[0] + 1}: {question}. "
                "Press ctrl+g to go there.",
                markup=False,
                timeout=12,
            )

    async def action_first_gap(self) -> None:
        assert self.run is not None
        if not self.flush_answers():
            return
        gap = progress(self.playbook, self.run).first_missing()
        if gap is None:
            self.notify("Every required question is answered.")
            return
        if gap[0] != self.step_index:
            await self.show_step(gap[0])
        field = self.query_one(f"#q-{gap[1]}", QuestionField)
        field.control.focus()
        field.scroll_visible()

    # -- drawing ---------------------------------------------------------------------------

    async def show_step(self, index: int) -> None:
        """Replace the body with step ``index`` and remember it as the place to resume."""
        assert self.run is not None
        if not self.flush_answers():
            return
        self.step_index = index
        step = self.step
        body = self.query_one("#step-body", VerticalScroll)
        await body.remove_children()
        period = f" · {self.run.period}" if self.run.period else ""
        widgets: list = [
            Static(
                Content(f"Step {index + 1} of {len(self.playbook.steps)} · {step.title}{period}"),
                id="step-title",
            )
        ]
        notice = edited_notice(self.playbook, self.run)
        if notice:
            widgets.append(Static(notice, id="changed", classes="banner"))
        if index == 0 and self.playbook.intro:
            widgets.append(Markdown(self.playbook.intro, id="intro"))
        if step.guidance:
            widgets.append(Markdown(step.guidance, id="guidance"))
        self._step_context = self._read_context(step)
        context = self._reference_for(step)
        if context is not None or any(q.risks or q.role for q in step.questions):
            widgets.append(Static(context or "", id="context"))
        if step.checklist:
            widgets.append(Static("Checklist — space ticks an item", classes="section"))
            widgets.append(
                Checklist(
                    *[
                        (Content(item.text), item.id, check_key(step, item.id) in self.run.checked)
                        for item in step.checklist
                    ],
                    id="checklist",
                )
            )
        if step.questions:
            widgets.append(Static("Questions", classes="section"))
            reviewer = self.runs.reviewer
            if reviewer and any(reviewers.is_rating(q) for q in step.questions):
                rater = Content(reviewers.rater_line(reviewer))
                widgets.append(Static(rater, id="rater", classes="hint"))
            # A question stating a vendor fact shows the vendor record's value, its one home;
            # a weighted rating shows this reviewer's own.
            own = reviewers.own_view(self.playbook, self.run, reviewer)
            shown = (
                facts.with_vendor_facts(self.playbook, own, self._step_context.vendor)
                if self._step_context is not None
                else own
            )
            weight_total = sum(
                q.weight for q in self.playbook.questions_by_id.values() if q.weight is not None
            )
            for question in step.questions:
                widgets.append(
                    QuestionField(
                        question,
                        shown.get(question.id),
                        today=self.services.today(),
                        id=f"q-{question.id}",
                        weight_total=weight_total,
                    )
                )
        last = index == len(self.playbook.steps) - 1
        nav = Horizontal(
            Button("Previous (ctrl+b)", id="previous", disabled=index == 0),
            Button(
                "Finish (ctrl+n)" if last else "Next step (ctrl+n)",
                id="next",
                variant="success" if last else "primary",
            ),
            id="nav",
        )
        widgets.append(nav)
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        self._draw_steps()
        focusable = [w for w in body.query("*") if w.focusable]
        if focusable:
            focusable[0].focus(scroll_visible=False)
        try:
            self.runs.go_to_step(self.run, self.playbook, index)
        except UserError as exc:
            self.show_error(exc, prefix="Not saved: ")

    def _read_context(self, step: Step) -> StepContext | None:
        """Read what the step's reference panel needs, once: answers saved later in the step
        change only the parts worked out from this run (overlap, risks)."""
        try:
            vendor = self.services.store.get_vendor(self.vendor_id)
            fed = {q.feeds for q in step.questions}
            targets = self.runs.targets(self.vendor_id) if "kpi-actuals" in fed else None
            terms = self.runs.sla_terms(self.vendor_id) if targets else None
        except UserError:
            return None
        return StepContext(vendor, targets, terms)

    def _reference_for(self, step: Step) -> Text | None:
        """What the user needs in front of them here: targets, overlap, risks found."""
        assert self.run is not None
        context = self._step_context
        if context is None:
            return None
        vendor = context.vendor
        today = self.services.today()
        text = Text()
        roles = {q.role for q in step.questions}
        if context.targets is not None:
            if not context.targets:
                text.append(NO_TARGETS)
            else:
                text.append("Agreed targets (from the SLA):\n", style="bold")
                for line in target_lines(context.targets, context.terms):
                    text.append(f"  {line}\n")
                text.append(
                    "Enter or select a row and press enter to fill in its actual.", style="dim"
                )
                for number, line in enumerate(
                    result_lines(context.targets, self.playbook, self.run)
                ):
                    strange = line.startswith("Not in the SLA")
                    text.append("\n" if number else "\n\n")
                    text.append(line, style="bold yellow" if strange else "bold")
        if roles & {"their-hours-start", "their-hours-end", "our-hours-start", "our-hours-end"}:
            settings = self.services.settings
            lines = overlap_lines(vendor, settings, today, self.playbook, self.run)
            text.append("Working-hour overlap (updates as you answer):\n", style="bold")
            text.append("\n".join(f"  {line}" for line in lines))
        if any(q.role in (DECISION_ROLE, "notice-given") for q in step.questions):
            state = contract_clock(vendor, today)
            text.append("The contract clock:\n", style="bold")
            if state is None:
                text.append(
                    "  No contract terms recorded: add them with "
                    f'outsource-tui vendor contract "{vendor.name}" --months N ...'
                )
            else:
                text.append(
                    f"  Term {state.term_number}: {state.term_start} to {state.term_end} "
                    f"({state.renewal.value} renewal)\n"
                    f"  Decide by {state.decide_by}; last notice day {state.last_notice_day}\n"
                    f"  State: {state.state.value.replace('-', ' ')}"
                )
                if state.ends_on is not None:
                    text.append(f"\n  {clock_phrase(state).capitalize()}")
                elif state.next_exit_date:
                    text.append(
                        f"\n  Next possible exit: {state.next_exit_date} "
                        f"(notice by {state.next_exit_notice_day})"
                    )
            text.append("\n")
        risks = self._risks_found()
        if risks and any(q.risks for q in step.questions):
            text.append("Risks from your answers, and how to bridge them:\n", style="bold")
            text.append("\n".join(f"  • {risk}" for risk in risks))
        self._partner_lines(step, context.targets, text)
        return text if text.plain else None

    def _risks_found(self) -> list[str]:
        """The risks the playbook declares for the answers given so far."""
        assert self.run is not None
        found = []
        for step in self.playbook.steps:
            for question in step.questions:
                value = self.run.answers.get(question.id)
                chosen = value if isinstance(value, list) else [value]
                words = {
                    ("yes" if v else "no") if isinstance(v, bool) else str(v).casefold()
                    for v in chosen
                }
                found += [risk for answer, risk in question.risks if answer.casefold() in words]
        return found

    def _refresh_reference(self) -> None:
        if not self.is_mounted:
            return
        reference = self._reference_for(self.step)
        for widget in self.query("#context").results(Static):
            widget.update(reference or "")

    def _draw_steps(self) -> None:
        assert self.run is not None
        done = progress(self.playbook, self.run)
        for index, row in enumerate(done.steps):
            complete = row.checked == row.checklist_total and not row.missing_required
            current = index == self.step_index
            marker = "▶ " if current else ("✓ " if complete else "  ")
            text = Text()
            text.append(f"{marker}{index + 1}. {row.step.title}", style="bold" if current else "")
            if not self.has_class("-narrow"):  # narrow: the step shows its own counts
                text.append(
                    f"\n   {row.checked}/{row.checklist_total} ticked · "
                    f"{row.answered}/{row.question_total} answered",
                    style="dim",
                )
            entry = self.query_one(f"#step-{index}", Static)
            entry.update(text)
            if current:
                entry.scroll_visible(animate=False)
        self.query_one("#steps-overall", Static).update(
            f"Overall: {done.checked}/{done.checklist_total} ticked "
            f"({done.checklist_percent}%)\n"
            f"{done.answered}/{done.question_total} answered"
        )

    # -- saving ----------------------------------------------------------------------------

    @on(QuestionField.Answered)
    def _answered(self, event: QuestionField.Answered) -> None:
        event.stop()
        self._pending[event.question_id] = event.value
        question = self.playbook.questions_by_id.get(event.question_id)
        if event.final:
            self.flush_answers()
        elif question is not None and facts.vendor_field(question):
            # A vendor fact is written when the field is left, not at a pause in typing: a
            # date half cleared on the way to another must not erase the recorded one.
            return
        else:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_PAUSE, self.flush_answers)

    def flush_answers(self) -> bool:
        """Save every answer given but not yet written; False if any could not be saved."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.run is None:
            return True
        if not self._pending:
            return True
        try:
            saved = self.runs.save_answers(self.playbook, self.run, self._pending)
        except UserError as exc:
            # What was saved is in run.answers; the rest stays pending, the error on screen,
            # beside the field where the refused answer still stands.
            self._pending = {
                qid: value
                for qid, value in self._pending.items()
                if self.run.answers.get(qid) != value
            }
            self.show_error(exc, prefix="Not saved: ")
            for qid in self._pending:
                for field in self.query(f"#q-{qid}").results(QuestionField):
                    field.show_refusal(str(exc))
                break
            return False
        self._pending.clear()
        questions = self.playbook.questions_by_id
        if any(facts.vendor_field(questions[qid]) for qid in saved if qid in questions):
            # The vendor record changed (a time zone, a notice date): the panel reads it.
            self._step_context = self._read_context(self.step)
        if self.is_mounted:
            self._draw_steps()
            self._refresh_reference()
        return True

    @on(SelectionList.SelectedChanged, "#checklist")
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        assert self.run is not None
        try:
            self.runs.set_ticks(self.run, self.step, event.selection_list.selected)
        except UserError as exc:
            self.show_error(exc, prefix="Not saved: ")
        self._draw_steps()

    # -- moving ----------------------------------------------------------------------------

    def _step_is_valid(self) -> bool:
        invalid = [f for f in self.query(QuestionField) if not f.check(show=True)[0]]
        if invalid:
            invalid[0].control.focus()
            invalid[0].scroll_visible()
            self.notify("Fix the highlighted answer first.", severity="warning")
            return False
        return True

    async def action_next_step(self) -> None:
        if not self._step_is_valid():
            return
        if self.step_index < len(self.playbook.steps) - 1:
            await self.show_step(self.step_index + 1)
        else:
            await self.finish()

    async def action_previous_step(self) -> None:
        if self.step_index > 0 and self._step_is_valid():
            await self.show_step(self.step_index - 1)

    def action_leave(self) -> None:
        if self.flush_answers():
            self.app.pop_screen()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "next":
            await self.action_next_step()
        elif event.button.id == "previous":
            await self.action_previous_step()

    async def finish(self) -> None:
        """Complete the run if every required question is answered, else go to the first gap."""
        assert self.run is not None
        if not self.flush_answers():
            return
        try:
            outcome = self.runs.complete(self.playbook, self.run_id, self.vendor_id)
        except UserError as exc:
            self.show_error(exc, prefix="Not saved: ")
            return
        self.run = outcome.run
        if outcome.missing is not None:
            step_index, question_id = outcome.missing
            if step_index != self.step_index:
                await self.show_step(step_index)
            field = self.query_one(f"#q-{question_id}", QuestionField)
            field.show_required()
            field.control.focus()
            field.scroll_visible()
            self.notify("Some required questions are still blank.", severity="warning")
            return
        self.post_message(RunFinished(self.vendor_id, self.playbook.id, self.run_id))

    # -- the partner's review pack -----------------------------------------------------------

    def _partner_lines(self, step: Step, targets: list[KpiTarget] | None, text: Text) -> None:
        """What the partner reported through the review pack, theirs beside ours."""
        from outsource_tui.services.pack import reported_lines

        assert self.run is not None
        lines = reported_lines(self.playbook, step, self.run, targets or [])
        for line in lines:
            heading = not line.startswith(" ")
            text.append(("\n\n" if heading else "\n") if text.plain else "")
            text.append(line, style="bold" if heading else "")
        if targets is not None and self.run.period:
            text.append("\n\n" if text.plain else "")
            text.append("ctrl+o reads the review pack the partner filled in.", style="dim")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_pack":  # a review only: its period is the pack's
            return bool(self.playbook.fed_tables("kpi-actuals"))
        return True

    def action_import_pack(self) -> None:
        if self.run is None or not self.run.period or not self.flush_answers():
            return

        def done(saved: bool | None) -> None:
            if not saved or self.run is None:
                return
            try:  # the pack changed what the partner reported, never our answers
                stored = self.services.store.get_run(self.vendor_id, self.run_id)
                self.run.reported = stored.reported
            except UserError as exc:
                self.show_error(exc)
                return
            self._refresh_reference()

        self.post_message(ImportPack(self.vendor_id, self.run.period, done))
