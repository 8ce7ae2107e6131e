"""SVG snapshots of each main screen at the two sizes people run it at: 80x24 (an SSH session or
a split pane) and 160x50 (a full-screen terminal), on the seeded sample portfolio.

Update deliberately with `pytest tests/ui/test_snapshots_sizes.py --snapshot-update`, and look
at every SVG before accepting it: nothing that matters cut off, no sideways scrolling.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.services import Services
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store
from outsource_tui.tui.app import OutsourceApp

from .conftest import open_playbook, settle

TODAY = "2026-11-24"
SIZES = {"80x24": (80, 24), "160x50": (160, 50)}
# The first vendor of the sample, most urgent first, is an active one with every playbook up
# to the quarterly reviews completed.


@pytest.fixture
def sample_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> OutsourceApp:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    store = Store(data_dir)
    library = load_library()
    write_demo(store, library, vendors=12, years=2, seed=7, today=date.fromisoformat(TODAY))
    return OutsourceApp(Services(store, library))


async def _vendor(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()


async def _summary(pilot) -> None:
    await _vendor(pilot)
    await open_playbook(pilot, "sla-kpis")  # completed: its summary opens
    await pilot.pause()


async def _checklist_step(pilot) -> None:
    await _vendor(pilot)
    await open_playbook(pilot, "objectives")
    await pilot.press("e")  # edit the finished run: step 1, a checklist and questions
    await pilot.pause()
    await pilot.pause()


async def _table_step(pilot) -> None:
    await _summary(pilot)
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("ctrl+n")  # how each KPI is measured: a table of long values
    await pilot.pause()
    await pilot.pause()


async def _comparison(pilot) -> None:
    await settle(pilot)
    await pilot.press("c")
    await pilot.pause()


SCREENS = {
    "dashboard": settle,
    "vendor": _vendor,
    "summary": _summary,
    "checklist-step": _checklist_step,
    "table-step": _table_step,
    "comparison": _comparison,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_at_size(snap_compare, sample_app: OutsourceApp, screen: str, size: str) -> None:
    assert snap_compare(sample_app, terminal_size=SIZES[size], run_before=SCREENS[screen])
