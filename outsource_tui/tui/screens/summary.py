"""What a run recorded: checklist completion per step and overall, and every answer."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from outsource_tui.domain import reviewers
from outsource_tui.domain.answers import format_answer
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run, progress
from outsource_tui.errors import UserError
from outsource_tui.tui.navigation import EditRun
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.footer import KeyFooter


def summary_renderable(playbook: Playbook, run: Run) -> Group:
    """The run as Rich tables; user text goes in as ``Text`` so it is never read as markup."""
    done = progress(playbook, run)
    state = f"completed {run.completed_at[:10]}" if run.completed else "in progress"
    heading = Text()
    heading.append(playbook.title, style="bold")
    if run.period:
        heading.append(f" for {run.period}", style="bold")
    heading.append(f" — {state}\n")
    heading.append(
        f"Checklist: {done.checked}/{done.checklist_total} done ({done.checklist_percent}%)   "
        f"Questions: {done.answered}/{done.question_total} answered"
    )

    steps = Table(title="Per step", title_justify="left", expand=True)
    steps.add_column("Step")
    steps.add_column("Checklist", justify="right")
    steps.add_column("Answered", justify="right")
    for row in done.steps:
        steps.add_row(
            Text(row.step.title),
            f"{row.checked}/{row.checklist_total}",
            f"{row.answered}/{row.question_total}",
        )
    steps.add_row(
        Text("Overall", style="bold"),
        Text(f"{done.checked}/{done.checklist_total}", style="bold"),
        Text(f"{done.answered}/{done.question_total}", style="bold"),
    )

    answers = Table(title="Answers", title_justify="left", expand=True, show_lines=True)
    answers.add_column("Question", ratio=2)
    answers.add_column("Answer", ratio=3)
    for step in playbook.steps:
        answers.add_row(Text(step.title, style="bold"), Text(""))
        for question in step.questions:
            # A weighted rating given by named reviewers shows each one's, and their median.
            several = reviewers.answer_text(run, question.id) if question.scored else ""
            answers.add_row(
                Text(question.prompt),
                Text(several or format_answer(question, run.answers.get(question.id))),
            )
    return Group(heading, Text(""), steps, Text(""), answers)


class SummaryScreen(AppScreen[None]):
    """Read-only view of a run, with a key to reopen it for edits."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "Back", id="summary-back", tooltip="Back to the vendor"
        ),
        Binding("e", "edit", "Edit answers", id="edit-run", tooltip="Reopen this run"),
    ]

    def __init__(self, vendor_id: str, playbook: Playbook, run_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.playbook = playbook
        self.run_id = run_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = f"Summary: {self.playbook.title}"
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.services.store
        try:
            run = store.get_run(self.vendor_id, self.run_id)
            self.sub_title = store.get_vendor(self.vendor_id).name
        except UserError as exc:
            self.show_error(exc)
            return
        self.query_one("#summary", Static).update(summary_renderable(self.playbook, run))

    def action_edit(self) -> None:
        self.post_message(EditRun(self.vendor_id, self.playbook.id, self.run_id))
