"""Everything due across the portfolio, by date: the app's view of `outsource-tui due`."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from outsource_tui.domain.due import DueItem
from outsource_tui.errors import UserError
from outsource_tui.tui.navigation import OpenVendor
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.footer import KeyFooter

DUE_LIST_DAYS = 90


class DueScreen(AppScreen[None]):
    """What is due in the next 90 days and everything overdue; enter opens the vendor."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="due-back", tooltip="Back to the vendors"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading what is due…", id="due-summary", classes="hint")
        yield DataTable(id="due-list", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Due"
        self._load()

    @work(thread=True, exclusive=True, group="due-load")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            portfolio = self.services.portfolio()
            items = portfolio.due(DUE_LIST_DAYS)
        except UserError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_error, exc)
            return
        problems = list(portfolio.problems.values())
        if not worker.is_cancelled:
            self.app.call_from_thread(self._loaded, items, portfolio.today, problems)

    def _loaded(self, items: list[DueItem], today: date, problems: list[str]) -> None:
        table = self.query_one("#due-list", DataTable)
        table.clear(columns=True)
        for label in ("Date", "When", "Vendor", "Kind", "What"):
            table.add_column(label)
        for item in items:
            style = "bold red" if item.overdue else ""
            when = "overdue" if item.overdue else f"in {(item.when - today).days}d"
            table.add_row(
                Text(item.when.isoformat(), style=style),
                Text(when, style=style),
                Text(item.vendor_name),
                Text(item.kind),
                Text(item.text),
                key=f"{item.vendor_id}\t{len(table.rows)}",
            )
        overdue = sum(1 for i in items if i.overdue)
        summary = (
            f"{len(items)} due within {DUE_LIST_DAYS} days, {overdue} overdue"
            if items
            else f"Nothing due within {DUE_LIST_DAYS} days."
        )
        if problems:
            summary += f" · {len(problems)} vendor(s) with unreadable records left out"
        self.query_one("#due-summary", Static).update(Text(summary + " · enter opens the vendor"))
        for problem in problems[:1]:
            self.show_error(problem)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        vendor_id = str(event.row_key.value).split("\t", 1)[0]
        self.post_message(OpenVendor(vendor_id))
