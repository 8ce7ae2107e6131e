"""Table questions from the keyboard: add, refuse, edit and remove rows; nothing half-typed lost."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.widgets.table_editor import RowsTable

from .conftest import SIZE, open_playbook, screen_text, settle


def raci(data_dir: Path):
    run = Store(data_dir).latest_run("acme", "objectives")
    return run.answers.get("raci")


async def test_rows_are_added_refused_edited_and_removed(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(SIZE[0], 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "objectives")
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert "▶ 4. Roles and responsibilities" in screen_text(app)
        await pilot.press("tab", "tab", "tab")  # past the owner and notes to the first cell
        assert app.focused.id == "cell-activity"
        await pilot.press(*"Monthly report", "tab", *"Partner [PM]", "tab", *"Ops lead", "enter")
        await pilot.pause()
        assert raci(data_dir) == [
            {"activity": "Monthly report", "responsible": "Partner [PM]", "accountable": "Ops lead"}
        ]
        assert app.focused.id == "cell-activity"  # ready for the next row

        await pilot.press("tab", *"Nobody", "enter")  # the activity is required
        assert "Row not added: Activity is required" in screen_text(app)
        assert len(raci(data_dir)) == 1
        assert app.focused.id == "cell-activity"  # the refused row's problem, focused

        await pilot.press("ctrl+n")  # a started row is not silently dropped
        await pilot.pause()
        assert "▶ 4. Roles and responsibilities" in screen_text(app)
        assert "a row was started but not added" in screen_text(app)

        assert app.focused.id == "cell-activity"
        await pilot.press(*"Invoices", "enter")
        await pilot.pause()
        assert [row["activity"] for row in raci(data_dir)] == ["Monthly report", "Invoices"]

        rows = app.screen.query_one(RowsTable)
        rows.focus()
        await pilot.press("home", "enter")  # take row 1 back into the editor
        await pilot.pause()
        assert app.focused.id == "cell-consulted"  # its first blank cell
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert app.focused.id == "cell-activity"
        assert "Save row 1 (enter)" in screen_text(app)
        await pilot.press("ctrl+u", *"Weekly report", "enter")
        await pilot.pause()
        assert [row["activity"] for row in raci(data_dir)] == ["Weekly report", "Invoices"]
        assert raci(data_dir)[0]["responsible"] == "Partner [PM]"

        rows.focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert [row["activity"] for row in raci(data_dir)] == ["Weekly report"]
        assert "Partner [PM]" in screen_text(app)  # shown literally in the rows table


LONG = "Monthly figure from the partner's report, checked against our own ticketing system"


async def test_long_values_fit_with_an_ellipsis_and_show_whole_beneath(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "sla-kpis")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "▶ 2. How each KPI is measured" in screen_text(app)
        app.screen.query_one("#cell-kpi").focus()
        await pilot.press(*"Uptime", "tab", *LONG, "tab", "tab", *"Planned maintenance windows")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(RowsTable)
        # Every column is on screen: the table needs no sideways scrolling.
        assert table.virtual_size.width <= table.size.width
        text = screen_text(app)
        assert "Excluded" in text and "Planned maintenance windows" in text
        assert LONG not in text.replace("\n", " ").split("Row 1:")[0]  # cut in its column
        assert "Monthly figure from the partner's" in text and "…" in text
        # ... and whole on the line beneath the table.
        detail = app.screen.query_one(".row-detail", Static)
        assert detail.display and str(detail.render()) == f"Row 1: Calculation: {LONG}"
        assert "Row 1: Calculation: Monthly figure" in text


async def test_a_cell_being_edited_shows_its_help(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "sla-kpis")
        app.screen.query_one("#cell-kpi").focus()
        await pilot.pause()
        assert "of the monthly fee" not in screen_text(app)
        while app.focused is not None and app.focused.id != "cell-credit":
            await pilot.press("tab")
        text = " ".join(screen_text(app).split())
        assert "Credit %: " in text and "of the monthly fee" in text
