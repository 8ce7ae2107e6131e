"""The dashboard and the vendor form, driven from the keyboard."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import DataTable

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import SIZE, screen_text, settle

MARKUP_NAME = "Acme [bold]x[/ [link=x]y[/link] \\ 🚚 شركة"


async def test_empty_dashboard_says_what_to_do(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "No vendors yet." in text
        assert "Press  a  to add your first vendor" in text
        assert "a Add vendor" in text  # the footer shows the key
        assert not app.screen.query("#vendors")  # no table until there is a vendor to show


async def test_add_a_vendor_with_the_keyboard(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, VendorFormScreen)
        await pilot.press(*"Northwind Support", "enter")  # enter moves to the next field
        await pilot.press(*"first-line support", "tab", "tab")  # skip the status select
        await pilot.press(*"Asia/Manila", "enter")
        await pilot.press(*"2026-01-01", "enter", *"2027-12-31", "enter")
        await pilot.press(*"Ana Lima", "enter")  # enter on the last field saves
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        vendors = Store(data_dir).list_vendors()
        assert [
            (v.name, v.service, v.timezone, v.contract_start, v.contract_end, v.contact)
            for v in vendors
        ] == [
            (
                "Northwind Support",
                "first-line support",
                "Asia/Manila",
                "2026-01-01",
                "2027-12-31",
                "Ana Lima",
            )
        ]
        await settle(pilot)
        text = screen_text(app)
        assert "Northwind Support" in text and "first-line support" in text
        assert "2026-Q1 overdue" in text  # active since January: its first review is late
        assert "No vendors yet." not in text
        # The table, mounted with the first vendor, takes the keyboard: enter opens the vendor.
        table = app.screen.query_one("#vendors", DataTable)
        assert app.focused is table and table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        assert "Northwind Support" in screen_text(app)


async def test_duplicate_and_empty_names_are_refused_inline(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme Logistics"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "ctrl+s")
        assert isinstance(app.screen, VendorFormScreen)
        assert "a vendor needs a name" in screen_text(app)
        await pilot.press(*"acme LOGISTICS", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        assert "a vendor named 'Acme Logistics' already exists" in screen_text(app)
        assert app.focused is not None and app.focused.id == "name"
        # typing clears the message; a unique name then saves
        await pilot.press(*" Two")
        assert "already exists" not in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    names = [v.name for v in Store(data_dir).list_vendors()]
    assert names == ["Acme Logistics", "acme LOGISTICS Two"]


async def test_bad_time_zone_and_date_are_refused_and_nothing_saved(
    make_app, data_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Acme")
        app.screen.query_one("#timezone").focus()
        await pilot.press(*"Mars/Olympus", "ctrl+s")
        assert "unknown time zone 'Mars/Olympus'" in screen_text(app)
        assert Store(data_dir).list_vendors() == []
        app.screen.query_one("#timezone").clear()
        app.screen.query_one("#contract_start").focus()
        await pilot.press(*"2026-02-30", "ctrl+s")
        assert "2026-02-30 is not a real calendar date" in screen_text(app)
        assert Store(data_dir).list_vendors() == []
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
    assert Store(data_dir).list_vendors() == []


async def test_markup_in_a_vendor_name_is_shown_literally(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Acme [bold]x[/ [link=x]y[/link] \\ ")
        app.focused.post_message(events.Paste("🚚 شركة"))  # typed keys cannot carry these
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Acme [bold]x[/ [link=x]y[/link] \\" in screen_text(app)
        table = app.screen.query_one("#vendors", DataTable)
        assert table.get_cell_at((0, 0)).plain == MARKUP_NAME
        await pilot.press("enter")  # the vendor screen shows it too
        await pilot.pause()
        assert "Acme [bold]x[/ [link=x]y[/link] \\" in screen_text(app)
    assert [v.name for v in Store(data_dir).list_vendors()] == [MARKUP_NAME]


async def test_a_broken_user_playbook_is_named_and_the_rest_still_load(
    make_app, data_dir: Path
) -> None:
    own = data_dir / "playbooks"
    own.mkdir(parents=True)
    (own / "broken.md").write_text("# Broken [bold]\n\n## A step\n\n- [ ] x\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "1 playbook file(s) skipped because of problems:" in text
        assert "broken.md:2: missing playbook block" in text
        Store(data_dir).add_vendor(VendorDraft(name="Acme"))
        app.screen.refresh_vendors()
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Define objectives and scope" in text and "Onboard a new vendor" in text


async def test_every_refused_field_of_the_form_says_why_at_once(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Acme")
        app.screen.query_one("#timezone").focus()
        await pilot.press(*"Mars/Olympus")
        app.screen.query_one("#contract_start").focus()
        await pilot.press(*"2026-02-30", "ctrl+s")
        text = screen_text(app)
        assert "unknown time zone 'Mars/Olympus'" in text  # both, from one save
        assert "2026-02-30 is not a real calendar date" in text
        assert app.focused is app.screen.query_one("#timezone")  # the first of them
        assert Store(data_dir).list_vendors() == []
