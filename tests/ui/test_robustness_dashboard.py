"""Hand-edited records on the dashboard: one vendor flagged, the rest usable, no false offers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from outsource_tui.domain.library import load_library
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen

from .conftest import SIZE, notifications, screen_text, settle

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY.isoformat())
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=4, years=1, seed=3, today=TODAY)
    return store


def a_review(store: Store) -> tuple[str, Path]:
    """A vendor's name and the file of one of its completed reviews (kept with a scorecard)."""
    for vendor in store.list_vendors():
        for run in store.runs(vendor.id):
            if run.playbook_id == "quarterly-review" and run.completed and run.snapshot:
                return vendor.name, store.run_path(vendor.id, run.id)
    raise AssertionError("the sample has no completed review")


def damage(path: Path, change: Callable[[dict[str, Any]], None]) -> bytes:
    data = json.loads(path.read_text())
    change(data["runs"]["1"])
    path.write_text(json.dumps(data))
    return path.read_bytes()


def offers_the_sample(app) -> bool:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    shown = "Sample portfolio" in screen_text(app) or "load a sample portfolio" in screen_text(app)
    assert shown == bool(screen.check_action("demo", ()))
    return shown


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda run: run.update(snapshot={"kpis": "x"}),
            "the run's scorecard snapshot is damaged",
        ),
        (
            lambda run: run["snapshot"].update(overall="high"),
            "the run's scorecard snapshot is damaged ('overall' in the scorecard is not a number",
        ),
        (lambda run: run.update(period="Q3 2026"), "the run's period 'Q3 2026' is damaged"),
    ],
    ids=["kpis are text", "overall is text", "period of no known shape"],
)
async def test_a_damaged_review_flags_its_vendor_and_keeps_the_rest(
    make_app, demo: Store, change, problem: str
) -> None:
    name, path = a_review(demo)
    damaged = damage(path, change)

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.return_code is None and app.is_running  # no WorkerFailed at start-up
        table = app.screen.query_one("#vendors", DataTable)
        assert table.row_count == 4
        first = table.get_row_at(0)
        assert str(first[0]) == name and str(first[4]) == "records unreadable"
        assert "1 with unreadable records" in screen_text(app)
        assert notifications(app).count(f"{path}: {problem}") == 1
        assert not offers_the_sample(app)
        assert "No vendors yet" not in screen_text(app)
    assert path.read_bytes() == damaged


async def test_the_sample_is_not_offered_when_the_vendors_cannot_be_read(
    make_app, demo: Store, data_dir: Path
) -> None:
    """A load that fails altogether (here: an id that would point outside the data
    directory) leaves no overview, but the index lists vendors: the store is not empty."""
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    next(iter(data["vendors"].values()))["id"] = "../../elsewhere"
    index.write_text(json.dumps(data))
    damaged = index.read_bytes()

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert f"{index}: vendor " in screen_text(app) + notifications(app)
        assert not offers_the_sample(app)
        await pilot.press("d")
        await settle(pilot)
        assert "Loaded a sample portfolio" not in notifications(app)
    assert index.read_bytes() == damaged


async def test_an_empty_store_still_offers_the_sample(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No vendors yet" in screen_text(app)
        assert offers_the_sample(app)


async def test_a_deeply_nested_user_playbook_is_skipped_at_start_up(
    make_app, demo: Store, data_dir: Path
) -> None:
    folder = data_dir / "playbooks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "x.md"
    options = "[" * 500 + '"a"' + "]" * 500
    path.write_text(
        '# Deep\n\n```playbook\nid = "deep"\nsummary = "s"\ncadence = "once"\n```\n\n'
        f'## Ask\n\n```questions\n[[question]]\nid = "q"\nprompt = "Q?"\ntype = "choice"\n'
        f"options = {options}\n```\n"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "playbook file(s) skipped because of problems" in text
        assert "x.md:11: the questions block nests" in text  # the path wraps
        problems = [str(p) for p in app.services.library.skipped]
        assert f"{path}:11: the questions block nests arrays or tables too deeply to read " in (
            " ".join(problems)
        )
        assert app.screen.query_one("#vendors", DataTable).row_count == 4
