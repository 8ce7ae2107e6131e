"""A vendor list from a .csv or .xlsx file, checked row by row and then added to the store.

Reading: a CSV may start with a byte-order mark, be separated by commas, semicolons or tabs
(or say which on a first ``sep=;`` line), and must be UTF-8 (or UTF-16 with its mark). A
workbook is read from its first sheet unless another is named. Blank rows are skipped; the
headings are the first row that names a vendor's name column, among the first few rows.

Checking: each row is checked as ``vendor add`` checks what is typed (see
:mod:`outsource_tui.domain.vendor_sheet`); a row whose name is already in the store, whatever
the case, updates that vendor, and a blank cell keeps what is stored. Any problem in any row
and nothing is written (unless the bad rows are to be skipped).

Writing: every new vendor goes into the store in one write, with the run of the playbook that
records its monthly fee (the fee's one home, where the scorecard reads it); a known vendor's
changed fields are written as the vendor form writes them, so another instance's edit of the
other fields survives, and its fee is saved into the run the app would open.
"""

from __future__ import annotations

import codecs
import csv
import importlib
import io
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outsource_tui.domain.answers import Answer, format_number
from outsource_tui.domain.library import Library
from outsource_tui.domain.playbook import Cadence, Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import Vendor, VendorDraft, name_key
from outsource_tui.domain.vendor_sheet import (
    CURRENCY,
    FEE,
    HEADER_SEARCH_ROWS,
    LABELS,
    VENDOR_FIELDS,
    Column,
    ColumnMap,
    Fee,
    NoNameColumn,
    UnsavedFormula,
    cell_text,
    check_row,
    column_letter,
    format_currency,
    lacks_saved_result,
    map_headings,
)
from outsource_tui.errors import UserError, ValidationError
from outsource_tui.services import Services
from outsource_tui.store.atomic import describe_os_error
from outsource_tui.store.store import now

if TYPE_CHECKING:
    from outsource_tui.services.runs import RunService

CSV_SUFFIXES = (".csv",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
BLANK = "(blank)"
ZIP_SIGNATURE = b"PK\x03\x04"  # how an .xlsx file (a zip archive) begins
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how an old .xls file begins


@dataclass(frozen=True)
class SheetRow:
    """A row that holds something: its number (a CSV's line, a sheet's row) and its cells."""

    number: int
    cells: list[Any]
    # The currency a cell's number format shows (a code, or a sign such as $), by column.
    formats: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    """The rows of a vendor list, and how to name a place in it."""

    path: str  # as the user gave it
    sheet: str  # the worksheet's name; '' for a CSV
    rows: list[SheetRow]
    note: str = ""  # what the user should know about the reading (which sheet of several)

    @property
    def label(self) -> str:
        return f"{self.path}:{self.sheet}" if self.sheet else self.path

    def where(self, number: int) -> str:
        """``vendors.xlsx:Sheet1:row 7`` or ``vendors.csv:7``."""
        return f"{self.label}:row {number}" if self.sheet else f"{self.path}:{number}"

    def place(self, number: int) -> str:
        """``row 7`` of a sheet, ``line 7`` of a CSV."""
        return f"row {number}" if self.sheet else f"line {number}"

    def column(self, index: int) -> str:
        """A column's name: its letter in a workbook, its position in a CSV."""
        return column_letter(index) if self.sheet else str(index + 1)


def _blank(cells: list[Any]) -> bool:
    return not any(cell_text(c) or isinstance(c, UnsavedFormula) for c in cells)


def _read_bytes(path: str) -> bytes:
    file = Path(path)
    if file.is_dir():
        raise UserError(f"{path}: a directory, not a vendor list (give a .csv or .xlsx file)")
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {describe_os_error(exc)}") from None


def _delimiter(line: str) -> str:
    """The separator a CSV's heading line uses: the commonest of , ; and tab outside quotes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda d: (counts[d], d == ","))


def _decode(path: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"{path}: not readable as UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02X}): save the file as "
            "CSV UTF-8 and import it again"
        ) from None


def read_csv(path: str) -> Sheet:
    """The rows of a CSV vendor list that hold anything, each with its line number."""
    data = _read_bytes(path)
    if data.startswith(ZIP_SIGNATURE):
        raise UserError(f"{path}: this is a workbook (.xlsx), not a CSV: rename it to .xlsx")
    if data.startswith(OLE_SIGNATURE):
        raise UserError(
            f"{path}: this is an old .xls workbook, not a CSV: save it as .xlsx or CSV UTF-8 first"
        )
    text = _decode(path, data)
    if not text.strip():
        raise UserError(f"{path}: the file is empty: nothing to import")
    first, _, rest = text.partition("\n")
    offset = 0
    delimiter = ""
    if first.strip().casefold().startswith("sep=") and len(first.strip()) == 5:
        delimiter, text, offset = first.strip()[4], rest, 1  # a hint spreadsheets write
    if not delimiter:
        heading = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = _delimiter(heading)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SheetRow] = []
    try:
        while True:
            start = reader.line_num + 1 + offset
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not _blank(list(cells)):
                rows.append(SheetRow(start, list(cells)))
    except csv.Error as exc:
        raise UserError(f"{path}:{reader.line_num + offset}: not readable as CSV: {exc}") from None
    return Sheet(path, "", rows)


def read_workbook(path: str, sheet: str | None = None) -> Sheet:
    """The rows of one worksheet (the first, or the one named) that hold anything."""
    data = _read_bytes(path)
    if not data:
        raise UserError(f"{path}: the file is empty: nothing to import")
    try:
        return _read_workbook(path, data, sheet)
    except UserError:
        raise
    except Exception as exc:  # a damaged or foreign file fails in many ways inside the reader
        raise UserError(
            f"{path}: not a readable .xlsx workbook ({exc.__class__.__name__}): open it in a "
            "spreadsheet and save it again as .xlsx, or as CSV UTF-8"
        ) from None


def _read_workbook(path: str, data: bytes, wanted: str | None) -> Sheet:
    # About 75 ms, so only this command loads it; openpyxl ships no type information.
    openpyxl = importlib.import_module("openpyxl")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # notes about styles and extensions it does not keep
        # Read first as written, to see which cells are formulas: a read for the saved
        # results alone shows a formula that has none as a blank cell.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheets = book.worksheets
            names = [s.title for s in sheets]
            if not sheets:
                raise UserError(f"{path}: the workbook has no worksheet")
            note = ""
            if wanted is None:
                chosen = sheets[0]
                if len(sheets) > 1:
                    note = (
                        f"{path} has {len(sheets)} sheets; reading the first, '{chosen.title}' "
                        "(choose another with --sheet NAME)"
                    )
            else:
                matches = [s for s in sheets if s.title == wanted] or [
                    s for s in sheets if s.title.casefold() == wanted.strip().casefold()
                ]
                if not matches:
                    raise UserError(
                        f"{path}: no sheet named '{wanted}' (its sheets: {', '.join(names)})"
                    )
                chosen = matches[0]
            values, formulas, formats = _cells(chosen)
            if formulas:
                _saved_results(openpyxl, data, sheets.index(chosen), values, formulas)
            rows = [
                SheetRow(number, cells, formats.get(number, {}))
                for number, cells in enumerate(values, start=1)
                if not _blank(cells)
            ]
            return Sheet(path, chosen.title, rows, note)
        finally:
            book.close()


def _cells(
    sheet: Any,
) -> tuple[list[list[Any]], dict[tuple[int, int], str], dict[int, dict[int, str]]]:
    """Each row's values; the formula of each formula cell by (row, column) from 1 and 0;
    and by row, the currency each column's number format shows, where one does."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers record a wrong size
    values: list[list[Any]] = []
    formulas: dict[tuple[int, int], str] = {}
    formats: dict[int, dict[int, str]] = {}
    shown: dict[str, str] = {}  # a sheet uses few formats: read each once
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values.append([cell.value for cell in row])
        for index, cell in enumerate(row):
            if cell.data_type == "f":
                formulas[number, index] = str(getattr(cell.value, "text", cell.value))
            if cell.value is None or cell.data_type not in ("n", "f"):
                continue
            number_format = cell.number_format
            if number_format not in shown:
                shown[number_format] = format_currency(number_format)
            if shown[number_format]:
                formats.setdefault(number, {})[index] = shown[number_format]
    return values, formulas, formats


def _saved_results(
    openpyxl: Any,
    data: bytes,
    index: int,
    values: list[list[Any]],
    formulas: dict[tuple[int, int], str],
) -> None:
    """Put each formula's saved result in its place; one saved with none is marked as such."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[index]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        last = max(number for number, _ in formulas)
        for number, row in enumerate(sheet.iter_rows(max_row=last), start=1):
            for index_in_row, cell in enumerate(row):
                formula = formulas.get((number, index_in_row))
                if formula is None:
                    continue
                values[number - 1][index_in_row] = (
                    UnsavedFormula(formula)
                    if lacks_saved_result(cell.value, cell.data_type)
                    else cell.value
                )
    finally:
        book.close()


def read_sheet(path: str, sheet: str | None = None) -> Sheet:
    """A vendor list, read as its name says: .csv, or .xlsx (``sheet`` for a workbook only)."""
    suffix = Path(path).suffix.casefold()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, sheet)
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise UserError(f"--sheet: {path} is a CSV file, which has no sheets")
        return read_csv(path)
    if suffix == ".xls":
        raise UserError(f"{path}: an old .xls workbook: save it as .xlsx or CSV UTF-8 first")
    raise UserError(f"{path}: give a vendor list as a .csv or .xlsx file")


# -- checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeHome:
    """The playbook whose answer is the home of each vendor's monthly fee."""

    playbook: Playbook
    fee: Fee


def fee_home(library: Library) -> FeeHome | None:
    """The first playbook that asks for the monthly fee (as the scorecard reads it)."""
    for playbook in library:
        question = playbook.question_with_role("monthly-fee")
        if question is not None:
            return FeeHome(playbook, Fee(question, playbook.question_with_role("currency")))
    return None


@dataclass
class Entry:
    """One vendor of the list: what the store will hold, and what changes."""

    where: str
    name: str
    draft: VendorDraft  # the vendor's facts as they will be stored
    vendor: Vendor | None = None  # the vendor already in the store, if there is one
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, old, new)
    answers: dict[str, Answer] = field(default_factory=dict)  # the fee's answers to save

    @property
    def edits_vendor(self) -> bool:
        return self.vendor is not None and self.draft != self.vendor.draft()


@dataclass
class Plan:
    """What importing a sheet would do."""

    sheet: Sheet
    heading_row: int
    columns: ColumnMap
    headings: list[str]
    fee: FeeHome | None
    rows: int = 0
    bad_rows: int = 0
    problems: list[str] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)


def _headings(sheet: Sheet) -> tuple[SheetRow, ColumnMap]:
    if not sheet.rows:
        what = "sheet" if sheet.sheet else "file"
        raise UserError(f"{sheet.label}: the {what} is empty: nothing to import")
    first_error: NoNameColumn | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        below = sheet.rows[index + 1 :]
        used = frozenset(i for r in below for i, c in enumerate(r.cells) if cell_text(c))
        try:
            return row, map_headings(row.cells, used)
        except NoNameColumn as exc:  # a title above the headings, perhaps: look further down
            first_error = first_error or exc
        except ValidationError as exc:  # two columns for one field: a mistake in the headings
            raise UserError(f"{sheet.where(row.number)}: {exc}") from None
    raise UserError(f"{sheet.where(sheet.rows[0].number)}: {first_error}")


def _shown(value: object) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def plan_import(services: Services, sheet: Sheet) -> Plan:
    """Check every row of the sheet against the store; nothing is written."""
    heading, columns = _headings(sheet)
    if not any(row.number > heading.number for row in sheet.rows):
        raise UserError(
            f"{sheet.label}: no vendor rows below the headings ({sheet.place(heading.number)}): "
            "nothing to import"
        )
    fee: FeeHome | None = None
    if FEE in columns.columns:
        fee = fee_home(services.library)
        heading_text = columns.columns[FEE].heading
        if fee is None:
            raise UserError(
                f"{sheet.label}: column '{heading_text}': no playbook records a monthly fee, "
                "so it has nowhere to go: leave the column out"
            )
        if fee.playbook.cadence is not Cadence.ONCE:
            raise UserError(
                f"{sheet.label}: column '{heading_text}': the monthly fee is kept per review "
                f"period in {fee.playbook.id}: import it there, with answers import"
            )
    plan = Plan(sheet, heading.number, columns, [cell_text(c) for c in heading.cells], fee)
    by_key = {name_key(v.name): v for v in services.store.list_vendors()}
    runs = services.runs() if fee is not None else None
    seen: dict[str, int] = {}
    for row in sheet.rows:
        if row.number <= heading.number:
            continue
        plan.rows += 1
        where = sheet.where(row.number)
        problems = _row(plan, row, by_key, seen, runs)
        if problems:
            plan.bad_rows += 1
            plan.problems += [f"{where}: {problem}" for problem in problems]
    return plan


def _number_format(row: SheetRow, cells: dict[str, Any], fee: Column | None) -> str:
    """The currency the fee cell's number format shows; a format shows only numbers."""
    value = cells.get(FEE)
    if fee is None or isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return row.formats.get(fee.index, "")


def _what(plan: Plan, row: SheetRow, name: str) -> str:
    column = plan.columns.columns.get(name)
    if column is None:
        return LABELS[name]
    if plan.sheet.sheet:
        return f"{column_letter(column.index)}{row.number} {column.heading}"
    return column.heading


def _row(
    plan: Plan,
    row: SheetRow,
    by_key: dict[str, Vendor],
    seen: dict[str, int],
    runs: RunService | None,
) -> list[str]:
    """Check one row and file it under added, updated or unchanged; returns its problems."""
    problems: list[str] = []
    width = len(plan.headings)
    if len(row.cells) > width and not plan.sheet.sheet:
        # Every value after the stray separator is under the wrong heading: say only that.
        return [
            f"{len(row.cells)} values under {width} headings: a comma (or semicolon) inside "
            "a value needs the value in double quotes"
        ]
    cells = {
        name: row.cells[c.index] if c.index < len(row.cells) else None
        for name, c in plan.columns.columns.items()
    }
    key = name_key(cell_text(cells["name"]))
    vendor = by_key.get(key) if key else None
    fee = plan.fee
    checked = check_row(
        cells,
        current=vendor.draft() if vendor else None,
        terms=vendor.contract if vendor else None,
        fee=fee.fee if fee else None,
        fee_currency=plan.columns.columns[FEE].currency if FEE in plan.columns.columns else "",
        currency_heading=(
            plan.columns.columns[CURRENCY].heading if CURRENCY in plan.columns.columns else ""
        ),
        fee_format=_number_format(row, cells, plan.columns.columns.get(FEE)),
    )
    columns = plan.columns.columns
    found = sorted(
        checked.problems,
        key=lambda p: columns[p[0]].index if p[0] in columns else len(plan.headings),
    )  # as the row reads, left to right
    problems += [f"{_what(plan, row, name)}: {reason}" for name, reason in found]
    if key in seen:
        problems.append(
            f"{_what(plan, row, 'name')}: '{cell_text(cells['name'])}' is on "
            f"{plan.sheet.place(seen[key])} already; give each vendor one row"
        )
    elif key:
        seen[key] = row.number
    if problems:
        return problems
    draft = VendorDraft(**{name: checked.fields[name] for name in VENDOR_FIELDS})
    entry = Entry(plan.sheet.where(row.number), draft.name, draft, vendor)
    if vendor is not None:
        entry.name = vendor.name  # matched whatever the case: the stored spelling stays
        stored = vendor.draft()
        kept = {n: getattr(stored, n) for n in VENDOR_FIELDS}
        for name in VENDOR_FIELDS:
            if name == "name" or name not in checked.given or kept[name] == checked.fields[name]:
                continue
            entry.changes.append((LABELS[name], _shown(kept[name]), _shown(checked.fields[name])))
            kept[name] = checked.fields[name]
        entry.draft = VendorDraft(**kept)
    if fee is not None and checked.fee is not None:
        run = runs.latest(vendor.id, fee.playbook) if vendor is not None and runs else None
        stored_answers = run.answers if run is not None else {}
        wanted: dict[str, Answer] = {fee.fee.question.id: checked.fee}
        if checked.currency and fee.fee.currency is not None:
            wanted[fee.fee.currency.id] = checked.currency
        for qid, value in wanted.items():
            old = stored_answers.get(qid)
            same = (
                old == value
                if not isinstance(value, str)
                else isinstance(old, str) and old.casefold() == value.casefold()
            )
            if not same:
                entry.answers[qid] = value
                if vendor is not None:
                    label = LABELS[FEE] if qid == fee.fee.question.id else LABELS["currency"]
                    entry.changes.append((label, _shown(old), _shown(value)))
    if vendor is None:
        plan.added.append(entry)
    elif entry.changes:
        plan.updated.append(entry)
    else:
        plan.unchanged.append(entry)
    return []


# -- writing -------------------------------------------------------------------------------


def _fee_run(playbook: Playbook, answers: dict[str, Answer]) -> Run:
    """A new vendor's first run of the playbook that records its fee, holding the fee."""
    stamp = now()
    return Run(
        id=uuid.uuid4().hex[:12],
        vendor_id="",  # the store sets it when it adds the vendor
        playbook_id=playbook.id,
        playbook_digest=playbook.digest,
        playbook_title=playbook.title,
        started_at=stamp,
        updated_at=stamp,
        answers=dict(answers),
    )


def apply_import(services: Services, plan: Plan) -> None:
    """Write what the plan found: every new vendor at once, then each change to a known one.

    The new vendors (with their fees) are all added or none is. Should a later write fail
    (the directory held by another process, say), the one line says how far it got; running
    the same import again does the rest, as it changes only what is still different.
    """
    store = services.store
    if plan.added:
        playbook = plan.fee.playbook if plan.fee else None
        entries = [
            (e.draft, [_fee_run(playbook, e.answers)] if playbook and e.answers else [])
            for e in plan.added
        ]
        try:
            store.import_portfolio(entries)
        except UserError as exc:
            raise UserError(f"nothing imported: {exc}") from None
    done = len(plan.added)
    runs = services.runs() if any(e.answers for e in plan.updated) else None
    for entry in plan.updated:
        assert entry.vendor is not None
        try:
            if entry.edits_vendor:
                store.edit_vendor(entry.vendor.id, entry.draft, shown=entry.vendor.draft())
            if entry.answers and runs is not None and plan.fee is not None:
                opened = runs.open(entry.vendor.id, plan.fee.playbook)
                runs.save_answers(plan.fee.playbook, opened.run, entry.answers)
        except UserError as exc:
            raise UserError(
                f"{entry.where}: {entry.name}: {exc}; {done} of "
                f"{len(plan.added) + len(plan.updated)} vendors were imported before it: run "
                "the same import again to do the rest"
            ) from None
        done += 1


# -- telling the user ------------------------------------------------------------------------


def column_lines(plan: Plan) -> Iterator[str]:
    """Which column went to which field, and which were left out."""
    yield f"Columns of {plan.sheet.label} (headings on {plan.sheet.place(plan.heading_row)}):"
    given = {c.index: c for c in plan.columns.columns.values()}
    ignored = {index: (text, why) for index, text, why in plan.columns.ignored}
    width = max(
        [len(c.heading) for c in given.values()] + [len(t or "-") for t, _ in ignored.values()]
    )
    for index in sorted({*given, *ignored}):
        place = plan.sheet.column(index).rjust(3)
        if index in given:
            column = given[index]
            currency = f" (in {column.currency})" if column.currency else ""
            yield f"  {place}  {column.heading.ljust(width)}  -> {LABELS[column.field]}{currency}"
        else:
            text, why = ignored[index]
            yield f"  {place}  {(text or '-').ljust(width)}  ignored: {why}"


def entry_lines(plan: Plan) -> Iterator[str]:
    """A line per vendor added or updated (with each change as ``field: old -> new``)."""
    for entry in plan.added:
        yield f"+ {entry.name} ({entry.draft.status})"
    for entry in plan.updated:
        said = "; ".join(f"{what}: {old} -> {new}" for what, old, new in entry.changes)
        yield f"~ {entry.name}: {said}"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def summary(plan: Plan, *, dry_run: bool) -> str:
    """One line: what was (or would be) done."""
    skipped = f"; {_count(plan.bad_rows, 'bad row')} left out" if plan.bad_rows else ""
    if not plan.added and not plan.updated:
        if not plan.unchanged:
            return f"{plan.sheet.label}: nothing imported{skipped}."
        every = (
            "its vendor already matches"
            if len(plan.unchanged) == 1
            else f"all {len(plan.unchanged)} vendors already match"
        )
        return f"{plan.sheet.label}: nothing to change: {every} the store{skipped}."
    add, update = ("added", "updated") if not dry_run else ("add", "update")
    done = []
    if plan.added:
        done.append(f"{add} {_count(len(plan.added), 'vendor')}")
    if plan.updated:
        updated = len(plan.updated)
        done.append(f"{update} {updated if plan.added else _count(updated, 'vendor')}")
    said = " and ".join(done) + (f"; {len(plan.unchanged)} unchanged" if plan.unchanged else "")
    if dry_run:
        return f"Nothing written (--dry-run): would {said}{skipped}."
    return f"{said[0].upper()}{said[1:]}{skipped}."
