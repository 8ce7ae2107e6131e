"""One vendor: its facts, and the playbooks to walk with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from outsource_tui.domain.contract import clock_phrase
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run, latest_runs, progress
from outsource_tui.domain.vendor import (
    Vendor,
    check_contract,
    contract_clock,
    contract_conflict,
)
from outsource_tui.domain.working_hours import overlap_lines
from outsource_tui.errors import UserError, ValidationError
from outsource_tui.tui.navigation import (
    Confirm,
    EditContract,
    EditVendor,
    ExportPack,
    ExportReport,
    OpenPlaybook,
    OpenScorecard,
)
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.footer import KeyFooter
from outsource_tui.tui.widgets.pick_list import PlaybookList


def run_status(playbook: Playbook, run: Run | None) -> str:
    """A short phrase for how far a vendor got with a playbook."""
    if run is None:
        return "not started"
    done = progress(playbook, run)
    counts = (
        f"{done.checked}/{done.checklist_total} ticked, "
        f"{done.answered}/{done.question_total} answered"
    )
    period = f"{run.period} " if run.period else ""
    if run.completed:
        return f"{period}completed {run.completed_at[:10]} · {counts}"
    step = min(run.step_index, len(playbook.steps) - 1) + 1
    return f"{period}in progress, step {step} of {len(playbook.steps)} · {counts}"


def contract_span(vendor: Vendor) -> str:
    """The contract dates as a phrase: 'from X', 'until Y' or 'X to Y'."""
    start, end = vendor.contract_start, vendor.contract_end
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


class VendorScreen(AppScreen[None]):
    """Facts on top, playbooks below; enter starts or resumes the highlighted playbook."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the vendor list"),
        Binding(
            "n", "new_run", "Start again", id="new-run", tooltip="Walk a finished playbook again"
        ),
        Binding("s", "scorecard", "Scorecard", id="scorecard", tooltip="KPIs, ratings and trend"),
        Binding("x", "export", "Export report", id="export", tooltip="Markdown and HTML files"),
        Binding(
            "p",
            "export_pack",
            "Review pack",
            id="export-pack",
            tooltip="A workbook for the partner to fill in before the review",
        ),
        Binding("e", "edit", "Edit vendor", id="edit-vendor", tooltip="Name, status, zone, dates"),
        Binding("t", "terms", "Contract terms", id="contract-terms", tooltip="Renewal and notice"),
        Binding(
            "delete",
            "abandon",
            "Abandon run",
            id="abandon-run",
            tooltip="Give up the highlighted playbook's latest run (kept on disk)",
        ),
    ]

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.vendor: Vendor | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="facts")
        yield Static("Playbooks — enter to start or resume", id="playbooks-title")
        yield PlaybookList(id="playbooks")
        yield Static("", id="about")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#playbooks", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # on the first showing too: reading once keeps a problem told once

    def reload(self) -> None:
        """Read the vendor and its runs again and redraw."""
        services = self.services
        try:
            vendor = services.store.get_vendor(self.vendor_id)
            runs = services.store.runs(self.vendor_id)
        except UserError as exc:
            self.show_error(exc)
            return
        self.vendor = vendor
        self.sub_title = vendor.name
        today = services.today()
        facts = Text()
        facts.append(vendor.name, style="bold")
        facts.append(f"  ({vendor.status})\n")
        for label, value in (
            ("Service", vendor.service),
            ("Time zone", vendor.timezone),
            # With terms, the typed end date is the first term's: the clock line says the rest.
            ("Contract (first term)" if vendor.contract else "Contract", contract_span(vendor)),
            ("Contact", vendor.contact),
        ):
            facts.append(f"{label}: ", style="dim")
            facts.append((value or "—") + "\n")
        clock_now = contract_clock(vendor, today)
        facts.append("Contract clock: ", style="dim")
        if clock_now is None and vendor.contract:
            try:
                check_contract(vendor.contract_start, vendor.contract)
                reason = "it cannot be worked out for today"
            except ValidationError as exc:
                reason = str(exc)
            facts.append(f"the terms cannot be used: {reason} (press t)\n", style="red")
        elif clock_now is None:
            facts.append("no terms yet (press t)\n")
        else:
            facts.append(clock_phrase(clock_now) + "\n")
        conflict = contract_conflict(vendor)
        if conflict:
            facts.append(f"Dates and terms disagree: {conflict}\n", style="bold yellow")
        for line in overlap_lines(vendor, services.settings, today, *self._fit_answers(runs)):
            facts.append(line + "\n", style="dim")
        facts.rstrip()
        self.query_one("#facts", Static).update(facts)

        latest = latest_runs(runs)
        options = self.query_one("#playbooks", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for playbook in services.library:
            entry = Text()
            entry.append(playbook.title, style="bold")
            entry.append(f"  [{playbook.cadence.value}]\n", style="dim")
            entry.append(run_status(playbook, latest.get(playbook.id)))
            options.add_option(Option(entry, id=playbook.id))
        if options.option_count:
            options.highlighted = highlighted if highlighted is not None else 0

    def _fit_answers(self, runs: list[Run]) -> tuple[Playbook | None, Run | None]:
        """The playbook and run that declare working hours, if the vendor has one."""
        for playbook in self.services.library:
            if playbook.question_with_role("their-hours-start"):
                mine = [r for r in runs if r.playbook_id == playbook.id]
                if mine:
                    return playbook, mine[-1]
        return None, None

    def _highlighted_playbook(self) -> Playbook | None:
        options = self.query_one("#playbooks", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.services.library.get(option.id or "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        playbook = self.services.library.get(event.option.id or "")
        if playbook is not None:
            about = Text()
            about.append(playbook.summary)
            if playbook.source == "user" and playbook.path is not None:
                about.append(f"\nYour own playbook: {playbook.path}", style="dim")
            self.query_one("#about", Static).update(about)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(OpenPlaybook(self.vendor_id, event.option.id))

    def action_new_run(self) -> None:
        playbook = self._highlighted_playbook()
        if playbook is not None:
            self.post_message(OpenPlaybook(self.vendor_id, playbook.id, fresh=True))

    def action_edit(self) -> None:
        self.post_message(EditVendor(self.vendor_id))

    def action_terms(self) -> None:
        self.post_message(EditContract(self.vendor_id))

    def action_export(self) -> None:
        self.post_message(ExportReport(self.vendor_id))

    def action_export_pack(self) -> None:
        self.post_message(ExportPack(self.vendor_id))

    def action_abandon(self) -> None:
        playbook = self._highlighted_playbook()
        if playbook is None or self.vendor is None:
            return
        runs = self.services.runs()
        try:
            run = runs.latest(self.vendor_id, playbook)
        except UserError as exc:
            self.show_error(exc)
            return
        if run is None:
            self.notify("Nothing to abandon: this playbook was never started.")
            return
        what = f"{playbook.title} {run.period}".strip()
        state = "finished" if run.completed else "in progress"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                runs.abandon(self.vendor_id, playbook, run.period)
            except UserError as exc:
                self.show_error(exc)
                return
            self.notify(f"Abandoned {what}; it is kept on disk.", markup=False)
            self.reload()

        self.post_message(
            Confirm(
                f"Abandon {what} ({state}, started {run.started_at[:10]})? It stays on disk "
                "but counts for nothing; opening the playbook again starts afresh.",
                "Abandon it",
                "Keep it",
                answered,
                safe_default=run.completed,
            )
        )

    def action_scorecard(self) -> None:
        self.post_message(OpenScorecard(self.vendor_id))
