"""The vendor table's columns fit what they hold, however the rows arrive."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import DataTable

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store

from .conftest import SIZE, screen_text, settle

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


async def test_the_first_frame_shows_whole_rows_from_the_kept_summaries(
    make_app, data_dir: Path
) -> None:
    # A launch after the first: the vendors come from their kept summaries, so the first frame
    # already holds them, every column as wide as its widest value; nothing waits for a load.
    from outsource_tui.domain.library import load_library
    from outsource_tui.services import Services

    store = Store(data_dir)
    store.add_vendor(VendorDraft(name=LONG, service="customer support and billing questions"))
    store.add_vendor(VendorDraft(name="Acme"))
    Services(Store(data_dir), load_library()).refresh_board()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#vendors", DataTable)
        assert table.row_count == 2
        shown = screen_text(app)
        assert LONG in shown and "2 vendors ·" in shown
        assert table.ordered_columns[0].get_render_width(table) >= len(LONG)
        # The service does not fit beside the rest: cut short, and whole beneath the table
        # for the highlighted row.
        assert re.search(r"customer sup[\w ]*…", shown)
        await pilot.pause()
        full = "customer support and billing questions"
        assert full not in screen_text(app)  # Acme, first by name, has nothing cut
        await pilot.press("down")
        assert full in screen_text(app)
        assert "…" not in re.sub(r"customer sup[\w ]*…", "", shown)  # no value still pending


async def test_rows_worked_out_after_the_first_frame_are_whole_too(
    make_app, data_dir: Path
) -> None:
    # The first launch: no summary kept, so the rows fill in once worked out.
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name=LONG, service="customer support and billing questions"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#vendors", DataTable)
        shown = screen_text(app)
        assert LONG in shown and "customer support and billing questions" in shown
        assert "…" not in re.sub(r"customer sup[\w ]*…", "", shown)
        assert table.ordered_columns[0].get_render_width(table) >= len(LONG)
