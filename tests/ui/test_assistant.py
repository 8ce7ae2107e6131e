"""The assistant: SMART feedback as the goal is typed; working-hour overlap for a vendor."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import open_playbook, screen_text, settle


async def test_a_vague_goal_is_flagged_as_typed_and_clears_when_fixed(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "smart-goals")
        assert isinstance(app.screen, RunnerScreen)
        goal = app.screen.query_one("#q-goal TextArea")
        goal.focus()
        await pilot.press(*"Improve support quality")
        text = screen_text(app)
        assert "✗ Measurable" in text and "✗ Time-bound" in text
        assert "add a deadline such as 'by 2027-" in text
        assert "? Achievable" in text and "? Relevant" in text
        await pilot.press(*" so first replies on tier-1 tickets drop from 8 h to 4 h by 2027-06-30")
        text = screen_text(app)
        assert "✓ Measurable" in text and "✓ Time-bound" in text and "✓ Specific" in text
        assert "✗" not in text


async def test_the_vendor_screen_shows_the_real_overlap(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    (data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text(
        '[me]\ntimezone = "America/Chicago"\nhours_start = "08:00"\nhours_end = "17:00"\n'
    )
    from outsource_tui.domain.settings import load_settings

    Store(data_dir).add_vendor(VendorDraft(name="Manila Desk", timezone="Asia/Manila"))
    app = make_app()
    app.services.settings = load_settings(data_dir)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        text = screen_text(app)
        # Chicago 08-17 CST is 14:00-23:00 UTC; Manila 09-17 (UTC+8) is 01:00-09:00 UTC.
        assert "You: America/Chicago 08:00-17:00" in text
        assert "Overlap on Tue 24 Nov: no overlap at all" in text
        assert "Less than two shared hours" in text
