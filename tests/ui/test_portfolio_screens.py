"""Dashboard, scorecard, comparison and the quarterly review, on the seeded sample portfolio."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from outsource_tui.domain.library import load_library
from outsource_tui.domain.settings import Settings
from outsource_tui.services.demo import write_demo
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.store import Store
from outsource_tui.tui.screens.compare import ChooseScreen, CompareScreen
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
        # In the seeded sample, every fourth vendor is behind on reviews: Cedar Logistics
        # (active) and Orchid Partners (on hold) were last reviewed for 2026-Q1, so 2026-Q2 was
        # due 30 days after that quarter, on 2026-07-30: 117 days before TODAY. Every other
        # vendor under review was reviewed for 2026-Q3.
        names = table_names(app)
        assert names[:2] == ["Cedar Logistics", "Orchid Partners"]  # the most urgent first
        text = screen_text(app)
        assert "12 vendors · 2 reviews overdue" in text
        assert re.search(r"Cedar Logistics +active .* 2026-Q2 overdue 117d ", text)
        assert re.search(r"Orchid Partners +on-hold .* 2026-Q2 overdue 117d ", text)
        assert re.search(r"Copper Logistics +active .* 2026-Q4 by 2027-01-30 ", text)

        await pilot.press("slash", *"candidate")
        assert sorted(table_names(app)) == ["Cedar Ledger", "Harbor Support", "Tidewater Digital"]
        assert "3 of 12 vendors" in screen_text(app)
        await pilot.press("escape")
        assert len(table_names(app)) == 12

        await pilot.press("s")  # sort by vendor name
        assert table_names(app) == sorted(table_names(app), key=str.casefold)


async def test_the_scorecard_shows_kpis_ratings_credits_and_moves_between_periods(
    make_app, sample
) -> None:
    app = make_app()
    # Cedar Logistics (software development) was reviewed for 2025-Q1 to 2026-Q1. Its latest
    # review's stored snapshot: overall 73.37, KPIs 78.63, ratings 61.11, 11 % credits (all
    # three KPIs missed: 4 + 4 + 3, under its 12 % cap) of a 40,000 EUR monthly fee; the
    # actuals typed into that review: 76.1, 7.0 and 32.3 against targets 85 %, 5 defects and
    # 24 hours (76.1/85 = 89.5%, below the 0.9 amber line; 5/7 = 71%; 24/32.3 = 74%).
    vendor = sample.find_vendor("Cedar Logistics")
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        text = screen_text(app)
        assert "2026-Q1   (5 of 6; ← → change period)" in text
        assert re.search(r"Overall: ● 73 / 100 +slipping +KPIs 79 +Ratings 61", text)
        # 89.5 % of target: shown so, since a rounded 90% would hide the missed amber line.
        assert re.search(r"Sprint commitments delivered +85 % +76\.1 % +89\.5% +● off track", text)
        assert re.search(
            r"Escaped defects per release +5 defects +7 defects +71% +● off track", text
        )
        assert re.search(r"Critical bug fix time +24 hours +32\.3 hours +74% +● off track", text)
        assert "Service credits owed for 2026-Q1: 11 % of the monthly fee (4,400 EUR)." in text
        assert "Overall, 5 reviews: 74 → 73 (from 2025-Q1 to 2026-Q1" in text  # 73.70 → 73.37

        await pilot.press("left")  # 2025-Q4: overall 72.90; actuals 79.2, 6.9 and 32.2
        text = screen_text(app)
        assert "2025-Q4   (4 of 6;" in text
        assert re.search(r"Overall: ● 73 / 100 ", text)
        assert re.search(r"Sprint commitments delivered +85 % +79\.2 % +93% ", text)
        assert re.search(r"Critical bug fix time +24 hours +32\.2 hours +75% ", text)
        assert "32.3 hours" not in text
        await pilot.press("right", "right")  # on to the next, not yet reviewed, period
        text = screen_text(app)
        assert "2026-Q2   (6 of 6;" in text
        assert "No review for 2026-Q2 yet." in text


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
        text = " ".join(screen_text(app).split())
        assert "Agreed targets (from the SLA):" in text
        assert targets[0].kpi in text
        # What a miss costs, and the credit terms, are beside the targets (the sample's SLAs
        # all agree a fee, a cap and per-KPI credits).
        assert "a miss costs" in text and "Credit terms: monthly fee" in text
        # The results entered so far, each in its KPI's unit.
        row = run.answers["kpi_results"][0]
        unit = f" {targets[0].unit}" if targets[0].unit else ""
        app.screen.query_one("RowsTable").focus()
        await pilot.press("home", "enter")  # the first KPI's row: its actual is blank
        assert app.focused is not None and app.focused.id == "cell-actual"
        await pilot.press("1", "enter")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert f"{row['kpi']}: 1{unit} against" in text
        await pilot.press("ctrl+n")  # to the ratings: each shows its weight of the whole
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Quality of deliverables · weight 3 of 9" in text
        assert "Timeliness: were dates and service levels kept? · weight 2 of 9" in text


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
    # The sample's three candidates all have a finished partner-selection run; two of them
    # are no longer in the running.
    for name in ("Harbor Support", "Tidewater Digital"):
        sample.set_status(sample.find_vendor(name).id, "ended")
    app = make_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        # Cedar Ledger's stored ratings 2, 3, 5, 4, 4, 3, 2, 5, 5 under the playbook's weights
        # 10, 10, 15, 10, 10, 15, 5, 10, 15: a weighted 3.85 of 5, 71.25 on the 0-100 scale.
        assert "1. Cedar Ledger  71.2  (9 of 9 criteria rated)" in text
        assert not re.search(r"^ *2\. ", text, re.MULTILINE)  # nobody in second place
        assert "Harbor Support" not in text and "Tidewater Digital" not in text

        await pilot.press("o")  # choose the leader
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert "Choose Cedar Ledger?" in screen_text(app)
        await pilot.press("enter")  # "Choose and onboard" has the focus
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        assert app.screen.playbook.id == "onboarding"
        text = screen_text(app)
        assert "Onboard a new vendor — Cedar Ledger" in text
        assert "Step 1 of 6 · Kickoff" in text
        assert "Cedar Ledger moved to onboarding." in notifications(app)
    store = Store(sample.data_dir)
    chosen = store.find_vendor("Cedar Ledger")
    assert chosen.status == "onboarding"
    assert {store.find_vendor(n).status for n in ("Harbor Support", "Tidewater Digital")} == {
        "ended"
    }
    run = store.latest_run(chosen.id, "onboarding")
    assert run is not None and not run.completed  # the run the screen opened


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


async def test_the_period_prompt_dims_the_vendor_screen_rather_than_hiding_it(
    make_app, sample
) -> None:
    app = make_app()
    vendor = next(v for v in sample.list_vendors() if v.status == "active")
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        behind = "Define objectives and scope"
        assert behind in screen_text(app)
        await open_playbook(pilot, "quarterly-review")
        assert isinstance(app.screen, PeriodScreen)
        assert behind in screen_text(app)  # still there behind the dialog, dimmed


async def test_at_80x24_the_vendor_table_needs_no_sideways_scrolling(make_app, sample) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#vendors", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[:3] == ["Vendor", "Status", "Score"] and "Actions" in headings
        assert "Service" not in headings  # left out for room: it is on the line beneath
        first = sample.get_vendor(str(table.coordinate_to_cell_key((0, 0)).row_key.value))
        detail = " ".join(screen_text(app).split())
        assert f"{first.name} ·" in detail and first.service in detail
        await pilot.press("down")
        second = sample.get_vendor(str(table.coordinate_to_cell_key((1, 0)).row_key.value))
        assert second.service in " ".join(screen_text(app).split()).split(" · ", 1)[-1]


async def test_at_80x24_the_scorecard_tables_wrap_words_instead_of_scrolling(
    make_app, sample
) -> None:
    vendor = sample.find_vendor("Cedar Logistics")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(VendorScreen(vendor.id))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        for table_id in ("#kpis", "#ratings", "#governance"):
            table = app.screen.query_one(table_id, DataTable)
            assert table.virtual_size.width <= app.size.width - 6, table_id
        kpis = app.screen.query_one("#kpis", DataTable)
        # Every KPI's name is there in full, over as many lines as it needs.
        names = [" ".join(str(kpis.get_cell_at((row, 0))).split()) for row in range(kpis.row_count)]
        assert names == [
            "Sprint commitments delivered",
            "Escaped defects per release",
            "Critical bug fix time",
        ]
        assert any(kpis.rows[key].height > 1 for key in kpis.rows)
