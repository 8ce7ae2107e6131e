"""Rows of a table question: a table of what was added, and an editor for the next row."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from outsource_tui.domain.answers import (
    Cell,
    RowProblems,
    check_unique_row,
    format_answer,
    validate_row,
)
from outsource_tui.domain.labels import answer_choices
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.errors import ValidationError


class RowsTable(DataTable[Text]):
    """The rows added so far; enter takes a row back to edit it, delete removes it."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Edit row",
            id="edit-row",
            tooltip="Take the row back into the fields to change it",
            show=True,
        ),
        Binding(
            "delete",
            "remove_row",
            "Remove row",
            id="remove-row",
            tooltip="Remove the highlighted row",
            show=True,
        ),
    ]

    class RemoveRequested(Message):
        """The user asked to remove the row at ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_remove_row(self) -> None:
        if self.row_count:
            self.post_message(self.RemoveRequested(self.cursor_row))


def _select_options(column: Question) -> list[tuple[Content, Any]]:
    return [(Content(label), value) for label, value in answer_choices(column, short=True)]


SELECT_TYPES = {QuestionType.CHOICE, QuestionType.YES_NO, QuestionType.RATING}


class TableEditor(Vertical):
    """Edits a list of rows; posts :class:`Changed` with every added or removed row."""

    DEFAULT_CSS = """
    TableEditor { height: auto; }
    TableEditor RowsTable { height: auto; max-height: 12; margin-bottom: 1; }
    TableEditor .cell { height: auto; }
    TableEditor .cell-label { width: 22; padding: 0 1 0 0; }
    TableEditor .cell Input, TableEditor .cell Select { width: 1fr; }
    TableEditor .row-error { color: $error; display: none; }
    TableEditor .row-error.-shown { display: block; }
    TableEditor .row-buttons { height: auto; }
    TableEditor .add-row { min-width: 24; }
    """

    class Changed(Message):
        """The rows changed."""

        def __init__(self, editor: TableEditor) -> None:
            super().__init__()
            self.editor = editor

    def __init__(self, question: Question, rows: list[dict[str, Cell]] | None = None) -> None:
        super().__init__()
        self.question = question
        self.rows: list[dict[str, Cell]] = [dict(r) for r in rows or [] if isinstance(r, dict)]
        self.editing: int | None = None  # the row being changed, if any

    def compose(self) -> ComposeResult:
        table = RowsTable(cursor_type="row", zebra_stripes=True)
        for column in self.question.columns:
            table.add_column(Text(column.prompt), key=column.id)
        yield table
        for column in self.question.columns:
            with Horizontal(classes="cell"):
                marker = " *" if column.required else ""
                yield Static(Content(column.prompt + marker), classes="cell-label")
                if column.type in SELECT_TYPES:
                    yield Select(
                        _select_options(column),
                        prompt="—",
                        compact=True,
                        id=f"cell-{column.id}",
                    )
                else:
                    placeholder = "YYYY-MM-DD" if column.type is QuestionType.DATE else ""
                    if column.type is QuestionType.NUMBER:
                        kinds = ["whole number"] if column.integer else []
                        placeholder = ", ".join([*kinds, *([column.unit] if column.unit else [])])
                    yield Input(
                        placeholder=placeholder,
                        compact=True,
                        id=f"cell-{column.id}",
                        select_on_focus=False,
                    )
        yield Static("", classes="row-error")
        with Horizontal(classes="row-buttons"):
            yield Button("Add row (enter)", classes="add-row", compact=True)

    def on_mount(self) -> None:
        self._draw_rows()

    def _draw_rows(self) -> None:
        table = self.query_one(RowsTable)
        table.clear()
        for row in self.rows:
            table.add_row(
                *[
                    Text(format_answer(column, row.get(column.id)))
                    for column in self.question.columns
                ]
            )
        table.display = bool(self.rows)

    def _editor_row(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for column in self.question.columns:
            widget = self.query_one(f"#cell-{column.id}")
            if isinstance(widget, Select):
                raw[column.id] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Input):
                raw[column.id] = widget.value
        return raw

    def has_draft(self) -> bool:
        """Whether the editor holds cells that were not added as a row yet."""
        return any(v not in (None, "") for v in self._editor_row().values())

    def _show_error(self, message: str | None) -> None:
        error = self.query_one(".row-error", Static)
        error.update(Content(message or ""))
        error.set_class(message is not None, "-shown")

    def add_row(self) -> bool:
        """Move the editor's cells into a new row if they are valid; say why not otherwise."""
        try:
            row = validate_row(self.question, self._editor_row())
            check_unique_row(self.question, self.rows, row, skip=self.editing)
        except ValidationError as exc:
            self._show_error(f"Row not added: {exc}")
            if isinstance(exc, RowProblems):  # every problem named: focus the first of them
                self.query_one(f"#cell-{exc.problems[0][0]}").focus()
            return False
        if not row:
            self._show_error("Row not added: fill in at least one cell")
            return False
        self._show_error(None)
        if self.editing is not None and self.editing < len(self.rows):
            self.rows[self.editing] = row
        else:
            self.rows.append(row)
        self._set_editing(None)
        self._fill_editor({})
        self._draw_rows()
        self.post_message(self.Changed(self))
        first = self.query_one(f"#cell-{self.question.columns[0].id}")
        first.focus()
        return True

    def _fill_editor(self, row: dict[str, Cell]) -> None:
        for column in self.question.columns:
            widget = self.query_one(f"#cell-{column.id}")
            value = row.get(column.id)
            if isinstance(widget, Select):
                widget.value = Select.NULL if value is None else value
            elif isinstance(widget, Input):
                widget.value = "" if value is None else str(value)
                widget.cursor_position = len(widget.value)  # typing adds; ctrl+u clears

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.add_row()

    @on(Input.Changed)
    @on(Input.Blurred)
    @on(Select.Changed)
    def _cell_edited(self, event: Message) -> None:
        event.stop()

    @on(Button.Pressed, ".add-row")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_row()

    @on(DataTable.RowSelected)
    def _edit_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = event.cursor_row
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self._fill_editor(row)
            self._set_editing(index)
            # The first cell still blank (a review's prefilled KPI row: its actual), else the
            # first; the cursor goes after the value, so a keystroke does not replace it.
            blank = [c.id for c in self.question.columns if row.get(c.id) in (None, "")]
            self.query_one(f"#cell-{(blank or [self.question.columns[0].id])[0]}").focus()

    def _set_editing(self, index: int | None) -> None:
        self.editing = index
        label = "Add row (enter)" if index is None else f"Save row {index + 1} (enter)"
        self.query_one(".add-row", Button).label = label

    @on(RowsTable.RemoveRequested)
    def _remove_row(self, event: RowsTable.RemoveRequested) -> None:
        event.stop()
        if 0 <= event.index < len(self.rows):
            del self.rows[event.index]
            if self.editing is not None:
                self._set_editing(None)
                self._fill_editor({})
            self._draw_rows()
            self.post_message(self.Changed(self))
