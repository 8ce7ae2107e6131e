"""The dashboard's vendor table: a DataTable whose enter key is labelled for what it does."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class VendorTable(DataTable[object]):
    """Rows are vendors keyed by id; enter opens the highlighted one (a RowSelected message)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open vendor", id="open-vendor", show=True),
    ]
