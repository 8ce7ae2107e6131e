"""A damaged run file on the dashboard: that vendor is flagged, the others stay usable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import SIZE, notifications, screen_text, settle


async def test_a_damaged_run_file_flags_its_vendor_and_keeps_the_rest(
    make_app, data_dir: Path, monkeypatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=4, years=1, seed=3, today=date(2026, 11, 24))
    vendors = store.list_vendors()
    broken = vendors[2]
    path = next(store.vendor_dir(broken.id).glob("*.json"))
    path.write_text("{ damaged")

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#vendors", DataTable)
        assert table.row_count == 4  # every vendor is listed
        first = table.get_row_at(0)
        assert str(first[0]) == broken.name and str(first[4]) == "records unreadable"
        assert "4 vendors" in screen_text(app) and "1 with unreadable records" in screen_text(app)
        assert notifications(app).count(f"{path} is not valid JSON") == 1

        await pilot.press("down", "enter")  # another vendor opens as usual
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen) and app.screen.vendor_id != broken.id
        await pilot.press("escape")
        await settle(pilot)
        assert notifications(app).count(f"{path} is not valid JSON") == 1  # not told again

        await pilot.press("up", "enter")  # the damaged one says why
        await pilot.pause()
        assert notifications(app).count(f"{path} is not valid JSON") == 2
    assert path.read_text() == "{ damaged"


async def test_terms_that_no_longer_fit_are_named_on_the_vendor_screen(
    make_app, data_dir: Path
) -> None:
    import json

    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme [x]"))
    store.set_contract(vendor.id, "2026-01-01", {"initial_months": 12, "renewal": "none"})
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    for record in data["vendors"].values():
        record["contract_start"] = ""  # cleared by hand, outside the app
    index.write_text(json.dumps(data))

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        text = screen_text(app)
        assert "the terms cannot be used: set the contract start date first (press t)" in text
        assert "no terms yet" not in text
