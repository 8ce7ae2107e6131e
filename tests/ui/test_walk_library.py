"""Every bundled playbook can be walked to completion from the keyboard, every type answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet, Select, SelectionList, TextArea

from outsource_tui.domain.answers import format_number
from outsource_tui.domain.library import load_library
from outsource_tui.domain.playbook import Question, QuestionType
from outsource_tui.domain.run import progress
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.period import PeriodScreen
from outsource_tui.tui.screens.summary import SummaryScreen
from outsource_tui.tui.widgets.question_field import QuestionField
from outsource_tui.tui.widgets.table_editor import TableEditor

from .conftest import open_playbook, settle

PLAYBOOK_IDS = [p.id for p in load_library()]


def typed_value(question: Question) -> str:
    if question.type is QuestionType.NUMBER:
        value = question.min if question.min is not None else 3
        if question.max is not None and value > question.max:
            value = question.max
        return format_number(value)
    if question.type is QuestionType.DATE:
        return "2026-12-31"
    if question.type is QuestionType.TIMEZONE:
        return "Europe/Lisbon"
    if question.role.endswith(("-hours-start", "-hours-end")):
        return "09:00"
    return "ok [x]"


async def fill_table(pilot, editor: TableEditor) -> None:
    for column in editor.question.columns:
        cell = editor.query_one(f"#cell-{column.id}")
        cell.focus()
        if isinstance(cell, Select):
            await pilot.press("enter", "down", "enter")  # open, highlight the first, pick it
        elif column.id == "floor":  # a second credit tier lies beyond the target (3)
            await pilot.press("1")
        else:
            await pilot.press(*typed_value(column))
    editor.query_one(".add-row").focus()
    await pilot.press("enter")
    await pilot.pause()
    assert len(editor.rows) == 1, f"{editor.question.id}: the row was not added"


async def answer(pilot, field: QuestionField) -> None:
    control = field.control
    control.focus()
    if isinstance(control, TableEditor):
        await fill_table(pilot, control)
    elif isinstance(control, RadioSet):
        await pilot.press("enter")
    elif isinstance(control, SelectionList):
        await pilot.press("space")
    elif isinstance(control, TextArea | Input):
        await pilot.press(*typed_value(field.question))
    await pilot.press("tab")


@pytest.mark.parametrize("playbook_id", PLAYBOOK_IDS)
async def test_walk_a_bundled_playbook_to_completion(
    make_app, data_dir: Path, playbook_id: str
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    playbook = app.library.get(playbook_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, playbook_id)
        if isinstance(app.screen, PeriodScreen):  # recurring: accept the suggested period
            await pilot.press("enter")
            await pilot.pause()
        for _ in playbook.steps:
            checklist = app.screen.query("#checklist").results(SelectionList)
            for widget in checklist:
                widget.focus()
                for _ in range(widget.option_count):
                    await pilot.press("space", "down")
            for field in list(app.screen.query(QuestionField).results(QuestionField)):
                await answer(pilot, field)
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), f"{playbook_id} did not finish"

    run = Store(data_dir).latest_run("acme", playbook_id)
    assert run.completed
    done = progress(playbook, run)
    assert (done.checked, done.answered) == (done.checklist_total, done.question_total)
    for question in playbook.questions_by_id.values():
        value = run.answers[question.id]
        if question.type is QuestionType.TABLE:
            assert isinstance(value, list) and len(value) == 1
            assert set(value[0]) == {c.id for c in question.columns}
        elif question.type is QuestionType.MULTI_CHOICE:
            assert value == [question.options[0]]
        elif question.type is QuestionType.CHOICE:
            assert value == question.options[0]
        elif question.type is QuestionType.YES_NO:
            assert value is True
        elif question.type is QuestionType.RATING:
            assert value == 1
