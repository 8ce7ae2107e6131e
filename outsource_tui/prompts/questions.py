"""Ask one playbook question, or one checklist, with the questionary prompt that fits it.

Every asker takes what is stored now as its default, so pressing enter keeps an answer, and
hands back the value to store (as ``validate_answer`` makes it). A typed answer that does not
fit is refused inside the prompt with the reason, so nothing invalid ever comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from questionary import Choice
from rich.console import Console
from rich.text import Text

from outsource_tui.domain.answers import (
    ZONE_EXAMPLE,
    Answer,
    Cell,
    check_unique_row,
    format_number,
    format_row,
    is_answered,
    validate_answer,
    validate_row,
)
from outsource_tui.domain.answers import number_hint as domain_number_hint
from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Question, QuestionType
from outsource_tui.errors import ValidationError

RATING_LABELS = {1: "1 poor", 2: "2", 3: "3", 4: "4", 5: "5 excellent"}
TYPED = {
    QuestionType.TEXT,
    QuestionType.LONG_TEXT,
    QuestionType.NUMBER,
    QuestionType.DATE,
    QuestionType.TIMEZONE,
}

# The "leave it blank" entry of a pick list; an object, so it can never equal an option.
BLANK = object()

KEEP_ROWS = "Keep them as they are"
REVIEW_ROWS = "Go through them one by one"
CLEAR_ROWS = "Remove them all"
KEEP_ROW, EDIT_ROW, REMOVE_ROW = "Keep", "Edit", "Remove"


class Stopped(Exception):
    """The user stopped: ctrl+c, end of input, or a prompt that came back empty-handed."""


def number_hint(question: Question) -> str:
    """What a number question accepts, such as '(a number, 0 to 100, EUR)'."""
    return f"({domain_number_hint(question).replace(' (', ', ').rstrip(')')})"


def hint(question: Question) -> str | None:
    """The instruction shown beside a typed prompt."""
    if question.type is QuestionType.NUMBER:
        return number_hint(question)
    if question.type is QuestionType.DATE:
        return None if "YYYY-MM-DD" in question.prompt else "(YYYY-MM-DD)"
    if question.type is QuestionType.TIMEZONE:
        return f"(Region/City, such as {ZONE_EXAMPLE})"
    if question.type is QuestionType.LONG_TEXT:
        # The newline puts the text on its own lines below the prompt.
        return "(several lines; finish with Esc then Enter)\n>"
    return None


def validator(question: Question, required: bool) -> Callable[[str], bool | str]:
    """A check for a typed prompt: True, or the reason the text is refused."""

    def check(text: str) -> bool | str:
        try:
            value = validate_answer(question, text)
        except ValidationError as exc:
            return str(exc)
        if required and not is_answered(value):
            return f"{question.prompt} is required"
        return True

    return check


def picks_validator(question: Question) -> Callable[[list[str]], bool | str]:
    """A check for a multi-choice prompt: True, or why the options picked cannot go together."""

    def check(picked: list[str]) -> bool | str:
        try:
            validate_answer(question, list(picked))
        except ValidationError as exc:
            return str(exc)
        return True

    return check


def yes_no_instruction(current: bool | None, required: bool) -> str:
    """What enter does at a yes/no prompt: keep the answer, or (if optional) leave it blank."""
    if current is not None:
        return f"(y/n, enter keeps {'Yes' if current else 'No'}) "
    return "(y/n) " if required else "(y/n, enter leaves it blank) "


def typed_default(question: Question, current: Answer) -> str:
    """A stored answer as the text to put in a typed prompt."""
    if not is_answered(current):
        return ""
    if question.type is QuestionType.NUMBER and isinstance(current, int | float):
        return format_number(float(current))
    return str(current)


class Prompter:
    """Asks questions through one input and output (a terminal, or a pipe in tests)."""

    def __init__(self, console: Console, input: Input | None, output: Output | None) -> None:
        self.console = console
        self.io: dict[str, Any] = {"input": input, "output": output}

    def ask(self, question: questionary.Question) -> Any:
        """Run one prompt; a ctrl+c, an end of input or no answer raise :class:`Stopped`."""
        try:
            value = question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Stopped from None
        if value is None:
            raise Stopped
        return value

    def say(self, text: str, style: str = "") -> None:
        """One line of user text, never read as markup."""
        self.console.print(Text(text, style=style))

    # -- the checklist -------------------------------------------------------------------

    def checklist(self, items: Sequence[tuple[str, str, bool]]) -> list[str]:
        """Tick items given as (value, text, ticked); returns the values ticked now."""
        choices = [Choice(text, value=value, checked=ticked) for value, text, ticked in items]
        return self.ask(
            questionary.checkbox(
                "Checklist",
                choices=choices,
                instruction="(↑↓ move, space ticks or unticks, enter goes on)",
                **self.io,
            )
        )

    # -- one question --------------------------------------------------------------------

    def question(self, question: Question, current: Answer, save: Callable[[Answer], None]) -> None:
        """Ask ``question`` and save its answer; a table saves after every row."""
        if question.help and question.type is not QuestionType.TABLE:
            self.say(f"  {question.help}", "dim")
        if question.type is QuestionType.TABLE:
            self.table(question, current, save)
            return
        label = f"{question.prompt} (required)" if question.required else question.prompt
        value = self.value(question, current, message=label)
        if question.required and question.type is QuestionType.YES_NO and value is None:
            self.say(f"  Left blank: {question.prompt} is required before you can finish.")
        save(value)

    def value(
        self,
        question: Question,
        current: Answer,
        *,
        message: str,
        required: bool = False,
        column: bool = False,
    ) -> Answer:
        """One value of a question or a table column; ``required`` refuses a blank one.

        Enter at a yes/no question keeps its answer, or leaves it blank when there is none;
        in a table ``column``, enter on a blank optional yes/no cell means No.
        """
        kind = question.type
        if kind in TYPED:
            raw = self.ask(
                questionary.text(
                    message,
                    default=typed_default(question, current),
                    validate=validator(question, required),
                    multiline=kind is QuestionType.LONG_TEXT,
                    instruction=hint(question),
                    **self.io,
                )
            )
            return validate_answer(question, raw)
        if kind is QuestionType.YES_NO:
            kept = current if isinstance(current, bool) else None
            if kept is None and column and not required:
                kept = False
            return self._yes_no(message, kept, required=required)
        if kind is QuestionType.MULTI_CHOICE:
            chosen = current if isinstance(current, list) else []
            picked = self.ask(
                questionary.checkbox(
                    message,
                    choices=[Choice(o, value=o, checked=o in chosen) for o in question.options],
                    instruction="(space picks or unpicks, enter goes on)",
                    validate=picks_validator(question),
                    **self.io,
                )
            )
            return validate_answer(question, picked)
        if kind in (QuestionType.CHOICE, QuestionType.RATING):
            return self._pick(question, current, message=message, required=required)
        raise ValueError(f"cannot ask a {kind} question here")  # pragma: no cover

    def _yes_no(self, message: str, current: bool | None, *, required: bool) -> bool | None:
        """Yes or No; enter keeps ``current``. With none, enter gives None, or asks again if
        ``required``: nothing is stored that the user did not say."""
        while True:
            prompt = questionary.confirm(
                message,
                default=current,  # type: ignore[arg-type]  # None: enter answers nothing
                instruction=yes_no_instruction(current, required),
                **self.io,
            )
            try:
                value = prompt.unsafe_ask()
            except (KeyboardInterrupt, EOFError):
                raise Stopped from None
            if value is not None or not required:
                return None if value is None else bool(value)
            self.say("  This one is required: answer y or n.")

    def _pick(self, question: Question, current: Answer, *, message: str, required: bool) -> Answer:
        options: list[tuple[str, str | int]]
        if question.type is QuestionType.RATING:
            options = [(RATING_LABELS[n], n) for n in range(RATING_MIN, RATING_MAX + 1)]
        else:
            options = [(option, option) for option in question.options]
        choices = [Choice(title, value=value) for title, value in options]
        values = [value for _, value in options]
        default: Any = current if current in values else None
        if not required:
            blank = "— clear the answer —" if default is not None else "— no answer —"
            choices.insert(0, Choice(blank, value=BLANK))
            default = BLANK if default is None else default
        picked = self.ask(
            questionary.select(
                message,
                choices=choices,
                default=default,
                instruction="(↑↓ move, enter picks)",
                **self.io,
            )
        )
        if picked is BLANK:
            return None
        return validate_answer(question, str(picked))

    # -- tables --------------------------------------------------------------------------

    def table(self, question: Question, current: Answer, save: Callable[[Answer], None]) -> None:
        """Rows one by one: existing rows first (kept, gone through or removed), then new ones."""
        title = f"{question.prompt} (required)" if question.required else question.prompt
        self.say(title, "bold")
        if question.help:
            self.say(f"  {question.help}", "dim")
        rows = (
            [dict(row) for row in current if isinstance(row, dict)]
            if isinstance(current, list)
            else []
        )
        if rows:
            self.show_rows(question, rows)
            what = self.ask(
                questionary.select(
                    f"{len(rows)} row(s) already here:",
                    choices=[KEEP_ROWS, REVIEW_ROWS, CLEAR_ROWS],
                    default=KEEP_ROWS,
                    **self.io,
                )
            )
            if what == REVIEW_ROWS:
                rows = self._review(question, rows, save)
            elif what == CLEAR_ROWS:
                rows = []
                save(None)
        message = "Add another row?" if rows else "Add a row?"
        while self.ask(questionary.confirm(message, default=False, **self.io)):
            row = self.row(question, {}, number=len(rows) + 1)
            message = "Add another row?"
            if row:
                try:
                    check_unique_row(question, rows, row)
                except ValidationError as exc:
                    self.say(f"  Row not added: {exc}", "bold")
                    continue
                rows.append(row)
                save(validate_answer(question, rows))

    def show_rows(self, question: Question, rows: list[dict[str, Cell]]) -> None:
        for number, row in enumerate(rows, start=1):
            self.say(f"  {number}. {format_row(question, row) or '(empty)'}")

    def _review(
        self, question: Question, rows: list[dict[str, Cell]], save: Callable[[Answer], None]
    ) -> list[dict[str, Cell]]:
        kept: list[dict[str, Cell]] = []
        for number, row in enumerate(rows, start=1):
            what = self.ask(
                questionary.select(
                    f"Row {number}: {format_row(question, row) or '(empty)'}",
                    choices=[KEEP_ROW, EDIT_ROW, REMOVE_ROW],
                    default=KEEP_ROW,
                    **self.io,
                )
            )
            if what == EDIT_ROW:
                edited = self.row(question, row, number=len(kept) + 1)
                try:
                    check_unique_row(question, kept + rows[number:], edited)
                    row = edited
                except ValidationError as exc:
                    self.say(f"  Kept as it was: {exc}", "bold")
            if what != REMOVE_ROW and row:
                kept.append(row)
            # Rows not yet gone through stay as they were, so a stop here loses nothing.
            save(validate_answer(question, kept + rows[number:]))
        return kept

    def row(self, question: Question, row: dict[str, Cell], *, number: int) -> dict[str, Cell]:
        """Each column of one row as its own prompt; returns the checked row."""
        cells: dict[str, Any] = dict(row)
        while True:
            for column in question.columns:
                label = f"Row {number} · {column.prompt}"
                if column.required:
                    label += " (required)"
                if column.help:
                    self.say(f"  {column.help}", "dim")
                cells[column.id] = self.value(
                    column,
                    cells.get(column.id),
                    message=label,
                    required=column.required,
                    column=True,
                )
            try:
                return validate_row(question, cells)
            except ValidationError as exc:
                self.say(f"Not added: {exc}; fill the row again.")
