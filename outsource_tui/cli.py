"""The command line: a bare ``outsource-tui`` launches the app; subcommands do the rest.

Textual is imported only on the path that launches the app, so subcommands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from outsource_tui import __version__
from outsource_tui.domain.settings import Settings, load_settings
from outsource_tui.domain.vendor import FieldError, VendorDraft, VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.paths import resolve_data_dir, user_playbook_dir
from outsource_tui.services import Clock, Services
from outsource_tui.store import Store

if TYPE_CHECKING:
    from outsource_tui.domain.library import Library
    from outsource_tui.domain.playbook import Playbook
    from outsource_tui.domain.vendor import Vendor
    from outsource_tui.services.portfolio import Portfolio
    from outsource_tui.services.runs import RunService
    from outsource_tui.services.sync import ConflictView

PROG = "outsource-tui"
MAX_WITHIN_DAYS = 36_500
DEBUG_ENV = "OUTSOURCE_TUI_DEBUG"


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line plus the usage, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _common(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # Given after a subcommand, these must not reset what was given before it: subparsers
    # leave them unset unless they appear, and --playbooks collects into its own list.
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS if sub else None,
        help="where the store lives (default: $OUTSOURCE_TUI_DATA_DIR, else the user data dir)",
    )
    parser.add_argument(
        "--playbooks",
        metavar="DIR",
        action="append",
        dest="sub_playbooks" if sub else "playbooks",
        default=argparse.SUPPRESS if sub else [],
        help="also load playbooks from DIR (may be given more than once)",
    )


def _reviewer_name(text: str) -> str:
    """``--as NAME``: a reviewer's name, checked as ``[me] name`` is."""
    from outsource_tui.domain.reviewers import check_name
    from outsource_tui.errors import ValidationError

    try:
        return check_name(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _reviewer_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # Where ratings are given. As with _common, given after a subcommand it must not reset
    # what was given before it.
    parser.add_argument(
        "--as",
        metavar="NAME",
        dest="reviewer",
        type=_reviewer_name,
        default=argparse.SUPPRESS if sub else None,
        help="rate as this reviewer: each reviewer's ratings are kept apart and the scorecard "
        "takes their median (default: [me] name in settings.toml)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog=PROG,
        description="Run outsourcing relationships with guided playbooks. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _common(parser, sub=False)
    _reviewer_option(parser, sub=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    vendor = commands.add_parser("vendor", help="add, list and import vendors")
    vendor_commands = vendor.add_subparsers(dest="vendor_command", metavar="ACTION")
    vendor_commands.required = True
    add = vendor_commands.add_parser("add", help="add a vendor")
    add.add_argument("name", help="the vendor's name (unique, case does not count)")
    add.add_argument("--service", default="", help="what is outsourced to them")
    statuses = ", ".join(s.value for s in VendorStatus)
    add.add_argument("--status", default="active", help=f"one of: {statuses}")
    add.add_argument("--timezone", default="", help="IANA time zone, such as Asia/Manila")
    add.add_argument("--contract-start", default="", metavar="YYYY-MM-DD")
    add.add_argument("--contract-end", default="", metavar="YYYY-MM-DD")
    add.add_argument("--contact", default="", help="primary contact")
    _common(add)
    contract = vendor_commands.add_parser(
        "contract", help="set a vendor's contract terms (renewal, notice, lead time)"
    )
    contract.add_argument("name", help="the vendor's name")
    contract.add_argument("--start", default=None, metavar="YYYY-MM-DD", help="contract start")
    contract.add_argument("--months", type=int, required=True, help="initial term in months")
    contract.add_argument("--renewal", choices=["none", "automatic", "manual"], default="automatic")
    contract.add_argument("--renewal-months", type=int, default=12, help="each renewal's length")
    contract.add_argument("--notice-days", type=int, default=0, help="notice period in days")
    contract.add_argument(
        "--window-earliest",
        type=int,
        default=None,
        metavar="DAYS",
        help="notice no earlier than DAYS before the end",
    )
    contract.add_argument(
        "--window-latest",
        type=int,
        default=None,
        metavar="DAYS",
        help="notice no later than DAYS before the end",
    )
    contract.add_argument(
        "--lead-days", type=int, default=30, help="how long you need to decide (default 30)"
    )
    _common(contract)
    listing = vendor_commands.add_parser("list", help="list vendors")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    _common(listing)
    vendor_import = vendor_commands.add_parser(
        "import",
        help="add and update vendors from a vendor list in a .csv or .xlsx file",
        description="Add the vendors of a list kept in a spreadsheet, and update the ones "
        "already in the store (matched by name, whatever the case). Every row is checked as "
        "'vendor add' checks it; any problem and nothing is imported. A blank cell keeps what "
        "is stored. Exits 1 when a row has a problem, even with --skip-bad.",
    )
    vendor_import.add_argument("file", metavar="FILE", help="the vendor list: .csv or .xlsx")
    vendor_import.add_argument(
        "--sheet", default=None, metavar="NAME", help="the sheet of a workbook (default: the first)"
    )
    vendor_import.add_argument(
        "--dry-run", action="store_true", help="show what would change, and write nothing"
    )
    vendor_import.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows and list the bad ones (without it, nothing is imported "
        "until every row is good)",
    )
    _common(vendor_import)

    playbook = commands.add_parser("playbook", help="list and check playbooks")
    playbook_commands = playbook.add_subparsers(dest="playbook_command", metavar="ACTION")
    playbook_commands.required = True
    plist = playbook_commands.add_parser("list", help="list the playbooks on offer")
    plist.add_argument("--json", action="store_true", help="print a JSON array")
    _common(plist)
    check = playbook_commands.add_parser(
        "check", help="check playbook files (or directories of them) for mistakes"
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    _common(check)
    due = commands.add_parser("due", help="what needs a decision or action, by date")
    due.add_argument(
        "--within",
        default="30d",
        metavar="Nd",
        help="how far ahead to look, such as 30d or 8w (default 30d)",
    )
    due.add_argument("--json", action="store_true", help="print a JSON array")
    due.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="pretend it is this day")
    _common(due)

    cal = commands.add_parser("calendar", help="write what is due as an iCalendar (.ics) file")
    cal.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.ics",
        help="where to write (- for the terminal)",
    )
    cal.add_argument("--within", default="365d", metavar="Nd", help="how far ahead (default 365d)")
    cal.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="pretend it is this day")
    _common(cal)

    run = commands.add_parser(
        "run", help="walk a playbook as plain line-by-line prompts (SSH, scripts, screen readers)"
    )
    run.add_argument("playbook", help="the playbook id, such as quarterly-review")
    run.add_argument("--vendor", required=True, help="the vendor's name")
    run.add_argument("--period", default=None, help="review period, such as 2026-Q4")
    run.add_argument(
        "--again",
        action="store_true",
        help="start a finished one-off playbook afresh (without it, a finished run is reopened)",
    )
    _common(run)
    _reviewer_option(run)

    abandon = commands.add_parser(
        "abandon",
        help="give up a vendor's latest run of a playbook (kept on disk, counted nowhere)",
    )
    abandon.add_argument("playbook", help="the playbook id, such as onboarding")
    abandon.add_argument("--vendor", required=True, help="the vendor's name")
    abandon.add_argument("--period", default=None, help="review period, such as 2026-Q4")
    abandon.add_argument(
        "--finished",
        action="store_true",
        help="abandon the run even though it was completed (its scorecard goes with it)",
    )
    _common(abandon)

    report = commands.add_parser("report", help="a vendor report: Markdown, HTML, JSON or CSV")
    report.add_argument("vendor", nargs="?", help="the vendor's name (or --all)")
    report.add_argument(
        "--all",
        action="store_true",
        help="every vendor: csv (every review) or html (spend against performance)",
    )
    report.add_argument("--period", default=None, help="review period, such as 2026-Q3")
    report.add_argument("--format", choices=["md", "html", "json", "csv"], default="md")
    report.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="write to FILE (- to print)"
    )
    _common(report)

    scorecard = commands.add_parser("scorecard", help="a vendor's scorecard in the terminal")
    scorecard.add_argument("vendor", help="the vendor's name")
    scorecard.add_argument("--period", default=None, help="review period, such as 2026-Q3")
    scorecard.add_argument("--json", action="store_true", help="print JSON")
    _common(scorecard)

    smart = commands.add_parser("smart", help="check a goal statement against SMART")
    smart.add_argument("goal", help="the goal, in quotes")
    smart.add_argument("--json", action="store_true", help="print a JSON object")
    _common(smart)

    backup = commands.add_parser("backup", help="copy the whole store into a dated backup folder")
    _common(backup)

    answers = commands.add_parser(
        "answers", help="answers as TOML files: a playbook's template, import and export"
    )
    answers_commands = answers.add_subparsers(dest="answers_command", metavar="ACTION")
    answers_commands.required = True
    template = answers_commands.add_parser(
        "template", help="print a TOML skeleton of every question of a playbook"
    )
    template.add_argument("playbook", help="the playbook id, such as sla-kpis")
    _common(template)
    answers_import = answers_commands.add_parser(
        "import",
        help="check every answer in a TOML file and save them into the run the app would open",
    )
    answers_import.add_argument("vendor", help="the vendor's name")
    answers_import.add_argument("playbook", help="the playbook id, such as sla-kpis")
    answers_import.add_argument("file", metavar="FILE", help="the TOML file (- reads stdin)")
    answers_import.add_argument("--period", default=None, help="review period, such as 2026-Q4")
    answers_import.add_argument(
        "--complete",
        action="store_true",
        help="then complete the run, if every required question is answered",
    )
    answers_import.add_argument(
        "--ahead",
        action="store_true",
        help="allow a review of a period that has not begun yet",
    )
    _common(answers_import)
    _reviewer_option(answers_import)
    answers_export = answers_commands.add_parser(
        "export", help="write a run's answers as TOML, in the template's format"
    )
    answers_export.add_argument("vendor", help="the vendor's name")
    answers_export.add_argument("playbook", help="the playbook id, such as sla-kpis")
    answers_export.add_argument("--period", default=None, help="review period, such as 2026-Q4")
    answers_export.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="write to FILE (- to print)"
    )
    _common(answers_export)

    pack = commands.add_parser(
        "pack",
        help="the review pack: a workbook the partner fills in before a review, read back in",
    )
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="ACTION")
    pack_commands.required = True
    pack_export = pack_commands.add_parser(
        "export",
        help="write a vendor's review pack (.xlsx): KPIs, self-assessment, their action items",
    )
    pack_export.add_argument("vendor", help="the vendor's name")
    pack_export.add_argument(
        "--period", default=None, help="review period, such as 2026-Q3 (default: the next review's)"
    )
    pack_export.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE.xlsx",
        help="where to write (default: <data dir>/packs/VENDOR-PERIOD.xlsx)",
    )
    _common(pack_export)
    pack_import = pack_commands.add_parser(
        "import",
        help="show what a filled-in pack would change; save it as the partner's with --yes",
    )
    pack_import.add_argument("file", metavar="FILE.xlsx", help="the pack the partner sent back")
    pack_import.add_argument(
        "--yes", action="store_true", help="save without asking (without it, a terminal asks)"
    )
    pack_import.add_argument(
        "--vendor", default=None, help="refuse the pack unless it is for this vendor"
    )
    pack_import.add_argument(
        "--period", default=None, help="refuse the pack unless it is for this review period"
    )
    _common(pack_import)

    demo = commands.add_parser(
        "demo", help="write a sample portfolio into an empty data directory, for a first look"
    )
    demo.add_argument("--vendors", type=int, default=12, help="how many vendors (default 12)")
    demo.add_argument("--years", type=int, default=2, help="years of history (default 2)")
    demo.add_argument("--seed", type=int, default=7, help="the same seed gives the same data")
    _common(demo)

    sync = commands.add_parser(
        "sync",
        help="share the portfolio through git: commit what changed here, take in what "
        "others sent, send",
        description="Commit what changed here, take in what others sent and send the "
        "result, through the git repository the data directory shares. Two people's changes "
        "are merged record by record; a value both changed is shown with both sides for you "
        "to choose, and nothing is sent until you have.",
    )
    sync.add_argument(
        "--init",
        metavar="URL",
        default=None,
        help="share this data directory through the git repository at URL, or (into an "
        "empty data directory) take the portfolio kept there",
    )
    sync.add_argument(
        "--take",
        metavar="[N=]mine|theirs",
        action="append",
        type=_take,
        default=[],
        help="settle conflict N (or every conflict) with your value or theirs; "
        "may be given more than once",
    )
    _common(sync)
    return parser


def _take(text: str) -> tuple[int | None, str]:
    """``--take mine``, ``--take 2=theirs``: which conflict, and which side."""
    number, _, side = text.rpartition("=")
    side = side.strip().lower()
    if side not in ("mine", "theirs") or (number and not number.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"write mine, theirs, or N=mine or N=theirs: {text!r}")
    return (int(number) if number else None, side)


def _data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(args.data_dir)


def _playbook_dirs(args: argparse.Namespace) -> list[Path]:
    """The user's playbook directories: the data dir's, then each --playbooks in turn."""
    extra = [Path(p) for p in [*args.playbooks, *getattr(args, "sub_playbooks", [])]]
    for directory in extra:
        if not directory.is_dir():
            raise UserError(f"--playbooks {directory}: not a directory of playbook files")
    return [user_playbook_dir(_data_dir(args)), *extra]


def _library(args: argparse.Namespace) -> Library:
    from outsource_tui.domain.library import load_library

    return load_library(_playbook_dirs(args))


def _cells(text: str) -> int:
    """How many terminal columns ``text`` takes: wide characters (most emoji, CJK) two,
    combining marks and zero-width characters none."""
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def _print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(_cells(h), *(_cells(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def cmd_vendor_add(args: argparse.Namespace) -> int:
    store = Store(_data_dir(args))
    draft = VendorDraft(
        name=args.name,
        service=args.service,
        status=args.status,
        timezone=args.timezone,
        contract_start=args.contract_start,
        contract_end=args.contract_end,
        contact=args.contact,
    )
    try:
        vendor = store.add_vendor(draft)
    except FieldError as exc:
        flag = "name" if exc.field == "name" else "--" + exc.field.replace("_", "-")
        raise UserError(f"{flag}: {exc}") from None
    print(f"Added vendor {vendor.name} ({vendor.status}).")
    return 0


def cmd_vendor_list(args: argparse.Namespace) -> int:
    vendors = Store(_data_dir(args)).list_vendors()
    if args.json:
        print(json.dumps([v.to_dict() for v in vendors], indent=2, ensure_ascii=False))
        return 0
    if not vendors:
        print(f"No vendors yet. Add one with: {PROG} vendor add NAME")
        return 0
    from outsource_tui.domain.vendor import contract_clock

    today = _clock(args).today()

    def ends(vendor: Vendor) -> str:
        # The day the contract ends as things stand, as the contract clock and due say it:
        # after notice its last day, else the end of the current term.
        state = contract_clock(vendor, today)
        if state is None:
            return vendor.contract_end
        return (state.ends_on or state.term_end).isoformat()

    _print_table(
        [[v.name, v.service, v.status, v.timezone, ends(v)] for v in vendors],
        ["NAME", "SERVICE", "STATUS", "TIME ZONE", "TERM ENDS"],
    )
    return 0


def cmd_playbook_list(args: argparse.Namespace) -> int:
    library = _library(args)
    for problem in library.skipped:
        print(f"skipped {problem}", file=sys.stderr)
    items = [
        {
            "id": p.id,
            "title": p.title,
            "summary": p.summary,
            "cadence": p.cadence.value,
            "source": p.source,
            "path": str(p.path) if p.path else "",
            "steps": len(p.steps),
        }
        for p in library
    ]
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        _print_table(
            [[str(i[key]) for key in ("id", "title", "cadence", "source")] for i in items],
            ["ID", "TITLE", "CADENCE", "SOURCE"],
        )
    return 0


def cmd_playbook_check(args: argparse.Namespace) -> int:
    from outsource_tui.domain.library import playbook_files
    from outsource_tui.domain.parser import PlaybookError, Problem, parse_playbook_file

    problems: list[Problem] = []
    checked = 0
    for name in args.files:
        path = Path(name)
        files = playbook_files(path) if path.is_dir() else [path]
        if path.is_dir() and not files:
            problems.append(Problem(name, 0, "no playbook files (*.md) in this directory"))
        for file in files:
            checked += 1
            try:
                playbook = parse_playbook_file(file, source="user")
            except PlaybookError as exc:
                problems.extend(exc.problems)
                continue
            print(
                f"{file}: ok ({playbook.id}: {len(playbook.steps)} steps, "
                f"{playbook.checklist_total} checklist items, {playbook.question_count} questions)"
            )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        files_with = len({p.path for p in problems})
        print(
            f"{len(problems)} problem(s) in {files_with} of {checked or files_with} file(s)",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_vendor_import(args: argparse.Namespace) -> int:
    from outsource_tui.services import vendor_import

    sheet = vendor_import.read_sheet(args.file, args.sheet)
    if sheet.note:
        print(sheet.note)
    services = _services(args)
    plan = vendor_import.plan_import(services, sheet)
    for line in vendor_import.column_lines(plan):
        print(line)
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    if not plan.rows:
        print(f"{sheet.label}: no vendors below the headings: nothing to import.")
        return 0
    if plan.problems and not args.skip_bad:
        good = plan.rows - plan.bad_rows
        other = f", or add --skip-bad to import the other {good}" if good else ""
        have = "has" if plan.bad_rows == 1 else "have"
        raise UserError(
            f"{sheet.label}: {plan.bad_rows} of {plan.rows} rows {have} problems, so nothing was "
            f"imported: fix {'it' if plan.bad_rows == 1 else 'them'}{other}"
        )
    if not args.dry_run:
        vendor_import.apply_import(services, plan)
    for line in vendor_import.entry_lines(plan):
        print(line)
    print(vendor_import.summary(plan, dry_run=args.dry_run))
    return 1 if plan.problems else 0


def cmd_vendor_contract(args: argparse.Namespace) -> int:
    store = Store(_data_dir(args))
    vendor = store.find_vendor(args.name)
    terms = {
        "initial_months": args.months,
        "renewal": args.renewal,
        "renewal_months": args.renewal_months,
        "notice_days": args.notice_days,
        "window_earliest_days": args.window_earliest,
        "window_latest_days": args.window_latest,
        "lead_days": args.lead_days,
    }
    start = args.start if args.start is not None else vendor.contract_start
    try:
        vendor = store.set_contract(vendor.id, start, terms)
    except FieldError as exc:
        raise UserError(f"contract: {exc}") from None
    print(f"Contract terms saved for {vendor.name}.")
    return 0


def _within(text: str) -> int:
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    value = text.strip().lower()
    days = None
    if value[-1:] in units and value[:-1].isdigit():
        days = int(value[:-1]) * units[value[-1]]
    elif value.isdigit():
        days = int(value)
    if days is None:
        raise UserError(f"--within {text}: write a span such as 30d, 8w or 6m")
    if days > MAX_WITHIN_DAYS:
        raise UserError(f"--within {text}: look at most 100 years ahead")
    return days


def _clock(args: argparse.Namespace) -> Clock:
    """The system's day, or the one given with --today."""
    from outsource_tui.domain.answers import parse_date

    given = getattr(args, "today", None)
    return Clock(parse_date(given) if given else None)


def _settings(args: argparse.Namespace) -> Settings:
    """The data directory's settings, with the reviewer ``--as`` names, if given."""
    settings = load_settings(_data_dir(args))
    reviewer = getattr(args, "reviewer", None)
    return replace(settings, reviewer=reviewer) if reviewer else settings


def _services(args: argparse.Namespace) -> Services:
    data_dir = _data_dir(args)
    return Services(Store(data_dir), _library(args), _settings(args), _clock(args))


def _portfolio(args: argparse.Namespace) -> Portfolio:
    return _services(args).portfolio()


def cmd_due(args: argparse.Namespace) -> int:
    portfolio = _portfolio(args)
    items = portfolio.due(_within(args.within))
    if args.json:
        print(json.dumps([i.to_dict() for i in items], indent=2, ensure_ascii=False))
        return _unreadable(portfolio)
    if not items:
        print(f"Nothing due in the next {args.within}.")
        return _unreadable(portfolio)
    _print_table(
        [
            [
                i.when.isoformat(),
                "OVERDUE" if i.overdue else f"in {(i.when - portfolio.today).days}d",
                i.vendor_name,
                i.kind,
                i.text,
            ]
            for i in items
        ],
        ["DATE", "WHEN", "VENDOR", "KIND", "WHAT"],
    )
    return _unreadable(portfolio)


def _unreadable(portfolio: Portfolio) -> int:
    """Name every vendor whose records could not be read (the rest were listed); 1 if any."""
    for problem in portfolio.problems.values():
        print(f"{PROG}: error: {problem}", file=sys.stderr)
    return 1 if portfolio.problems else 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from outsource_tui.reports.calendar_ics import to_ics
    from outsource_tui.store.atomic import write_text_atomic

    portfolio = _portfolio(args)
    items = portfolio.due(_within(args.within))
    calendar = to_ics(items, portfolio.today)
    if args.output == "-":
        sys.stdout.write(calendar)
        return _unreadable(portfolio)
    target = _output(args.output)
    write_text_atomic(target, calendar, make_parents=False)
    print(f"Wrote {len(items)} events to {target}.")
    return _unreadable(portfolio)


def _output(output: str) -> Path:
    """The file ``-o`` names; an empty name is refused."""
    if not output.strip():
        raise UserError("-o needs a file name (or - for the terminal)")
    return Path(output)


def _emit(text: str, output: str | None, what: str) -> None:
    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from outsource_tui.store.atomic import write_text_atomic

    write_text_atomic(_output(output), text, make_parents=False)
    print(f"Wrote {what} to {output}.", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from outsource_tui.prompts import run_plain

    store = Store(_data_dir(args))
    store.check()
    return run_plain(
        store,
        _library(args),
        args.vendor,
        args.playbook,
        period=args.period,
        again=args.again,
        settings=_settings(args),
    )


def cmd_abandon(args: argparse.Namespace) -> int:
    from outsource_tui.domain.playbook import Cadence
    from outsource_tui.prompts.plain import find_playbook

    services = _services(args)
    services.store.check()
    vendor = services.store.find_vendor(args.vendor)
    playbook = find_playbook(services.library, args.playbook)
    runs = services.runs()
    if playbook.cadence is not Cadence.ONCE and not args.period:
        raise UserError(f"--period: name the review period of the {playbook.id} run to abandon")
    period = runs.period_for(vendor.id, playbook, args.period) if args.period else ""
    latest = runs.latest(vendor.id, playbook, period)
    if latest is not None and latest.completed and not args.finished:
        raise UserError(
            f"{playbook.id} {period} was completed on {latest.completed_at[:10]}; abandoning it "
            "takes its answers out of every count (and a review's scorecard with them): add "
            "--finished to do so"
        )
    run = runs.abandon(vendor.id, playbook, period)
    what = f"{playbook.title} {run.period}".strip()
    print(f"Abandoned {what} for {vendor.name} (started {run.started_at[:10]}); kept on disk.")
    return 0


def _answers_period(
    runs: RunService, vendor_id: str, playbook: Playbook, period: str | None
) -> str:
    """The period the run covers, with the same words as ``run`` when it does not fit."""
    from outsource_tui.domain.playbook import Cadence

    try:
        return runs.period_for(vendor_id, playbook, period)
    except UserError as exc:
        if playbook.cadence is Cadence.ONCE:
            raise UserError(f"--period: {exc}; leave --period out") from None
        raise UserError(f"--period: {exc}") from None


def _answers_target(args: argparse.Namespace) -> tuple[Services, RunService, Vendor, Playbook, str]:
    """The services, vendor, playbook and period an ``answers`` command works on."""
    from outsource_tui.prompts.plain import find_playbook

    services = _services(args)
    services.store.check()
    vendor = services.store.find_vendor(args.vendor)
    playbook = find_playbook(services.library, args.playbook)
    runs = services.runs()
    return services, runs, vendor, playbook, _answers_period(runs, vendor.id, playbook, args.period)


def cmd_answers_template(args: argparse.Namespace) -> int:
    from outsource_tui.prompts.plain import find_playbook
    from outsource_tui.services.answers_file import template_text

    sys.stdout.write(template_text(find_playbook(_library(args), args.playbook)))
    return 0


def cmd_answers_import(args: argparse.Namespace) -> int:
    from outsource_tui.domain.run import progress
    from outsource_tui.services import answers_file
    from outsource_tui.services.runs import Opening

    services, runs, vendor, playbook, period = _answers_target(args)
    current = runs.future_period(playbook, period)
    if current is not None and not args.ahead:
        # As the app and the plain mode ask first, a script says so with --ahead.
        raise UserError(
            f"--period {period} has not begun yet (this is {current}); add --ahead to "
            "import into it anyway"
        )
    text = answers_file.read_text(args.file)
    try:
        parsed = answers_file.read_answers(text, playbook, args.file)
        if not parsed.answers:
            print(f"{args.file}: no answers to import; nothing saved.")
            if args.complete:
                raise UserError("--complete: nothing was imported, so nothing was completed")
            return 0
        done = answers_file.import_answers(
            services, runs, vendor.id, playbook, period, parsed, args.file
        )
    except answers_file.AnswersFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    how = {
        Opening.STARTED: "run started",
        Opening.RESUMED: "run resumed",
        Opening.FINISHED: "finished run reopened for edits",
    }[done.opening]
    what = f"{playbook.id} {period}".strip()
    plural = "" if len(done.saved) == 1 else "s"
    unchanged = f"; {done.unchanged} unchanged" if done.unchanged else ""
    print(f"saved {len(done.saved)} answer{plural} to {what} for {vendor.name} ({how}){unchanged}")
    if not args.complete:
        return 0
    outcome = runs.complete(playbook, done.run.id, vendor.id)
    if outcome.missing is not None:
        blanks = [
            f"{qid} (step {index}: {playbook.questions_by_id[qid].prompt})"
            for index, row in enumerate(progress(playbook, outcome.run).steps, start=1)
            for qid in row.missing_required
        ]
        raise UserError(f"not completed: required answers are missing: {'; '.join(blanks)}")
    score = ""
    snapshot = outcome.snapshot
    if snapshot is not None and snapshot.get("overall") is not None:
        score = f", score {round(snapshot['overall'])}/100 ({snapshot.get('status')})"
    print(f"completed {what} for {vendor.name}{score}")
    return 0


def cmd_answers_export(args: argparse.Namespace) -> int:
    from outsource_tui.services.answers_file import export_text, run_to_export

    services, runs, vendor, playbook, period = _answers_target(args)
    run = run_to_export(runs, vendor.id, playbook, period)
    if run is None:
        what = f"{playbook.id} {period}".strip()
        hint = " (name another with --period)" if period else ""
        raise UserError(f"{vendor.name} has no run of {what} yet{hint}")
    text = export_text(
        playbook, runs.shown_answers(playbook, run), vendor=vendor.name, period=period
    )
    _emit(text, args.output, "the answers")
    return 0


def cmd_pack_export(args: argparse.Namespace) -> int:
    from outsource_tui.services import pack

    services = _services(args)
    services.store.check()
    vendor = services.store.find_vendor(args.vendor)
    path = None
    if args.output is not None:
        if args.output.strip() == "-":
            raise UserError("-o -: a workbook cannot be printed; name a .xlsx file")
        path = _output(args.output)
    try:
        period = pack.pack_period(services, vendor.id, args.period)
    except UserError as exc:
        raise UserError(f"--period: {exc}") from None
    exported = pack.export_pack(services, vendor.id, period, path)
    print(f"Wrote the review pack for {exported.summary()} to {exported.path}.")
    print(f"Send it to the partner; read it back with: {PROG} pack import FILE.xlsx")
    return 0


def cmd_pack_import(args: argparse.Namespace) -> int:
    from outsource_tui.domain.periods import check_period
    from outsource_tui.errors import ValidationError
    from outsource_tui.services import pack
    from outsource_tui.services.runs import Opening

    services = _services(args)
    services.store.check()
    vendor_id = services.store.find_vendor(args.vendor).id if args.vendor else None
    period = None
    if args.period is not None:
        try:
            period = check_period(args.period)
        except ValidationError as exc:
            raise UserError(f"--period: {exc}") from None
    try:
        preview = pack.preview_pack(services, args.file, vendor_id=vendor_id, period=period)
    except pack.PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"{args.file}: the partner's figures for {preview.where}")
    for line in preview.lines:
        print(line)
    if preview.nothing:
        print(f"{preview.nothing}; nothing saved.")
        return 0
    values = f"{preview.changes} value{'' if preview.changes == 1 else 's'}"
    if not args.yes:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            print("Nothing saved yet: add --yes to save them.")
            return 0
        try:
            answer = input(f"Save these {values} as reported by {preview.vendor.name}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing saved.")
            return 0
    saved = pack.save_pack(services, preview)
    how = {
        Opening.STARTED: "review started",
        Opening.RESUMED: "review in progress",
        Opening.FINISHED: "a completed review",
    }[saved.opening]
    what = f"{preview.playbook.id} {preview.returned.period}"
    print(
        f"Saved {values} reported by {preview.vendor.name} into {what} ({how}); "
        "our own answers are as they were."
    )
    if saved.run.completed:
        print(
            "Its kept scorecard changes once the review is completed again: "
            f'{PROG} run {preview.playbook.id} --vendor "{preview.vendor.name}" '
            f"--period {preview.returned.period}, or e on its summary in the app."
        )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from outsource_tui import reports

    portfolio = _portfolio(args)
    store = portfolio.store
    if args.all or args.vendor is None:
        if args.format not in PORTFOLIO_FORMATS or not args.all:
            raise UserError(REPORT_TARGET)
        if args.format == "html":  # spend against performance, every active vendor
            _emit(reports.portfolio_html(portfolio), args.output, "the portfolio page")
        else:
            _emit(reports.portfolio_csv(portfolio), args.output, "the CSV")
        return _unreadable(portfolio)  # the other vendors are in the CSV or on the page
    vendor = store.find_vendor(args.vendor)
    if args.format == "csv":
        text = reports.portfolio_csv(portfolio, [vendor.id])
    elif args.format == "html":
        text = reports.vendor_html(portfolio, vendor.id, args.period)
    else:
        report = reports.vendor_report(portfolio, vendor.id, period=args.period)
        render = {"md": reports.to_markdown, "json": reports.to_json}
        text = render[args.format](report)
    _emit(text, args.output, f"the {args.format} report")
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from outsource_tui.domain.answers import format_number
    from outsource_tui.domain.labels import (
        actual_text,
        attainment_text,
        credit_lines,
        rated,
        status_word,
    )
    from outsource_tui.domain.periods import check_period

    portfolio = _portfolio(args)
    vendor = portfolio.store.find_vendor(args.vendor)
    runs = portfolio.store.runs(vendor.id)
    trend = portfolio.trend(runs)
    if args.period:
        period = check_period(args.period)
    elif trend:
        period = trend[-1][0]
    else:
        reviews = portfolio.review_playbooks()
        if not reviews:
            raise UserError("no review playbook is loaded")
        period = portfolio.default_period(reviews[0], runs)
    card = portfolio.scorecard(vendor.id, period, runs)
    if card is None:
        raise UserError("no review playbook is loaded")
    if args.json:
        print(json.dumps({"vendor": vendor.name, **card.to_dict()}, indent=2, ensure_ascii=False))
        return 0
    overall = "—" if card.overall is None else f"{card.overall:.0f}/100"
    print(f"{vendor.name} · {period} · {overall} · {status_word(card.status)}")
    rows = []
    for line in card.kpis:
        unit = f" {line.target.unit}" if line.target.unit else ""
        rows.append(
            [
                line.target.kpi,
                format_number(line.target.target) + unit,
                actual_text(line),
                attainment_text(line.attainment),
                status_word(line.status),
            ]
        )
    if rows:
        _print_table(rows, ["KPI", "TARGET", "ACTUAL", "ATTAINMENT", "STATUS"])
    from outsource_tui.domain.reviewers import median_text

    for rating in card.ratings:
        several = median_text(rating)  # several reviewers: count, spread, who gave what
        print(
            f"  {rating.prompt}: {rated(rating.rating)} (weight {format_number(rating.weight)})"
            + (f"; {several}" if several else "")
        )
    for _, said in credit_lines(card):
        print(said)
    for note in card.notes:
        print(note)
    return 0


def cmd_smart(args: argparse.Namespace) -> int:
    from outsource_tui.domain.labels import SMART_WORD
    from outsource_tui.domain.smart import analyse_goal

    report = analyse_goal(args.goal, today=_clock(args).today())
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    for name, criterion in report.items():
        label = "time-bound" if name == "time_bound" else name
        print(f"{label:<11} {SMART_WORD[criterion.ok]:<9} {criterion.why}")
        if criterion.suggestion:
            print(f"{'':<21} -> {criterion.suggestion}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    store = Store(_data_dir(args))
    store.check()
    print(f"Backed up to {store.backup()}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from outsource_tui.services.demo import write_demo

    data_dir = _data_dir(args)
    count = write_demo(
        Store(data_dir),
        _library(args),
        vendors=args.vendors,
        years=args.years,
        seed=args.seed,
        today=_clock(args).today(),
    )
    print(f"Wrote a sample portfolio of {count} vendors to {data_dir}.")
    print(f"Open it with: {PROG} --data-dir {data_dir}")
    return 0


def _ask_conflict(view: ConflictView) -> str | None:
    """Show one conflict with both values and ask which to keep; None to decide later."""
    print(f"\nConflict {view.number}: {view.label}")
    print(f"  mine   ({view.mine_by}): {view.mine}")
    print(f"  theirs ({view.theirs_by}): {view.theirs}")
    while True:
        try:
            reply = input("Keep [m]ine or [t]heirs? (l: decide later) ").strip().lower()
        except EOFError:
            print()
            return None
        if reply in ("m", "mine"):
            return "mine"
        if reply in ("t", "theirs"):
            return "theirs"
        if reply in ("l", "later"):
            return None


def cmd_sync(args: argparse.Namespace) -> int:
    from outsource_tui.services.sync import Sharing

    data_dir = _data_dir(args)
    sharing = Sharing(data_dir, library=lambda: _library(args))
    takes: dict[int | None, str] = dict(args.take)
    numbers = sorted(n for n in takes if n is not None)
    if takes:
        waiting = sorted(view.number for view in sharing.pending())
        unknown = [n for n in numbers if n not in waiting]
        if unknown:
            listed = ", ".join(map(str, waiting)) if waiting else "none"
            raise UserError(f"--take {unknown[0]}: no conflict {unknown[0]} is waiting ({listed})")
        if not waiting:
            raise UserError("nothing to settle: no conflict is waiting")
    ask = sys.stdin.isatty()

    def choose(view: ConflictView) -> str | None:
        if view.number in takes:
            return takes[view.number]
        if None in takes:
            return takes[None]
        return _ask_conflict(view) if ask else None

    report = sharing.init(args.init, choose) if args.init is not None else sharing.sync(choose)
    if report.joined:
        print(f"Took the shared portfolio from {report.remote} into {data_dir}.")
    elif args.init is not None:
        print(f"{data_dir} is shared through {report.remote}.")
    for subject in report.committed:
        print(f"Committed here: {subject}")
    if report.incoming:
        count = len(report.incoming)
        print(f"{count} change{'' if count == 1 else 's'} from others:")
        for change in report.incoming:
            print(f"  {change.subject} ({change.author})")
    for words in report.settled:
        print(f"Settled: {words}")
    for note in report.notes:
        print(note)
    if report.pending:
        count = len(report.pending)
        print(
            f"{PROG}: {count} conflict{'' if count == 1 else 's'} to settle; nothing is sent "
            "until then:",
            file=sys.stderr,
        )
        for view in report.pending:
            print(
                f"  {view.number}. {view.label}: mine {view.mine} ({view.mine_by}), "
                f"theirs {view.theirs} ({view.theirs_by})",
                file=sys.stderr,
            )
        print(
            f"Choose with {PROG} sync --take N=mine or --take N=theirs, or run {PROG} sync "
            "in a terminal to be asked.",
            file=sys.stderr,
        )
        return 1
    if report.sent:
        print(f"Sent {report.sent} change{'' if report.sent == 1 else 's'} to {report.remote}.")
    elif not (report.committed or report.incoming or report.settled):
        print(f"Up to date with {report.remote}.")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    store = Store(data_dir)
    store.check_index()  # a broken index stops here; vendor files are read after the first frame
    for directory in [*args.playbooks, *getattr(args, "sub_playbooks", [])]:
        if not Path(directory).is_dir():
            raise UserError(f"--playbooks {directory}: not a directory of playbook files")
    settings = _settings(args)
    playbook_dirs = _playbook_dirs(args)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError("the app needs a terminal; use a subcommand (see --help) in scripts")
    # The playbooks are parsed, and the vendor files read, after the first frame.
    import gc

    from outsource_tui.domain.library import load_library

    # No collection pauses before the first screen is up (it makes a great many objects and
    # frees few); the app freezes what start-up made and turns collection back on then.
    gc.disable()
    from outsource_tui.tui import lenient_input
    from outsource_tui.tui.app import OutsourceApp  # Textual loads only here

    lenient_input.install()

    services = Services(
        store, lambda: load_library(playbook_dirs), settings, _clock(args), playbook_dirs
    )
    app = OutsourceApp(services)
    app.run()
    if app.fatal_message:
        raise UserError(app.fatal_message)
    return app.return_code or 0


COMMANDS = {
    ("vendor", "add"): cmd_vendor_add,
    ("vendor", "list"): cmd_vendor_list,
    ("vendor", "contract"): cmd_vendor_contract,
    ("vendor", "import"): cmd_vendor_import,
    ("due", None): cmd_due,
    ("calendar", None): cmd_calendar,
    ("playbook", "list"): cmd_playbook_list,
    ("playbook", "check"): cmd_playbook_check,
    ("demo", None): cmd_demo,
    ("backup", None): cmd_backup,
    ("smart", None): cmd_smart,
    ("report", None): cmd_report,
    ("run", None): cmd_run,
    ("abandon", None): cmd_abandon,
    ("scorecard", None): cmd_scorecard,
    ("answers", "template"): cmd_answers_template,
    ("answers", "import"): cmd_answers_import,
    ("answers", "export"): cmd_answers_export,
    ("pack", "export"): cmd_pack_export,
    ("pack", "import"): cmd_pack_import,
    ("sync", None): cmd_sync,
}


# The whole portfolio comes as CSV (every review) or HTML (spend against performance).
PORTFOLIO_FORMATS = ("csv", "html")
REPORT_TARGET = "name a vendor, or use --all --format csv (or html) for the whole portfolio"


def _report_target_missing(args: argparse.Namespace) -> bool:
    """Whether ``report`` was given neither one vendor nor ``--all`` with csv or html."""
    if args.all:
        return args.format not in PORTFOLIO_FORMATS or args.vendor is not None
    return args.vendor is None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "report" and _report_target_missing(args):
        # A usage error, like argparse's own: the usage, one line, exit status 2.
        parser.print_usage(sys.stderr)
        print(f"{PROG} report: error: {REPORT_TARGET}", file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return cmd_app(args)
        action = getattr(args, f"{args.command}_command", None)
        return COMMANDS[(args.command, action)](args)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (say, head) stopped reading: nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: one line for the user, details on request
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"{PROG}: internal error: {exc.__class__.__name__}: {exc} "
            f"(set {DEBUG_ENV}=1 to see the details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
