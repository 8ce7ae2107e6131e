"""The plain mode: walk a playbook line by line, one prompt after another.

It reads and writes the same store and runs as the full-screen app, so a run begun here
resumes there and the other way round. Every answer and tick is saved the moment it is given.
"""

from __future__ import annotations

import re
import shlex
import sys
from datetime import date
from typing import IO, Any

from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from outsource_tui.domain.answers import Answer, format_number
from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import check_period, today
from outsource_tui.domain.playbook import Cadence, Playbook, Step
from outsource_tui.domain.run import Run, check_key, progress, resume_index
from outsource_tui.domain.settings import Settings, load_settings
from outsource_tui.domain.smart import analyse_goal
from outsource_tui.domain.vendor import Vendor
from outsource_tui.errors import UserError, ValidationError
from outsource_tui.paths import resolve_data_dir, user_playbook_dir
from outsource_tui.portfolio import Portfolio
from outsource_tui.prompts.questions import Prompter, Stopped
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


def resume_command(store: Store, vendor: Vendor, playbook: Playbook, period: str) -> str:
    """The command that reopens this run, with the flags needed to find the same data."""
    words = [PROG, "run", playbook.id, "--vendor", shell_word(vendor.name)]
    if period:
        words += ["--period", period]
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
    input: Input | None = None,
    output: Output | None = None,
    today: date | None = None,
    settings: Settings | None = None,
) -> int:
    """Walk a playbook for a vendor with line-by-line prompts; returns the exit status.

    0 when the run was completed, 1 when required questions are still blank (or there is no
    terminal to ask on), 130 when the user stopped with ctrl+c. Mistakes in the arguments
    (an unknown vendor, playbook or period) raise :class:`UserError`. ``input`` and
    ``output`` are prompt_toolkit's (a terminal when None); ``settings`` default to the
    data directory's, as in the app.
    """
    vendor = store.find_vendor(vendor_name)
    playbook = find_playbook(library, playbook_id)
    settings = settings if settings is not None else load_settings(store.data_dir)
    portfolio = Portfolio(store, library, settings, on=today)
    run_period = ""
    if playbook.cadence is Cadence.ONCE:
        if period:
            raise UserError(
                f"--period: '{playbook.id}' is walked once, not per period; leave --period out"
            )
    elif period:
        try:
            run_period = check_period(period, playbook.cadence)
        except ValidationError as exc:
            raise UserError(f"--period: {exc}") from None
    else:
        run_period = portfolio.default_period(playbook, store.runs(vendor.id))
    if input is None and not stdin_is_terminal():
        print(f"{PROG}: error: {NO_TERMINAL}", file=sys.stderr)
        return EXIT_INCOMPLETE
    console = make_console(output)
    walk = Walk(store, portfolio, vendor, playbook, Prompter(console, input, output), console)
    return walk.go(run_period)


class Walk:
    """One walk through one run, from the step it is on to the end."""

    def __init__(
        self,
        store: Store,
        portfolio: Portfolio,
        vendor: Vendor,
        playbook: Playbook,
        prompter: Prompter,
        console: Console,
    ) -> None:
        self.store = store
        self.portfolio = portfolio
        self.vendor = vendor
        self.playbook = playbook
        self.prompter = prompter
        self.console = console
        self.run: Run | None = None
        self.period = ""
        self.index = 0

    # -- opening the run -----------------------------------------------------------------

    def open(self, period: str) -> tuple[Run, int]:
        """The run to walk and the step to start on, as the app would choose them."""
        store, vendor_id, playbook = self.store, self.vendor.id, self.playbook
        if playbook.cadence is Cadence.ONCE:
            run = store.latest_run(vendor_id, playbook.id)
            if run is None or run.completed:
                return store.start_run(vendor_id, playbook), 0
            return run, resume_index(playbook, run)
        runs = store.runs(vendor_id)
        same = [r for r in runs if r.playbook_id == playbook.id and r.period == period]
        if not same:
            prefill = self.portfolio.review_prefill(playbook, runs)
            return store.start_run(vendor_id, playbook, period=period, answers=prefill), 0
        run = same[-1]
        if run.completed:
            # As the app's summary does on 'e': the same run reopened for edits, from the top.
            self.say(
                f"{period} was completed on {run.completed_at[:10]}; going through it again "
                "to change answers (enter keeps each one)."
            )
            return run, 0
        return run, resume_index(playbook, run)

    # -- the walk ------------------------------------------------------------------------

    def go(self, period: str) -> int:
        self.period = period
        try:
            run, start = self.open(period)
            self.run = run
            self.heading(start)
            for index in range(start, len(self.playbook.steps)):
                self.step(index)
            return self.finish()
        except (Stopped, KeyboardInterrupt):
            self.stopped()
            return EXIT_INTERRUPTED

    def heading(self, start: int) -> None:
        assert self.run is not None
        title = f"{self.playbook.title} for {self.vendor.name}"
        if self.run.period:
            title += f", {self.run.period}"
        self.say(title, "bold")
        if self.run.playbook_digest and self.run.playbook_digest != self.playbook.digest:
            self.say(
                "This playbook was edited after this run began: answers to questions that "
                "still exist are kept."
            )
        if start:
            self.say(f"Resuming at step {start + 1} of {len(self.playbook.steps)}.")
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
        for question in step.questions:
            self.prompter.question(
                question,
                self.run.answers.get(question.id),
                lambda value, question_id=question.id: self.save(question_id, value),
            )
            if question.check == "smart":
                self.smart_feedback(str(self.run.answers.get(question.id) or ""))

    def smart_feedback(self, goal: str) -> None:
        """After a goal is given, say which SMART criteria it meets and what to add."""
        if not goal:
            return
        marks = {True: "yes", False: "NO", None: "you judge"}
        for name, criterion in analyse_goal(goal, today=today()).items():
            label = "time-bound" if name == "time_bound" else name
            line = f"  {label}: {marks[criterion.ok]}. {criterion.why}"
            if criterion.suggestion:
                line += f" Try: {criterion.suggestion}."
            self.say(line, "" if criterion.ok is not False else "bold")

    def go_to(self, index: int) -> None:
        """Remember the step, so a stop resumes here in either mode."""
        assert self.run is not None
        self.index = index
        step = self.playbook.steps[index]
        if (self.run.step_index, self.run.step_id) != (index, step.id):
            self.store.set_step(self.vendor.id, self.run.id, index, step.id)
            self.run.step_index, self.run.step_id = index, step.id

    def targets_for(self, step: Step) -> None:
        """Beside KPI results, the targets they are measured against."""
        if not any(q.feeds == "kpi-actuals" for q in step.questions):
            return
        targets = self.portfolio.targets(self.store.runs(self.vendor.id))
        if not targets:
            self.say("No KPI targets agreed yet: walk the SLA and KPIs playbook first.")
            return
        self.say("Agreed targets (from the SLA):", "bold")
        for target in targets:
            unit = f" {target.unit}" if target.unit else ""
            self.say(
                f"  {target.kpi}: {format_number(target.target)}{unit}, "
                f"{target.direction}, weight {format_number(target.weight)}"
            )

    def checklist(self, step: Step) -> None:
        assert self.run is not None
        keys = {check_key(step, item.id) for item in step.checklist}
        items = [
            (check_key(step, item.id), item.text, check_key(step, item.id) in self.run.checked)
            for item in step.checklist
        ]
        chosen = set(self.prompter.checklist(items))
        ticked = chosen - self.run.checked
        unticked = (keys - chosen) & self.run.checked
        if ticked or unticked:
            self.run.checked = self.store.set_checked(self.vendor.id, self.run.id, ticked, unticked)

    def save(self, question_id: str, value: Answer) -> None:
        """Store an answer at once, unless it is what is stored already."""
        assert self.run is not None
        answers = self.run.answers
        if (question_id in answers and answers[question_id] == value) or (
            question_id not in answers and value is None
        ):
            return
        self.store.save_answer(self.vendor.id, self.run.id, question_id, value)
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = value

    # -- the end -------------------------------------------------------------------------

    def finish(self) -> int:
        assert self.run is not None
        # Read back what is stored: another instance may have answered meanwhile.
        run = self.run = self.store.get_run(self.vendor.id, self.run.id)
        done = progress(self.playbook, run)
        missing = done.first_missing()
        if missing is not None:
            blanks = [
                f"{self.playbook.questions_by_id[qid].prompt} (step {index + 1})"
                for index, row in enumerate(done.steps)
                for qid in row.missing_required
            ]
            self.go_to(missing[0])  # so the next walk starts at the first gap
            self.say(
                f"Not finished: required questions are still blank: {'; '.join(blanks)}. "
                f"Answer them with: {self.command()}",
                soft_wrap=True,
            )
            return EXIT_INCOMPLETE
        snapshot: dict[str, Any] | None = None
        if self.playbook.fed_tables("kpi-actuals") and run.period:
            # The scorecard as it stands now, so later SLA edits do not rewrite this review.
            card = self.portfolio.live_scorecard(
                self.playbook, run, self.store.runs(self.vendor.id)
            )
            snapshot = card.to_dict()
        self.store.complete_run(self.vendor.id, run.id, snapshot)
        summary = (
            f"Finished {self.playbook.title} for {self.vendor.name}: checklist "
            f"{done.checked}/{done.checklist_total} done, "
            f"{done.answered}/{done.question_total} questions answered."
        )
        if snapshot is not None and snapshot.get("overall") is not None:
            summary += f" Score {round(snapshot['overall'])}/100 ({snapshot.get('status')})."
        self.console.print()
        self.say(summary, soft_wrap=True)
        return 0

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

    def command(self) -> str:
        period = self.run.period if self.run is not None else self.period
        return resume_command(self.store, self.vendor, self.playbook, period)

    def say(self, text: str, style: str = "", *, soft_wrap: bool = False) -> None:
        self.console.print(Text(text, style=style), soft_wrap=soft_wrap)
