"""The plain mode: walk a playbook line by line, one prompt after another.

It reads and writes the same store and runs as the full-screen app, so a run begun here
resumes there and the other way round. Every answer and tick is saved the moment it is given.
"""

from __future__ import annotations

import re
import shlex
import sys
from datetime import date
from functools import partial
from typing import IO

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from outsource_tui.domain import reviewers
from outsource_tui.domain.answers import Answer
from outsource_tui.domain.labels import smart_lines
from outsource_tui.domain.library import Library
from outsource_tui.domain.playbook import Cadence, Playbook, Step
from outsource_tui.domain.run import Run, check_key, progress
from outsource_tui.domain.settings import Settings, load_settings
from outsource_tui.domain.vendor import Vendor
from outsource_tui.errors import UserError
from outsource_tui.paths import resolve_data_dir, user_playbook_dir
from outsource_tui.prompts.questions import Prompter, Stopped
from outsource_tui.services import Clock, Services
from outsource_tui.services.runs import (
    NO_TARGETS,
    AlreadyInProgress,
    Opening,
    RunService,
    edited_notice,
    next_status_after,
    result_lines,
    target_lines,
)
from outsource_tui.store import Store

PROG = "outsource-tui"
EXIT_INCOMPLETE = 1
EXIT_INTERRUPTED = 130
NO_TERMINAL = "the plain mode needs a terminal on standard input"
SAFE_IN_DOUBLE_QUOTES = re.compile(r'[^"$`\\!]*')


class OutputFile:
    """A prompt_toolkit output seen as the text file Rich writes to.

    It never claims to be a terminal: prompt_toolkit escapes control characters written
    through ``write``, so colour codes would arrive as litter.
    """

    def __init__(self, output: Output) -> None:
        self.output = output

    @property
    def encoding(self) -> str:
        try:
            return self.output.encoding() or "utf-8"
        except Exception:
            return "utf-8"

    def write(self, text: str) -> int:
        self.output.write(text)
        return len(text)

    def flush(self) -> None:
        self.output.flush()

    def isatty(self) -> bool:
        return False


def make_console(output: Output | None) -> Console:
    """A Rich console on ``output`` (standard output when None), colourless off a terminal."""
    if output is None:
        file: IO[str] | OutputFile = sys.stdout
        width = None
    else:
        file = OutputFile(output)
        try:
            width = output.get_size().columns or None
        except Exception:
            width = None
    try:
        terminal = bool(file.isatty())
    except (AttributeError, ValueError):
        terminal = False
    # Off a terminal, FORCE_COLOR and friends must not bring colour codes into a log or pipe.
    return Console(
        file=file,  # type: ignore[arg-type]
        width=width,
        force_terminal=None if terminal else False,
        highlight=False,
    )


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def shell_word(text: str) -> str:
    """``text`` as one shell word, in double quotes when that is safe."""
    return f'"{text}"' if SAFE_IN_DOUBLE_QUOTES.fullmatch(text) else shlex.quote(text)


def resume_command(
    store: Store, vendor: Vendor, playbook: Playbook, period: str, reviewer: str = ""
) -> str:
    """The command that reopens this run, with the flags needed to find the same data (and
    the same reviewer, for a playbook of ratings)."""
    words = [PROG, "run", playbook.id, "--vendor", shell_word(vendor.name)]
    if period:
        words += ["--period", period]
    if reviewers.rating_as(playbook, reviewer):
        words += ["--as", shell_word(reviewer)]
    if store.data_dir.resolve() != resolve_data_dir(None).resolve():
        words += ["--data-dir", shlex.quote(str(store.data_dir))]
    own_dir = user_playbook_dir(store.data_dir).resolve()
    if playbook.source == "user" and playbook.path and playbook.path.parent.resolve() != own_dir:
        words += ["--playbooks", shlex.quote(str(playbook.path.parent))]
    return " ".join(words)


def find_playbook(library: Library, playbook_id: str) -> Playbook:
    playbook = library.get(playbook_id)
    if playbook is None:
        ids = ", ".join(p.id for p in library) or "none are loaded"
        raise UserError(f"no playbook '{playbook_id}'; the playbooks are: {ids}")
    return playbook


def run_plain(
    store: Store,
    library: Library,
    vendor_name: str,
    playbook_id: str,
    *,
    period: str | None = None,
    again: bool = False,
    input: Input | None = None,
    output: Output | None = None,
    today: date | None = None,
    settings: Settings | None = None,
) -> int:
    """Walk a playbook for a vendor with line-by-line prompts; returns the exit status.

    0 when the run was completed, 1 when required questions are still blank (or there is no
    terminal to ask on), 130 when the user stopped with ctrl+c. Mistakes in the arguments
    (an unknown vendor, playbook or period) raise :class:`UserError`. ``again`` starts a
    finished one-off playbook afresh, as ``n`` does in the app. ``input`` and ``output`` are
    prompt_toolkit's (a terminal when None); ``settings`` default to the data directory's,
    as in the app.
    """
    settings = settings if settings is not None else load_settings(store.data_dir)
    services = Services(store, library, settings, Clock(today))
    vendor = store.find_vendor(vendor_name)
    playbook = find_playbook(library, playbook_id)
    runs = services.runs()
    try:
        run_period = runs.period_for(vendor.id, playbook, period)
    except UserError as exc:
        if playbook.cadence is Cadence.ONCE:
            raise UserError(f"--period: {exc}; leave --period out") from None
        raise UserError(f"--period: {exc}") from None
    if input is None and not stdin_is_terminal():
        print(f"{PROG}: error: {NO_TERMINAL}", file=sys.stderr)
        return EXIT_INCOMPLETE
    console = make_console(output)
    prompter = Prompter(console, input, output)
    current = runs.future_period(playbook, run_period)
    if current is not None:
        # As the app does: a review of a period that has not begun is started only when meant.
        question = questionary.confirm(
            f"{run_period} has not begun yet (this is {current}). Review it anyway?",
            default=False,
            **prompter.io,
        )
        try:
            if not prompter.ask(question):
                return EXIT_INCOMPLETE
        except (Stopped, KeyboardInterrupt):
            return EXIT_INTERRUPTED
    walk = Walk(services, runs, vendor, playbook, prompter, console)
    return walk.go(run_period, again=again)


class Walk:
    """One walk through one run, from the step it is on to the end."""

    def __init__(
        self,
        services: Services,
        runs: RunService,
        vendor: Vendor,
        playbook: Playbook,
        prompter: Prompter,
        console: Console,
    ) -> None:
        self.services = services
        self.store = services.store
        self.runs = runs
        self.vendor = vendor
        self.playbook = playbook
        self.prompter = prompter
        self.console = console
        self.run: Run | None = None
        self.period = ""
        self.index = 0

    # -- opening the run -----------------------------------------------------------------

    def open(self, period: str, *, again: bool = False) -> tuple[Run, int]:
        """The run to walk and the step to start on, as the app would choose them."""
        try:
            opened = self.runs.open(self.vendor.id, self.playbook, period, fresh=again)
        except AlreadyInProgress:
            self.say("This playbook is already in progress: resuming it (leave out --again).")
            opened = self.runs.open(self.vendor.id, self.playbook, period)
        if opened.opening is Opening.FINISHED:
            # As the app's summary does on 'e': the same run reopened for edits, from the top.
            what = period or self.playbook.title
            text = (
                f"{what} was completed on {opened.run.completed_at[:10]}; going through it "
                "again to change answers (enter keeps each one)."
            )
            if self.playbook.cadence is Cadence.ONCE:
                text += f" To start afresh instead: {self.command('')} --again"
            self.say(text, soft_wrap=True)
        return opened.run, opened.start_index

    # -- the walk ------------------------------------------------------------------------

    def go(self, period: str, *, again: bool = False) -> int:
        self.period = period
        try:
            run, start = self.open(period, again=again)
            self.run = run
            self.heading(start)
            start = self.offer_first_gap(start)
            for index in range(start, len(self.playbook.steps)):
                self.step(index)
            return self.finish()
        except (Stopped, KeyboardInterrupt):
            self.stopped()
            return EXIT_INTERRUPTED

    def offer_first_gap(self, start: int) -> int:
        """As the app does: with a required answer blank in a step before the one the run
        resumes at, say where it is and offer to go there first."""
        assert self.run is not None
        gap = progress(self.playbook, self.run).first_missing()
        if gap is None or gap[0] >= start:
            return start  # the walk gets there by itself
        self.go_to(start)  # where the walk stands, if it stops at this question
        question = self.playbook.questions_by_id[gap[1]].prompt
        ask = questionary.confirm(
            f"A required answer is still blank in step {gap[0] + 1} ({question}). Go there?",
            default=True,
            **self.prompter.io,
        )
        return gap[0] if self.prompter.ask(ask) else start

    def heading(self, start: int) -> None:
        assert self.run is not None
        title = f"{self.playbook.title} for {self.vendor.name}"
        if self.run.period:
            title += f", {self.run.period}"
        self.say(title, "bold")
        notice = edited_notice(self.playbook, self.run)
        if notice:
            self.say(notice)
        if start:
            self.say(f"Resuming at step {start + 1} of {len(self.playbook.steps)}.")
        if reviewers.rating_as(self.playbook, self.runs.reviewer):
            self.say(reviewers.rater_line(self.runs.reviewer), soft_wrap=True)
        self.say("Every answer is saved as you give it; ctrl+c stops, and you can resume later.")

    def step(self, index: int) -> None:
        assert self.run is not None
        self.go_to(index)
        step = self.playbook.steps[index]
        self.console.print()
        self.say(f"Step {index + 1} of {len(self.playbook.steps)} · {step.title}", "bold")
        if index == 0 and self.playbook.intro:
            self.console.print(Markdown(self.playbook.intro, hyperlinks=False))
        if step.guidance:
            self.console.print(Markdown(step.guidance, hyperlinks=False))
        self.targets_for(step)
        if step.checklist:
            self.checklist(step)
        shown = self.runs.shown_answers(self.playbook, self.run)
        for question in step.questions:
            self.prompter.question(
                question,
                shown.get(question.id),
                partial(self.save, question.id),
            )
            if question.check == "smart":
                self.smart_feedback(str(self.run.answers.get(question.id) or ""))
            if question.feeds == "kpi-actuals":
                targets = self.runs.targets(self.vendor.id)
                for line in result_lines(targets, self.playbook, self.run):
                    self.say(f"  {line}", "bold")

    def smart_feedback(self, goal: str) -> None:
        """After a goal is given, say which SMART criteria it meets and what to add."""
        if not goal:
            return
        for ok, line in smart_lines(goal, self.services.today()):
            self.say(f"  {line}", "" if ok is not False else "bold")

    def go_to(self, index: int) -> None:
        """Remember the step, so a stop resumes here in either mode."""
        assert self.run is not None
        self.index = index
        self.runs.go_to_step(self.run, self.playbook, index)

    def targets_for(self, step: Step) -> None:
        """Beside KPI results, the targets they are measured against."""
        if not any(q.feeds == "kpi-actuals" for q in step.questions):
            return
        targets = self.runs.targets(self.vendor.id)
        if not targets:
            self.say(NO_TARGETS)
            return
        self.say("Agreed targets (from the SLA):", "bold")
        for line in target_lines(targets, self.runs.sla_terms(self.vendor.id)):
            self.say(f"  {line}")

    def checklist(self, step: Step) -> None:
        assert self.run is not None
        items = [
            (item.id, item.text, check_key(step, item.id) in self.run.checked)
            for item in step.checklist
        ]
        self.runs.set_ticks(self.run, step, self.prompter.checklist(items))

    def save(self, question_id: str, value: Answer) -> None:
        """Store an answer at once, unless it is what is stored already."""
        assert self.run is not None
        self.runs.save_answers(self.playbook, self.run, {question_id: value})

    # -- the end -------------------------------------------------------------------------

    def finish(self) -> int:
        assert self.run is not None
        outcome = self.runs.complete(self.playbook, self.run.id, self.vendor.id)
        run = self.run = outcome.run
        done = progress(self.playbook, run)
        if outcome.missing is not None:
            blanks = [
                f"{self.playbook.questions_by_id[qid].prompt} (step {index + 1})"
                for index, row in enumerate(done.steps)
                for qid in row.missing_required
            ]
            self.go_to(outcome.missing[0])  # so the next walk starts at the first gap
            self.say(
                f"Not finished: required questions are still blank: {'; '.join(blanks)}. "
                f"Answer them with: {self.command()}",
                soft_wrap=True,
            )
            return EXIT_INCOMPLETE
        summary = (
            f"Finished {self.playbook.title} for {self.vendor.name}: checklist "
            f"{done.checked}/{done.checklist_total} done, "
            f"{done.answered}/{done.question_total} questions answered."
        )
        snapshot = outcome.snapshot
        if snapshot is not None and snapshot.get("overall") is not None:
            summary += f" Score {round(snapshot['overall'])}/100 ({snapshot.get('status')})."
        self.console.print()
        self.say(summary, soft_wrap=True)
        self.offer_next_status()
        return 0

    def offer_next_status(self) -> None:
        """As the app does: finishing onboarding offers to make the vendor active."""
        vendor = self.store.get_vendor(self.vendor.id)
        status = next_status_after(self.playbook, vendor)
        if status is None:
            return
        question = questionary.confirm(
            f"Onboarding of {vendor.name} is complete. Make it {status}?",
            default=False,
            **self.prompter.io,
        )
        try:
            yes = self.prompter.ask(question)
        except (Stopped, KeyboardInterrupt):
            return  # the run is complete either way; the status stays as it was
        if yes:
            self.store.set_status(vendor.id, status)
            self.say(f"{vendor.name} is now {status}; its quarterly reviews are scheduled.")

    def stopped(self) -> None:
        """One line: what is kept, and how to carry on."""
        if self.run is None:
            self.say(f"Stopped before anything was saved. Start again with: {self.command()}")
            return
        done = progress(self.playbook, self.run)
        self.console.print()
        self.say(
            f"Stopped at step {self.index + 1} of {len(self.playbook.steps)}; saved "
            f"{done.answered}/{done.question_total} answers and "
            f"{done.checked}/{done.checklist_total} checklist ticks. "
            f"Resume with: {self.command()}",
            soft_wrap=True,
        )

    def command(self, period: str | None = None) -> str:
        if period is None:
            period = self.run.period if self.run is not None else self.period
        return resume_command(self.store, self.vendor, self.playbook, period, self.runs.reviewer)

    def say(self, text: str, style: str = "", *, soft_wrap: bool = False) -> None:
        self.console.print(Text(text, style=style), soft_wrap=soft_wrap)
