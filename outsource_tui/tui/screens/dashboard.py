"""The home screen: every vendor at a glance, the most urgent first."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist
from textual.worker import get_current_worker

from outsource_tui.domain.contract import ContractState, Renewal
from outsource_tui.domain.labels import plural
from outsource_tui.domain.vendor import VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.tui.formatting import STATUS_STYLE, cut_to, fit_evenly, sparkline
from outsource_tui.tui.navigation import EditVendor, OpenComparison, OpenSpend, OpenVendor
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.footer import KeyFooter
from outsource_tui.tui.widgets.vendor_table import VendorTable

if TYPE_CHECKING:
    from outsource_tui.domain.due import DueItem
    from outsource_tui.domain.summary import VendorOverview
    from outsource_tui.services.board import Board

WidgetType = TypeVar("WidgetType", bound=Widget)

EMPTY_TEXT = (
    "No vendors yet.\n\n"
    "Press  a  to add your first vendor: its name, what you outsource to it,\n"
    "its time zone and contract dates.\n\n"
    "Or press  d  to load a sample portfolio and look around first.\n\n"
    "Open a vendor with  enter  and walk a playbook, such as\n"
    "'Define objectives and scope' or 'Onboard a new vendor'.\n\n"
    "ctrl+q quits; everything you enter is saved as you go."
)

# Statuses sort in the order a relationship lives through them, not alphabetically.
LIFECYCLE = {status.value: index for index, status in enumerate(VendorStatus)}
DUE_DAYS = 30
DUE_SHOWN = 4
DUE_SHOWN_SHORT = 2  # on a terminal under TALL lines high, so the table keeps its room
TALL = 30
FIRST_ROWS = 60  # rows put in the table before its first frame (more if the screen is taller)
CONTRACT_KINDS = ("decide", "notice", "notice-missed", "contract-end", "contract-terms")

COLUMNS = ("Vendor", "Status", "Score", "Trend", "Next review", "Contract", "Actions", "Service")
# When the columns are wider than the screen: which give up room first, down to how narrow.
# Service first (it is on the vendor's screen), then Contract, Next review and Actions down
# to their first words, and the vendor's name last.
SHRINK = ((7, 8), (5, 16), (4, 18), (6, 12), (0, 12))
CELL_PADDING = 2  # a column's room beside its value: one space either side
SCROLLBAR = 2


# Still too wide (a terminal of about 100 columns or less): these columns go from the table,
# their values shown whole on the line beneath it, and then every column narrows evenly.
HIDE = (7, 3)
NARROWEST = 6


def fit_widths(widths: list[int], room: int) -> list[int]:
    """Column widths that fit ``room``: first narrowing the columns in the order of SHRINK,
    then leaving out the HIDE columns (width 0), then narrowing the rest evenly."""
    fitted = list(widths)

    def over() -> int:
        shown = [w for w in fitted if w]
        return sum(shown) + CELL_PADDING * len(shown) - room

    for index, narrowest in SHRINK:
        if over() <= 0:
            break
        fitted[index] -= min(over(), max(0, fitted[index] - narrowest))
    for index in HIDE:
        if over() <= 0:
            break
        fitted[index] = 0
    if over() > 0:
        shown = [i for i, w in enumerate(fitted) if w]
        floors = [min(cell_len(COLUMNS[i]), NARROWEST) for i in shown]
        evenly = fit_evenly([fitted[i] for i in shown], room, floors, CELL_PADDING)
        for i, width in zip(shown, evenly, strict=True):
            fitted[i] = width
    return fitted


def shown_cells(row: tuple[Text, ...], widths: list[int]) -> tuple[Text, ...]:
    """The row's values in the columns on screen, each cut to its column's width."""
    return tuple(cell for cell, width in zip(cut_to(row, widths), widths, strict=True) if width)


def score_cell(overview: VendorOverview) -> Text:
    if overview.pending:
        return Text("…", style="dim")
    if overview.overall is None:
        return Text("—", style="dim")
    style = STATUS_STYLE.get(overview.score_status, "")
    return Text.assemble(("● ", style), (f"{overview.overall:.0f}", style))


def trend_cell(overview: VendorOverview) -> Text:
    values = [v for _, v in overview.trend]
    if not values:
        return Text("")
    style = STATUS_STYLE.get(overview.score_status or "missing", "")
    if len(values) >= 2 and values[-1] is not None and values[-2] is not None:
        arrow = "↗" if values[-1] > values[-2] + 2 else "↘" if values[-1] < values[-2] - 2 else "→"
    else:
        arrow = ""
    return Text.assemble((sparkline(values), style), (f" {arrow}", style))


def review_cell(overview: VendorOverview, today: date) -> Text:
    if overview.pending:
        return Text("…", style="dim")
    if overview.problem:
        return Text("records unreadable", style="bold red")
    due = overview.next_review
    if due is None:
        return Text("—", style="dim")
    if due.overdue:
        days = (today - due.due).days
        return Text(f"{due.period} overdue {days}d", style="bold red")
    return Text(f"{due.period} by {due.due.isoformat()}")


def contract_cell(overview: VendorOverview) -> Text:
    state = overview.contract
    if state is None or overview.vendor.status == "ended":
        return Text("—", style="dim")
    if state.state is ContractState.MISSED:
        return Text(f"notice missed; exit {state.next_exit_date}", style="bold red")
    if state.state is ContractState.ENDED:
        return Text(f"ended {state.term_end}", style="dim")
    if state.state is ContractState.NOTICE_GIVEN:
        return Text(f"notice given; ends {state.ends_on}")
    if state.renewal is Renewal.NONE:
        return Text(f"ends {state.term_end}")
    style = "bold yellow" if state.state is ContractState.DECIDE_NOW else ""
    return Text(f"decide by {state.decide_by}", style=style)


def actions_cell(overview: VendorOverview) -> Text:
    if overview.pending:
        return Text("…", style="dim")
    count = len(overview.summary.actions)
    if not count:
        return Text("—", style="dim")
    overdue = overview.overdue_actions
    text = Text(f"{count} open")
    if overdue:
        text.append(f", {overdue} overdue", style="bold red")
    return text


class DashboardScreen(AppScreen[None]):
    """Vendors in a table; enter opens one, ``a`` adds one, ``/`` filters, ``s`` sorts."""

    BINDINGS = [
        Binding("a", "add_vendor", "Add vendor", id="add-vendor", tooltip="Add a new vendor"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="Show only matching vendors"),
        Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding(
            "c",
            "compare",
            "Compare candidates",
            id="compare",
            tooltip="Rank the candidates on the selection criteria",
        ),
        Binding(
            "v",
            "spend",
            "Spend",
            id="spend",
            tooltip="Spend against performance: active vendors by monthly fee and score",
        ),
        Binding(
            "d",
            "demo",
            "Sample portfolio",
            id="demo",
            tooltip="Load a sample portfolio to look around (an empty store only)",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="clear-filter",
            tooltip="Show every vendor again",
            show=False,
        ),
    ]

    SUB_TITLE = "Vendors"
    AUTO_FOCUS = "#vendors"

    def __init__(self) -> None:
        super().__init__()
        self.overviews: list[VendorOverview] = []
        # Whether the index lists no vendor: only then is the sample portfolio offered. Not
        # "no overview loaded": a load that failed says nothing about what the store holds.
        self.store_empty = False
        self._problems_shown: list[str] = []  # told once, not again on every reload
        self.sort_column: int | None = None  # None: most urgent first
        self.filter_text = ""
        self._shown = False  # the first load waits until the screen has been painted
        self.today: date | None = None  # the day of the last load
        self._table_drawn = False
        self._room = 0  # the columns were fitted to this many cells
        self._fill_generation = 0  # a redraw drops the rows a previous one had yet to add
        self._whole: dict[str, tuple[Text, ...]] = {}  # vendor id: its row's values, uncut
        self._widths: list[int] = []

    def compose(self) -> ComposeResult:
        # The first frame shows the vendors as their kept summaries have them (no run file is
        # read: see services/board.py); the widgets seen only sometimes (the skipped-playbooks
        # banner, the filter box, and the vendor table or the empty-store text, whichever the
        # store does not need yet) are mounted when first needed. The order on screen:
        #   Header, #skipped, #filter, #summary-line, #due, #vendors, #empty, Footer
        yield Header()
        yield Static("", id="summary-line", classes="hint")
        try:
            board: Board | None = self.services.board()
        except UserError:
            board = None  # the load names the problem
        if board is not None:
            self._take(board)
            due = self._due_text(board.due(DUE_DAYS), self._due_shown())
            if due is not None:
                yield Static(due, id="due")
        if self.store_empty:
            self.add_class("-empty")
            yield Static(EMPTY_TEXT, id="empty", markup=False)
        elif board is None or board.overviews:
            yield self._new_table()
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.overviews:
            self._draw()  # before the first frame, so the columns are sized to the rows

    @staticmethod
    def _new_table() -> VendorTable:
        return VendorTable(id="vendors", cursor_type="row", zebra_stripes=True)

    def _table(self) -> DataTable | None:
        """The vendor table, or None while the store has never had a vendor."""
        return self._mounted("#vendors", DataTable)

    def on_resize(self) -> None:
        if self._table_drawn:
            self._draw()  # the columns fit the new width

    @on(VendorTable.Resized)
    def _refit(self, event: VendorTable.Resized) -> None:
        # Laid out, or a scrollbar came or went: fit the columns again if the room changed.
        if self._table_drawn and event.width and event.width != self._room:
            self._draw()

    def on_screen_resume(self) -> None:
        if self._shown:
            self.refresh_vendors()  # back from another screen: show what it changed
            return
        # The first time, paint the screen first, then check every summary in full in the
        # background and work out again any that is stale.
        self._shown = True
        self.call_after_refresh(self.refresh_vendors)

    def _mounted(self, selector: str, expect_type: type[WidgetType]) -> WidgetType | None:
        """A widget that is mounted only once needed, or None until then."""
        found = self.query(selector)
        return found.first(expect_type) if found else None

    # -- loading ---------------------------------------------------------------------------

    def _take(self, board: Board) -> None:
        self.today = board.today
        self.store_empty = board.store_empty
        self.overviews = list(board.overviews)

    def refresh_vendors(self, select: str | None = None) -> None:
        """Check every vendor's summary in the background (working out again only those whose
        records changed), then redraw."""
        if not self.overviews:
            self.query_one("#summary-line", Static).update("Loading vendors…")
        self._load(select)

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _load(self, select: str | None) -> None:
        worker = get_current_worker()
        try:
            board = self.services.refresh_board()
            self.services.library  # noqa: B018 - parsed here, off the event loop
        except UserError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(exc))
            return
        # A newer load has taken over: this one's figures may be out of date, so never draw.
        if not worker.is_cancelled:
            self.app.call_from_thread(self.call_later, self._loaded, board, select)

    def _failed(self, message: str) -> None:
        self.query_one("#summary-line", Static).update(Content(message))
        self.show_error(message)

    def _show_skipped(self) -> None:
        skipped = self.services.library.skipped
        if skipped and self._mounted("#skipped", Static) is None:
            files = sorted({p.path for p in skipped})
            lines = [f"{len(files)} playbook file(s) skipped because of problems:"]
            lines += [f"  {p}" for p in skipped[:4]]
            if len(skipped) > 4:
                lines.append(
                    f"  … and {len(skipped) - 4} more: run 'outsource-tui playbook check' on them"
                )
            banner = Static(Content("\n".join(lines)), id="skipped", classes="banner")
            self.mount(banner, after=self.query_one(Header))

    async def _loaded(self, board: Board, select: str | None) -> None:
        self._show_skipped()
        # Rows drawn before their summaries were worked out are in no real order: a cursor
        # still on the first of them stays on the first row, the most urgent vendor.
        table = self._table()
        provisional = any(o.pending for o in self.overviews) and board.overviews
        if select is None and provisional and (table is None or table.cursor_row <= 0):
            select = board.overviews[0].vendor.id
        unchanged = (
            board.overviews == tuple(self.overviews)
            and board.store_empty == self.store_empty
            and select is None
        )
        self._take(board)
        if board.overviews and self._table() is None:
            await self.mount(self._new_table(), before=self.query_one(KeyFooter))
        problems = [o.problem for o in board.overviews if o.problem]
        if problems and problems != self._problems_shown:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(problems[0] + more, severity="error", markup=False, timeout=15)
        self._problems_shown = problems
        if unchanged and self._table_drawn:
            self.refresh_bindings()
            return  # what the first frame showed still holds: keep the cursor and the scroll
        self._draw_due(self._due_text(board.due(DUE_DAYS), self._due_shown()))
        self._draw(select)
        self.refresh_bindings()

    def _due_shown(self) -> int:
        return DUE_SHOWN if self.app.size.height >= TALL else DUE_SHOWN_SHORT

    @staticmethod
    def _due_text(due: list[DueItem], shown: int = DUE_SHOWN) -> Text | None:
        """The few most pressing dates across the portfolio (all of them: `outsource-tui due`)."""
        if not due:
            return None
        overdue = sum(1 for item in due if item.overdue)
        text = Text()
        text.append(f"Due within {DUE_DAYS} days: {len(due)}", style="bold")
        if overdue:
            text.append(f" ({overdue} overdue)", style="bold red")
        urgent = sorted(due, key=lambda i: (i.kind not in CONTRACT_KINDS, i.when))[:shown]
        for item in sorted(urgent, key=lambda i: i.when):
            style = "red" if item.overdue else ""
            text.append(f"\n  {item.when}  ", style=style)
            text.append(f"{item.vendor_name}: ", style="bold")
            text.append(item.text, style=style)
        if len(due) > shown:
            text.append(f"\n  … and {len(due) - shown} more: outsource-tui due", style="dim")
        return text

    def _draw_due(self, text: Text | None) -> None:
        box = self._mounted("#due", Static)
        if text is None:
            if box is not None:
                box.update("")
                box.display = False
            return
        if box is None:
            self.mount(Static(text, id="due"), after="#summary-line")
        else:
            box.update(text)
            box.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo":
            return self.store_empty  # offered only while the index lists no vendor
        if action == "compare":
            return bool(self.overviews)
        return True

    # -- drawing ---------------------------------------------------------------------------

    def _visible(self) -> list[VendorOverview]:
        needle = self.filter_text.casefold().strip()
        rows = [
            o
            for o in self.overviews
            if not needle
            or needle in o.vendor.name.casefold()
            or needle in o.vendor.status
            or needle in o.vendor.service.casefold()
        ]
        if self.sort_column is not None:
            rows.sort(key=lambda o: self._sort_key(o, self.sort_column or 0))
        return rows

    @staticmethod
    def _sort_key(o: VendorOverview, column: int) -> tuple:
        overall = o.overall if o.overall is not None else -1.0
        due = o.next_review.due if o.next_review else date.max
        keys = {
            0: (o.vendor.name.casefold(),),
            1: (LIFECYCLE.get(o.vendor.status, len(LIFECYCLE)), o.vendor.name.casefold()),
            2: (overall, o.vendor.name.casefold()),
            3: (o.trend[-1][1] if o.trend and o.trend[-1][1] is not None else -1.0,),
            4: (due, o.vendor.name.casefold()),
            5: (o.contract.decide_by if o.contract else date.max, o.vendor.name.casefold()),
            6: (-len(o.actions), o.vendor.name.casefold()),
            7: (o.vendor.service.casefold(), o.vendor.name.casefold()),
        }
        return keys[column]

    def _draw(self, select: str | None = None) -> None:
        table = self._table()
        current = select if select is not None else self._cursor_vendor_id()
        today = self.today or self.services.today()
        rows = self._visible()
        if table is not None:  # None only while there are no vendors: _loaded mounts it
            self._table_drawn = True
            self._fill(table, rows, today, current)
        if self.store_empty and self._mounted("#empty", Static) is None:
            self.mount(
                Static(EMPTY_TEXT, id="empty", markup=False), before=self.query_one(KeyFooter)
            )
        self.set_class(self.store_empty, "-empty")
        overdue = sum(1 for o in self.overviews if o.next_review and o.next_review.overdue)
        order = (
            "most urgent first" if self.sort_column is None else f"by {COLUMNS[self.sort_column]}"
        )
        total = len(self.overviews)
        shown = (
            f"{len(rows)} of {plural(total, 'vendor')}"
            if self.filter_text
            else plural(len(rows), "vendor")
        )
        damaged = sum(1 for o in self.overviews if o.problem)
        unreadable = f" · {damaged} with unreadable records" if damaged else ""
        reviews = f"{plural(overdue, 'review')} overdue"
        line = "" if self.store_empty else f"{shown} · {reviews}{unreadable} · sorted {order}"
        self.query_one("#summary-line", Static).update(Content(line))
        detail = self._mounted("#row-detail", Static)
        if detail is not None and not rows:
            detail.display = False  # no row highlighted: nothing of one to show whole
        if rows and table is not None:
            if current is not None:
                with contextlib.suppress(RowDoesNotExist):
                    table.move_cursor(row=table.get_row_index(current), animate=False)
            if self.focused is None or self.focused.id != "filter":
                table.focus()

    def _fill(
        self, table: DataTable, rows: list[VendorOverview], today: date, current: str | None
    ) -> None:
        """Put ``rows`` in the table, its columns as wide as their widest value.

        The widths are worked out here, from every row, rather than left to the table: it
        sizes auto-width columns only when it next goes idle, and measures each cell to do
        so. With the widths known, the first screenful of rows goes in now and the rest
        once that screen is drawn, so a large portfolio's first screen waits for no more
        rows than it shows.
        """
        cells: list[tuple[str, tuple[Text, ...]]] = [
            (
                o.vendor.id,
                (
                    Text(o.vendor.name),
                    Text(o.vendor.status),
                    score_cell(o),
                    trend_cell(o),
                    review_cell(o, today),
                    contract_cell(o),
                    actions_cell(o),
                    Text(o.vendor.service or "—"),
                ),
            )
            for o in rows
        ]
        widths = [cell_len(label) for label in COLUMNS]
        for _, row in cells:
            widths = [max(w, cell.cell_len) for w, cell in zip(widths, row, strict=True)]
        # The room inside the table's scrollbar; before its first layout, the screen's less a
        # scrollbar's width.
        laid_out = bool(table.size.width)
        room = table.scrollable_content_region.width if laid_out else self.app.size.width
        room -= 0 if laid_out else SCROLLBAR
        self._room = room
        widths = fit_widths(widths, room)
        # Kept to show the whole of each value cut short, for the highlighted row.
        self._whole = dict(cells)
        self._widths = widths
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            if width:  # a column left out on a narrow screen is on the detail line instead
                table.add_column(label, width=width, key=label)
        ids = [vendor_id for vendor_id, _ in cells]
        first = max(FIRST_ROWS, self.app.size.height)
        if current in ids[first:]:
            first = len(cells)  # the cursor goes back to a row further down: all of them now
        self._fill_generation += 1
        self._add_rows(table, cells[:first], widths)
        if len(cells) > first:
            generation = self._fill_generation
            self.call_after_refresh(self._add_rest, table, cells[first:], widths, generation)

    def _cut_values(self, vendor_id: str) -> str:
        """The values of a row that its columns cut short, in full."""
        row = self._whole.get(vendor_id, ())
        return " · ".join(
            cell.plain
            for cell, width in zip(row, self._widths, strict=False)
            if cell.cell_len > width and cell.plain.strip() not in ("", "—")
        )

    @staticmethod
    def _add_rows(
        table: DataTable, cells: list[tuple[str, tuple[Text, ...]]], widths: list[int]
    ) -> None:
        for vendor_id, row in cells:
            table.add_row(*shown_cells(row, widths), key=vendor_id, height=1)

    def _add_rest(
        self,
        table: DataTable,
        cells: list[tuple[str, tuple[Text, ...]]],
        widths: list[int],
        generation: int,
    ) -> None:
        if generation == self._fill_generation:  # not redrawn since
            self._add_rows(table, cells, widths)

    def _cursor_vendor_id(self) -> str | None:
        table = self._table()
        if table is None or not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except CellDoesNotExist:
            return None

    # -- actions ---------------------------------------------------------------------------

    async def action_filter(self) -> None:
        box = self._mounted("#filter", Input)
        if box is None:
            box = Input(placeholder="Filter vendors: name, status or service", id="filter")
            await self.mount(box, before="#summary-line")
        self.add_class("-filtering")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._draw()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self._focus_table()

    def _focus_table(self) -> None:
        table = self._table()
        if table is not None:
            table.focus()

    def action_clear_filter(self) -> None:
        if self.has_class("-filtering"):
            box = self.query_one("#filter", Input)
            box.value = ""
            self.remove_class("-filtering")
            self.filter_text = ""
            self._draw()
            self._focus_table()

    def action_sort(self) -> None:
        order = [None, *range(len(COLUMNS))]
        self.sort_column = order[(order.index(self.sort_column) + 1) % len(order)]
        self._draw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        # The heading's own label says which column it is: some may be left out when narrow.
        self.sort_column = COLUMNS.index(str(event.column_key.value))
        self._draw()

    def action_add_vendor(self) -> None:
        def added(vendor_id: str | None) -> None:
            if vendor_id:
                self.refresh_vendors(select=vendor_id)

        self.post_message(EditVendor(None, added))

    def action_compare(self) -> None:
        self.post_message(OpenComparison())

    def action_spend(self) -> None:
        self.post_message(OpenSpend())

    def action_demo(self) -> None:
        if not self.store_empty:
            self.notify("The sample portfolio only loads into an empty store.")
            return
        try:
            count = self.services.load_demo()
        except UserError as exc:
            self.show_error(exc)
            return
        self.notify(f"Loaded a sample portfolio of {plural(count, 'vendor')}.")
        self.refresh_vendors()

    @on(DataTable.RowHighlighted, "#vendors")
    def _show_whole_values(self, event: DataTable.RowHighlighted) -> None:
        whole = self._cut_values(str(event.row_key.value))
        line = self._mounted("#row-detail", Static)
        if line is None:
            if not whole:
                return
            line = Static("", id="row-detail", classes="hint")
            self.mount(line, before=self.query_one(KeyFooter))
        line.update(Content(whole))
        line.display = bool(whole)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenVendor(str(event.row_key.value)))
