"""The command palette (ctrl+p): vendors by name, and the app's verbs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.due import DueScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import SIZE, screen_text, settle

MARKUP_NAME = "[b]Bold[/b] \\ Co"


@pytest.fixture
def two_vendors(data_dir: Path) -> Store:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme Support"))
    store.add_vendor(VendorDraft(name="Globex Logistics"))
    return store


def hits(app) -> list[str]:
    """The palette's hits as shown, their first line each (the help line follows)."""
    results = app.screen.query_one(CommandList)
    return [
        str(results.get_option_at_index(i).prompt).split("\n", 1)[0]
        for i in range(results.option_count)
    ]


async def search_palette(pilot, query: str) -> list[str]:
    """Open the palette, type ``query`` as a user would, and wait for the search to end."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await settle(pilot)  # the palette searches in a worker: wait until every search is done
    return hits(pilot.app)


async def test_part_of_a_vendor_name_then_enter_opens_that_vendor(make_app, two_vendors) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await search_palette(pilot, "glob")
        assert found[0] == "Open vendor: Globex Logistics"
        assert not any("Acme" in hit for hit in found)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        globex = Store(app.store.data_dir).find_vendor("Globex Logistics")
        assert app.screen.vendor_id == globex.id
        text = screen_text(app)
        assert "Globex Logistics" in text
        assert "Acme Support" not in text
        assert [type(s) for s in app.screen_stack] == [DashboardScreen, VendorScreen]


async def test_the_other_vendor_is_found_by_its_own_name(make_app, two_vendors) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await search_palette(pilot, "acme")
        assert found[0] == "Open vendor: Acme Support"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        assert "Acme Support" in screen_text(app)
        assert "Globex Logistics" not in screen_text(app)


async def test_the_verbs_are_offered_before_anything_is_typed(make_app, two_vendors) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        shown = hits(app)
        for verb in ("Add a vendor", "Compare candidates", "Due list"):
            assert verb in shown
        assert not any("Globex" in hit for hit in shown)  # vendors only once searched for


async def test_add_a_vendor_from_the_palette_opens_the_form_that_saves(
    make_app, two_vendors, data_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await search_palette(pilot, "add a vendor")
        assert found[0] == "Add a vendor"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        assert "Add a vendor" in screen_text(app)
        await pilot.press(*"Initech", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    names = [v.name for v in Store(data_dir).list_vendors()]
    assert names == ["Acme Support", "Globex Logistics", "Initech"]


async def test_due_list_from_the_palette_shows_a_run_left_half_done(
    make_app, two_vendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = two_vendors.find_vendor("Acme Support")
    app = make_app()
    run = two_vendors.start_run(acme.id, app.library.get("objectives"))
    touched = date.fromisoformat(two_vendors.get_run(acme.id, run.id).updated_at[:10])
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", (touched + timedelta(days=20)).isoformat())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await search_palette(pilot, "due list")
        assert found[0] == "Due list"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DueScreen)
        text = screen_text(app)
        assert f"Define objectives and scope: left half done since {touched}" in text
        row = next(line for line in text.splitlines() if "left half done" in line)
        assert "Acme Support" in row
        assert "overdue" in row  # due 14 days after it was last touched: 6 days ago
        assert (touched + timedelta(days=14)).isoformat() in row


async def test_due_list_from_the_palette_shows_a_contract_ending(
    make_app, two_vendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    globex = two_vendors.find_vendor("Globex Logistics")
    two_vendors.set_contract(globex.id, "2026-01-01", {"initial_months": 12, "renewal": "none"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_palette(pilot, "due list")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DueScreen)
        row = next(line for line in screen_text(app).splitlines() if "contract ends" in line)
        assert "Globex Logistics" in row
        assert "contract ends 2026-12-31" in row
        assert "in 37d" in row  # 24 November to 31 December
        # enter on the row opens that vendor
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        assert app.screen.vendor_id == globex.id


async def test_a_vendor_named_like_markup_shows_literally_and_opens(
    make_app, data_dir: Path
) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme Support"))
    odd = store.add_vendor(VendorDraft(name=MARKUP_NAME))
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        found = await search_palette(pilot, "bold")
        assert f"Open vendor: {MARKUP_NAME}" in found
        assert f"Open vendor: {MARKUP_NAME}" in screen_text(app)  # brackets and backslash kept
        assert found[0] == f"Open vendor: {MARKUP_NAME}"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        assert app.screen.vendor_id == odd.id
        assert MARKUP_NAME in screen_text(app)
