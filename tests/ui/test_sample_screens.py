"""The sample portfolio is user input: no sample vendor shows an error on any screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store
from outsource_tui.tui.screens.scorecard import ScorecardScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import notifications, screen_text, settle

TODAY = "2026-11-24"
# What the screens say when something the user entered cannot be used.
ERRORS = (
    "is not a",
    "cannot be used",
    "disagree",
    "unreadable",
    "Not saved",
    "cannot be read",
    "no time zone",
)


@pytest.mark.timeout(300)
async def test_every_sample_vendor_screen_and_scorecard_is_free_of_errors(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    write_demo(
        Store(data_dir), load_library(), vendors=12, years=2, seed=7, today=date(2026, 11, 24)
    )
    app = make_app()
    seen = []
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        for row in range(12):
            # Back from a vendor, the table's cursor is where it was: one row down each time.
            await pilot.press(*(["down"] if row else []), "enter")
            await pilot.pause()
            assert isinstance(app.screen, VendorScreen)
            vendor = screen_text(app)
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            card = screen_text(app)
            name = app.screen.sub_title
            seen.append(name)
            for text, where in ((vendor, "vendor screen"), (card, "scorecard")):
                found = [e for e in ERRORS if e in text]
                assert not found, f"{name}, {where}: {found}\n{text}"
            assert not notifications(app), f"{name}: {notifications(app)}"
            await pilot.press("escape", "escape")
            await pilot.pause()
    assert len(set(seen)) == 12
