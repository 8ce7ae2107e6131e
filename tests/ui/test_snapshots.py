"""SVG snapshots of the main screens on the seeded sample portfolio (fixed size and date).

Update deliberately with `pytest tests/ui/test_snapshots.py --snapshot-update`, and look at
the SVGs before accepting them.
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

from .conftest import settle

TODAY = "2026-11-24"
SNAP_SIZE = (130, 40)


@pytest.fixture
def sample_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> OutsourceApp:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    store = Store(data_dir)
    library = load_library()
    write_demo(store, library, vendors=12, years=2, seed=7, today=date.fromisoformat(TODAY))
    return OutsourceApp(Services(store, library))


def test_dashboard_snapshot(snap_compare, sample_app: OutsourceApp) -> None:
    assert snap_compare(sample_app, terminal_size=SNAP_SIZE, run_before=settle)


async def open_scorecard(pilot) -> None:
    """The most urgent vendor's scorecard (Cedar Logistics: slipping, reviews overdue)."""
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()


def test_scorecard_snapshot(snap_compare, sample_app: OutsourceApp) -> None:
    assert snap_compare(sample_app, terminal_size=SNAP_SIZE, run_before=open_scorecard)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_scorecard_chart_snapshot(
    snap_compare, sample_app: OutsourceApp, size: tuple[int, int]
) -> None:
    # What a first look shows: the overall score's chart under the head, Cedar Logistics
    # slipping below its target line; at 160 columns the KPIs' charts two abreast below.
    assert snap_compare(sample_app, terminal_size=size, run_before=open_scorecard)


def test_compare_snapshot(snap_compare, sample_app: OutsourceApp) -> None:
    async def open_compare(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=SNAP_SIZE, run_before=open_compare)
