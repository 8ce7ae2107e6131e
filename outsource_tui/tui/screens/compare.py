"""Compare candidate vendors on the selection playbook's weighted criteria.

Weights can be changed here to see what matters: the ranking follows live, the stored
ratings are never touched, and a change that puts another candidate first is called out.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Static
from textual.worker import get_current_worker

from outsource_tui.domain import reviewers
from outsource_tui.domain.compare import Ranked, criteria, lead, order, rank
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import Vendor, VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.tui.formatting import cut_to, fit_evenly
from outsource_tui.tui.navigation import OpenPlaybook
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.footer import KeyFooter

SELECTION_ID = "partner-selection"
ONBOARDING_ID = "onboarding"
WEIGHT_STEP = 5.0


class ChooseScreen(ModalScreen[bool]):
    """Confirm moving a candidate to onboarding."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(False)",
            "Cancel",
            id="cancel-choice",
            tooltip="Back to the comparison, nothing changed",
        )
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.vendor_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Content(
                    f"Choose {self.vendor_name}?\n\nIts status becomes 'onboarding' and the "
                    "onboarding playbook opens."
                )
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="no")
                yield Button("Choose and onboard", id="yes", variant="success")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class CompareScreen(AppScreen[None]):
    """Criteria down the side, candidates across; +/- change the highlighted weight."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "Back", id="compare-back", tooltip="Back to the vendors"
        ),
        Binding(
            "plus,equals_sign",
            "weight(1)",
            "Weight +",
            id="weight-up",
            tooltip="Raise the highlighted criterion's weight (ratings stay as stored)",
        ),
        Binding(
            "minus",
            "weight(-1)",
            "Weight −",
            id="weight-down",
            tooltip="Lower the highlighted criterion's weight (ratings stay as stored)",
        ),
        Binding(
            "r", "reset", "Reset weights", id="reset-weights", tooltip="Back to the playbook's"
        ),
        Binding(
            "o",
            "choose",
            "Choose leader",
            id="choose-leader",
            tooltip="Move the leading candidate to onboarding",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._criteria_whole: dict[str, str] = {}  # criterion id: its words, uncut
        self._criterion_width = 0
        self.playbook: Playbook | None = None
        self.candidates: list[tuple[str, str, Run]] = []
        self.base_weights: dict[str, float] = {}
        self.weights: dict[str, float] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="ranking")
        yield DataTable(id="criteria", cursor_type="row", zebra_stripes=True)
        yield Static("", id="criterion-detail", classes="hint")
        yield Static("", id="verdict")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Compare candidates"
        playbook = self.services.library.get(SELECTION_ID)
        if playbook is None:
            self.query_one("#ranking", Static).update("The partner-selection playbook is missing.")
            return
        self.playbook = playbook
        self.query_one("#ranking", Static).update("Reading the candidates' ratings…")
        self._load(playbook)

    @work(thread=True, exclusive=True, group="compare-load")
    def _load(self, playbook: Playbook) -> None:
        # Every candidate's runs are read off the event loop, so keys stay responsive.
        worker = get_current_worker()
        try:
            found = self.services.portfolio().candidates(playbook)
        except UserError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_error, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._loaded, playbook, found)

    def _loaded(self, playbook: Playbook, found: list[tuple[Vendor, Run]]) -> None:
        self.candidates = [(v.id, v.name, r) for v, r in found]
        self.base_weights = {q.id: q.weight or 0.0 for q in criteria(playbook)}
        self.weights = dict(self.base_weights)
        self.redraw()

    def on_resize(self) -> None:
        if self.playbook is not None and self.candidates:
            self.redraw()  # the columns fit the new width

    @on(DataTable.RowHighlighted, "#criteria")
    def _show_whole_criterion(self, event: DataTable.RowHighlighted) -> None:
        whole = self._criteria_whole.get(str(event.row_key.value), "")
        cut = len(whole) > self._criterion_width
        line = self.query_one("#criterion-detail", Static)
        line.update(Content(whole if cut else ""))
        line.display = cut

    def ranking(self, weights: dict[str, float]) -> list[Ranked]:
        assert self.playbook is not None
        return rank(self.playbook, self.candidates, weights)

    def redraw(self) -> None:
        assert self.playbook is not None
        if not self.candidates:
            self.query_one("#ranking", Static).update(
                "No candidates rated yet. Add vendors with status 'candidate' and walk the "
                "'partner-selection' playbook for each; they will be compared here."
            )
            return
        ranked = self.ranking(self.weights)
        base = self.ranking(self.base_weights)
        header = Text()
        for place, entry in enumerate(ranked, start=1):
            score = "—" if entry.score is None else f"{entry.score:.1f}"
            header.append(f"{place}. ", style="bold")
            header.append(entry.name, style="bold" if place == 1 else "")
            header.append(f"  {score}  ({entry.rated} of {len(entry.lines)} criteria rated")
            if len(entry.evaluators) > 1:  # several evaluators: each criterion is their median
                names = ", ".join(reviewers.reviewer_label(n) for n in entry.evaluators)
                header.append(f"; median of {len(entry.evaluators)} evaluators: {names}")
            header.append(")\n")
        margin = lead(ranked)
        if margin is not None:
            header.append(f"{ranked[0].name} leads by {margin:.1f} points.", style="green")
        self.query_one("#ranking", Static).update(header)

        table = self.query_one("#criteria", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        headings = [Text("Criterion"), Text("Weight"), *[Text(e.name) for e in ranked]]
        rows: list[tuple[str, list[Text]]] = []
        for question in criteria(self.playbook):
            weight = self.weights[question.id]
            changed = weight != self.base_weights[question.id]
            cells: list[Text] = [
                Text(question.prompt.split(" (")[0]),
                Text(f"{weight:g}" + (" *" if changed else ""), style="bold" if changed else ""),
            ]
            for entry in ranked:
                line = next(x for x in entry.lines if x.question_id == question.id)
                cells.append(
                    Text(reviewers.cell_text(line), style="bold yellow" if line.discuss else "")
                )
            rows.append((question.id, cells))
        # Fitted to the room there is, so that every candidate is on screen: a criterion or a
        # name too long for its column ends in "…"; the ranking above names each in full, and
        # the line beneath the table says the highlighted criterion in full.
        widths = [h.cell_len for h in headings]
        for _, cells in rows:
            widths = [max(w, c.cell_len) for w, c in zip(widths, cells, strict=True)]
        room = table.scrollable_content_region.width or self.app.size.width - 4
        # The candidates' names give up room before the criterion's words, down to their
        # ratings' width; then the criterion too.
        values = [max((c[i].cell_len for _, c in rows), default=1) for i in range(len(widths))]
        widths = fit_evenly(widths, room, [min(widths[0], 28), *values[1:]])
        widths = fit_evenly(widths, room, [12, *values[1:]])
        self._criteria_whole = {key: cells[0].plain for key, cells in rows}
        self._criterion_width = widths[0]
        for key, heading, width in zip(
            ["criterion", "weight", *[e.vendor_id for e in ranked]], headings, widths, strict=True
        ):
            table.add_column(cut_to((heading,), [width])[0], width=width, key=key)
        for key, cells in rows:
            table.add_row(*cut_to(tuple(cells), widths), key=key)
        table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        table.focus()

        verdict = Text()
        if any(reviewers.several(line) for entry in ranked for line in entry.lines):
            verdict.append(reviewers.CELL_LEGEND + "\n")
        for entry in ranked:
            for line in reviewers.to_discuss(entry.lines):
                verdict.append(
                    f"{reviewers.FLAG} {entry.name}, {line.prompt.split(' (')[0]}: "
                    f"{reviewers.discuss_text(line)} ({reviewers.by_text(line)})\n",
                    style="bold yellow",
                )
        if order(ranked) != order(base) and base and ranked:
            verdict.append(
                f"These weights change the ranking: {ranked[0].name} now leads; with the "
                f"playbook's weights {base[0].name} does.",
                style="bold yellow",
            )
        elif self.weights != self.base_weights:
            verdict.append("The ranking holds with these weights.", style="green")
        verdict.append("\nWeights here are for this comparison only; ratings are not changed.")
        self.query_one("#verdict", Static).update(verdict)

    def action_weight(self, direction: int) -> None:
        table = self.query_one("#criteria", DataTable)
        if not table.row_count or self.playbook is None:
            return
        question = criteria(self.playbook)[table.cursor_row]
        self.weights[question.id] = max(0.0, self.weights[question.id] + direction * WEIGHT_STEP)
        self.redraw()

    def action_reset(self) -> None:
        self.weights = dict(self.base_weights)
        self.redraw()

    def action_choose(self) -> None:
        if not self.candidates or self.playbook is None:
            return
        leader = self.ranking(self.weights)[0]

        def chosen(yes: bool | None) -> None:
            if yes:
                self._onboard(leader.vendor_id)

        self.app.push_screen(ChooseScreen(leader.name), chosen)

    def _onboard(self, vendor_id: str) -> None:
        try:
            vendor = self.services.store.set_status(vendor_id, VendorStatus.ONBOARDING.value)
        except UserError as exc:
            self.show_error(exc)
            return
        self.notify(f"{vendor.name} moved to onboarding.", markup=False)
        if self.services.library.get(ONBOARDING_ID) is not None:
            self.post_message(OpenPlaybook(vendor_id, ONBOARDING_ID, replace=True))
