"""The home screen: every vendor at a glance, and the way to add one."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from outsource_tui.domain.vendor import Vendor
from outsource_tui.errors import UserError
from outsource_tui.tui.widgets.vendor_table import VendorTable

EMPTY_TEXT = (
    "No vendors yet.\n\n"
    "Press  a  to add your first vendor: its name, what you outsource to it,\n"
    "its time zone and contract dates.\n\n"
    "Then open it with  enter  and walk a playbook, such as\n"
    "'Define objectives and scope' or 'Onboard a new vendor'.\n\n"
    "ctrl+q quits; everything you enter is saved as you go."
)

COLUMNS = ("Vendor", "Service", "Status", "Time zone", "Contract ends")


class DashboardScreen(Screen[None]):
    """Vendors in a table; enter opens one, ``a`` adds one."""

    BINDINGS = [
        Binding("a", "add_vendor", "Add vendor", id="add-vendor", tooltip="Add a new vendor"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="skipped", classes="banner")
        yield VendorTable(id="vendors", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY_TEXT, id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Vendors"
        table = self.query_one("#vendors", DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        skipped = self.app.library.skipped  # type: ignore[attr-defined]
        if skipped:
            files = sorted({p.path for p in skipped})
            lines = [f"{len(files)} playbook file(s) skipped because of problems:"]
            lines += [f"  {p}" for p in skipped[:4]]
            if len(skipped) > 4:
                lines.append(
                    f"  … and {len(skipped) - 4} more: run 'outsource-tui playbook check' on them"
                )
            banner = self.query_one("#skipped", Static)
            banner.update(Content("\n".join(lines)))
            banner.add_class("-shown")
        self.refresh_vendors()

    def on_screen_resume(self) -> None:
        self.refresh_vendors()

    def refresh_vendors(self, select: str | None = None) -> None:
        """Reload the vendor table from the store, keeping or moving the cursor."""
        table = self.query_one("#vendors", DataTable)
        current = select if select is not None else self._cursor_vendor_id()
        try:
            vendors = self.app.store.list_vendors()  # type: ignore[attr-defined]
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=15)
            return
        table.clear()
        for vendor in vendors:
            table.add_row(*self._cells(vendor), key=vendor.id)
        self.set_class(not vendors, "-empty")
        if vendors:
            if current is not None:
                with contextlib.suppress(RowDoesNotExist):
                    table.move_cursor(row=table.get_row_index(current), animate=False)
            table.focus()

    def _cursor_vendor_id(self) -> str | None:
        table = self.query_one("#vendors", DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except CellDoesNotExist:
            return None

    @staticmethod
    def _cells(vendor: Vendor) -> list[Text]:
        return [
            Text(vendor.name),
            Text(vendor.service or "—"),
            Text(vendor.status),
            Text(vendor.timezone or "—"),
            Text(vendor.contract_end or "—"),
        ]

    def action_add_vendor(self) -> None:
        from outsource_tui.tui.screens.vendor_form import VendorFormScreen

        def added(vendor_id: str | None) -> None:
            if vendor_id:
                self.refresh_vendors(select=vendor_id)

        self.app.push_screen(VendorFormScreen(), added)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def _open(self, vendor_id: str) -> None:
        from outsource_tui.tui.screens.vendor import VendorScreen

        self.app.push_screen(VendorScreen(vendor_id))
