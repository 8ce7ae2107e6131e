"""``vendor import``: a vendor list from a .csv or .xlsx file, checked row by row."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from outsource_tui.cli import main
from outsource_tui.domain import facts
from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor_sheet import (
    heading_currency,
    map_headings,
    sheet_date,
    sheet_number,
)
from outsource_tui.errors import ValidationError
from outsource_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = [
    "Supplier",
    "Service",
    "Status",
    "TZ",
    "Start date",
    "Contract end",
    "Contact",
    "Monthly fee (EUR)",
    "Notes",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def workbook(path: Path, rows: list[list[Any]], *, title: str = "Sheet1", more: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    for _ in range(3):  # blank trailing rows, as a sheet often has
        sheet.append([None] * len(HEADINGS))
    for n in range(more):
        book.create_sheet(f"Other {n + 1}").append(["Something", "else"])
    book.save(path)
    return path


def fifty_rows() -> list[list[Any]]:
    """Vendor 01 to Vendor 50: real Excel dates, numbers for fees; rows 8, 21 and 34 are bad."""
    rows: list[list[Any]] = []
    for n in range(1, 51):
        rows.append(
            [
                f"Vendor {n:02d}",
                "support desk",
                "active",
                "Asia/Manila",
                datetime(2026, 1, n % 28 + 1),
                date(2027, 6, 30),
                f"Contact {n}",
                1000 + 10 * n,
                "",
            ]
        )
    rows[6][3] = "Manila"  # Vendor 07, on row 8 (row 1 holds the headings)
    rows[19][4] = "03/04/2026"  # Vendor 20, row 21
    rows[32][2] = "paused"  # Vendor 33, row 34: two problems in one row
    rows[32][7] = "12,5"
    return rows


REFUSED = [
    "vendors.xlsx:Sheet1:row 8: D8 TZ: unknown time zone 'Manila': did you mean Asia/Manila?",
    "vendors.xlsx:Sheet1:row 21: E21 Start date: '03/04/2026' could be 3 April 2026 or "
    "4 March 2026: write it as YYYY-MM-DD (2026-04-03 or 2026-03-04)",
    "vendors.xlsx:Sheet1:row 34: C34 Status: unknown status 'paused': use one of candidate, "
    "onboarding, active, on-hold, exiting, ended",
    "vendors.xlsx:Sheet1:row 34: H34 Monthly fee (EUR): '12,5' is ambiguous: decimals take a "
    "dot (3.5), thousands a comma (1,200)",
]


def fee_of(data_dir: Path, name: str) -> Any:
    store = Store(data_dir)
    vendor = store.find_vendor(name)
    return facts.agreed(load_library(), store.runs(vendor.id), "monthly-fee")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the file is named as the user typed it: vendors.xlsx
    return tmp_path


def test_a_workbook_with_three_bad_rows_is_refused_naming_each_cell(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    workbook(in_tmp / "vendors.xlsx", fifty_rows())
    code, out, err = run(capsys, "vendor", "import", "vendors.xlsx")
    assert code == 1
    lines = err.splitlines()
    assert lines[:-1] == REFUSED
    assert lines[-1] == (
        "outsource-tui: error: vendors.xlsx:Sheet1: 3 of 50 rows have problems, so nothing was "
        "imported: fix them, or add --skip-bad to import the other 47"
    )
    assert "Traceback" not in err
    # The mapping it used is printed, ignored columns too.
    assert "  A  Supplier           -> name" in out
    assert "  H  Monthly fee (EUR)  -> monthly fee (in EUR)" in out
    assert "  I  Notes              ignored: not a vendor field" in out
    assert Store(data_dir).list_vendors() == []
    assert not (data_dir / "index.json").exists()


def test_skip_bad_imports_the_47_good_rows_and_a_second_import_changes_nothing(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    workbook(in_tmp / "vendors.xlsx", fifty_rows())
    code, out, err = run(capsys, "vendor", "import", "vendors.xlsx", "--skip-bad")
    assert code == 1  # rows were left out: a script should know
    assert err.splitlines() == REFUSED
    assert out.splitlines()[-1] == "Added 47 vendors; 3 bad rows left out."
    vendors = Store(data_dir).list_vendors()
    names = [v.name for v in vendors]
    assert len(names) == 47
    assert {"Vendor 07", "Vendor 20", "Vendor 33"}.isdisjoint(names)
    first = next(v for v in vendors if v.name == "Vendor 01")
    assert (first.service, first.status, first.timezone) == (
        "support desk",
        "active",
        "Asia/Manila",
    )
    assert (first.contract_start, first.contract_end, first.contact) == (
        "2026-01-02",
        "2027-06-30",
        "Contact 1",
    )
    # The fee went to its one home, the SLA's answer, where the scorecard reads it.
    assert fee_of(data_dir, "Vendor 01") == 1010
    assert fee_of(data_dir, "Vendor 50") == 1500

    files = sorted(p for p in data_dir.rglob("*.json") if p.name != "summaries.json")
    before = {p: p.read_bytes() for p in files}
    code, out, err = run(capsys, "vendor", "import", "vendors.xlsx", "--skip-bad")
    assert out.splitlines()[-1] == (
        "vendors.xlsx:Sheet1: nothing to change: all 47 vendors already match the store; "
        "3 bad rows left out."
    )
    assert not [line for line in out.splitlines() if line.startswith(("+", "~"))]
    after = sorted(p for p in data_dir.rglob("*.json") if p.name != "summaries.json")
    assert after == files
    assert {p: p.read_bytes() for p in after} == before


def test_a_clean_file_imports_with_exit_0_and_again_changes_nothing(
    capsys: pytest.CaptureFixture[str], in_tmp: Path
) -> None:
    workbook(in_tmp / "vendors.xlsx", fifty_rows()[:3])
    code, out, err = run(capsys, "vendor", "import", "vendors.xlsx")
    assert (code, err) == (0, "")
    assert out.splitlines()[-4:] == [
        "+ Vendor 01 (active)",
        "+ Vendor 02 (active)",
        "+ Vendor 03 (active)",
        "Added 3 vendors.",
    ]
    code, out, err = run(capsys, "vendor", "import", "vendors.xlsx")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "vendors.xlsx:Sheet1: nothing to change: all 3 vendors already match the store."
    )


def test_a_name_in_other_case_updates_only_the_changed_fields(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    code, _, _ = run(
        capsys,
        "vendor",
        "add",
        "Northwind Support",
        "--service",
        "support desk",
        "--status",
        "onboarding",
        "--timezone",
        "Asia/Manila",
        "--contract-start",
        "2026-01-15",
        "--contact",
        "Ann",
    )
    assert code == 0
    before = Store(data_dir).find_vendor("Northwind Support")
    (in_tmp / "list.csv").write_text(
        "Vendor,Service,Status,Time zone,Contract start,Contact,Fee\n"
        'NORTHWIND support,support desk,,asia/manila,15 January 2026,Ann Lee,"EUR 8,000"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "vendor", "import", "list.csv")
    # asia/manila is refused, as vendor add refuses it, with the zone it means.
    assert code == 1
    assert err.splitlines()[0] == (
        "list.csv:2: Time zone: unknown time zone 'asia/manila': did you mean Asia/Manila?"
    )
    (in_tmp / "list.csv").write_text(
        "Vendor,Service,Status,Time zone,Contract start,Contact,Fee\n"
        'NORTHWIND support,support desk,,Asia/Manila,15 January 2026,Ann Lee,"EUR 8,000"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "vendor", "import", "list.csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[-2:] == [
        "~ Northwind Support: contact: Ann -> Ann Lee; monthly fee: (blank) -> 8000; "
        "currency: (blank) -> EUR",
        "Updated 1 vendor.",
    ]
    after = Store(data_dir).find_vendor("northwind support")
    assert after.id == before.id
    assert after.name == "Northwind Support"  # matched, not renamed
    assert after.status == "onboarding"  # a blank cell keeps what is stored
    assert after.contact == "Ann Lee"
    assert {k: v for k, v in after.to_dict().items() if k != "contact"} == {
        k: v for k, v in before.to_dict().items() if k != "contact"
    }
    assert fee_of(data_dir, "Northwind Support") == 8000
    code, out, _ = run(capsys, "vendor", "import", "list.csv")
    assert out.splitlines()[-1] == (
        "list.csv: nothing to change: its vendor already matches the store."
    )


def test_a_semicolon_csv_with_a_bom_and_european_figures(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    text = (
        "\ufeffCompany;Services;State;Timezone;Contract start;Expiry date;Primary contact;"
        "Fee (€/month)\r\n"
        'Acme GmbH;"Buchhaltung; Lohn";active;Europe/Berlin;25/12/2025;24.12.2026;Jörg;'
        "1.234,50 €\r\n"
        "Globex;support;On hold;America/New_York;Mar 1, 2026;2027-02-28;Sam;€ 12 500\r\n"
        ";;;;;;;\r\n"
        "\r\n"
    )
    (in_tmp / "vendors.csv").write_bytes(text.encode("utf-8"))
    code, out, err = run(capsys, "vendor", "import", "vendors.csv")
    assert (code, err) == (0, "")
    assert "    8  Fee (€/month)    -> monthly fee (in EUR)" in out
    store = Store(data_dir)
    acme = store.find_vendor("Acme GmbH")
    assert (acme.service, acme.contract_start, acme.contract_end, acme.contact) == (
        "Buchhaltung; Lohn",
        "2025-12-25",
        "2026-12-24",
        "Jörg",
    )
    globex = store.find_vendor("Globex")
    assert (globex.status, globex.contract_start) == ("on-hold", "2026-03-01")
    assert fee_of(data_dir, "Acme GmbH") == 1234.5
    assert fee_of(data_dir, "Globex") == 12500
    runs = store.runs(acme.id)
    assert [r.answers.get("currency") for r in runs] == ["EUR"]


def test_dry_run_shows_the_changes_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    run(capsys, "vendor", "add", "Acme", "--service", "logistics")
    index = (data_dir / "index.json").read_bytes()
    (in_tmp / "v.csv").write_text("Name,Service\nacme,freight\nBeta,support\n", encoding="utf-8")
    code, out, err = run(capsys, "vendor", "import", "v.csv", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[-3:] == [
        "+ Beta (active)",
        "~ Acme: service: logistics -> freight",
        "Nothing written (--dry-run): would add 1 vendor and update 1.",
    ]
    assert (data_dir / "index.json").read_bytes() == index
    assert not (data_dir / "vendors").exists() or not any((data_dir / "vendors").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("v.csv", b"", "v.csv: the file is empty: nothing to import"),
        ("v.csv", b"\xef\xbb\xbf\n \n", "v.csv: the file is empty: nothing to import"),
        (
            "v.csv",
            b"Name,Service\nAcme,caf\xe9\n",
            "v.csv:2: not UTF-8 text (byte 0xE9): save the file as CSV UTF-8 and import it again",
        ),
        (
            "v.csv",
            b"Service,Owner\nsupport,Ann\n",
            "v.csv:1: no column gives the vendor's name: head it Name, Vendor, Supplier or "
            "Company (headings found: Service, Owner)",
        ),
        (
            "v.csv",
            b"Vendor,Supplier\nAcme,Acme\n",
            "v.csv:1: columns 'Vendor', 'Supplier' all look like the name: keep one, or rename "
            "the others",
        ),
        (
            "v.xlsx",
            b"PK\x03\x04 not really a workbook",
            "v.xlsx: not a readable .xlsx workbook (BadZipFile): open it in a spreadsheet and "
            "save it again as .xlsx, or as CSV UTF-8",
        ),
        (
            "v.xls",
            b"\xd0\xcf\x11\xe0",
            "v.xls: an old .xls workbook: save it as .xlsx or CSV UTF-8 first",
        ),
        ("v.txt", b"Name\nAcme\n", "v.txt: give a vendor list as a .csv or .xlsx file"),
        (
            "v.csv",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U",
            "v.csv: this is a workbook (.xlsx), not a CSV: rename it to .xlsx",
        ),
        (
            "v.csv",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "v.csv: this is an old .xls workbook, not a CSV: save it as .xlsx or CSV UTF-8 first",
        ),
    ],
)
def test_a_bad_file_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    in_tmp: Path,
    data_dir: Path,
    name: str,
    content: bytes,
    expected: str,
) -> None:
    (in_tmp / name).write_bytes(content)
    code, _, err = run(capsys, "vendor", "import", name)
    assert code == 1
    assert err.splitlines() == [f"outsource-tui: error: {expected}"]
    assert not (data_dir / "index.json").exists()


def test_a_missing_file_or_a_directory_is_one_line(
    capsys: pytest.CaptureFixture[str], in_tmp: Path
) -> None:
    code, _, err = run(capsys, "vendor", "import", "nowhere.csv")
    assert (code, err) == (1, "outsource-tui: error: nowhere.csv: no such file\n")
    (in_tmp / "lists.csv").mkdir()
    code, _, err = run(capsys, "vendor", "import", "lists.csv")
    assert (code, err) == (
        1,
        "outsource-tui: error: lists.csv: a directory, not a vendor list (give a .csv or .xlsx "
        "file)\n",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("v.xlsx", "v.xlsx:Sheet1: no vendor rows below the headings (row 1): nothing to import"),
        ("v.csv", "v.csv: no vendor rows below the headings (line 1): nothing to import"),
    ],
)
def test_headings_only_is_refused_as_an_empty_file_is(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path, name: str, expected: str
) -> None:
    if name.endswith(".xlsx"):
        workbook(in_tmp / name, [])
    else:
        (in_tmp / name).write_text(",".join(HEADINGS) + "\n\n", encoding="utf-8")
    code, out, err = run(capsys, "vendor", "import", name)
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"outsource-tui: error: {expected}"]
    assert not (data_dir / "index.json").exists()


def test_several_sheets_read_the_first_or_the_one_named(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Active"
    first.append(["Vendor name", "Contract start"])
    first.append(["Acme", datetime(2026, 2, 1)])
    other = book.create_sheet("Candidates")
    other.append(["Vendor", "Status"])
    other.append(["Initech", "candidate"])
    book.save(in_tmp / "v.xlsx")
    code, out, _ = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 0
    assert out.splitlines()[0] == (
        "v.xlsx has 2 sheets; reading the first, 'Active' (choose another with --sheet NAME)"
    )
    code, out, _ = run(capsys, "vendor", "import", "v.xlsx", "--sheet", "candidates")
    assert code == 0
    assert [(v.name, v.status, v.contract_start) for v in Store(data_dir).list_vendors()] == [
        ("Acme", "active", "2026-02-01"),
        ("Initech", "candidate", ""),
    ]
    code, _, err = run(capsys, "vendor", "import", "v.xlsx", "--sheet", "Archive")
    assert (code, err) == (
        1,
        "outsource-tui: error: v.xlsx: no sheet named 'Archive' (its sheets: Active, Candidates)\n",
    )


def test_a_title_above_the_headings_and_ignored_columns_are_listed(
    capsys: pytest.CaptureFixture[str], in_tmp: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Our vendors, December"])
    sheet.append([])
    sheet.append(["Company", "Owner", None, "E-mail", "Contact"])
    sheet.append(["Acme", "me", "stray", "a@acme.test", "Ann"])
    book.save(in_tmp / "v.xlsx")
    code, out, _ = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 0
    assert out.splitlines()[:6] == [
        "Columns of v.xlsx:Sheet (headings on row 3):",
        "    A  Company  -> name",
        "    B  Owner    ignored: not a vendor field",
        "    C  -        ignored: no heading",
        "    D  E-mail   ignored: the contact is taken from 'Contact'",
        "    E  Contact  -> contact",
    ]


def test_problems_in_a_csv_row_name_its_line_and_every_cell(
    capsys: pytest.CaptureFixture[str], in_tmp: Path
) -> None:
    (in_tmp / "v.csv").write_text(
        "Name,Start,End,Fee\n"
        "Acme,2026-02-30,2026-01-01,-5\n"
        '"Multi\nline",2026-01-01,,\n'
        "Acme, Inc.,2026-01-01,,\n"
        "ACME,12/25/2026,,\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "vendor", "import", "v.csv")
    assert code == 1
    assert err.splitlines()[:-1] == [
        "v.csv:2: Start: 2026-02-30 is not a real calendar date",
        "v.csv:2: Fee: must be at least 0",
        "v.csv:5: 5 values under 4 headings: a comma (or semicolon) inside a value needs the "
        "value in double quotes",
        "v.csv:6: Name: 'ACME' is on line 2 already; give each vendor one row",
    ]


def test_the_help_lists_the_command_and_the_readme_mentions_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["vendor", "--help"])
    vendor_help = " ".join(capsys.readouterr().out.split())
    assert "import" in vendor_help and "from a vendor list in a .csv or .xlsx file" in vendor_help
    with pytest.raises(SystemExit):
        main(["vendor", "import", "--help"])
    import_help = capsys.readouterr().out
    assert all(flag in import_help for flag in ("--dry-run", "--skip-bad", "--sheet NAME"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert "outsource-tui vendor import FILE.csv|FILE.xlsx" in section


def test_a_csv_import_does_not_load_openpyxl(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("Name\nAcme\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from outsource_tui.cli import main\n"
        f"status = main(['vendor', 'import', {str(tmp_path / 'v.csv')!r}])\n"
        "print(status, 'openpyxl' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "OUTSOURCE_TUI_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "0 False"


# -- reading the cells ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (datetime(2026, 4, 3, 0, 0), "2026-04-03"),
        (date(2026, 4, 3), "2026-04-03"),
        ("2026-04-03", "2026-04-03"),
        ("2026/4/3", "2026-04-03"),
        ("2026-04-03 00:00:00", "2026-04-03"),
        ("25/12/2026", "2026-12-25"),
        ("12/25/2026", "2026-12-25"),
        ("04.04.2026", "2026-04-04"),  # either way round the same day
        ("3 April 2026", "2026-04-03"),
        ("3-Apr-2026", "2026-04-03"),
        ("April 3, 2026", "2026-04-03"),
        ("Sept 30 2026", "2026-09-30"),
        ("", ""),
        ("next spring", "next spring"),  # left for the vendor check to refuse in its words
    ],
)
def test_sheet_dates(given: Any, expected: str) -> None:
    assert sheet_date(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (
            "03/04/2026",
            "'03/04/2026' could be 3 April 2026 or 4 March 2026: write it as YYYY-MM-DD "
            "(2026-04-03 or 2026-03-04)",
        ),
        ("3.4.26", "'3.4.26': write the year in full (four digits), not 26"),
        ("31/31/2026", "31/31/2026 is not a real calendar date"),
        ("30 February 2026", "30 February 2026 is not a real calendar date"),
        (
            46115,
            "46115 is a number, not a date: format the cell as a date or write it as YYYY-MM-DD",
        ),
    ],
)
def test_sheet_dates_refused(given: Any, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        sheet_date(given)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (12500, (12500, "")),
        ("€ 12,500", ("12,500", "EUR")),
        ("12.500,00 EUR", ("12500.00", "EUR")),
        ("1.234.567", ("1234567", "")),
        ("$1,200.50", ("1,200.50", "$")),  # which dollar: the column or the row must say
        ("US$ 1,200", ("1,200", "USD")),
        ("¥ 90000", ("90000", "¥")),
        ("R$ 1.234,56", ("1234.56", "BRL")),
        ("CHF 1'200", ("1200", "CHF")),
        ("12\u00a0500 £", ("12500", "GBP")),
        ("12.50", ("12.50", "")),
    ],
)
def test_sheet_numbers(given: Any, expected: tuple[Any, str]) -> None:
    assert sheet_number(given) == expected


def test_a_fee_that_could_be_two_numbers_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        sheet_number("12.500")
    assert str(refused.value) == (
        "'12.500' could be 12.5 or 12500 (a dot between thousands): write it as 12.5 or as 12500"
    )
    with pytest.raises(ValidationError):
        sheet_number("€ 12 USD")


def test_heading_spellings() -> None:
    columns = map_headings(
        [
            "Supplier Name",
            "SERVICES",
            "vendor-status",
            "Time Zone",
            "Contract Start Date (DD/MM/YYYY)",
            "Expiration date",
            "Main contact",
            "Monthly fee, EUR",
        ]
    ).columns
    assert [columns[f].index for f in columns] == list(range(8))
    assert sorted(columns) == sorted(
        [
            "name",
            "service",
            "status",
            "timezone",
            "contract_start",
            "contract_end",
            "contact",
            "monthly_fee",
        ]
    )
    assert columns["monthly_fee"].currency == "EUR"
    assert heading_currency("Fee (£)") == "GBP"
    assert heading_currency("Fee") == ""


def test_more_spellings_of_the_service_heading() -> None:
    for headings in (
        ["Vendor", "Service Area"],
        ["Vendor", "Service type", "Description"],
        ["Vendor", "Category", "Description"],
        ["Vendor", "Service category"],
    ):
        columns = map_headings(headings)
        assert columns.columns["service"].index == 1, headings
    # A plain Service column is still the surer one.
    columns = map_headings(["Vendor", "Service type", "Service"])
    assert columns.columns["service"].index == 2
    assert columns.ignored == [(1, "Service type", "the service is taken from 'Service'")]


# -- which currency a fee is in --------------------------------------------------------------


def currency_of(data_dir: Path, name: str) -> Any:
    store = Store(data_dir)
    vendor = store.find_vendor(name)
    return facts.agreed(load_library(), store.runs(vendor.id), "currency")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vendor,Monthly fee (EUR)\nAcme,$2500\n",
            "v.csv:2: Monthly fee (EUR): '$2500': '$' is not a sign of EUR, which the heading "
            "names",
        ),
        (
            "Vendor,Fee\nAcme,$7\n",
            "v.csv:2: Fee: '$7': '$' stands for several currencies (USD, CAD, AUD and more): "
            "write the code instead, or name the currency in the heading, such as Fee (USD), or "
            "in a Currency column",
        ),
        (
            "Vendor,Fee\nAcme,¥900\n",
            "v.csv:2: Fee: '¥900': '¥' stands for several currencies (JPY, CNY): write the code "
            "instead, or name the currency in the heading, such as Fee (USD), or in a Currency "
            "column",
        ),
        (
            "Vendor,Fee,Currency\nAcme,$7,EUR\n",
            "v.csv:2: Fee: '$7': '$' is not a sign of EUR, which column 'Currency' says",
        ),
        (
            "Vendor,Fee (USD),Currency\nAcme,7,EUR\n",
            "v.csv:2: Fee (USD): the heading names USD, but column 'Currency' says EUR",
        ),
        (
            "Vendor,Fee,Currency\nAcme,USD 7,EUR\n",
            "v.csv:2: Fee: 'USD 7' is in USD, but column 'Currency' says EUR",
        ),
        (
            "Vendor,Fee,Currency\nAcme,7,dollars\n",
            "v.csv:2: Currency: 'dollars' is not a currency code: write one such as EUR or USD",
        ),
        (
            "Vendor,Fee\nAcme,₽500\n",
            "v.csv:2: Fee: '₽500': '₽' is not a currency sign this import knows: write the "
            "currency's code instead",
        ),
    ],
)
def test_a_fee_in_a_currency_the_sheet_does_not_pin_down_is_refused(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path, text: str, expected: str
) -> None:
    (in_tmp / "v.csv").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "vendor", "import", "v.csv")
    assert code == 1
    assert err.splitlines()[0] == expected
    assert not (data_dir / "index.json").exists()


def test_a_dollar_or_yen_fee_is_taken_when_the_column_or_row_says_which(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    (in_tmp / "v.csv").write_text(
        'Vendor,Fee,Currency\nAcme,$7,CAD\nBeta,¥900,jpy\nGamma,"US$ 1,200",\nDelta,500,GBP\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "vendor", "import", "v.csv")
    assert (code, err) == (0, "")
    assert "  3  Currency  -> currency" in out
    fees = {n: (fee_of(data_dir, n), currency_of(data_dir, n)) for n in ("Acme", "Beta")}
    fees |= {n: (fee_of(data_dir, n), currency_of(data_dir, n)) for n in ("Gamma", "Delta")}
    assert fees == {
        "Acme": (7, "CAD"),
        "Beta": (900, "JPY"),
        "Gamma": (1200, "USD"),
        "Delta": (500, "GBP"),
    }
    (in_tmp / "usd.csv").write_text("Vendor,Monthly fee (USD)\nEcho,$2500\n", encoding="utf-8")
    assert run(capsys, "vendor", "import", "usd.csv")[0] == 0
    assert (fee_of(data_dir, "Echo"), currency_of(data_dir, "Echo")) == (2500, "USD")


def test_a_dollar_fee_never_lands_under_the_vendors_euros(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    (in_tmp / "eur.csv").write_text("Vendor,Fee (EUR)\nAcme,100\n", encoding="utf-8")
    assert run(capsys, "vendor", "import", "eur.csv")[0] == 0
    (in_tmp / "usd.csv").write_text("Vendor,Fee\nAcme,$7\n", encoding="utf-8")
    code, _, err = run(capsys, "vendor", "import", "usd.csv")
    assert code == 1
    assert err.splitlines()[0].startswith("usd.csv:2: Fee: '$7': '$' stands for several")
    assert (fee_of(data_dir, "Acme"), currency_of(data_dir, "Acme")) == (100, "EUR")


def test_a_workbook_names_the_cell_of_a_refused_dollar_fee(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    row = fifty_rows()[0]
    row[7] = "$2500"
    workbook(in_tmp / "v.xlsx", [row])
    code, _, err = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 1
    assert err.splitlines()[0] == (
        "v.xlsx:Sheet1:row 2: H2 Monthly fee (EUR): '$2500': '$' is not a sign of EUR, which "
        "the heading names"
    )
    assert not (data_dir / "index.json").exists()


# -- fees out of all measure -------------------------------------------------------------------


def test_an_absurd_or_negative_fee_is_refused_naming_the_cell(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    (in_tmp / "v.csv").write_text(
        'Vendor,Fee (EUR)\nAcme,1e20\nBeta,-5\nGamma,"2,000,000,000"\nDelta,999999999\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "vendor", "import", "v.csv")
    assert code == 1
    assert err.splitlines()[:-1] == [
        # The SLA playbook's own range for the fee, as in the app and the answers files.
        "v.csv:2: Fee (EUR): must be at most 1000000000",
        "v.csv:3: Fee (EUR): must be at least 0",
        "v.csv:4: Fee (EUR): must be at most 1000000000",
    ]
    rows = fifty_rows()[:1]
    rows[0][7] = 1e20
    workbook(in_tmp / "v.xlsx", rows)
    code, _, err = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 1
    assert err.splitlines()[0] == (
        "v.xlsx:Sheet1:row 2: H2 Monthly fee (EUR): must be at most 1000000000"
    )
    assert not (data_dir / "index.json").exists()


# -- formulas ----------------------------------------------------------------------------------


def saved_results(path: Path, results: dict[str, str | None]) -> None:
    """Give formula cells the result a spreadsheet program saves beside each (None: an empty
    text), as openpyxl itself saves none."""
    with zipfile.ZipFile(path) as old:
        parts = {item: old.read(item) for item in old.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, result in results.items():
        cell = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v ?/>')
        if result is None:
            xml, found = cell.subn(rf'<c r="{ref}"\1 t="str"><f>\2</f><v></v>', xml)
        else:
            xml, found = cell.subn(rf'<c r="{ref}"\1><f>\2</f><v>{result}</v>', xml)
        assert found == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as new:
        for item, data in parts.items():
            new.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def test_a_formula_with_no_saved_result_is_refused_by_its_cell(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    rows = fifty_rows()[:2]
    rows[0][7] = "=1000*2"
    rows[1][6] = '=IF(1>2,"Ann","")'
    path = workbook(in_tmp / "v.xlsx", rows)
    code, _, err = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 1
    assert err.splitlines()[:-1] == [
        "v.xlsx:Sheet1:row 2: H2 Monthly fee (EUR): a formula with no saved result: open the "
        "file in a spreadsheet program and save it, or type the value",
        "v.xlsx:Sheet1:row 3: G3 Contact: a formula with no saved result: open the file in a "
        "spreadsheet program and save it, or type the value",
    ]
    assert not (data_dir / "index.json").exists()

    saved_results(path, {"H2": "2000", "G3": None})  # as a spreadsheet program saves them
    code, out, err = run(capsys, "vendor", "import", "v.xlsx")
    assert (code, err) == (0, "")
    assert fee_of(data_dir, "Vendor 01") == 2000
    assert Store(data_dir).find_vendor("Vendor 02").contact == ""


def test_a_fee_formatted_as_money_is_in_the_currency_its_format_shows(
    capsys: pytest.CaptureFixture[str], in_tmp: Path, data_dir: Path
) -> None:
    rows = fifty_rows()[:3]
    path = workbook(in_tmp / "v.xlsx", rows)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["H2"].number_format = '"$"#,##0.00'  # shown as $1,010.00 under "(EUR)"
    sheet["H3"].number_format = "[$USD] #,##0"
    sheet["H4"].number_format = "#,##0.00 [$€-407];[Red]-#,##0.00 [$€-407]"
    book.save(path)
    code, _, err = run(capsys, "vendor", "import", "v.xlsx")
    assert code == 1
    assert err.splitlines()[:-1] == [
        "v.xlsx:Sheet1:row 2: H2 Monthly fee (EUR): '1010' (formatted with $): '$' is not a "
        "sign of EUR, which the heading names",
        "v.xlsx:Sheet1:row 3: H3 Monthly fee (EUR): '1020' (formatted with USD) is in USD, but "
        "the heading names EUR",
    ]
    code, _, err = run(capsys, "vendor", "import", "v.xlsx", "--skip-bad")
    assert (fee_of(data_dir, "Vendor 03"), currency_of(data_dir, "Vendor 03")) == (1030, "EUR")
