"""A key pressed twice before its screen is up opens that screen once."""

from __future__ import annotations

from pathlib import Path

from textual import events

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.scorecard import ScorecardScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import SIZE, settle


async def test_a_doubled_key_opens_one_screen(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Both presses reach the dashboard before the form is up, as when typed fast.
        app.post_message(events.Key("a", "a"))
        app.post_message(events.Key("a", "a"))
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        app.post_message(events.Key("s", "s"))
        app.post_message(events.Key("s", "s"))
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
