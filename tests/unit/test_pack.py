"""`outsource-tui pack export | import`: the partner's review pack, out and back.

The partner's side is played with openpyxl, writing the cells a partner would type in. Every
expected figure is worked out by hand in the comments; the commands are driven through
``main``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.services import Services
from outsource_tui.services.pack import concern_items, partner_owns, preview_pack
from outsource_tui.store import Store

TODAY = "2026-10-05"  # 2026-Q3 has ended: its review, and its pack, are due
SLA_ROWS = [
    {
        "kpi": "First response time",
        "unit": "hours",
        "target": 4,
        "direction": "lower is better",
        "weight": 30,
        "credit": 5,
    },
    {
        "kpi": "Customer satisfaction",
        "unit": "%",
        "target": 90,
        "direction": "higher is better",
        "weight": 10,
    },
    {
        "kpi": "First contact resolution",
        "unit": "%",
        "target": 75,
        "direction": "higher is better",
        "weight": 10,
    },
]
Q2_CONCERNS = "- Escalations were slow in May\n- The weekly report came late\n  twice in June"
Q2_ACTIONS = [
    {"action": "Fix the escalation list", "owner": "Acme", "due": "2026-08-15", "status": "Open"},
    {"action": "Share the forecast", "owner": "Finance", "due": "2026-12-15", "status": "Open"},
    {
        "action": "Train the night shift",
        "owner": "Partner",
        "due": "2026-09-30",
        "status": "In progress",
    },
    {"action": "Send the template", "owner": "Acme", "due": "2026-05-01", "status": "Done"},
]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def portfolio(data_dir: Path, *, our_satisfaction: float | None = None) -> str:
    """Acme with an SLA and a finished 2026-Q2 review; with ``our_satisfaction``, a 2026-Q3
    review already holding our own figure for customer satisfaction. Returns Acme's id."""
    store = Store(data_dir)
    library = load_library()
    acme = store.add_vendor(VendorDraft(name="Acme", service="Support desk", contact="Dana Reyes"))
    sla = store.start_run(acme.id, library.get("sla-kpis"), answers={"kpis": SLA_ROWS})
    store.complete_run(acme.id, sla.id)
    review = library.get("quarterly-review")
    q2 = store.start_run(
        acme.id,
        review,
        period="2026-Q2",
        answers={
            "meeting_date": "2026-07-10",
            "decision": "Keep",
            "concerns": Q2_CONCERNS,
            "action_items": Q2_ACTIONS,
            "quality_rating": 3,
        },
    )
    store.complete_run(acme.id, q2.id)
    if our_satisfaction is not None:  # opened as the app opens it, then our figure typed in
        runs = Services(store, library).runs()
        opened = runs.open(acme.id, review, "2026-Q3").run
        rows = [dict(row) for row in opened.answers["kpi_results"]]
        rows[1]["actual"] = our_satisfaction
        runs.save_answers(review, opened, {"kpi_results": rows, "quality_rating": 3})
    return acme.id


def fill(source: Path, target: Path, **cells: object) -> Path:
    """The partner's side: open the pack, type into their cells, save it under a new name.
    ``cells`` maps 'Sheet!A1' (with '_' for '-' and '__' for '!') to a value."""
    book = load_workbook(source)
    typed = {
        "KPIs!D4": 3.5,
        "KPIs!E4": "Two outages in August",
        "KPIs!D5": 92,
        "Self-assessment!B4": 4,
        "Self-assessment!C4": "Fewer defects",
        "Self-assessment!C9": "A steady quarter.",
        "Self-assessment!C12": "We added a second on-call engineer.",
        "Actions!E4": "Done",
        "Actions!F4": "Published on 12 September",
    }
    typed.update({k.replace("__", "!").replace("_", "-"): v for k, v in cells.items()})
    for where, value in typed.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    book.save(target)
    return target


def files_under(folder: Path) -> dict[Path, bytes]:
    """Every file of the store (the lock aside), with its bytes."""
    return {
        p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"
    }


def q3_review(data_dir: Path, vendor_id: str):
    runs = [r for r in Store(data_dir).runs(vendor_id) if r.period == "2026-Q3"]
    return runs[-1] if runs else None


def export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    target = tmp_path / "acme.xlsx"
    code, out, err = run(capsys, "pack", "export", "Acme", "--period", "2026-Q3", "-o", str(target))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "Wrote the review pack for Acme, 2026-Q3: 3 KPIs, 4 areas to rate, 2 concerns, "
        f"2 action items to {target}."
    )
    return target


# -- what the workbook holds -----------------------------------------------------------


def test_the_pack_holds_our_facts_locked_and_their_cells_open_and_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir)
    book = load_workbook(export(capsys, tmp_path))
    assert book.sheetnames == ["KPIs", "Self-assessment", "Actions", "outsource-tui"]
    assert book["outsource-tui"].sheet_state == "hidden"

    kpis = book["KPIs"]
    assert [c.value for c in kpis[3]] == [
        "KPI",
        "Unit",
        "Our target",
        "Your actual",
        "Your comment",
        "Direction",
    ]
    rows = [[c.value for c in row] for row in kpis.iter_rows(min_row=4, max_row=6)]
    assert rows == [
        ["First response time", "hours", 4, None, None, "lower is better"],
        ["Customer satisfaction", "%", 90, None, None, "higher is better"],
        ["First contact resolution", "%", 75, None, None, "higher is better"],
    ]
    assert kpis.protection.sheet
    assert kpis["C4"].protection.locked and kpis["A4"].protection.locked
    assert not kpis["D4"].protection.locked and not kpis["E4"].protection.locked
    checks = {str(v.sqref): v for v in kpis.data_validations.dataValidation}
    assert set(checks) == {"D4", "D5", "D6"}
    assert checks["D4"].type == "decimal"

    own = book["Self-assessment"]
    assert [own[f"A{r}"].value for r in range(4, 8)] == [
        "Quality of deliverables",
        "Timeliness: were dates and service levels kept?",
        "Responsiveness to questions, requests and incidents",
        "Communication: clear, honest and early?",
    ]
    assert not own["B4"].protection.locked and not own["C9"].protection.locked
    (rating,) = own.data_validations.dataValidation
    assert (rating.type, rating.formula1, rating.formula2) == ("whole", "1", "5")
    assert own["A11"].value == "Our concerns from the last review (2026-Q2)"
    # The concerns, one per bullet; the second ran over two lines.
    assert [own["A12"].value, own["A13"].value] == [
        "Escalations were slow in May",
        "The weekly report came late twice in June",
    ]

    actions = book["Actions"]
    # Only the open items whose owner is the partner: by name (Acme) or as "Partner".
    rows = [[c.value for c in row] for row in actions.iter_rows(min_row=4, max_row=6)]
    assert rows == [
        ["Fix the escalation list", "Acme", "2026-08-15", "Open", "Open", None],
        ["Train the night shift", "Partner", "2026-09-30", "In progress", "In progress", None],
        [None, None, None, None, None, None],
    ]
    (status,) = actions.data_validations.dataValidation
    assert status.type == "list"
    assert status.formula1 == '"Open,In progress,Done,Dropped"'
    assert not actions["E4"].protection.locked and actions["D4"].protection.locked


def test_pack_export_writes_into_the_data_dir_by_default_and_refuses_bad_targets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir)
    code, out, err = run(capsys, "pack", "export", "Acme")  # the next review's period
    assert (code, err) == (0, "")
    written = data_dir / "packs" / "acme-2026-Q3.xlsx"
    assert f"to {written}." in out and written.is_file()
    for argv, message in [
        (["--period", "2027-Q1"], "2027-Q1 has not begun yet (this is 2026-Q4)"),
        (["--period", "2026Q3"], "--period: '2026Q3' is not a period: write it like 2026-Q4"),
        (["-o", "-"], "-o -: a workbook cannot be printed; name a .xlsx file"),
        (["-o", str(tmp_path / "pack.txt")], "name a file ending in .xlsx"),
        (["-o", str(tmp_path / "none" / "p.xlsx")], "there is no folder"),
    ]:
        code, out, err = run(capsys, "pack", "export", "Acme", *argv)
        assert code == 1 and out == "", argv
        assert err.startswith("outsource-tui: error: ") and message in err, (argv, err)
        assert len(err.strip().splitlines()) == 1


# -- the round trip ----------------------------------------------------------------------


def test_round_trip_keeps_their_figures_apart_and_the_scorecard_shows_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir, our_satisfaction=88)
    ours_before = q3_review(data_dir, vendor_id).answers
    filled = fill(export(capsys, tmp_path), tmp_path / "from-acme.xlsx")

    before = files_under(data_dir)
    code, out, err = run(capsys, "pack", "import", str(filled))  # no --yes: a preview
    assert (code, err) == (0, "")
    assert files_under(data_dir) == before
    assert out.splitlines() == [
        f"{filled}: the partner's figures for Quarterly business review 2026-Q3 for Acme "
        "(in progress)",
        "Their KPI figures:",
        "  First response time: theirs 3.5 hours, none of ours, so the scorecard uses theirs",
        '  First response time, their comment: "Two outages in August"',
        "  Customer satisfaction: theirs 92 %, ours 88 %",
        "Their self-assessment:",
        "  Quality of deliverables: they rate themselves 4 / 5 (we rated 3 / 5)",
        '  Quality of deliverables, their comment: "Fewer defects"',
        '  Their view of the quarter: "A steady quarter."',
        "Their answers to our concerns from 2026-Q2:",
        '  "Escalations were slow in May": "We added a second on-call engineer."',
        "Action items:",
        "  Fix the escalation list: ours Open, theirs Done",
        '  Fix the escalation list, their comment: "Published on 12 September"',
        "Nothing saved yet: add --yes to save them.",
    ]

    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "Saved 9 values reported by Acme into quarterly-review 2026-Q3 (review in progress); "
        "our own answers are as they were."
    )
    review = q3_review(data_dir, vendor_id)
    assert review.answers == ours_before  # our 88 % and our rating of 3 stay ours
    reported = review.reported
    assert reported["kpis"] == [
        {"kpi": "First response time", "actual": 3.5, "comment": "Two outages in August"},
        {"kpi": "Customer satisfaction", "actual": 92, "comment": ""},
    ]
    assert reported["ratings"] == [
        {"question_id": "quality_rating", "rating": 4, "comment": "Fewer defects"}
    ]
    assert reported["assessment"] == "A steady quarter."
    assert reported["concerns"] == [
        {"concern": "Escalations were slow in May", "answer": "We added a second on-call engineer."}
    ]
    assert reported["actions"] == [
        {
            "action": "Fix the escalation list",
            "status": "Done",
            "comment": "Published on 12 September",
        },
        {"action": "Train the night shift", "status": "In progress", "comment": ""},
    ]
    assert reported["file"] == "from-acme.xlsx"

    code, out, err = run(capsys, "scorecard", "Acme", "--period", "2026-Q3")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # Response time: theirs, 3.5 h against 4 h lower-is-better: 4 / 3.5 = 114 %. Satisfaction:
    # ours, 88 against 90: 98 %, amber (from 90 %). Resolution: nobody's figure.
    assert [" ".join(line.split()) for line in lines[2:5]] == [
        "First response time 4 hours 3.5 hours (theirs) 114% on track",
        "Customer satisfaction 90 % 88 % 98% slipping",
        "First contact resolution 75 % missing — no data",
    ]
    assert "Reported by the partner, with no figure of ours: First response time." in lines

    code, out, err = run(capsys, "scorecard", "Acme", "--period", "2026-Q3", "--json")
    card = json.loads(out)
    assert [(k["actual"], k["reported"]) for k in card["kpis"]] == [
        (3.5, True),
        (88, False),
        (None, False),
    ]

    # The same pack again brings nothing new.
    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Nothing new: everything in it is stored already; nothing saved."


def test_importing_before_the_review_is_opened_starts_it_with_its_prefill(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    filled = fill(export(capsys, tmp_path), tmp_path / "back.xlsx")
    assert q3_review(data_dir, vendor_id) is None
    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, err) == (0, "")
    assert "(review started)" in out.splitlines()[-1]
    review = q3_review(data_dir, vendor_id)
    # Started as the app starts a review: the SLA's KPI names, last time's open items; none of
    # the partner's figures among our answers.
    assert review.answers["kpi_results"] == [
        {"kpi": "First response time"},
        {"kpi": "Customer satisfaction"},
        {"kpi": "First contact resolution"},
    ]
    assert [r["action"] for r in review.answers["action_items"]] == [
        "Fix the escalation list",
        "Share the forecast",
        "Train the night shift",
    ]
    assert [k["actual"] for k in review.reported["kpis"]] == [3.5, 92]
    services = Services(Store(data_dir), load_library())
    card = services.portfolio().scorecard(vendor_id, "2026-Q3")
    assert card is not None
    # Theirs stand in for both: 4 / 3.5 = 1.142857..., 92 / 90 = 1.0222...
    assert [(line.actual, line.reported) for line in card.kpis] == [
        (3.5, True),
        (92, True),
        (None, False),
    ]
    assert card.kpis[0].attainment == pytest.approx(4 / 3.5)
    assert card.kpis[1].attainment == pytest.approx(92 / 90)


def test_a_blank_cell_in_a_later_pack_keeps_what_they_reported_before(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    sent = export(capsys, tmp_path)
    run(capsys, "pack", "import", str(fill(sent, tmp_path / "one.xlsx")), "--yes")
    second = fill(sent, tmp_path / "two.xlsx", KPIs__D4=3.2, KPIs__D5=None)
    code, out, err = run(capsys, "pack", "import", str(second), "--yes")
    assert (code, err) == (0, "")
    changed = "  First response time: theirs 3.2 hours, none of ours, so the scorecard uses theirs"
    assert changed in out.splitlines()
    assert [k["actual"] for k in q3_review(data_dir, vendor_id).reported["kpis"]] == [3.2, 92]


def test_a_percentage_typed_as_such_is_read_in_the_kpi_unit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    book = load_workbook(export(capsys, tmp_path))
    # What a spreadsheet keeps when "92%" is typed: 0.92, shown as a percentage.
    book["KPIs"]["D5"] = 0.92
    book["KPIs"]["D5"].number_format = "0%"
    book.save(tmp_path / "percent.xlsx")
    assert run(capsys, "pack", "import", str(tmp_path / "percent.xlsx"), "--yes")[0] == 0
    assert q3_review(data_dir, vendor_id).reported["kpis"][0]["actual"] == 92

    book["KPIs"]["D4"] = 0.35  # response time is in hours: a percentage makes no sense
    book["KPIs"]["D4"].number_format = "0%"
    book.save(tmp_path / "hours.xlsx")
    code, out, err = run(capsys, "pack", "import", str(tmp_path / "hours.xlsx"))
    assert code == 1
    assert err.splitlines()[0] == (
        "KPIs!D4: typed as a percentage (35%), but this KPI is in hours: type the number alone"
    )


# -- refused packs -------------------------------------------------------------------------


def test_text_in_a_number_cell_is_named_by_sheet_and_cell_and_nothing_is_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir, our_satisfaction=88)
    bad = fill(
        export(capsys, tmp_path),
        tmp_path / "bad.xlsx",
        KPIs__D4="about 3 hours",
        Self_assessment__B5=7,
        Actions__E5="Finished",
    )
    before = files_under(data_dir)
    code, out, err = run(capsys, "pack", "import", str(bad), "--yes")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "KPIs!D4: not a number ('about 3 hours')",
        "Self-assessment!B5: rate from 1 to 5 ('7')",
        "Actions!E5: 'Finished' is not a status: pick one of Open, In progress, Done, Dropped",
        f"{bad}: nothing was saved",
    ]
    assert files_under(data_dir) == before


def test_a_pack_edited_in_our_cells_is_refused_and_nothing_is_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir, our_satisfaction=88)
    sent = export(capsys, tmp_path)
    book = load_workbook(fill(sent, tmp_path / "edited.xlsx"))
    kpis = book["KPIs"]
    kpis.protection.sheet = False  # as a partner who unprotects the sheet would
    kpis["C4"] = 6  # a target of 4 hours made easier
    book["Actions"]["D5"] = "Done"
    book.save(tmp_path / "edited.xlsx")
    before = files_under(data_dir)
    code, out, err = run(capsys, "pack", "import", str(tmp_path / "edited.xlsx"), "--yes")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "KPIs!C4: 'Our target' was changed, from 4 to 6",
        "Actions!D5: 'Our status' was changed, from 'In progress' to 'Done'",
        f"{tmp_path / 'edited.xlsx'}: refused, as cells we filled in (they are locked) were "
        "edited; nothing was saved. Send a fresh pack if our figures must change",
    ]
    assert files_under(data_dir) == before

    # The hidden record edited to point the pack elsewhere is refused too.
    book = load_workbook(sent)
    sheet = book["outsource-tui"]
    row = next(r for r in range(1, 30) if sheet[f"A{r}"].value == "period")
    sheet[f"B{row}"] = "2026-Q2"
    book.save(tmp_path / "moved.xlsx")
    code, out, err = run(capsys, "pack", "import", str(tmp_path / "moved.xlsx"), "--yes")
    assert code == 1
    assert err == (
        f"outsource-tui: error: {tmp_path / 'moved.xlsx'}: the pack's hidden record was "
        "changed, so what it is for cannot be trusted; nothing was saved (export a fresh pack)\n"
    )
    assert files_under(data_dir) == before


def test_a_pack_for_another_vendor_or_period_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir)
    Store(data_dir).add_vendor(VendorDraft(name="Beta"))
    filled = fill(export(capsys, tmp_path), tmp_path / "acme.xlsx")
    before = files_under(data_dir)
    for argv, reason in [
        (["--vendor", "Beta"], "this pack is for Acme, not Beta; nothing was saved"),
        (["--period", "2026-Q2"], "this pack is for 2026-Q3, not 2026-Q2; nothing was saved"),
    ]:
        code, out, err = run(capsys, "pack", "import", str(filled), "--yes", *argv)
        assert (code, out) == (1, "")
        assert err == f"outsource-tui: error: {filled}: {reason}\n"
    assert files_under(data_dir) == before

    # In the app, the review asks for its own vendor and period.
    services = Services(Store(data_dir), load_library())
    beta = Store(data_dir).find_vendor("Beta")
    with pytest.raises(Exception, match="this pack is for Acme, not Beta"):
        preview_pack(services, filled, vendor_id=beta.id, period="2026-Q3")

    # Another store, whose vendors do not include Acme.
    other = data_dir.parent / "other"
    Store(other).add_vendor(VendorDraft(name="Gamma"))
    code, out, err = run(capsys, "--data-dir", str(other), "pack", "import", str(filled), "--yes")
    assert code == 1
    assert "this pack is for Acme, a vendor this store does not have; nothing was saved" in err


def test_a_file_that_is_no_pack_gets_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    portfolio(data_dir)
    sent = export(capsys, tmp_path)
    (tmp_path / "notes.xlsx").write_text("kpi,actual\n", encoding="utf-8")
    (tmp_path / "cut.xlsx").write_bytes(sent.read_bytes()[:2000])
    Workbook().save(tmp_path / "plain.xlsx")
    for name, reason in [
        ("missing.xlsx", "no such file"),
        ("notes.xlsx", "not an .xlsx workbook (save it from the spreadsheet as .xlsx)"),
        ("cut.xlsx", "a damaged workbook, or not an .xlsx one"),
        ("plain.xlsx", "not a review pack (make one with `outsource-tui pack export`)"),
    ]:
        code, out, err = run(capsys, "pack", "import", str(tmp_path / name), "--yes")
        assert (code, out) == (1, ""), name
        assert err.startswith(f"outsource-tui: error: {tmp_path / name}: {reason}"), err
        assert len(err.splitlines()) == 1, err


def test_a_completed_review_keeps_its_scorecard_until_completed_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir, our_satisfaction=88)
    store = Store(data_dir)
    review = q3_review(data_dir, vendor_id)
    store.save_answer(vendor_id, review.id, "meeting_date", "2026-10-02")
    store.save_answer(vendor_id, review.id, "decision", "Keep")
    library = load_library()
    completed = (
        Services(store, library)
        .runs()
        .complete(library.get("quarterly-review"), review.id, vendor_id)
    )
    assert completed.done
    kept = q3_review(data_dir, vendor_id).snapshot
    filled = fill(export(capsys, tmp_path), tmp_path / "late.xlsx")
    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, err) == (0, "")
    assert "(a completed review)" in out
    assert out.splitlines()[-1].startswith(
        "Its kept scorecard changes once the review is completed"
    )
    after = q3_review(data_dir, vendor_id)
    assert after.snapshot == kept and after.reported["kpis"][0]["actual"] == 3.5


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_pack_saved_again_by_libreoffice_opens_and_reads_back_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    filled = fill(export(capsys, tmp_path), tmp_path / "filled.xlsx")
    saved_again = tmp_path / "again"
    for kind in ("xlsx", "pdf"):
        result = subprocess.run(
            ["soffice", "--headless", "--convert-to", kind, "--outdir", str(saved_again)]
            + [str(filled)],
            capture_output=True,
            timeout=120,
            check=False,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr
    assert (saved_again / "filled.pdf").stat().st_size > 0
    code, out, err = run(capsys, "pack", "import", str(saved_again / "filled.xlsx"), "--yes")
    assert (code, err) == (0, "")
    assert [k["actual"] for k in q3_review(data_dir, vendor_id).reported["kpis"]] == [3.5, 92]


# -- the parts -----------------------------------------------------------------------------


def test_who_counts_as_the_partner_for_an_action_item() -> None:
    from outsource_tui.domain.vendor import Vendor

    acme = Vendor(id="acme", name="Acme", contact="Dana Reyes <dana@acme.example>")
    owned = [
        o
        for o in [
            "Acme",
            "acme team",
            "Dana Reyes",
            "Partner",
            "Both",
            "Acmeco",
            "Ops lead",
            "Dana",
            "",
        ]
        if partner_owns(o, acme)
    ]
    assert owned == ["Acme", "acme team", "Dana Reyes", "Partner", "Both"]


def test_concerns_split_by_bullet_or_paragraph() -> None:
    assert concern_items("One long concern\nthat wraps.") == ["One long concern that wraps."]
    assert concern_items("1. First\n2) Second\n\nThird, a paragraph") == [
        "First",
        "Second",
        "Third, a paragraph",
    ]
    assert concern_items("") == []


def test_a_run_file_with_a_damaged_report_is_named_and_not_rewritten(data_dir: Path) -> None:
    vendor_id = portfolio(data_dir, our_satisfaction=88)
    review = q3_review(data_dir, vendor_id)
    path = Store(data_dir).run_path(vendor_id, review.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["runs"]["1"]["reported"] = {"kpis": [{"kpi": "First response time", "actual": "3.5"}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    damaged = path.read_bytes()
    with pytest.raises(StoreError, match="'actual' in 'kpis' of what was reported is not a number"):
        Store(data_dir).runs(vendor_id)
    with pytest.raises(StoreError):
        Store(data_dir).save_reported(vendor_id, review.id, {"assessment": "Fine."})
    assert path.read_bytes() == damaged


def test_a_pack_made_again_never_replaces_one_already_there(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    portfolio(data_dir)
    first = data_dir / "packs" / "acme-2026-Q3.xlsx"
    assert run(capsys, "pack", "export", "Acme")[0] == 0
    fill(first, first)  # the partner's reply, saved over the file sent
    kept = first.read_bytes()
    code, out, err = run(capsys, "pack", "export", "Acme")
    assert (code, err) == (0, "")
    assert f"to {data_dir / 'packs' / 'acme-2026-Q3-2.xlsx'}." in out
    assert first.read_bytes() == kept


def test_in_a_terminal_the_import_asks_before_saving(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins
    import sys

    vendor_id = portfolio(data_dir)
    filled = fill(export(capsys, tmp_path), tmp_path / "back.xlsx")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    asked: list[str] = []
    replies = iter(["", "y"])

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    monkeypatch.setattr(builtins, "input", answer)
    code, out, err = run(capsys, "pack", "import", str(filled))  # enter alone: no
    assert (code, out.splitlines()[-1]) == (0, "Nothing saved.")
    assert q3_review(data_dir, vendor_id) is None
    code, out, err = run(capsys, "pack", "import", str(filled))
    assert code == 0 and out.splitlines()[-1].startswith("Saved 9 values reported by Acme")
    assert asked == ["Save these 9 values as reported by Acme? [y/N] "] * 2
    assert q3_review(data_dir, vendor_id).reported["kpis"][0]["actual"] == 3.5


def test_a_pack_sent_back_blank_saves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    code, out, err = run(capsys, "pack", "import", str(export(capsys, tmp_path)), "--yes")
    assert (code, err) == (0, "")
    blank = "Nothing filled in: the partner's cells are blank; nothing saved."
    assert out.splitlines()[-1] == blank
    assert q3_review(data_dir, vendor_id) is None


def saved_result(path: Path, sheet: str, ref: str, result: str) -> None:
    """Keep a formula's result beside it, as a spreadsheet program does (openpyxl saves none)."""
    with zipfile.ZipFile(path) as old:
        parts = {item: old.read(item) for item in old.namelist()}
    index = load_workbook(path).sheetnames.index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    xml, found = re.subn(
        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v ?/>',
        rf'<c r="{ref}"\1><f>\2</f><v>{result}</v>',
        parts[part].decode(),
    )
    assert found == 1
    parts[part] = xml.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as new:
        for item, data in parts.items():
            new.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def test_a_formula_with_no_saved_result_is_refused_and_one_with_a_result_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    vendor_id = portfolio(data_dir)
    filled = fill(export(capsys, tmp_path), tmp_path / "formula.xlsx", KPIs__D6="=90+1")
    before = files_under(data_dir)
    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "KPIs!D6: a formula with no saved result: open the file in a spreadsheet program and "
        "save it, or type the value",
        f"{filled}: nothing was saved",
    ]
    assert files_under(data_dir) == before

    saved_result(filled, "KPIs", "D6", "91")  # as a spreadsheet program saves it
    code, out, err = run(capsys, "pack", "import", str(filled), "--yes")
    assert (code, err) == (0, "")
    kpis = q3_review(data_dir, vendor_id).reported["kpis"]
    assert [(k["kpi"], k["actual"]) for k in kpis] == [
        ("First response time", 3.5),
        ("Customer satisfaction", 92),
        ("First contact resolution", 91),
    ]
