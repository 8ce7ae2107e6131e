"""The vendor table's columns fit what they hold, however the rows arrive."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store

from .conftest import SIZE, settle

LONG = "Acme Support International Holdings"


async def test_rows_drawn_into_a_settled_table_widen_its_columns(make_app, data_dir: Path) -> None:
    # A table that has gone quiet (focused, cursor on the first row) gets new rows: nothing
    # else reaches it, yet its columns must grow to the longest value, not keep their width.
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#vendors", DataTable)
        assert table.has_focus and table.cursor_row == 0
        store.edit_vendor(vendor.id, VendorDraft(name=LONG))
        app.screen.refresh_vendors()
        await settle(pilot)
        name = table.ordered_columns[0]
        assert str(table.get_row_at(0)[0]) == LONG
        assert name.get_render_width(table) >= len(LONG)
