"""The dashboard's words and order: one vendor is 'a vendor', statuses sort by lifecycle."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store

from .conftest import SIZE, screen_text, settle


async def test_one_vendor_is_said_in_the_singular(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme", status="candidate"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 vendor · 0 reviews overdue · sorted most urgent first" in screen_text(app)


async def test_sorting_by_status_follows_the_lifecycle(make_app, data_dir: Path) -> None:
    store = Store(data_dir)
    for name, status in (
        ("Alpha", "ended"),
        ("Bravo", "active"),
        ("Charlie", "candidate"),
        ("Delta", "exiting"),
        ("Echo", "onboarding"),
        ("Foxtrot", "on-hold"),
    ):
        store.add_vendor(VendorDraft(name=name, status=status))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "s")  # by Vendor, then by Status
        await pilot.pause()
        table = app.screen.query_one("#vendors", DataTable)
        statuses = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "sorted by Status" in screen_text(app)
    assert statuses == ["candidate", "onboarding", "active", "on-hold", "exiting", "ended"]
