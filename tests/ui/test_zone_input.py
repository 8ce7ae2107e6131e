"""Typing part of a time zone's name, a city or its start, in any case, suggests the zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.store import Store
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import SIZE, screen_text, settle


@pytest.mark.parametrize(
    ("typed", "shown", "taken"),
    [
        ("mani", "mani → Asia/Manila", "Asia/Manila"),
        ("manila", "manila → Asia/Manila", "Asia/Manila"),
        ("Asia/Ma", "Asia/Macao", "Asia/Macao"),
        ("new york", "new york → America/New_York", "America/New_York"),
        ("berlin", "berlin → Europe/Berlin", "Europe/Berlin"),
    ],
)
async def test_a_zone_is_suggested_from_any_part_and_taken_with_right(
    make_app, data_dir: Path, typed: str, shown: str, taken: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        await pilot.press(*"Acme")
        app.screen.query_one("#timezone").focus()
        await pilot.press(*typed)
        await pilot.pause()
        assert shown in screen_text(app)
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.query_one("#timezone").value == taken
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Store(data_dir).find_vendor("Acme").timezone == taken


async def test_enter_takes_the_zone_shown_as_right_does(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Acme")
        app.screen.query_one("#timezone").focus()
        await pilot.press(*"Manila")
        await pilot.pause()
        assert "Manila → Asia/Manila" in screen_text(app)
        await pilot.press("enter")  # takes the zone, and moves on to the next field
        await pilot.pause()
        assert app.screen.query_one("#timezone").value == "Asia/Manila"
        assert app.focused is not None and app.focused.id != "timezone"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unknown time zone" not in screen_text(app)
    assert Store(data_dir).find_vendor("Acme").timezone == "Asia/Manila"
