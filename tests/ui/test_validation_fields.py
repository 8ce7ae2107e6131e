"""In the app, answers that do not fit the question are refused on screen and never saved:
time zones, times of day, exclusive options and whole numbers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.runner import SAVE_PAUSE, RunnerScreen

from .conftest import SIZE, open_playbook, screen_text, settle


def answers(data_dir: Path, playbook_id: str) -> dict:
    run = Store(data_dir).latest_run("acme", playbook_id)
    return dict(run.answers) if run is not None else {}


async def open_book(pilot, playbook_id: str) -> None:
    await settle(pilot)
    await pilot.press("enter")  # the vendor
    await open_playbook(pilot, playbook_id)
    assert isinstance(pilot.app.screen, RunnerScreen)


async def test_a_time_zone_and_a_time_of_day_are_checked_where_typed(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, "cultural-fit")
        assert "Step 1 of 7 · Time zones and working hours" in screen_text(app)
        zone = app.screen.query_one("#q-their_time_zone Input", Input)
        zone.focus()
        await pilot.press(*"manila")
        await pilot.pause()
        assert "Zones matching 'manila': Asia/Manila" in screen_text(app)  # while typing
        await pilot.press("tab")
        await pilot.pause()
        assert "unknown time zone 'manila': did you mean Asia/Manila?" in screen_text(app)
        assert "their_time_zone" not in answers(data_dir, "cultural-fit")

        zone.focus()
        await pilot.press("ctrl+u", *"UTC+05:30", "tab")
        await pilot.pause()
        assert (
            "'UTC+05:30' is a UTC offset, not a zone: type a name such as Europe/Lisbon"
            in screen_text(app)
        )
        assert "their_time_zone" not in answers(data_dir, "cultural-fit")

        zone.focus()
        await pilot.press("ctrl+u", *"asia/man")
        await pilot.pause()
        await pilot.press("right")  # take the suggested completion
        assert zone.value == "Asia/Manila"
        await pilot.press("tab")
        await pilot.pause()
        assert "not a zone" not in screen_text(app)
        assert answers(data_dir, "cultural-fit")["their_time_zone"] == "Asia/Manila"

        # Focus is on "Our working day starts at" now: a zone typed there is refused.
        assert app.focused is app.screen.query_one("#q-our_hours_start Input", Input)
        await pilot.press(*"Europe/Lisbon", "tab")
        await pilot.pause()
        assert (
            "'Europe/Lisbon' is a time zone: type a time of day, such as 09:00 or 5pm"
            in screen_text(app)
        )
        assert "our_hours_start" not in answers(data_dir, "cultural-fit")

        await pilot.press("shift+tab", "ctrl+u", *"9", "tab")
        await pilot.pause()
        assert "is a time zone" not in screen_text(app)
        assert answers(data_dir, "cultural-fit")["our_hours_start"] == "09:00"


async def test_a_refused_answer_saves_nothing_typed_on_the_way_to_it(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, "cultural-fit")
        zone = app.screen.query_one("#q-their_time_zone Input", Input)
        zone.focus()
        await pilot.press(*"UTC")  # a zone of its own, on the way to another answer
        await pilot.pause(SAVE_PAUSE + 0.3)
        # The partner's zone is a fact of the vendor record: it is written when the field
        # is left, never at a pause in typing.
        assert "their_time_zone" not in answers(data_dir, "cultural-fit")
        assert Store(data_dir).get_vendor("acme").timezone == ""
        await pilot.press(*"+05:30", "tab")
        await pilot.pause(SAVE_PAUSE + 0.3)
        assert "'UTC+05:30' is a UTC offset" in screen_text(app)
        assert "their_time_zone" not in answers(data_dir, "cultural-fit")  # back to blank

        needed = app.screen.query_one("#q-overlap_hours_needed Input", Input)
        needed.focus()
        await pilot.press(*"15", "tab")  # "1" fits on the way to 15, which is over 12
        await pilot.pause(SAVE_PAUSE + 0.3)
        assert "must be at most 12 hours" in screen_text(app)
        assert "overlap_hours_needed" not in answers(data_dir, "cultural-fit")


async def test_none_cannot_be_picked_with_another_training(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, "onboarding")
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert "Step 4 of 6 · Training and support for your own team" in screen_text(app)
        training = app.screen.query_one("#q-training_needed SelectionList", SelectionList)
        training.focus()
        await pilot.press("space")  # Tools
        await pilot.pause()
        assert answers(data_dir, "onboarding")["training_needed"] == ["Tools"]
        await pilot.press("down", "down", "down", "space")  # and None
        await pilot.pause()
        assert "'None' cannot be combined with other choices" in screen_text(app)
        assert answers(data_dir, "onboarding")["training_needed"] == ["Tools"]  # unchanged

        await pilot.press("up", "up", "up", "space")  # Tools unpicked: None alone
        await pilot.pause()
        assert "cannot be combined" not in screen_text(app)
        assert answers(data_dir, "onboarding")["training_needed"] == ["None"]


async def test_an_escalation_level_must_be_a_whole_number(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(SIZE[0], 60)) as pilot:
        await open_book(pilot, "communication")
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert "Step 4 of 6 · Escalation path" in screen_text(app)
        app.screen.query_one("#cell-level", Input).focus()
        await pilot.press(*"1.5", "tab", *"Ana", "tab", *"Ben", "enter")
        await pilot.pause()
        assert "Row not added: Level: must be a whole number, such as 2" in screen_text(app)
        assert "escalation" not in answers(data_dir, "communication")

        app.screen.query_one("#cell-level", Input).focus()
        await pilot.press("ctrl+u", "1", "enter")
        await pilot.pause()
        assert answers(data_dir, "communication")["escalation"] == [
            {"level": 1, "ours": "Ana", "theirs": "Ben"}
        ]
