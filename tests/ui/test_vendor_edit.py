"""Editing a vendor and its contract terms from the vendor screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.contract_form import ContractFormScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import screen_text, settle


async def test_edit_a_vendor_and_its_contract_terms(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme", contract_start="2025-01-31"))
    store.add_vendor(VendorDraft(name="Beta"))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Acme, first by name among equals
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert "Contract clock: no terms yet (press t)" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        name = app.screen.query_one("#name")
        assert name.value == "Acme"
        name.focus()
        await pilot.press("ctrl+u", *"beta", "ctrl+s")
        assert "a vendor named 'Beta' already exists" in screen_text(app)
        await pilot.press("ctrl+u", *"Acme Logistics", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert "Acme Logistics" in screen_text(app)

        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ContractFormScreen)
        app.screen.query_one("#initial_months").focus()
        await pilot.press("ctrl+u", "1", "2")
        app.screen.query_one("#notice_days").focus()
        await pilot.press("ctrl+u", "9", "0", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        # Term 2 runs 2026-01-31 to 2027-01-30; notice 90 days before: 2026-11-01 (missed).
        assert "term 2 ends 2027-01-30" in screen_text(app)
        assert "last notice day 2026-11-01 (missed)" in screen_text(app)
    vendor = Store(data_dir).find_vendor("acme logistics")
    assert vendor.id == "acme"  # the file keeps its name
    assert vendor.contract["initial_months"] == 12 and vendor.contract["notice_days"] == 90


async def test_a_number_field_with_only_a_sign_is_refused_in_place(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme", contract_start="2025-01-31"))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "t")
        await pilot.pause()
        app.screen.query_one("#notice_days").focus()
        await pilot.press("ctrl+u", "minus", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractFormScreen)
        assert "Notice period: type a whole number" in screen_text(app)
        assert app.is_running
    assert Store(data_dir).find_vendor("Acme").contract == {}
