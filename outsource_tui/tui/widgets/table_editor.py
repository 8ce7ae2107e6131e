"""Rows of a table question: a table of what was added, and an editor for the next row."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
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
from outsource_tui.tui.formatting import cut_to, fit_evenly

NARROWEST = 8  # a column is not cut below this many cells (or its heading, if shorter)
SCROLLBAR = 2


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
    TableEditor RowsTable { height: auto; max-height: 12; margin-bottom: 1; overflow-x: hidden; }
    TableEditor .cell { height: auto; }
    TableEditor .cell-label { width: 22; padding: 0 1 0 0; }
    TableEditor .cell Input, TableEditor .cell Select { width: 1fr; }
    TableEditor .row-error { color: $error; display: none; }
    TableEditor .row-error.-shown { display: block; }
    TableEditor .row-detail { color: $text-muted; margin-bottom: 1; height: auto; }
    TableEditor .cell-help { color: $text-muted; height: auto; }
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
        yield Static("", classes="row-detail")
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
        yield Static("", classes="cell-help")
        yield Static("", classes="row-error")
        with Horizontal(classes="row-buttons"):
            yield Button("Add row (enter)", classes="add-row", compact=True)

    def on_mount(self) -> None:
        self._whole: list[tuple[Text, ...]] = []
        self._widths: list[int] = []
        self._room = 0
        self._draw_rows()
        self._show_help(None)

    def on_resize(self) -> None:
        if self.size.width != self._room:
            self._draw_rows()

    def _draw_rows(self) -> None:
        """The rows, with columns fitted to the room there is: a value too long for its
        column ends in an ellipsis, and the highlighted row is shown whole beneath."""
        table = self.query_one(RowsTable)
        columns = self.question.columns
        self._whole = [
            tuple(Text(format_answer(column, row.get(column.id))) for column in columns)
            for row in self.rows
        ]
        headings = [Text(column.prompt) for column in columns]
        widths = [h.cell_len for h in headings]
        for cells in self._whole:
            widths = [max(w, c.cell_len) for w, c in zip(widths, cells, strict=True)]
        self._room = self.size.width
        if self._room:  # before its first layout the editor has no width: all columns whole
            scrollbar = SCROLLBAR if len(self.rows) > 11 else 0
            narrowest = [min(h.cell_len, NARROWEST) for h in headings]
            widths = fit_evenly(widths, self._room - scrollbar, narrowest)
        self._widths = widths
        cursor = table.cursor_row
        table.clear(columns=True)
        for column, heading, width in zip(columns, headings, widths, strict=True):
            table.add_column(heading, width=width, key=column.id)
        for cells in self._whole:
            table.add_row(*cut_to(cells, widths))
        table.display = bool(self.rows)
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1), animate=False)
        self._show_detail(table.cursor_row)

    def _show_detail(self, index: int) -> None:
        """The whole of the highlighted row's values that their columns cut short."""
        detail = self.query_one(".row-detail", Static)
        cut = []
        if 0 <= index < len(self._whole):
            for column, cell, width in zip(
                self.question.columns, self._whole[index], self._widths, strict=True
            ):
                if cell.cell_len > width:
                    cut.append(f"{column.prompt}: {cell.plain}")
        detail.update(Content(f"Row {index + 1}: " + " · ".join(cut) if cut else ""))
        detail.display = bool(cut)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail(event.cursor_row)

    def _show_help(self, column: Question | None) -> None:
        """What the cell being edited asks for, from its column's help text."""
        help_line = self.query_one(".cell-help", Static)
        text = f"{column.prompt}: {column.help}" if column is not None and column.help else ""
        help_line.update(Content(text))
        help_line.display = bool(text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget_id = event.widget.id or ""
        by_id = {f"cell-{c.id}": c for c in self.question.columns}
        self._show_help(by_id.get(widget_id))

    def on_descendant_blur(self) -> None:
        self._show_help(None)  # the next cell's focus, if it is one, shows its own

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
