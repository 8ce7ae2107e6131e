"""? (or f1) shows what the screen is for and its keys; in a text field it is just a '?'."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.help import HelpScreen

from .conftest import SIZE, open_playbook, screen_text, settle


def help_text(app) -> str:
    """The help screen's text as the terminal shows it."""
    return screen_text(app)


async def test_question_mark_explains_the_screen_and_lists_its_keys(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert "Every vendor at a glance, the most urgent first" in text
        assert "Add vendor: Add a new vendor" in text
        assert "Quit: Save and leave the app" in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter", "f1")  # the vendor screen's own help
        await pilot.pause()
        text = help_text(app)
        assert "One vendor's facts, contract clock" in text
        assert "Abandon run: Give up the highlighted playbook's latest run" in text


async def test_a_question_mark_typed_in_an_answer_stays_an_answer(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "cultural-fit")
        field = app.screen.query_one("#q-their_time_zone Input", Input)
        field.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert field.value.endswith("?")
