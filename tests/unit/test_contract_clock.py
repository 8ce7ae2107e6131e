"""The contract clock end to end: terms on a vendor, `due`, and the .ics export."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import FieldError, VendorDraft, contract_clock
from outsource_tui.reports.calendar_ics import escape_text, fold
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store

TODAY = "2026-11-24"


@pytest.fixture
def sample(data_dir: Path) -> Store:
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=12, years=2, seed=7, today=date(2026, 11, 24))
    return store


def test_contract_terms_are_set_and_checked(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert main(["vendor", "add", "Acme", "--contract-start", "2025-01-31"]) == 0
    assert (
        main(
            [
                "vendor",
                "contract",
                "Acme",
                "--months",
                "12",
                "--notice-days",
                "90",
                "--lead-days",
                "30",
            ]
        )
        == 0
    )
    vendor = Store(data_dir).find_vendor("Acme")
    assert vendor.contract["initial_months"] == 12 and vendor.contract["renewal"] == "automatic"
    capsys.readouterr()
    # 12-month term from 2025-01-31: term 2 runs 2026-01-31 to 2027-01-30 (the day before
    # 2027-01-31); notice 90 days before the end: 2026-11-01; decide 30 days earlier: 10-02.
    assert main(["due", "--today", "2026-10-15", "--within", "60d", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    contract = [i for i in items if i["kind"] in ("decide", "notice")]
    assert [(i["date"], i["kind"], i["overdue"]) for i in contract] == [
        ("2026-10-02", "decide", True),
        ("2026-11-01", "notice", False),
    ]
    assert main(["due", "--today", "2026-11-24", "--json"]) == 0
    missed = [i for i in json.loads(capsys.readouterr().out) if i["kind"] == "notice-missed"]
    assert len(missed) == 1
    assert "renews 2027-01-31" in missed[0]["what"]
    assert "next possible exit 2028-01-30 (notice by 2027-11-01)" in missed[0]["what"]


def test_bad_terms_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    main(["vendor", "add", "Acme"])
    capsys.readouterr()
    assert main(["vendor", "contract", "Acme", "--months", "12"]) == 1
    assert "contract: set the contract start date first" in capsys.readouterr().err
    assert main(["vendor", "contract", "Acme", "--months", "0", "--start", "2026-01-01"]) == 1
    assert capsys.readouterr().err.startswith("outsource-tui: error: contract:")
    assert main(["due", "--within", "soon"]) == 1
    assert "write a span such as 30d" in capsys.readouterr().err


def test_due_on_the_sample_in_date_order(sample: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--today", TODAY, "--within", "30d", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    dates = [i["date"] for i in items]
    assert dates == sorted(dates)
    assert {"review", "action", "notice-missed"} <= {i["kind"] for i in items}
    assert all(i["overdue"] == (i["date"] < TODAY) for i in items)
    assert all(i["overdue"] or i["date"] <= "2026-12-24" for i in items)
    assert main(["due", "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["DATE", "WHEN", "VENDOR", "KIND", "WHAT"]
    assert len(lines) == len(items) + 1
    assert "OVERDUE" in lines[1]


def test_the_calendar_parses_back_with_stable_uids(
    sample: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(sample.data_dir).add_vendor(VendorDraft(name="Semi; colon, and \\ slash"))
    target = tmp_path / "due.ics"
    assert main(["calendar", "-o", str(target), "--today", TODAY]) == 0
    raw = target.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert events
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    first = events[0]
    assert first.decoded("DTSTART") <= date(2026, 11, 24)
    assert str(first["SUMMARY"]).split(": ")[1] in {v.name for v in sample.list_vendors()}
    # exporting again a week later keeps the UID of every event still there
    second = tmp_path / "later.ics"
    assert main(["calendar", "-o", str(second), "--today", "2026-12-01"]) == 0
    later = {str(e["UID"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")}
    assert len(set(uids) & later) >= len(uids) // 2


def test_text_is_escaped_and_long_lines_folded() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 60)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 60


def test_report_and_scorecard_commands(
    sample: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)
    vendor = next(v for v in sample.list_vendors() if v.status == "active")
    target = tmp_path / "r.html"
    assert main(["report", vendor.name, "--format", "html", "-o", str(target)]) == 0
    assert "<html" in target.read_text() and vendor.name in target.read_text()
    assert main(["report", "--all", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("vendor,vendor_id,status,service,period,kpi,")
    assert main(["scorecard", vendor.name, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    snapshots = [r.snapshot for r in sample.runs(vendor.id) if r.snapshot]
    assert card["period"] == snapshots[-1]["period"]
    assert card["overall"] == pytest.approx(snapshots[-1]["overall"])
    assert main(["report", "--format", "md"]) == 2  # a usage error
    assert "name a vendor" in capsys.readouterr().err


def test_spans_and_sample_sizes_have_limits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--within", "99999999d"]) == 1
    assert "look at most 100 years ahead" in capsys.readouterr().err
    assert main(["demo", "--years", "1000"]) == 1
    assert "--years from 1 to 50" in capsys.readouterr().err


# the ends of the calendar


def _due(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["due", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_dates_outside_the_years_reviews_can_name_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["vendor", "add", "Ancient", "--status", "exiting"]) == 0
    for command in (
        ["vendor", "contract", "Ancient", "--start", "0001-01-01", "--months", "12"],
        ["vendor", "contract", "Ancient", "--start", "9998-06-01", "--months", "12"],
        ["vendor", "add", "Later", "--contract-start", "1899-12-31"],
        ["due", "--today", "9999-12-20"],
    ):
        capsys.readouterr()
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.startswith("outsource-tui: error: ") and err.count("\n") == 1
        assert "is out of range: use a year from 1900 to 2999" in err
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "0001-10-15")
    assert main(["due"]) == 1
    assert "OUTSOURCE_TUI_TODAY: 0001-10-15 is out of range" in capsys.readouterr().err
    assert [v.name for v in Store(Path(os.environ["OUTSOURCE_TUI_DATA_DIR"])).list_vendors()] == [
        "Ancient"
    ]


def test_terms_the_calendar_cannot_hold_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["vendor", "add", "Ancient"]) == 0
    capsys.readouterr()
    args = ["--start", "2026-01-01", "--months", "12", "--renewal-months", "1000000"]
    assert main(["vendor", "contract", "Ancient", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("outsource-tui: error: ")
    assert "contract: a 1000000-month renewal from 2027-01-01 runs past 9999-12-31" in err
    assert err.count("\n") == 1


def _set_start_by_hand(data_dir: Path, name: str, start: str) -> None:
    """Change a vendor's contract start in the index as an editor would, unchecked."""
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    for record in data["vendors"].values():
        if record["name"] == name:
            record["contract_start"] = start
    index.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ("0001-01-01", "0001-01-01 is out of range: use a year from 1900 to 2999"),
        ("9999-12-15", "9999-12-15 is out of range"),
        ("", "set the contract start date first"),
    ],
)
def test_terms_that_no_longer_fit_are_listed_not_dropped(
    data_dir: Path, capsys: pytest.CaptureFixture[str], start: str, reason: str
) -> None:
    store = Store(data_dir)
    terms = {"initial_months": 1, "renewal": "automatic", "notice_days": 60}
    for name in ("Ancient", "Modern"):
        vendor = store.add_vendor(VendorDraft(name=name))
        store.set_contract(vendor.id, "2026-01-01", terms)
    _set_start_by_hand(data_dir, "Ancient", start)
    items = _due(capsys, "--today", "2026-03-01", "--within", "400d")
    assert {i["vendor"] for i in items} == {"Ancient", "Modern"}
    problem = next(i for i in items if i["vendor"] == "Ancient" and i["kind"] == "contract-terms")
    assert (problem["date"], problem["overdue"]) == ("2026-03-01", False)
    assert problem["what"].startswith(f"the contract terms cannot be used: {reason}")
    assert main(["due", "--today", "2026-03-01"]) == 0
    assert "Ancient" in capsys.readouterr().out
    # The vendor screen's clock has nothing to show rather than failing.
    assert contract_clock(store.find_vendor("Ancient"), date(2026, 3, 1)) is None


def test_the_clock_itself_stops_at_the_end_of_the_calendar() -> None:
    vendor = Store(Path(os.environ["OUTSOURCE_TUI_DATA_DIR"]))
    assert main(["vendor", "add", "Acme", "--status", "exiting"]) == 0
    assert main(["vendor", "contract", "Acme", "--start", "2025-01-01", "--months", "12"]) == 0
    acme = vendor.find_vendor("Acme")
    assert contract_clock(acme, date(9999, 12, 20)) is None
    assert contract_clock(acme, date(2026, 3, 1)) is not None


def test_editing_the_start_date_keeps_the_terms_fitting(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme", contract_start="2026-01-01"))
    store.set_contract(
        vendor.id, "2026-01-01", {"initial_months": 12, "renewal": "automatic", "notice_days": 60}
    )
    with pytest.raises(FieldError) as refused:  # clearing the date the terms count from
        store.edit_vendor(vendor.id, VendorDraft(name="Acme", contract_start=""))
    assert refused.value.field == "contract_start"
    assert str(refused.value) == (
        "the contract terms no longer fit: set the contract start date first"
    )
    assert store.get_vendor(vendor.id).contract_start == "2026-01-01"
    moved = store.edit_vendor(vendor.id, VendorDraft(name="Acme", contract_start="2026-03-01"))
    assert (
        moved.contract_start == "2026-03-01"
        and moved.contract == store.get_vendor(vendor.id).contract
    )
