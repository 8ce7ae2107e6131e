"""One playbook question: its prompt, the control that fits its type, and an inline error."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, RadioButton, RadioSet, SelectionList, Static, TextArea

from outsource_tui.domain.answers import (
    ZONE_EXAMPLE,
    Answer,
    format_number,
    matching_timezones,
    number_hint,
    validate_answer,
)
from outsource_tui.domain.labels import SMART_MARK, answer_choices
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.domain.smart import analyse_goal
from outsource_tui.domain.vendor import known_timezones
from outsource_tui.errors import ValidationError
from outsource_tui.tui.widgets.table_editor import TableEditor
from outsource_tui.tui.widgets.zone_input import ZoneInput

SMART_STYLE = {True: "green", False: "red", None: "dim"}
RADIO_TYPES = {QuestionType.CHOICE, QuestionType.YES_NO, QuestionType.RATING}


class QuestionField(Vertical):
    """Shows one question and reports every valid answer upward as :class:`Answered`.

    An invalid entry is refused in place, with the reason, and is never reported.
    """

    DEFAULT_CSS = """
    QuestionField { height: auto; margin: 0 0 1 0; }
    QuestionField .prompt { text-style: bold; }
    QuestionField .help { color: $text-muted; }
    QuestionField .error { color: $error; display: none; }
    QuestionField .smart { padding: 0 1; border-left: thick $accent; height: auto; }
    QuestionField .zones { color: $text-muted; display: none; }
    QuestionField .zones.-shown { display: block; }
    QuestionField.-invalid .error { display: block; }
    QuestionField TextArea { height: 6; }
    QuestionField RadioSet { width: 100%; }
    QuestionField.-rating RadioSet { layout: horizontal; }
    QuestionField SelectionList { height: auto; max-height: 12; }
    """

    class Answered(Message):
        """A valid answer was given. ``final`` is false while the user is still typing."""

        def __init__(self, field: QuestionField, value: Answer, final: bool) -> None:
            super().__init__()
            self.field = field
            self.question_id = field.question.id
            self.value = value
            self.final = final

    def __init__(
        self,
        question: Question,
        value: Answer = None,
        *,
        today: date | None = None,
        id: str | None = None,
        weight_total: float | None = None,
    ) -> None:
        super().__init__(id=id, classes=f"-{question.type.value}")
        self.question = question
        # The day a goal's deadline is judged against; the screen hands in the app's clock.
        self.today = today or date.today()
        # A scored question shows its weight against the playbook's total, beside the rating.
        self.weight_total = weight_total
        self.initial = value
        self.error: str | None = None
        self._saved: Answer = value  # the last answer reported as final
        self._draft = False  # whether an answer was reported while typing since then
        self._input = self._control()

    def compose(self) -> ComposeResult:
        question = self.question
        marker = " (required)" if question.required else ""
        if question.weight is not None:
            total = f" of {format_number(self.weight_total)}" if self.weight_total else ""
            marker += f"  · weight {format_number(question.weight)}{total}"
        yield Static(Content(question.prompt + marker), classes="prompt")
        if question.help:
            yield Static(Content(question.help), classes="help")
        yield self._input
        if question.check == "smart":
            yield Static("", classes="smart")
        if question.type is QuestionType.TIMEZONE:
            yield Static("", classes="zones")
        yield Static("", classes="error")

    def _control(self) -> Widget:
        question, value = self.question, self.initial
        kind = question.type
        if kind is QuestionType.LONG_TEXT:
            area = TextArea(str(value or ""), soft_wrap=True, tab_behavior="focus")
            area.show_line_numbers = False
            return area
        if kind in RADIO_TYPES:
            buttons = [
                RadioButton(Content(label), value=(value is not None and choice == value))
                for label, choice in answer_choices(question)
            ]
            return RadioSet(*buttons)
        if kind is QuestionType.TABLE:
            return TableEditor(question, value if isinstance(value, list) else [])  # type: ignore[arg-type]
        if kind is QuestionType.MULTI_CHOICE:
            chosen = value if isinstance(value, list) else []
            return SelectionList[str](*[(Content(o), o, o in chosen) for o in question.options])
        placeholder = {
            QuestionType.NUMBER: number_hint(question),
            QuestionType.DATE: "YYYY-MM-DD",
            QuestionType.TIMEZONE: f"Region/City, such as {ZONE_EXAMPLE}",
        }.get(kind, "")
        text = "" if value is None else str(value)
        if kind is QuestionType.TIMEZONE:
            # Any part of a zone's name suggests it (right arrow takes it), whatever the case.
            return ZoneInput(text, placeholder=placeholder, select_on_focus=False)
        return Input(text, placeholder=placeholder, select_on_focus=False)

    @property
    def control(self) -> Widget:
        """The input widget of this question."""
        return self._input

    def raw_value(self) -> Any:
        """What the control currently holds, before validation."""
        control = self.control
        if isinstance(control, Input):
            return control.value
        if isinstance(control, TextArea):
            return control.text
        if isinstance(control, RadioSet):
            index = control.pressed_index
            return None if index < 0 else answer_choices(self.question)[index][1]
        if isinstance(control, SelectionList):
            return list(control.selected)
        if isinstance(control, TableEditor):
            return list(control.rows)
        return None  # pragma: no cover

    def check(self, *, show: bool = True) -> tuple[bool, Answer]:
        """Validate what the control holds; with ``show``, display or clear the error."""
        try:
            value = validate_answer(self.question, self.raw_value())
            control = self.control
            if show and isinstance(control, TableEditor) and control.has_draft():
                raise ValidationError("a row was started but not added: press enter to add it")
        except ValidationError as exc:
            if show or self.error is not None:
                self._show_error(str(exc))
            return False, None
        self._show_error(None)
        return True, value

    def show_refusal(self, message: str) -> None:
        """Say in place why a valid-looking answer could not be kept (the vendor record
        refused it); the screen tells the field, the field never asks the store."""
        self._show_error(f"not saved: {message}")

    def show_required(self) -> None:
        """Mark the question as needing an answer before the run can finish."""
        self._show_error("this question needs an answer before you can finish")

    def _show_error(self, message: str | None) -> None:
        self.error = message
        self.set_class(message is not None, "-invalid")
        self.query_one(".error", Static).update(Content(message or ""))

    def on_mount(self) -> None:
        self._check_goal()

    def _check_goal(self) -> None:
        """Say at once what a goal statement lacks (for questions marked check = "smart")."""
        if self.question.check != "smart":
            return
        report = analyse_goal(str(self.raw_value() or ""), today=self.today)
        labels = {"time_bound": "Time-bound"}
        text = Text()
        for name, criterion in report.items():
            label = labels.get(name, name.capitalize())
            mark, style = SMART_MARK[criterion.ok], SMART_STYLE[criterion.ok]
            text.append(f"{mark} {label}: ", style=f"bold {style}")
            text.append(criterion.why)
            if criterion.suggestion:
                text.append(f" → {criterion.suggestion}", style="italic")
            text.append("\n")
        text.rstrip()
        self.query_one(".smart", Static).update(text)

    def _list_zones(self) -> None:
        """Under a time zone being typed, the known zones that hold the text anywhere."""
        if self.question.type is not QuestionType.TIMEZONE:
            return
        text = str(self.raw_value() or "").strip()
        matches = [] if text in known_timezones() else matching_timezones(text)
        line = self.query_one(".zones", Static)
        line.update(Content(f"Zones matching '{text}': {', '.join(matches)}" if matches else ""))
        line.set_class(bool(matches), "-shown")

    def _report(self, final: bool, *, show: bool) -> None:
        ok, value = self.check(show=show)
        if ok:
            self.post_message(self.Answered(self, value, final))
            self._draft = not final
            if final:
                self._saved = value
        elif self._draft:
            # What is typed now is refused: take back what was reported on the way there
            # ("UTC" on the way to "UTC+05:30", "15" on the way to "150"), so the answer
            # from before this edit is kept, not a part of the refused text.
            self._draft = False
            self.post_message(self.Answered(self, self._saved, final=False))

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typing(self, event: Message) -> None:
        event.stop()
        self._check_goal()
        self._list_zones()
        self._report(final=False, show=False)

    @on(Input.Blurred)
    def _committed(self, event: Message) -> None:
        event.stop()
        self._report(final=True, show=True)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._report(final=True, show=True)
        if self.error is None:
            self.screen.focus_next()

    def on_descendant_blur(self, event: Message) -> None:
        if isinstance(self.control, TextArea):
            self._report(final=True, show=True)

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged)
    @on(TableEditor.Changed)
    def _picked(self, event: Message) -> None:
        event.stop()
        self._report(final=True, show=True)
