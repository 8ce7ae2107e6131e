"""Spend against performance: `v` on the dashboard, on the sample portfolio."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.spend import SpendScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.widgets.charts import SpendPlotView

from .conftest import screen_text, settle

TODAY = "2026-11-24"


@pytest.fixture
def sample(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=12, years=2, seed=7, today=date.fromisoformat(TODAY))
    return store


def active_fees(store: Store) -> dict[str, float]:
    """Each active vendor's monthly fee, read straight from its SLA run's answers."""
    found = {}
    for vendor in store.list_vendors():
        if vendor.status == "active":
            sla = [r for r in store.runs(vendor.id) if r.playbook_id == "sla-kpis"]
            found[vendor.name] = float(sla[-1].answers["monthly_fee"])
    return found


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#spend-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_v_shows_every_active_vendor_with_a_fee_placed_by_fee_and_score(
    make_app, sample: Store
) -> None:
    fees = active_fees(sample)
    assert len(fees) >= 4
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SpendScreen)
        rows = table_rows(app)
        assert sorted(row[1] for row in rows) == sorted(fees)  # active vendors only, all
        for row in rows:
            assert row[2] == f"{fees[row[1]]:,.0f} EUR"
            assert re.fullmatch(r"(◆ )?\d+", row[0]), row  # each one numbered on the plot
        # The most costly per score point comes first: Cedar Logistics, 40,000 EUR a month
        # for a slipping score, is the one marked as costing a lot for what it delivers.
        assert rows[0][1] == "Cedar Logistics" and rows[0][0] == "◆ 1"
        assert [row[1] for row in rows if row[0].startswith("◆")] == ["Cedar Logistics"]
        per_point = [float(row[4].split()[0].replace(",", "")) for row in rows]
        assert per_point == sorted(per_point, reverse=True)
        text = screen_text(app)
        assert f"{len(fees)} active vendors, {len(fees)} placed by fee and score" in text
        assert "◆ 1 costs a lot for what it delivers" in text
        plot = app.screen.query_one(SpendPlotView)
        assert plot.plot is not None and len(plot.plot.points) == len(fees)
        assert "Monthly fee (EUR) against latest score" in text
        for number in range(1, len(fees) + 1):  # every number is on the plot
            assert re.search(rf"[│┤].*\b{number}\b", text)

        await pilot.press("enter")  # the highlighted row: open that vendor
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert app.screen.vendor_id == sample.find_vendor("Cedar Logistics").id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SpendScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_a_vendor_without_a_fee_or_a_score_is_listed_with_the_reason(
    make_app, sample: Store
) -> None:
    placed = active_fees(sample)
    sample.add_vendor(VendorDraft(name="Fresh Partners", status="active"))  # no SLA yet
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        rows = {row[1]: row for row in table_rows(app)}
        fresh = rows["Fresh Partners"]
        assert fresh[0] == "" and fresh[2] == "—" and fresh[3] == "—"
        assert fresh[-1] == "no monthly fee in the SLA"
        assert sorted(rows) == sorted([*placed, "Fresh Partners"])
        text = screen_text(app)
        assert "1 without a fee or a score, listed below" in text


async def test_at_80x24_every_column_of_the_spend_table_is_on_screen(make_app, sample) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SpendScreen)
        table = app.screen.query_one("#spend-table", DataTable)
        assert table.virtual_size.width <= app.size.width - 6
        costly = [str(table.get_row_at(i)[7]) for i in range(table.row_count)]
        assert "costs a lot for what it delivers" in " ".join(" ".join(costly).split())
