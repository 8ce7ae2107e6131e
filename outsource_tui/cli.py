"""The command line: a bare ``outsource-tui`` launches the app; subcommands do the rest.

Textual is imported only on the path that launches the app, so subcommands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from outsource_tui import __version__
from outsource_tui.domain.library import Library, load_library, playbook_files
from outsource_tui.domain.parser import PlaybookError, Problem, parse_playbook_file
from outsource_tui.domain.settings import load_settings
from outsource_tui.domain.vendor import FieldError, VendorDraft, VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.paths import resolve_data_dir, user_playbook_dir
from outsource_tui.store import Store

PROG = "outsource-tui"
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


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog=PROG,
        description="Run outsourcing relationships with guided playbooks. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _common(parser, sub=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    vendor = commands.add_parser("vendor", help="add and list vendors")
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
    listing = vendor_commands.add_parser("list", help="list vendors")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    _common(listing)

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
    smart = commands.add_parser("smart", help="check a goal statement against SMART")
    smart.add_argument("goal", help="the goal, in quotes")
    smart.add_argument("--json", action="store_true", help="print a JSON object")
    _common(smart)

    backup = commands.add_parser("backup", help="copy the whole store into a dated backup folder")
    _common(backup)

    demo = commands.add_parser(
        "demo", help="write a sample portfolio into an empty data directory, for a first look"
    )
    demo.add_argument("--vendors", type=int, default=12, help="how many vendors (default 12)")
    demo.add_argument("--years", type=int, default=2, help="years of history (default 2)")
    demo.add_argument("--seed", type=int, default=7, help="the same seed gives the same data")
    _common(demo)
    return parser


def _data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(args.data_dir)


def _library(args: argparse.Namespace) -> Library:
    extra = [Path(p) for p in [*args.playbooks, *getattr(args, "sub_playbooks", [])]]
    for directory in extra:
        if not directory.is_dir():
            raise UserError(f"--playbooks {directory}: not a directory of playbook files")
    return load_library([user_playbook_dir(_data_dir(args)), *extra])


def _print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


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
    _print_table(
        [[v.name, v.service, v.status, v.timezone, v.contract_end] for v in vendors],
        ["NAME", "SERVICE", "STATUS", "TIME ZONE", "CONTRACT END"],
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
            [[i["id"], i["title"], i["cadence"], i["source"]] for i in items],
            ["ID", "TITLE", "CADENCE", "SOURCE"],
        )
    return 0


def cmd_playbook_check(args: argparse.Namespace) -> int:
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


def cmd_smart(args: argparse.Namespace) -> int:
    from outsource_tui.domain.periods import today
    from outsource_tui.domain.smart import analyse_goal

    report = analyse_goal(args.goal, today=today())
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    marks = {True: "yes", False: "NO", None: "you judge"}
    for name, criterion in report.items():
        label = "time-bound" if name == "time_bound" else name
        print(f"{label:<11} {marks[criterion.ok]:<9} {criterion.why}")
        if criterion.suggestion:
            print(f"{'':<21} -> {criterion.suggestion}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    store = Store(_data_dir(args))
    store.check()
    print(f"Backed up to {store.backup()}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from outsource_tui.demo import write_demo
    from outsource_tui.domain.periods import today

    data_dir = _data_dir(args)
    count = write_demo(
        Store(data_dir),
        _library(args),
        vendors=args.vendors,
        years=args.years,
        seed=args.seed,
        today=today(),
    )
    print(f"Wrote a sample portfolio of {count} vendors to {data_dir}.")
    print(f"Open it with: {PROG} --data-dir {data_dir}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    store = Store(data_dir)
    store.check()
    library = _library(args)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError("the app needs a terminal; use a subcommand (see --help) in scripts")
    from outsource_tui.tui.app import OutsourceApp  # Textual loads only here

    app = OutsourceApp(store, library, load_settings(data_dir))
    app.run()
    if app.fatal_message:
        raise UserError(app.fatal_message)
    return app.return_code or 0


COMMANDS = {
    ("vendor", "add"): cmd_vendor_add,
    ("vendor", "list"): cmd_vendor_list,
    ("playbook", "list"): cmd_playbook_list,
    ("playbook", "check"): cmd_playbook_check,
    ("demo", None): cmd_demo,
    ("backup", None): cmd_backup,
    ("smart", None): cmd_smart,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
