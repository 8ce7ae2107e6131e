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


async def test_an_edit_in_the_app_keeps_what_the_command_line_changed_meanwhile(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outsource_tui.cli import main

    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    store = Store(data_dir)
    acme = store.add_vendor(VendorDraft(name="Acme", service="support"))
    store.set_contract(
        acme.id, "2026-01-01", {"initial_months": 12, "renewal": "automatic", "notice_days": 30}
    )
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        # Another instance, the command line, changes the start and the terms.
        args = ["vendor", "contract", "Acme", "--months", "36", "--start", "2026-03-01"]
        assert main([*args, "--notice-days", "90"]) == 0
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        app.screen.query_one("#service").focus()
        await pilot.press("ctrl+u", *"customer support", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        await pilot.press("t", "ctrl+s")  # the terms form saved without an edit
        await pilot.pause()
    vendor = Store(data_dir).get_vendor(acme.id)
    assert vendor.service == "customer support"
    assert vendor.contract_start == "2026-03-01"
    assert vendor.contract["initial_months"] == 36 and vendor.contract["notice_days"] == 90


@pytest.mark.timeout(60)
async def test_a_stuck_instance_holding_the_store_blocks_the_app_only_briefly(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal
    import subprocess
    import sys

    monkeypatch.setenv("OUTSOURCE_TUI_LOCK_WAIT", "0.3")
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom outsource_tui.store import Store\n"
            "s = Store(Path(sys.argv[1]))\nwith s._lock.hold():\n"
            "    print('holding', flush=True)\n    time.sleep(600)\n",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        os.kill(holder.pid, signal.SIGSTOP)
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, VendorFormScreen)
            await pilot.press(*"Beta", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, VendorFormScreen)  # still open, the name still typed
            assert f"pid {holder.pid}" in screen_text(app)
            assert app.screen.query_one("#name").value == "Beta"
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, VendorFormScreen)  # the app answers keys
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert [v.name for v in Store(data_dir).list_vendors()] == ["Acme"]


async def test_picking_a_status_moves_on_to_the_next_field(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        await pilot.press(*"Acme", "tab", "tab")  # the service, then the status
        assert app.focused is not None and app.focused.id == "status"
        await pilot.press("enter", "down", "enter")  # open the list, pick the next status
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "timezone"
        await pilot.press(*"UTC", "ctrl+s")
        await pilot.pause()
    vendor = Store(data_dir).find_vendor("Acme")
    assert vendor.status == "on-hold" and vendor.timezone == "UTC"
