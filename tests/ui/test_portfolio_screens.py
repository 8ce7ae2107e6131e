"""Dashboard, scorecard, comparison and the quarterly review, on the seeded sample portfolio."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from outsource_tui.domain.library import load_library
from outsource_tui.domain.settings import Settings
from outsource_tui.services.demo import write_demo
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.store import Store
from outsource_tui.tui.screens.compare import CompareScreen
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.period import PeriodScreen
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.scorecard import ScorecardScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import SIZE, notifications, open_playbook, screen_text, settle

TODAY = "2026-11-24"


@pytest.fixture
def sample(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=12, years=2, seed=7, today=date.fromisoformat(TODAY))
    return store


def table_names(app) -> list[str]:
    table = app.screen.query_one("#vendors", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_the_dashboard_puts_overdue_reviews_first_and_filters(make_app, sample) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        portfolio = Portfolio(sample, app.library, Settings(), date.fromisoformat(TODAY))
        overdue = [
            o.vendor.name for o in portfolio.overviews() if o.next_review and o.next_review.overdue
        ]
        assert overdue, "the sample portfolio has overdue reviews"
        names = table_names(app)
        assert names[: len(overdue)] == overdue  # the most urgent first
        text = screen_text(app)
        assert "overdue" in text and "reviews overdue" in text

        await pilot.press("slash", *"candidate")
        candidates = [v.name for v in sample.list_vendors() if v.status == "candidate"]
        assert sorted(table_names(app)) == sorted(candidates)
        assert f"{len(candidates)} of 12 vendors" in screen_text(app)
        await pilot.press("escape")
        assert len(table_names(app)) == 12

        await pilot.press("s")  # sort by vendor name
        assert table_names(app) == sorted(table_names(app), key=str.casefold)


async def test_the_scorecard_shows_kpis_ratings_credits_and_moves_between_periods(
    make_app, sample
) -> None:
    app = make_app()
    reviewed = next(
        v
        for v in sample.list_vendors()
        if v.status == "active" and any(r.snapshot for r in sample.runs(v.id))
    )
    runs = [r for r in sample.runs(reviewed.id) if r.snapshot]
    last = runs[-1]
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(reviewed.id))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        text = screen_text(app)
        assert f"{last.period}" in text
        assert f"{last.snapshot['overall']:.0f} / 100" in text
        for line in last.snapshot["kpis"]:
            assert line["target"]["kpi"] in text
        assert "Governance: the playbooks" in text or "Trend" in text
        await pilot.press("left")
        assert runs[-2].period in screen_text(app)
        await pilot.press("right", "right")  # on to the next, not yet reviewed, period
        assert "No review for" in screen_text(app)


async def test_comparison_ranks_candidates_and_a_weight_change_can_flip_it(
    make_app, sample
) -> None:
    app = make_app()
    stored = sample.data_dir / "vendors"
    before = {p: p.read_bytes() for p in stored.rglob("*.json")}
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        base = screen.ranking(screen.weights)
        text = screen_text(app)
        assert f"1. {base[0].name}" in text and "leads by" in text
        # Find a criterion where the runner-up beats the leader, and push its weight up.
        leader, second = base[0], base[1]
        criteria = [q.id for q in app.library.get("partner-selection").scored_questions()]
        better = next(
            i
            for i, qid in enumerate(criteria)
            if next(x.rating for x in second.lines if x.question_id == qid)
            > next(x.rating for x in leader.lines if x.question_id == qid)
        )
        await pilot.press("home", *["down"] * better)
        for _ in range(40):
            await pilot.press("plus")
            if screen.ranking(screen.weights)[0].vendor_id != leader.vendor_id:
                break
        assert screen.ranking(screen.weights)[0].vendor_id == second.vendor_id
        assert "These weights change the ranking" in screen_text(app)
        await pilot.press("r")
        assert screen.ranking(screen.weights)[0].vendor_id == leader.vendor_id
        assert "change the ranking" not in screen_text(app)
    # the stored ratings were never touched: not one vendor file changed
    assert {p: p.read_bytes() for p in stored.rglob("*.json")} == before


async def test_choosing_the_leader_moves_it_to_onboarding(make_app, sample) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        leader = app.screen.ranking(app.screen.weights)[0]
        await pilot.press("o", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert app.screen.playbook.id == "onboarding"
        assert f"{leader.name} moved to onboarding." in notifications(app)
    assert sample.get_vendor(leader.vendor_id).status == "onboarding"


async def test_a_quarterly_review_starts_with_targets_and_open_items(make_app, sample) -> None:
    app = make_app()
    portfolio = Portfolio(sample, app.library, Settings(), date.fromisoformat(TODAY))
    vendor = next(
        o.vendor for o in portfolio.overviews() if o.vendor.status == "active" and o.actions
    )
    runs = sample.runs(vendor.id)
    targets = portfolio.targets(runs)
    open_items = portfolio.actions(runs)
    expected_period = portfolio.default_period(app.library.get("quarterly-review"), runs)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        await open_playbook(pilot, "quarterly-review")
        assert isinstance(app.screen, PeriodScreen)
        await pilot.press("enter")  # the suggested period
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        run = app.screen.run
        assert run.period == expected_period
        assert [row["kpi"] for row in run.answers["kpi_results"]] == [t.kpi for t in targets]
        assert [row["action"] for row in run.answers["action_items"]] == [
            a.action for a in open_items
        ]
        await pilot.press("ctrl+n")  # to the KPI results step
        await pilot.pause()
        text = screen_text(app)
        assert "Agreed targets (from the SLA):" in text
        assert targets[0].kpi in text


def test_every_vendor_status_is_in_the_sample(sample) -> None:
    statuses = {v.status for v in sample.list_vendors()}
    assert statuses == {"candidate", "onboarding", "active", "on-hold", "exiting", "ended"}


async def test_an_empty_dashboard_offers_the_sample_portfolio(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "d Sample portfolio" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert len(table_names(app)) == 12
        assert "d Sample portfolio" not in screen_text(app)
    assert len(Store(data_dir).list_vendors()) == 12


async def test_the_vendor_screen_exports_its_report(make_app, sample, data_dir: Path) -> None:
    app = make_app()
    vendor = next(v for v in sample.list_vendors() if v.status == "active")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        stem = data_dir / "reports" / f"{vendor.id}-{TODAY}"
        assert f"Report written to {stem}.md and .html" in notifications(app)
    assert f"# Vendor report: {vendor.name}" in (stem.with_suffix(".md")).read_text()
    assert "<html" in (stem.with_suffix(".html")).read_text()


async def test_only_candidates_are_compared_and_chosen(make_app, sample) -> None:
    candidates = [v for v in sample.list_vendors() if v.status == "candidate"]
    for vendor in candidates[1:]:
        sample.set_status(vendor.id, "ended")
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert [r.vendor_id for r in app.screen.ranking(app.screen.weights)] == [candidates[0].id]
    assert {sample.get_vendor(v.id).status for v in candidates[1:]} == {"ended"}


async def test_the_scorecard_exports_the_period_on_screen(make_app, sample, data_dir: Path) -> None:
    app = make_app()
    vendor = next(
        v for v in sample.list_vendors() if v.status == "active" and sample.runs(v.id)[-1].period
    )
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        period = app.screen.periods[app.screen.index]
        await pilot.press("x")
        await pilot.pause()
        stem = data_dir / "reports" / f"{vendor.id}-{period}"
        assert f"Report written to {stem}.md and .html" in notifications(app)
    assert f"## Scorecard for {period}" in stem.with_suffix(".md").read_text()
