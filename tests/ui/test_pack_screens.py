"""The review pack in the app: `p` on the vendor screen writes it; ctrl+o on the review's KPI
step reads the partner's copy back, shows what it changes and saves it only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.widgets import Button, Input

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.pack import PackImportScreen
from outsource_tui.tui.screens.period import PeriodScreen
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import SIZE, notifications, open_playbook, screen_text, settle

TODAY = "2026-10-05"  # 2026-Q3 has ended: its review is the next one
SLA_ROWS = [
    {
        "kpi": "First response time",
        "unit": "hours",
        "target": 4,
        "direction": "lower is better",
        "weight": 30,
    },
    {
        "kpi": "Customer satisfaction",
        "unit": "%",
        "target": 90,
        "direction": "higher is better",
        "weight": 10,
    },
]


@pytest.fixture
def acme(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    store = Store(data_dir)
    library = load_library()
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    sla = store.start_run(vendor.id, library.get("sla-kpis"), answers={"kpis": SLA_ROWS})
    store.complete_run(vendor.id, sla.id)
    q2 = store.start_run(
        vendor.id,
        library.get("quarterly-review"),
        period="2026-Q2",
        answers={
            "meeting_date": "2026-07-10",
            "decision": "Keep",
            "concerns": "Escalations were slow in May",
            "action_items": [
                {"action": "Fix the escalation list", "owner": "Acme", "status": "Open"},
            ],
        },
    )
    store.complete_run(vendor.id, q2.id)
    return vendor.id


async def open_vendor(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, VendorScreen)


async def test_p_on_the_vendor_screen_writes_the_pack_and_says_where(
    make_app, data_dir: Path, acme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_vendor(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PeriodScreen)
        assert app.screen.query_one("#period", Input).value == "2026-Q3"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        written = data_dir / "packs" / f"{acme}-2026-Q3.xlsx"
        assert f"Review pack for 2026-Q3 written to {written}" in notifications(app)
    book = load_workbook(written)
    kpis = book["KPIs"]
    assert [kpis["A4"].value, kpis["C4"].value, kpis["A5"].value, kpis["C5"].value] == [
        "First response time",
        4,
        "Customer satisfaction",
        90,
    ]
    assert book["Actions"]["A4"].value == "Fix the escalation list"
    assert book["Self-assessment"]["A11"].value == "Our concerns from the last review (2026-Q2)"


async def test_a_period_not_begun_is_refused_and_nothing_is_written(
    make_app, data_dir: Path, acme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_vendor(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2027-Q2", "enter")
        await pilot.pause()
        assert "Not exported: 2027-Q2 has not begun yet (this is 2026-Q4)" in notifications(app)
    assert not (data_dir / "packs").exists()


def partner_fills(path: Path, **cells: object) -> None:
    """What the partner types into the pack before sending it back."""
    book = load_workbook(path)
    for where, value in cells.items():
        sheet, cell = where.split("__")
        book[sheet][cell] = value
    book.save(path)


async def test_the_kpi_step_reads_their_pack_shows_the_changes_and_saves_on_request(
    make_app, data_dir: Path, acme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_vendor(pilot)
        await pilot.press("p", "enter")  # the pack for 2026-Q3, into <data dir>/packs
        await pilot.pause()
        written = data_dir / "packs" / f"{acme}-2026-Q3.xlsx"
        # The partner's reply, saved over the file sent (the dialog offers that name).
        partner_fills(written, KPIs__D4=3.5, KPIs__E4="Two outages", Actions__E4="Done")

        await open_playbook(pilot, "quarterly-review")
        await pilot.press("enter")  # the period asked: 2026-Q3
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("ctrl+n")  # to the KPI results step
        await pilot.pause()
        assert "Step 2 of 7 · KPI results" in screen_text(app)
        assert "ctrl+o reads the review pack the partner filled in." in screen_text(app)

        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PackImportScreen)
        assert app.screen.query_one("#pack-path", Input).value == str(written)
        await pilot.press("enter")  # read it: nothing saved yet
        await pilot.pause()
        text = screen_text(app)
        assert "First response time: theirs 3.5 hours, none of ours, so the scorecard" in text
        assert "Fix the escalation list: ours Open, theirs Done" in text
        run = Store(data_dir).latest_run(acme, "quarterly-review")
        assert run is not None and run.period == "2026-Q3" and run.reported == {}
        assert app.focused is app.screen.query_one("#yes", Button)
        await pilot.press("enter")  # Save theirs
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert "Saved 3 values reported by Acme" in notifications(app)
        text = screen_text(app)
        assert "The partner's figures (from their review pack, read" in text
        assert "First response time: theirs 3.5 hours · none of ours" in text

    run = Store(data_dir).latest_run(acme, "quarterly-review")
    assert run is not None
    assert run.reported["kpis"] == [
        {"kpi": "First response time", "actual": 3.5, "comment": "Two outages"}
    ]
    assert run.reported["actions"] == [
        {"action": "Fix the escalation list", "status": "Done", "comment": ""}
    ]
    # Ours untouched: the KPI rows have no actual of ours, the action item is still open.
    assert all("actual" not in row for row in run.answers["kpi_results"])
    assert run.answers["action_items"][0]["status"] == "Open"


async def test_a_bad_cell_is_named_in_the_dialog_and_nothing_is_saved(
    make_app, data_dir: Path, acme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_vendor(pilot)
        await pilot.press("p", "enter")
        await pilot.pause()
        written = data_dir / "packs" / f"{acme}-2026-Q3.xlsx"
        partner_fills(written, KPIs__D4="soon", KPIs__D5=91)
        await open_playbook(pilot, "quarterly-review")
        await pilot.press("enter", "ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "KPIs!D4: not a number ('soon')" in screen_text(app)
        assert app.screen.query_one("#yes", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
    run = Store(data_dir).latest_run(acme, "quarterly-review")
    assert run is not None and run.reported == {}
