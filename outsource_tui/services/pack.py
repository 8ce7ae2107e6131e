"""The review pack: a workbook the partner fills in before a quarterly review, read back in.

``export_pack`` writes an .xlsx file with three sheets for the partner:

- **KPIs**: each KPI of the SLA with its unit, our target and direction (ours, locked), and
  a cell for their actual and their comment (theirs, open, the actual checked as a number);
- **Self-assessment**: their own rating of each area the review rates, their view of the
  quarter, and their answer to each concern we raised at the last review;
- **Actions**: the open action items assigned to them, with our status, and their status
  (picked from the playbook's list) and comment.

Every fact comes from its one home: the KPIs from the SLA (``Portfolio.targets``), the rated
areas and statuses from the review playbook, the concerns from the last review's answer,
the action items from the period's review (or, before it is started, the ones it would
start with). A hidden sheet records the vendor, the period and a copy of every cell we
filled in, with a digest over both, so a pack edited in our cells, or made for another
vendor or period, is refused when it comes back.

``preview_pack`` reads a filled-in pack and says what it would change; ``save_pack`` keeps
the partner's values in the review run's ``reported`` mapping (see ``domain/reported.py``),
never among our answers. openpyxl is imported here only, inside the functions that need it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outsource_tui.domain import reported as rep
from outsource_tui.domain.answers import PERCENT_UNIT, format_number, validate_answer
from outsource_tui.domain.labels import rated
from outsource_tui.domain.playbook import (
    RATING_MAX,
    RATING_MIN,
    Playbook,
    Question,
    QuestionType,
    Step,
)
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import KpiTarget, kpi_actuals, open_action_items, rating_lines
from outsource_tui.domain.vendor import Vendor, name_key
from outsource_tui.domain.vendor_sheet import NO_SAVED_RESULT, lacks_saved_result
from outsource_tui.errors import UserError, ValidationError

if TYPE_CHECKING:
    from outsource_tui.services import Services
    from outsource_tui.services.runs import Opening
    from outsource_tui.store import Store

KPI_SHEET, SELF_SHEET, ACTION_SHEET = "KPIs", "Self-assessment", "Actions"
DATA_SHEETS = (KPI_SHEET, SELF_SHEET, ACTION_SHEET)
META_SHEET = "outsource-tui"  # hidden: what the pack is for, and a copy of our cells
FORMAT = "outsource-tui review pack"
FORMAT_VERSION = 1
PACK_DIR = "packs"  # under the data directory, where the app writes packs
HEADER_ROW, FIRST_ROW = 3, 4  # each sheet: a title, a line of help, the headings, the rows
# The review playbook's question that states our concerns (the long text of the last review).
CONCERNS_QUESTION = "concerns"
# An action item whose owner is the vendor's name or contact, or one of these words, is the
# partner's to report on.
PARTNER_WORDS = frozenset(
    {"partner", "vendor", "supplier", "provider", "contractor", "both", "joint"}
)
KPI_HEADINGS = ("KPI", "Unit", "Our target", "Your actual", "Your comment", "Direction")
SELF_HEADINGS = ("Area", f"Your rating ({RATING_MIN} to {RATING_MAX})", "Your comment")
ACTION_HEADINGS = ("Action", "Owner", "Due", "Our status", "Your status", "Your comment")
ASSESSMENT_PROMPT = "Your view of the quarter: what went well, what did not, and why"
MAX_CELL = 32_000  # a spreadsheet cell holds at most 32,767 characters
META_KEYS = (
    "format",
    "version",
    "vendor_id",
    "vendor",
    "period",
    "playbook",
    "exported_at",
    "kpis",
    "criteria",
    "criteria_ids",
    "concerns",
    "concerns_period",
    "actions",
)
COPY_HEADINGS = ("sheet", "cell", "value")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_REF = re.compile(r"^(.+?)!([A-Z]+)(\d+):")  # how each problem with a cell begins


class PackError(UserError):
    """A pack refused cell by cell: each problem is one line, naming its sheet and cell."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[-1] if problems else "the pack was refused")
        self.problems = problems


# -- what goes into a pack -----------------------------------------------------------------


@dataclass(frozen=True)
class PackContent:
    """What a pack sends the partner, each part read from its one home."""

    vendor: Vendor
    period: str
    playbook: Playbook  # the review playbook
    kpis: tuple[KpiTarget, ...]
    criteria: tuple[Question, ...]  # the weighted ratings the review gives
    concerns_period: str  # the review the concerns come from ('' when none)
    concerns: tuple[str, ...]
    actions: tuple[dict[str, str], ...]  # action, owner, due, status
    statuses: tuple[str, ...]  # the action items' status options


def review_playbook(services: Services) -> Playbook:
    """The review playbook packs are made for: the one scorecards are read from."""
    playbooks = [p for p in services.library if p.fed_tables("kpi-actuals")]
    if not playbooks:
        raise UserError("no review playbook is loaded (one with a table of KPI results)")
    return playbooks[0]


def pack_period(services: Services, vendor_id: str, period: str | None = None) -> str:
    """The period a pack covers: ``period`` checked, else the one the next review covers.

    A period that has not begun yet is refused: a pack asks for figures of the period.
    """
    playbook = review_playbook(services)
    runs = services.runs()
    chosen = runs.period_for(vendor_id, playbook, period)
    current = runs.future_period(playbook, chosen)
    if current is not None:
        raise UserError(
            f"{chosen} has not begun yet (this is {current}): a pack asks for a period's "
            "figures, so make it once the period is under way"
        )
    return chosen


def partner_owns(owner: str, vendor: Vendor) -> bool:
    """Whether an action item's owner is the partner: its name or contact, or a word such as
    'partner', 'vendor' or 'both'."""
    key = name_key(owner)
    if not key:
        return False
    name = name_key(vendor.name)
    if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", key):
        return True
    contact = name_key(re.split(r"[<,(]", vendor.contact)[0]) if vendor.contact else ""
    if contact and key == contact:
        return True
    return bool(set(re.findall(r"\w+", key)) & PARTNER_WORDS)


def concern_items(text: str) -> list[str]:
    """Our concerns as separate items: one per bullet or numbered line, else per paragraph."""
    items: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if current:
                items.append(" ".join(current))
                current = []
            continue
        bullet = BULLET.match(line)
        if bullet:
            if current:
                items.append(" ".join(current))
            current = [line[bullet.end() :].strip()]
        else:
            current.append(line.strip())
    if current:
        items.append(" ".join(current))
    return [item for item in items if item]


def _status_options(playbook: Playbook) -> tuple[str, ...]:
    for table in playbook.fed_tables("action-items"):
        for column in table.columns:
            if column.id == "status":
                return column.options
    return ()


def _actual_column(playbook: Playbook) -> Question | None:
    for table in playbook.fed_tables("kpi-actuals"):
        for column in table.columns:
            if column.id == "actual":
                return column
    return None


def _action_rows(playbook: Playbook, run: Run | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if run is not None:
        for table in playbook.fed_tables("action-items"):
            value = run.answers.get(table.id)
            if isinstance(value, list):
                rows += [r for r in value if isinstance(r, dict)]
    return rows


def pack_content(services: Services, vendor_id: str, period: str | None = None) -> PackContent:
    """Gather what a pack for the vendor and period sends (the next review's by default)."""
    from outsource_tui.services.runs import NO_TARGETS

    store = services.store
    vendor = store.get_vendor(vendor_id)
    period = pack_period(services, vendor_id, period)
    portfolio = services.portfolio()
    playbook = review_playbook(services)
    runs = portfolio.runs_of(vendor_id)
    targets = portfolio.targets(runs)
    if not targets:
        raise UserError(f"{vendor.name}: {NO_TARGETS}")
    reviews = portfolio.review_runs(runs, playbook)
    earlier = sorted(p for p in reviews if p < period)
    concerns_period, concerns = "", []
    if earlier and CONCERNS_QUESTION in playbook.questions_by_id:
        said = reviews[earlier[-1]].answers.get(CONCERNS_QUESTION)
        concerns = concern_items(said) if isinstance(said, str) else []
        concerns_period = earlier[-1] if concerns else ""
    review = reviews.get(period)
    if review is not None:
        rows = open_action_items(playbook, review)
    else:  # what the review will start with once opened
        rows = [
            {"action": a.action, "owner": a.owner, "due": a.due, "status": a.status}
            for a in portfolio.actions(runs)
        ]
    actions = tuple(
        {
            "action": str(row.get("action") or ""),
            "owner": str(row.get("owner") or ""),
            "due": str(row.get("due") or ""),
            "status": str(row.get("status") or ""),
        }
        for row in rows
        if str(row.get("action") or "").strip()
        and partner_owns(str(row.get("owner") or ""), vendor)
    )
    return PackContent(
        vendor=vendor,
        period=period,
        playbook=playbook,
        kpis=tuple(targets),
        criteria=tuple(playbook.scored_questions()),
        concerns_period=concerns_period,
        concerns=tuple(concerns),
        actions=actions,
        statuses=_status_options(playbook),
    )


# -- the layout, shared by the writer and the reader ---------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where each part of a pack sits, from how many of each it holds."""

    kpis: int
    criteria: int
    concerns: int
    actions: int

    @property
    def assessment_row(self) -> int:
        return FIRST_ROW + self.criteria + 1

    @property
    def concerns_row(self) -> int:
        """The row of the concerns' heading; the concerns follow it."""
        return self.assessment_row + 2

    def concern_row(self, index: int) -> int:
        return self.concerns_row + 1 + index

    def inputs(self) -> dict[str, set[str]]:
        """The cells the partner fills in, by sheet."""
        cells: dict[str, set[str]] = {name: set() for name in DATA_SHEETS}
        for row in range(FIRST_ROW, FIRST_ROW + self.kpis):
            cells[KPI_SHEET] |= {f"D{row}", f"E{row}"}
        for row in range(FIRST_ROW, FIRST_ROW + self.criteria):
            cells[SELF_SHEET] |= {f"B{row}", f"C{row}"}
        cells[SELF_SHEET].add(f"C{self.assessment_row}")
        cells[SELF_SHEET] |= {f"C{self.concern_row(i)}" for i in range(self.concerns)}
        for row in range(FIRST_ROW, FIRST_ROW + self.actions):
            cells[ACTION_SHEET] |= {f"E{row}", f"F{row}"}
        return cells


def canon(value: Any) -> str:
    """A cell's value as compared and digested: the same however a spreadsheet saved it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format(float(value), ".12g")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(meta: dict[str, Any], cells: Iterable[tuple[str, str, Any]]) -> str:
    """The digest of a pack's record: what it is for, and every cell we filled in."""
    data = {
        "meta": {key: canon(meta.get(key)) for key in META_KEYS},
        "cells": sorted([sheet, cell, canon(value)] for sheet, cell, value in cells),
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- writing -------------------------------------------------------------------------------


class _Writer:
    """Writes cells of ours (locked, copied into the record) and cells of theirs (open)."""

    def __init__(self) -> None:
        from openpyxl.styles import (  # type: ignore[import-untyped]
            Alignment,
            Border,
            Font,
            PatternFill,
            Protection,
            Side,
        )

        self.copy: list[tuple[str, str, Any]] = []
        self.locked = Protection(locked=True)
        self.open = Protection(locked=False)
        thin = Side(style="thin", color="BFBFBF")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.input_fill = PatternFill("solid", fgColor="FFF2CC")
        self.heading_fill = PatternFill("solid", fgColor="D9E1F2")
        self.title = Font(bold=True, size=14)
        self.bold = Font(bold=True)
        self.hint = Font(italic=True, color="595959")
        self.wrap = Alignment(wrap_text=True, vertical="top")

    @staticmethod
    def _put(cell: Any, value: Any) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula

    def ours(self, sheet: Any, coord: str, value: Any, font: Any = None) -> None:
        cell = sheet[coord]
        if value is not None and value != "":
            self._put(cell, value)
            self.copy.append((sheet.title, coord, cell.value))
        cell.protection = self.locked
        cell.alignment = self.wrap
        if font is not None:
            cell.font = font

    def theirs(self, sheet: Any, coord: str, value: Any = None) -> None:
        cell = sheet[coord]
        if value is not None and value != "":
            self._put(cell, value)
        cell.protection = self.open
        cell.fill = self.input_fill
        cell.border = self.box
        cell.alignment = self.wrap

    def headings(self, sheet: Any, row: int, names: Sequence[str]) -> None:
        for index, name in enumerate(names):
            coord = f"{chr(ord('A') + index)}{row}"
            self.ours(sheet, coord, name, self.bold)
            sheet[coord].fill = self.heading_fill

    @staticmethod
    def finish(sheet: Any, widths: Sequence[int]) -> None:
        """Column widths, printing on one page wide, and the sheet locked but for our cells."""
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        # The line of help spans the table, on two lines.
        sheet.merge_cells(f"A2:{chr(ord('A') + len(widths) - 1)}2")
        sheet.row_dimensions[2].height = 30
        sheet.freeze_panes = f"A{FIRST_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.protection.sheet = True
        # Widening a column or a row to read a long text is fine; our cells stay locked.
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False


def _validation(kind: str, **options: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    return DataValidation(
        type=kind, allow_blank=True, showErrorMessage=True, showInputMessage=True, **options
    )


def _number_rule(target: KpiTarget, column: Question | None) -> Any:
    """The check a spreadsheet makes as the partner types an actual: a number (whole, if the
    review asks for one), within the review's range when it has one."""
    low = column.min if column is not None else None
    high = column.max if column is not None else None
    whole = column is not None and column.integer
    kind = "whole" if whole else "decimal"
    unit = f" in {target.unit}" if target.unit else ""
    if low is not None and high is not None:
        bounds: dict[str, Any] = {
            "operator": "between",
            "formula1": format_number(low),
            "formula2": format_number(high),
        }
    elif low is not None:
        bounds = {"operator": "greaterThanOrEqual", "formula1": format_number(low)}
    elif high is not None:
        bounds = {"operator": "lessThanOrEqual", "formula1": format_number(high)}
    else:
        bounds = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
    return _validation(
        kind,
        errorTitle="A number, please",
        error=(
            f"Type {'a whole number' if whole else 'a number, such as 97.5'}{unit}, "
            "without the unit; leave it blank if you have no figure."
        )[:255],
        promptTitle="Your actual",
        prompt=f"Your figure{unit} for {target.kpi}"[:255],
        **bounds,
    )


def _kpi_sheet(writer: _Writer, sheet: Any, content: PackContent) -> None:
    sheet.title = KPI_SHEET
    writer.ours(sheet, "A1", f"{content.vendor.name} · {content.period} · KPIs", writer.title)
    writer.ours(
        sheet,
        "A2",
        "Fill in the yellow cells: your figure for each KPI in the period, as a plain number "
        "in the KPI's unit, and a comment wherever a figure needs context. The other cells "
        "are ours and locked.",
        writer.hint,
    )
    writer.headings(sheet, HEADER_ROW, KPI_HEADINGS)
    column = _actual_column(content.playbook)
    for index, target in enumerate(content.kpis):
        row = FIRST_ROW + index
        writer.ours(sheet, f"A{row}", target.kpi)
        writer.ours(sheet, f"B{row}", target.unit)
        writer.ours(sheet, f"C{row}", target.target)
        writer.theirs(sheet, f"D{row}")
        sheet[f"D{row}"].number_format = "General"
        writer.theirs(sheet, f"E{row}")
        writer.ours(sheet, f"F{row}", target.direction)
        rule = _number_rule(target, column)
        sheet.add_data_validation(rule)
        rule.add(f"D{row}")
    writer.finish(sheet, (38, 12, 12, 14, 48, 18))


def _self_sheet(writer: _Writer, sheet: Any, content: PackContent, layout: Layout) -> None:
    writer.ours(
        sheet, "A1", f"{content.vendor.name} · {content.period} · Self-assessment", writer.title
    )
    writer.ours(
        sheet,
        "A2",
        f"Rate your own work in each area from {RATING_MIN} (poor) to {RATING_MAX} "
        "(excellent), then tell us how you saw the quarter and answer our concerns from "
        "the last review. Fill in the yellow cells only.",
        writer.hint,
    )
    writer.headings(sheet, HEADER_ROW, SELF_HEADINGS)
    rating = _validation(
        "whole",
        operator="between",
        formula1=str(RATING_MIN),
        formula2=str(RATING_MAX),
        errorTitle="A rating, please",
        error=f"Type a whole number from {RATING_MIN} to {RATING_MAX}.",
        promptTitle="Your rating",
        prompt=f"{RATING_MIN} poor, 3 as expected, {RATING_MAX} excellent",
    )
    sheet.add_data_validation(rating)
    for index, question in enumerate(content.criteria):
        row = FIRST_ROW + index
        writer.ours(sheet, f"A{row}", question.prompt)
        writer.theirs(sheet, f"B{row}")
        writer.theirs(sheet, f"C{row}")
        rating.add(f"B{row}")
    row = layout.assessment_row
    writer.ours(sheet, f"A{row}", ASSESSMENT_PROMPT, writer.bold)
    writer.theirs(sheet, f"C{row}")
    sheet.row_dimensions[row].height = 60
    row = layout.concerns_row
    if content.concerns:
        heading = f"Our concerns from the last review ({content.concerns_period})"
        writer.ours(sheet, f"A{row}", heading, writer.bold)
        writer.ours(sheet, f"C{row}", "Your answer", writer.bold)
    else:
        writer.ours(sheet, f"A{row}", "No concerns were raised at the last review.", writer.hint)
    for index, concern in enumerate(content.concerns):
        writer.ours(sheet, f"A{layout.concern_row(index)}", concern)
        writer.theirs(sheet, f"C{layout.concern_row(index)}")
    writer.finish(sheet, (56, 20, 64))


def _status_rule(statuses: Sequence[str]) -> Any | None:
    listed = ",".join(statuses)
    if not statuses or any("," in s or '"' in s for s in statuses) or len(listed) > 250:
        return None  # cannot be written as a list in the cell; checked when read back
    return _validation(
        "list",
        formula1=f'"{listed}"',
        errorTitle="One of the statuses, please",
        error="Pick one of: " + ", ".join(statuses),
        promptTitle="Your status",
        prompt="Pick from the list",
    )


def _action_sheet(writer: _Writer, sheet: Any, content: PackContent) -> None:
    writer.ours(sheet, "A1", f"{content.vendor.name} · {content.period} · Actions", writer.title)
    writer.ours(
        sheet,
        "A2",
        "The open action items that are yours. Set your status where it changed, and tell us "
        "where each stands.",
        writer.hint,
    )
    writer.headings(sheet, HEADER_ROW, ACTION_HEADINGS)
    rule = _status_rule(content.statuses)
    if rule is not None:
        sheet.add_data_validation(rule)
    if not content.actions:
        none = "No open action items are assigned to you."
        writer.ours(sheet, f"A{FIRST_ROW}", none, writer.hint)
    for index, item in enumerate(content.actions):
        row = FIRST_ROW + index
        writer.ours(sheet, f"A{row}", item["action"])
        writer.ours(sheet, f"B{row}", item["owner"])
        writer.ours(sheet, f"C{row}", item["due"])
        writer.ours(sheet, f"D{row}", item["status"])
        writer.theirs(sheet, f"E{row}", item["status"])
        writer.theirs(sheet, f"F{row}")
        if rule is not None:
            rule.add(f"E{row}")
    writer.finish(sheet, (48, 20, 12, 14, 14, 48))


def _meta(content: PackContent, layout: Layout, exported_at: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "vendor_id": content.vendor.id,
        "vendor": content.vendor.name,
        "period": content.period,
        "playbook": content.playbook.id,
        "exported_at": exported_at,
        "kpis": layout.kpis,
        "criteria": layout.criteria,
        "criteria_ids": ",".join(q.id for q in content.criteria),
        "concerns": layout.concerns,
        "concerns_period": content.concerns_period,
        "actions": layout.actions,
    }


def _meta_sheet(writer: _Writer, sheet: Any, meta: dict[str, Any]) -> None:
    sheet["A1"] = (
        "outsource-tui reads this sheet to check the pack when it comes back. Please leave "
        "it as it is."
    )
    row = 3
    for key in META_KEYS:
        sheet[f"A{row}"] = key
        writer._put(sheet[f"B{row}"], meta[key])
        row += 1
    sheet[f"A{row}"] = "digest"
    sheet[f"B{row}"] = digest(meta, writer.copy)
    row += 2
    for index, name in enumerate(COPY_HEADINGS):
        sheet.cell(row=row, column=index + 1, value=name)
    for sheet_name, coord, value in writer.copy:
        row += 1
        sheet.cell(row=row, column=1, value=sheet_name)
        sheet.cell(row=row, column=2, value=coord)
        writer._put(sheet.cell(row=row, column=3), value)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def workbook_bytes(content: PackContent, exported_at: str) -> bytes:
    """The pack as the bytes of an .xlsx file."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.workbook.protection import WorkbookProtection  # type: ignore[import-untyped]

    layout = Layout(
        len(content.kpis), len(content.criteria), len(content.concerns), len(content.actions)
    )
    writer = _Writer()
    book = Workbook()
    _kpi_sheet(writer, book.active, content)
    _self_sheet(writer, book.create_sheet(SELF_SHEET), content, layout)
    _action_sheet(writer, book.create_sheet(ACTION_SHEET), content)
    _meta_sheet(writer, book.create_sheet(META_SHEET), _meta(content, layout, exported_at))
    book.active = 0
    # No sheet added, removed, renamed or shown: the hidden one stays hidden.
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = f"Review pack: {content.vendor.name}, {content.period}"
    book.properties.creator = "outsource-tui"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def default_pack_path(store: Store, vendor_id: str, period: str) -> Path:
    """Where the app writes a vendor's pack for a period: ``<data dir>/packs/``."""
    return store.data_dir / PACK_DIR / f"{vendor_id}-{period}.xlsx"


def _unused(path: Path) -> Path:
    """``path``, or ``name-2.xlsx`` (and so on) when it is taken: a pack made again never
    replaces one already there, which may be the partner's filled-in copy."""
    found, n = path, 2
    while found.exists():
        found = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return found


@dataclass(frozen=True)
class ExportedPack:
    """A pack written, and what it holds."""

    path: Path
    content: PackContent

    def summary(self) -> str:
        c = self.content
        parts = [
            _count(len(c.kpis), "KPI"),
            _count(len(c.criteria), "area to rate", "areas to rate"),
            _count(len(c.concerns), "concern"),
            _count(len(c.actions), "action item"),
        ]
        return f"{c.vendor.name}, {c.period}: " + ", ".join(parts)


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def export_pack(
    services: Services, vendor_id: str, period: str | None = None, path: Path | None = None
) -> ExportedPack:
    """Write the vendor's pack for ``period`` (the next review's by default) to ``path``
    (by default into ``<data dir>/packs/``, under a new name if the usual one is taken); the
    folder of a given path must exist."""
    from outsource_tui.store.atomic import write_text_atomic

    content = pack_content(services, vendor_id, period)
    target = path or _unused(default_pack_path(services.store, vendor_id, content.period))
    if target.suffix.lower() != ".xlsx":
        raise UserError(f"{target}: name a file ending in .xlsx, so a spreadsheet opens it")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    write_text_atomic(target, workbook_bytes(content, stamp), make_parents=path is None)
    return ExportedPack(target, content)


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnedKpi:
    kpi: str
    unit: str
    actual: float | None
    comment: str


@dataclass(frozen=True)
class ReturnedRating:
    question_id: str
    prompt: str
    rating: int | None
    comment: str


@dataclass(frozen=True)
class ReturnedConcern:
    concern: str
    answer: str


@dataclass(frozen=True)
class ReturnedAction:
    action: str
    status: str  # ours, as the pack was sent
    their_status: str
    comment: str


@dataclass(frozen=True)
class ReturnedPack:
    """A filled-in pack, checked: what it is for, and what the partner wrote."""

    path: str
    vendor_id: str
    vendor_name: str
    period: str
    playbook_id: str
    exported_at: str
    kpis: tuple[ReturnedKpi, ...]
    ratings: tuple[ReturnedRating, ...]
    assessment: str
    concerns_period: str
    concerns: tuple[ReturnedConcern, ...]
    actions: tuple[ReturnedAction, ...]
    ignored: tuple[str, ...]  # cells written outside the answer cells: not read

    def reported(self, imported_at: str) -> dict[str, Any]:
        """What the partner gave, as a run's reported mapping (blank cells left out)."""
        given: dict[str, Any] = {
            "file": Path(self.path).name,
            "exported_at": self.exported_at,
            "imported_at": imported_at,
        }
        sections = {
            rep.KPIS: [
                {"kpi": k.kpi, "actual": k.actual, "comment": k.comment}
                for k in self.kpis
                if k.actual is not None or k.comment
            ],
            rep.RATINGS: [
                {"question_id": r.question_id, "rating": r.rating, "comment": r.comment}
                for r in self.ratings
                if r.rating is not None or r.comment
            ],
            rep.CONCERNS: [
                {"concern": c.concern, "answer": c.answer} for c in self.concerns if c.answer
            ],
            rep.ACTIONS: [
                {"action": a.action, "status": a.their_status, "comment": a.comment}
                for a in self.actions
                if a.their_status or a.comment
            ],
        }
        given.update({key: value for key, value in sections.items() if value})
        if self.assessment:
            given[rep.ASSESSMENT] = self.assessment
        return given


def _reason(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0][:80] if lines else "") or exc.__class__.__name__


def _load(file: Path, shown: str) -> tuple[Any, dict[str, set[str]]]:
    """The workbook as last saved (each formula as its saved result), and the coordinates of
    the formula cells of each data sheet."""
    from outsource_tui.store.atomic import describe_os_error

    if not file.exists():
        raise UserError(f"{shown}: no such file")
    if file.is_dir():
        raise UserError(f"{shown}: is a folder, not a workbook")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read ({describe_os_error(exc)})") from None
    if not data.startswith(b"PK\x03\x04"):
        raise UserError(f"{shown}: not an .xlsx workbook (save it from the spreadsheet as .xlsx)")
    from openpyxl import load_workbook

    try:
        # A read for the saved results shows a formula that has none as a blank cell; a
        # read as written shows which cells are formulas.
        written = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            formulas = {
                name: {
                    cell.coordinate
                    for row in written[name].iter_rows()
                    for cell in row
                    if cell.data_type == "f"
                }
                for name in DATA_SHEETS
                if name in written.sheetnames
            }
        finally:
            written.close()
        return load_workbook(io.BytesIO(data), data_only=True), formulas
    except Exception as exc:  # noqa: BLE001 - whatever a damaged zip or its XML raises
        raise UserError(
            f"{shown}: a damaged workbook, or not an .xlsx one ({_reason(exc)})"
        ) from None


def _read_record(sheet: Any) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """The hidden sheet: what the pack is for, its digest, and the copy of our cells."""
    meta: dict[str, Any] = {}
    copy: list[tuple[str, str, Any]] = []
    in_copy = False
    for row in sheet.iter_rows(min_row=3, max_col=3, values_only=True):
        first, second, third = (list(row) + [None, None, None])[:3]
        if in_copy:
            if first is not None:
                copy.append((str(first), str(second), third))
        elif (first, second, third) == COPY_HEADINGS:
            in_copy = True
        elif isinstance(first, str):
            meta[first] = second
    return meta, copy


def _count_of(meta: dict[str, Any], key: str) -> int:
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(key)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _show(value: Any) -> str:
    text = canon(value)
    if not text:
        return "blank"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _tampered(book: Any, copy: list[tuple[str, str, Any]]) -> list[str]:
    """A line for each cell of ours whose value is not the one we wrote."""
    headings = {(s, c[:1]): v for s, c, v in copy if c[1:] == str(HEADER_ROW)}
    problems = []
    for sheet, coord, value in copy:
        now = book[sheet][coord].value
        if canon(now) != canon(value):
            heading = headings.get((sheet, coord[:1])) if sheet != SELF_SHEET else None
            what = f"'{heading}'" if heading and coord[1:] != str(HEADER_ROW) else "our cell"
            problems.append(
                f"{sheet}!{coord}: {what} was changed, from {_show(value)} to {_show(now)}"
            )
    return problems


def _outside(book: Any, copy: list[tuple[str, str, Any]], layout: Layout) -> list[str]:
    ours = {(s, c) for s, c, _ in copy}
    inputs = layout.inputs()
    found = []
    for name in DATA_SHEETS:
        for row in book[name].iter_rows():
            for cell in row:
                coord = cell.coordinate
                if canon(cell.value) and (name, coord) not in ours and coord not in inputs[name]:
                    found.append(f"{name}!{coord}")
    return found


def _actual(cell: Any, target_unit: str, column: Question | None, ref: str) -> float | None:
    """The partner's figure in one cell, checked as the review checks an actual."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{ref}: not a number ({'TRUE' if value else 'FALSE'})")
    if isinstance(value, datetime | date | time):
        raise ValidationError(f"{ref}: not a number (a date or a time)")
    if isinstance(value, int | float) and "%" in str(cell.number_format or ""):
        # Typed as 95%: the sheet holds 0.95 and shows 95%. For a KPI in percent, 95 is meant.
        shown = round(value * 100, 9)
        if not PERCENT_UNIT.match(target_unit.strip()):
            unit = f"in {target_unit}" if target_unit else "a plain number"
            raise ValidationError(
                f"{ref}: typed as a percentage ({format_number(shown)}%), but this KPI is "
                f"{unit}: type the number alone"
            )
        value = shown
    question = Question(
        id="actual",
        type=QuestionType.NUMBER,
        prompt="",
        unit=target_unit,
        min=column.min if column else None,
        max=column.max if column else None,
        integer=bool(column and column.integer),
    )
    try:
        number = validate_answer(question, value)
    except ValidationError as exc:
        if "is not a number" in str(exc):
            raise ValidationError(f"{ref}: not a number ({_text(value)!r})") from None
        raise ValidationError(f"{ref}: {exc}") from None
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None
    return float(number)


def _rating(value: Any, question: Question, ref: str) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        given = validate_answer(question, value)
    except ValidationError as exc:
        raise ValidationError(f"{ref}: {exc} ({_text(value)!r})") from None
    return given if isinstance(given, int) else None


def _status(value: Any, options: Sequence[str], ref: str) -> str:
    text = " ".join(_text(value).split())
    if not text or not options:
        return text
    for option in options:
        if name_key(option) == name_key(text):
            return option
    raise ValidationError(f"{ref}: '{text}' is not a status: pick one of {', '.join(options)}")


def _reading_order(problem: str) -> tuple[int, int, int, str]:
    """Where a problem's cell is, sheet by sheet, row by row, then column by column."""
    match = _REF.match(problem)
    if match is None or match[1] not in DATA_SHEETS:
        return (len(DATA_SHEETS), 0, 0, "")
    return (DATA_SHEETS.index(match[1]), int(match[3]), len(match[2]), match[2])


def read_pack(path: str | Path, library: Iterable[Playbook]) -> ReturnedPack:
    """A filled-in pack, checked cell by cell; raises :class:`UserError` (one line) for a file
    that is no pack, and :class:`PackError` (a line per cell) for a pack edited in our cells
    or with a value that does not fit its cell."""
    shown = str(path)
    book, formulas = _load(Path(path).expanduser(), shown)
    try:
        return _read(book, shown, {p.id: p for p in library}, formulas)
    finally:
        book.close()


def _read(
    book: Any, shown: str, playbooks: dict[str, Playbook], formulas: dict[str, set[str]]
) -> ReturnedPack:
    not_pack = f"{shown}: not a review pack (make one with `outsource-tui pack export`)"
    if META_SHEET not in book.sheetnames:
        raise UserError(not_pack)
    meta, copy = _read_record(book[META_SHEET])
    if meta.get("format") != FORMAT:
        raise UserError(not_pack)
    version = meta.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise UserError(f"{shown}: made by a newer outsource-tui (pack version {version}); upgrade")
    if digest(meta, copy) != meta.get("digest"):
        raise UserError(
            f"{shown}: the pack's hidden record was changed, so what it is for cannot be "
            "trusted; nothing was saved (export a fresh pack)"
        )
    try:
        layout = Layout(*(_count_of(meta, k) for k in ("kpis", "criteria", "concerns", "actions")))
    except ValueError as exc:
        raise UserError(f"{shown}: the pack's record of its '{exc}' is damaged") from None
    for name in DATA_SHEETS:
        if name not in book.sheetnames:
            raise UserError(f"{shown}: the sheet '{name}' is missing; nothing was saved")
    problems = _tampered(book, copy)
    if problems:
        raise PackError(
            [
                *problems,
                f"{shown}: refused, as cells we filled in (they are locked) were edited; "
                "nothing was saved. Send a fresh pack if our figures must change",
            ]
        )
    playbook = playbooks.get(str(meta.get("playbook")))
    ours = {(s, c): v for s, c, v in copy}
    ignored = _outside(book, copy, layout)
    return _answers(book, shown, meta, layout, ours, playbook, ignored, formulas)


def _answers(
    book: Any,
    shown: str,
    meta: dict[str, Any],
    layout: Layout,
    ours: dict[tuple[str, str], Any],
    playbook: Playbook | None,
    ignored: list[str],
    formulas: dict[str, set[str]],
) -> ReturnedPack:
    """The partner's cells, each checked; every problem is named by sheet and cell."""
    problems: list[str] = [
        f"{name}!{coord}: {NO_SAVED_RESULT}"
        for name, coords in layout.inputs().items()
        for coord in coords & formulas.get(name, set())
        if lacks_saved_result(book[name][coord].value, book[name][coord].data_type)
    ]  # read as blank below, so named here only
    column = _actual_column(playbook) if playbook is not None else None
    kpis_sheet, self_sheet, action_sheet = (book[name] for name in DATA_SHEETS)

    kpis = []
    for row in range(FIRST_ROW, FIRST_ROW + layout.kpis):
        unit = _text(ours.get((KPI_SHEET, f"B{row}")))
        try:
            actual = _actual(kpis_sheet[f"D{row}"], unit, column, f"{KPI_SHEET}!D{row}")
        except ValidationError as exc:
            problems.append(str(exc))
            actual = None
        name = _text(ours.get((KPI_SHEET, f"A{row}")))
        kpis.append(ReturnedKpi(name, unit, actual, _text(kpis_sheet[f"E{row}"].value)))

    ids = [i for i in str(meta.get("criteria_ids") or "").split(",") if i]
    questions = playbook.questions_by_id if playbook is not None else {}
    ratings = []
    for index, row in enumerate(range(FIRST_ROW, FIRST_ROW + layout.criteria)):
        qid = ids[index] if index < len(ids) else ""
        prompt = _text(ours.get((SELF_SHEET, f"A{row}")))
        question = questions.get(qid) or Question(qid, QuestionType.RATING, prompt)
        try:
            rating = _rating(self_sheet[f"B{row}"].value, question, f"{SELF_SHEET}!B{row}")
        except ValidationError as exc:
            problems.append(str(exc))
            rating = None
        ratings.append(ReturnedRating(qid, prompt, rating, _text(self_sheet[f"C{row}"].value)))

    concerns = tuple(
        ReturnedConcern(
            _text(ours.get((SELF_SHEET, f"A{layout.concern_row(i)}"))),
            _text(self_sheet[f"C{layout.concern_row(i)}"].value),
        )
        for i in range(layout.concerns)
    )

    statuses = _status_options(playbook) if playbook is not None else ()
    actions = []
    for row in range(FIRST_ROW, FIRST_ROW + layout.actions):
        try:
            status = _status(action_sheet[f"E{row}"].value, statuses, f"{ACTION_SHEET}!E{row}")
        except ValidationError as exc:
            problems.append(str(exc))
            status = ""
        actions.append(
            ReturnedAction(
                _text(ours.get((ACTION_SHEET, f"A{row}"))),
                _text(ours.get((ACTION_SHEET, f"D{row}"))),
                status,
                _text(action_sheet[f"F{row}"].value),
            )
        )
    if problems:
        raise PackError([*sorted(problems, key=_reading_order), f"{shown}: nothing was saved"])
    return ReturnedPack(
        path=shown,
        vendor_id=str(meta.get("vendor_id") or ""),
        vendor_name=str(meta.get("vendor") or ""),
        period=str(meta.get("period") or ""),
        playbook_id=str(meta.get("playbook") or ""),
        exported_at=str(meta.get("exported_at") or ""),
        kpis=tuple(kpis),
        ratings=tuple(ratings),
        assessment=_text(self_sheet[f"C{layout.assessment_row}"].value),
        concerns_period=str(meta.get("concerns_period") or ""),
        concerns=concerns,
        actions=tuple(actions),
        ignored=tuple(ignored),
    )


# -- what a pack would change, and saving it -----------------------------------------------


@dataclass(frozen=True)
class PackPreview:
    """What importing a pack would change, before anything is saved."""

    returned: ReturnedPack
    vendor: Vendor
    playbook: Playbook
    run: Run | None  # the period's review run; None: it will be started
    given: dict[str, Any]  # the partner's values, as a reported mapping
    lines: tuple[str, ...]  # headings flush left, the changes under them indented
    changes: int
    unchanged: int

    @property
    def nothing(self) -> str:
        """Why there is nothing to save; '' when there is something."""
        if self.changes:
            return ""
        if self.unchanged:
            return "Nothing new: everything in it is stored already"
        return "Nothing filled in: the partner's cells are blank"

    @property
    def where(self) -> str:
        """The review the values go into, and how it stands."""
        what = f"{self.playbook.title} {self.returned.period} for {self.vendor.name}"
        if self.run is None:
            return f"{what} (not started yet: importing starts it)"
        if self.run.completed:
            return f"{what} (completed {self.run.completed_at[:10]})"
        return f"{what} (in progress)"


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return f'"{flat}"' if len(flat) <= 120 else f'"{flat[:119]}…"'


def _with_unit(value: float, unit: str) -> str:
    return format_number(value) + (f" {unit}" if unit else "")


def _our_actions(playbook: Playbook, run: Run | None) -> dict[str, str]:
    return {
        name_key(str(row.get("action") or "")): str(row.get("status") or "")
        for row in _action_rows(playbook, run)
    }


def _diff(
    returned: ReturnedPack, playbook: Playbook, run: Run | None, stored: dict[str, Any]
) -> tuple[list[str], int, int]:
    """The lines saying what is new in a pack against what is stored, and how many values
    are new and how many as reported before."""
    lines: list[str] = []
    changes = unchanged = 0

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(title)
            lines.extend(f"  {item}" for item in items)

    def fresh(section_key: str, key: str, field: str, value: Any) -> bool:
        nonlocal changes, unchanged
        before = rep.entries(stored, section_key).get(name_key(key), {}).get(field)
        if before == value:
            unchanged += 1
            return False
        changes += 1
        return True

    ours = kpi_actuals(playbook, run) if run is not None else {}
    items = []
    for kpi in returned.kpis:
        if kpi.actual is not None and fresh(rep.KPIS, kpi.kpi, "actual", kpi.actual):
            mine = ours.get(name_key(kpi.kpi))
            theirs = _with_unit(kpi.actual, kpi.unit)
            if mine is None:
                compared = "none of ours, so the scorecard uses theirs"
            elif mine == kpi.actual:
                compared = "the same as ours"
            else:
                compared = f"ours {_with_unit(mine, kpi.unit)}"
            items.append(f"{kpi.kpi}: theirs {theirs}, {compared}")
        if kpi.comment and fresh(rep.KPIS, kpi.kpi, "comment", kpi.comment):
            items.append(f"{kpi.kpi}, their comment: {_quote(kpi.comment)}")
    section("Their KPI figures:", items)

    # Our rating as the scorecard takes it (with several reviewers, their median).
    our_ratings = (
        {line.question_id: line.rating for line in rating_lines(playbook, run)} if run else {}
    )
    items = []
    for given in returned.ratings:
        if given.rating is not None and fresh(
            rep.RATINGS, given.question_id, "rating", given.rating
        ):
            mine_rating = our_ratings.get(given.question_id)
            ours_text = (
                f" (we rated {format_number(mine_rating)} / {RATING_MAX})"
                if mine_rating is not None
                else ""
            )
            items.append(f"{given.prompt}: they rate themselves {rated(given.rating)}{ours_text}")
        if given.comment and fresh(rep.RATINGS, given.question_id, "comment", given.comment):
            items.append(f"{given.prompt}, their comment: {_quote(given.comment)}")
    if returned.assessment and stored.get(rep.ASSESSMENT) != returned.assessment:
        changes += 1
        items.append(f"Their view of the quarter: {_quote(returned.assessment)}")
    elif returned.assessment:
        unchanged += 1
    section("Their self-assessment:", items)

    items = [
        f"{_quote(c.concern)}: {_quote(c.answer)}"
        for c in returned.concerns
        if c.answer and fresh(rep.CONCERNS, c.concern, "answer", c.answer)
    ]
    section(f"Their answers to our concerns from {returned.concerns_period}:", items)

    statuses = _our_actions(playbook, run)
    items = []
    for action in returned.actions:
        key = name_key(action.action)
        mine_status = statuses.get(key, action.status) or "no status"
        same = name_key(action.their_status) == name_key(mine_status)  # left as we sent it
        if (
            action.their_status
            and not same
            and fresh(rep.ACTIONS, action.action, "status", action.their_status)
        ):
            items.append(f"{action.action}: ours {mine_status}, theirs {action.their_status}")
        if action.comment and fresh(rep.ACTIONS, action.action, "comment", action.comment):
            items.append(f"{action.action}, their comment: {_quote(action.comment)}")
    section("Action items:", items)

    if returned.ignored:
        shown = ", ".join(returned.ignored[:8]) + (" …" if len(returned.ignored) > 8 else "")
        lines.append(f"Not read, as outside the cells for their answers: {shown}")
    return lines, changes, unchanged


def preview_pack(
    services: Services,
    path: str | Path,
    *,
    vendor_id: str | None = None,
    period: str | None = None,
) -> PackPreview:
    """Read a filled-in pack and say what importing it would change; nothing is saved.

    Refused, with the reason in one line: a pack for a vendor this store does not have, or
    for another vendor than ``vendor_id`` or another period than ``period`` when given.
    """
    from outsource_tui.store import UnknownVendor

    returned = read_pack(path, services.library)
    shown = str(path)
    store = services.store
    try:
        vendor = store.get_vendor(returned.vendor_id)
    except UnknownVendor:
        raise UserError(
            f"{shown}: this pack is for {returned.vendor_name}, a vendor this store does not "
            "have; nothing was saved"
        ) from None
    if vendor_id is not None and vendor_id != vendor.id:
        expected = store.get_vendor(vendor_id)
        raise UserError(
            f"{shown}: this pack is for {returned.vendor_name}, not {expected.name}; "
            "nothing was saved"
        )
    if period is not None and period.strip().upper() != returned.period:
        raise UserError(
            f"{shown}: this pack is for {returned.period}, not {period.strip().upper()}; "
            "nothing was saved"
        )
    playbook = services.library.get(returned.playbook_id)
    if playbook is None or not playbook.fed_tables("kpi-actuals"):
        raise UserError(
            f"{shown}: made for the playbook '{returned.playbook_id}', which is not loaded"
        )
    portfolio = services.portfolio()
    run = portfolio.review_runs(portfolio.runs_of(vendor.id), playbook).get(returned.period)
    stored = run.reported if run is not None else {}
    lines, changes, unchanged = _diff(returned, playbook, run, stored)
    given = returned.reported(datetime.now(UTC).isoformat(timespec="seconds"))
    return PackPreview(returned, vendor, playbook, run, given, tuple(lines), changes, unchanged)


@dataclass(frozen=True)
class SavedPack:
    """A pack imported into its review run."""

    run: Run
    opening: Opening
    changes: int


def save_pack(services: Services, preview: PackPreview) -> SavedPack:
    """Keep the partner's values in the period's review run, opened (or started) as the app
    would open it; our own answers are never touched."""
    opened = services.runs().open(preview.vendor.id, preview.playbook, preview.returned.period)
    services.store.save_reported(preview.vendor.id, opened.run.id, preview.given)
    run = services.store.get_run(preview.vendor.id, opened.run.id)
    return SavedPack(run, opened.opening, preview.changes)


# -- what the review screen shows beside our answers ---------------------------------------


def _kpi_lines(
    playbook: Playbook, run: Run, targets: Sequence[KpiTarget], source: str
) -> list[str]:
    units = {name_key(t.kpi): t.unit for t in targets}
    ours = kpi_actuals(playbook, run)
    items = []
    for key, entry in rep.entries(run.reported, rep.KPIS).items():
        unit = units.get(key, "")
        actual = entry.get("actual")
        if isinstance(actual, int | float) and not isinstance(actual, bool):
            mine = ours.get(key)
            beside = "none of ours" if mine is None else f"ours {_with_unit(mine, unit)}"
            items.append(f"  {entry['kpi']}: theirs {_with_unit(actual, unit)} · {beside}")
        if entry.get("comment"):
            items.append(f"    {_quote(str(entry['comment']))}")
    return [f"The partner's figures ({source}):", *items] if items else []


def _rating_lines(run: Run, scored: Sequence[Question]) -> list[str]:
    given = rep.entries(run.reported, rep.RATINGS)
    items = []
    for question in scored:
        entry = given.get(name_key(question.id))
        if entry is None:
            continue
        rating = entry.get("rating")
        items.append(
            f"  {question.prompt}: {rated(rating) if isinstance(rating, int) else 'no rating'}"
        )
        if entry.get("comment"):
            items.append(f"    {_quote(str(entry['comment']))}")
    return ["How the partner rates itself:", *items] if items else []


def _view_lines(run: Run) -> list[str]:
    items = []
    view = run.reported.get(rep.ASSESSMENT)
    if view:
        items.append(f"  Their view of the quarter: {_quote(str(view))}")
    for entry in rep.entries(run.reported, rep.CONCERNS).values():
        items.append(f"  {_quote(entry['concern'])}: {_quote(str(entry.get('answer', '')))}")
    return ["The partner's view, and answers to our last concerns:", *items] if items else []


def _action_lines(playbook: Playbook, run: Run) -> list[str]:
    ours = _our_actions(playbook, run)
    items = []
    for key, entry in rep.entries(run.reported, rep.ACTIONS).items():
        theirs = str(entry.get("status") or "")
        mine = ours.get(key, "")
        status = (f"theirs {theirs}" + (f" · ours {mine}" if mine else "")) if theirs else ""
        comment = f" {_quote(str(entry['comment']))}" if entry.get("comment") else ""
        items.append(f"  {entry['action']}: {status}{comment}".rstrip())
    return ["The partner on its action items:", *items] if items else []


def reported_lines(
    playbook: Playbook, step: Step, run: Run, targets: Sequence[KpiTarget] = ()
) -> list[str]:
    """What the partner reported that bears on one step of a review, theirs beside ours:
    headings flush left, the values under them indented. Empty when they reported nothing."""
    if not run.reported:
        return []
    fed = {q.feeds for q in step.questions}
    when = str(run.reported.get("imported_at", ""))[:10]
    source = f"from their review pack, read {when}" if when else "from their review pack"
    lines: list[str] = []
    if "kpi-actuals" in fed:
        lines += _kpi_lines(playbook, run, targets, source)
    scored = [q for q in step.questions if q.scored]
    if scored:
        lines += _rating_lines(run, scored)
    if any(q.id == CONCERNS_QUESTION for q in step.questions):
        lines += _view_lines(run)
    if "action-items" in fed:
        lines += _action_lines(playbook, run)
    return lines
