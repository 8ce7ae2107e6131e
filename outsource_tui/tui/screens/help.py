"""What a screen is for and every key it answers to, grouped by where the key lives."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

# What each screen is for, in two sentences; keyed by screen class name.
PURPOSE = {
    "DashboardScreen": (
        "Every vendor at a glance, the most urgent first: overdue reviews, then overdue "
        "actions, then the nearest review. Open one to walk its playbooks."
    ),
    "VendorScreen": (
        "One vendor's facts, contract clock and working-hour overlap, with its playbooks "
        "below. Enter starts or resumes the highlighted playbook."
    ),
    "RunnerScreen": (
        "One playbook walked step by step: read the guidance, tick the checklist, answer "
        "the questions. Every answer is saved as you give it."
    ),
    "SummaryScreen": (
        "What a run recorded: checklist completion per step and every answer. Press e to "
        "change an answer."
    ),
    "ScorecardScreen": (
        "One review period's KPIs against the SLA, ratings, credits and trend. Left and "
        "right move between periods."
    ),
    "CompareScreen": (
        "The candidates ranked on the selection criteria. Change a weight to see what "
        "matters; the stored ratings never change."
    ),
    "SpendScreen": (
        "Each active vendor placed by its monthly fee and its latest score; the table ranks "
        "them by what a point of score costs. Enter opens the vendor."
    ),
    "DueScreen": (
        "Everything due across the portfolio, by date: decisions, notices, reviews, actions "
        "and reminders. Enter opens the vendor."
    ),
}
GLOBAL = "Everywhere"


def _group(binding: ActiveBinding, screen: Screen[object]) -> str | None:
    """Where a key lives, in words; None for keys not worth a line (a scroll box's own)."""
    node = binding.node
    if node is screen.app:
        return GLOBAL
    if node is screen:
        return "This screen"
    name = getattr(node, "id", None)
    if not name:
        # A widget of Textual's own with no name of ours: its keys are the usual ones
        # (scrolling, moving the cursor), the same in any app.
        if type(node).__module__.startswith("textual."):
            return None
        name = type(node).__name__
    words = name.replace("-", " ").replace("_", " ")
    if isinstance(node, DataTable) and "table" not in words:
        words += " table"
    return f"In the {words}"


def keys_table(screen: Screen[object]) -> Table:
    """The keys the screen answers to now, grouped, with what each does."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Does")
    groups: dict[str, list[tuple[str, Binding]]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        group = _group(active, screen)
        # super+ keys are the Mac's doubles of ctrl+ ones, listed once already.
        if not binding.description or group is None or key.startswith("super+"):
            continue
        shown = screen.app.get_key_display(binding)
        groups.setdefault(group, []).append((shown or key, binding))
    order = ["This screen", *sorted(g for g in groups if g not in ("This screen", GLOBAL))]
    for name in [*order, GLOBAL]:
        rows = groups.get(name)
        if not rows:
            continue
        table.add_row(Text(name, style="bold underline"), Text(""))
        seen = set()
        for shown, binding in rows:
            if (shown, binding.description) in seen:
                continue
            seen.add((shown, binding.description))
            what = binding.description + (f": {binding.tooltip}" if binding.tooltip else "")
            table.add_row(Text(shown), Text(what))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """Help for the screen below; any of escape, ? or f1 closes it."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape,question_mark,f1",
            "dismiss",
            "Close",
            id="close-help",
            tooltip="Back to the screen",
        )
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        purpose = PURPOSE.get(type(self.below).__name__, "")
        with VerticalScroll(id="help"):
            if purpose:
                yield Static(Text(purpose), id="help-purpose")
            yield Static(keys_table(self.below), id="help-keys")
            yield Static(
                Text("ctrl+p finds any vendor or action by name. Escape closes this help."),
                classes="hint",
            )
