"""Spend against performance: every active vendor placed by its monthly fee and its latest
score, and a table of what one point of score costs, the most costly first."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from outsource_tui.domain.charts import SpendView
from outsource_tui.domain.labels import plural
from outsource_tui.errors import UserError
from outsource_tui.services.spend import portfolio_spend
from outsource_tui.tui.formatting import fill_fitted, status_text
from outsource_tui.tui.navigation import OpenVendor
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.charts import SpendPlotView
from outsource_tui.tui.widgets.footer import KeyFooter

MARK, COSTLY = "◆", "costs a lot for what it delivers"


class SpendScreen(AppScreen[None]):
    """Fee along, score up: a vendor low and to the right costs a lot for what it delivers.
    ``enter`` on a row opens the vendor."""

    CSS_PATH = "screens.tcss"
    AUTO_FOCUS = "#spend-table"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="spend-back", tooltip="Back to the vendors"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="spend"):
            yield Static("Reading the vendors' fees and scores…", id="spend-head")
            yield Container(id="spend-plots")
            yield Static("", id="spend-rule")
            yield DataTable(id="spend-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Spend against performance"
        self.sub_title = "Active vendors"
        self._load()

    @work(thread=True, exclusive=True, group="spend-load")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            portfolio = self.services.portfolio()
            view = portfolio_spend(portfolio)
        except UserError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_error, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, view)

    def _show(self, view: SpendView) -> None:
        rows, placed, costly = view.rows, view.placed, view.costly
        head = Text()
        if not rows:
            head.append("No active vendor yet: a vendor is placed here once it is active.")
        else:
            head.append(f"{plural(len(rows), 'active vendor')}, {len(placed)} placed by fee")
            head.append(" and score")
            if costly:
                head.append(" · ")
                head.append(f"{MARK} {len(costly)} {COSTLY}", style="bold red")
            unplaced = len(rows) - len(placed)
            if unplaced:
                head.append(f" · {unplaced} without a fee or a score, listed below", style="dim")
        self.query_one("#spend-head", Static).update(head)
        box = self.query_one("#spend-plots", Container)
        box.remove_children()
        box.mount_all(SpendPlotView(plot, classes="spend-plot") for plot in view.plots)
        rule = self.query_one("#spend-rule", Static)
        rule.update(Text(view.rule) if placed else "")
        rule.display = bool(placed)
        table = self.query_one("#spend-table", DataTable)
        labels = ["#", "Vendor", "Monthly fee", "Score", "Per point", "Status", "Reviewed", ""]
        cells: list[list[Text]] = []
        for row in rows:
            entry = row.entry
            scored = entry.score is not None
            number = str(row.number) if row.number else ""
            cells.append(
                [
                    Text(f"{MARK} {number}", style="bold red") if row.costly else Text(number),
                    Text(entry.name),
                    Text(row.fee_text, justify="right"),
                    Text(f"{entry.score:.0f}" if scored else "—", justify="right"),
                    Text(row.cost_text, justify="right"),
                    status_text(entry.status) if scored else Text("—", style="dim"),
                    Text(entry.period or "—"),
                    Text(COSTLY, style="bold red") if row.costly else Text(row.note, style="dim"),
                ]
            )
        # Fitted to the screen: a long value wraps rather than scrolling out of sight.
        room = min(table.scrollable_content_region.width or 10**6, self.app.size.width - 6)
        keys = [row.entry.vendor_id for row in rows]
        # Name, money, status and note wrap, the name kept to a word a line; numbers do not.
        floors = {1: 10, 2: 8, 4: 8, 5: 8, 7: 8}
        headings = [Text(x) for x in labels]
        fill_fitted(table, headings, cells, room, set(floors), floors, wrap=True, keys=keys)
        table.display = bool(rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenVendor(str(event.row_key.value)))
