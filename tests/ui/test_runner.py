"""Walking a playbook from the keyboard: ticks, every question type, resume, finish."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList, TextArea

from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.summary import SummaryScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import SIZE, notifications, open_playbook, screen_text, settle


def objectives_run(data_dir: Path):
    store = Store(data_dir)
    vendor = store.find_vendor("Acme")
    return store.latest_run(vendor.id, "objectives")


async def open_objectives(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")  # open the highlighted vendor
    assert isinstance(pilot.app.screen, VendorScreen)
    await open_playbook(pilot, "objectives")
    assert isinstance(pilot.app.screen, RunnerScreen)


async def test_walk_quit_resume_and_finish_with_the_keyboard(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_objectives(pilot)
        assert "Step 1 of 5 · Why outsource" in screen_text(app)
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space", "down", "space")  # tick both checklist items
        await pilot.press("tab", *"Backlog [bold]grows[/")  # long text
        await pilot.press("tab", "down", "enter")  # choice: the second option
        await pilot.press("tab", *"Dana")  # short text
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 2 of 5 · Scope: in and out" in screen_text(app)
        run = objectives_run(data_dir)
        assert run.answers == {
            "problem": "Backlog [bold]grows[/",
            "main_driver": "Skills we lack",
            "sponsor": "Dana",
        }
        assert len(run.checked) == 2 and run.step_index == 1

        await pilot.press("space", "tab", *"Tier 1 tickets")
        await pilot.press("ctrl+q")  # quit while typing: the text is saved on the way out
    assert app.return_code == 0
    run = objectives_run(data_dir)
    assert run.answers["in_scope"] == "Tier 1 tickets"
    assert len(run.checked) == 3 and not run.completed

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_objectives(pilot)
        assert "Step 2 of 5 · Scope: in and out" in screen_text(app)
        assert app.screen.query_one("#q-in_scope TextArea", TextArea).text == "Tier 1 tickets"
        checklist = app.screen.query_one("#checklist", SelectionList)
        assert len(checklist.selected) == 1
        await pilot.press("tab", "tab", *"Payroll")  # out of scope
        await pilot.press("tab", "space", "down", "down", "space")  # multi-choice
        await pilot.press("ctrl+n")
        await pilot.pause()

        assert "Step 3 of 5" in screen_text(app)
        await pilot.press("tab", *"Weekly report", "tab", *"First reply within 4 hours")
        await pilot.press("tab", *"2026-02-30", "tab")  # a date that does not exist
        assert "2026-02-30 is not a real calendar date" in screen_text(app)
        await pilot.press("ctrl+n")
        assert "▶ 3. Deliverables" in screen_text(app)  # refused: still here
        assert "target_start" not in objectives_run(data_dir).answers
        date_input = app.screen.query_one("#q-target_start Input", Input)
        assert app.focused is date_input
        await pilot.press("ctrl+u", *"2026-03-01")
        assert "not a real calendar date" not in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()

        assert "Step 4 of 5" in screen_text(app)
        await pilot.press("tab", *"Ops lead")
        await pilot.press("ctrl+n")
        await pilot.pause()

        assert "Step 5 of 5 · Constraints, dependencies and budget" in screen_text(app)
        await pilot.press("tab", "tab", *"-5", "tab")  # below min
        assert "must be at least 0 EUR" in screen_text(app)
        assert "annual_budget" not in objectives_run(data_dir).answers
        await pilot.press("shift+tab", "ctrl+u", *"120000", "tab")
        assert "must be at least" not in screen_text(app)
        await pilot.press("enter")  # yes-no: Yes
        await pilot.press("tab", "right", "right", "right", "enter")  # rating 4
        await pilot.press("ctrl+n")  # finish
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Checklist: 3/13 done (23%)" in text
        assert "Questions: 13/16 answered" in text
        assert "Backlog [bold]grows[/" in text
        await pilot.press("end")  # scroll to the last answers
        text = screen_text(app)
        assert "120000 EUR" in text and "4 / 5" in text

    run = objectives_run(data_dir)
    assert run.completed
    assert run.answers == {
        "problem": "Backlog [bold]grows[/",
        "main_driver": "Skills we lack",
        "sponsor": "Dana",
        "in_scope": "Tier 1 tickets",
        "out_of_scope": "Payroll",
        "service_areas": ["Customer support", "IT operations"],
        "deliverables": "Weekly report",
        "outcomes": "First reply within 4 hours",
        "target_start": "2026-03-01",
        "our_owner": "Ops lead",
        "annual_budget": 120000,
        "budget_approved": True,
        "clarity": 4,
    }


async def test_finish_refuses_blank_required_answers(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_objectives(pilot)
        for _ in range(5):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        text = screen_text(app)
        assert "▶ 1. Why outsource" in text
        assert "this question needs an answer before you can finish" in text
        assert isinstance(app.focused, TextArea)  # the first blank required question
    assert not objectives_run(data_dir).completed


async def test_a_finished_playbook_opens_its_summary_and_can_be_edited(
    make_app, data_dir: Path
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    playbook = app.library.get("onboarding")
    run = store.start_run(vendor.id, playbook)
    store.complete_run(vendor.id, run.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "onboarding")
        assert isinstance(app.screen, SummaryScreen)
        assert "Onboard a new vendor — completed" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert "completed" in screen_text(app)
        await pilot.press("n")  # start afresh
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
    assert len(Store(data_dir).runs(vendor.id)) == 2


async def test_start_again_does_not_abandon_a_run_in_progress(make_app, data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    store.start_run(vendor.id, app.library.get("objectives"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter", "n")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert "Already in progress: press enter to resume it." in notifications(app)
    assert len(Store(data_dir).runs(vendor.id)) == 1


async def test_a_vendor_file_broken_while_running_is_named_not_overwritten(
    make_app, data_dir: Path
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme [x]"))
    app = make_app()
    run = store.start_run(vendor.id, app.library.get("objectives"))
    path = store.run_path(vendor.id, run.id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        path.write_text("{ broken")
        await pilot.press("enter")
        await pilot.pause()
        assert f"acme-x/{run.id}.json is not valid JSON" in notifications(app)
        await pilot.press("enter")  # trying to open a playbook says so again
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
        assert app.return_code is None  # still running
    assert path.read_text() == "{ broken"


async def test_a_save_that_fails_keeps_the_answer_and_asks_before_quitting(
    make_app, data_dir: Path, monkeypatch
) -> None:
    from outsource_tui.errors import StoreError

    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()

    def disk_full(*args, **kwargs):
        raise StoreError("cannot save acme.json: No space left on device")

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_objectives(pilot)
        monkeypatch.setattr(app.store, "save_answer", disk_full)
        await pilot.press("tab", *"Backlog")
        await pilot.press("escape")  # leaving would lose it: stay
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert "Not saved: cannot save acme.json: No space left on device" in notifications(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # the first ctrl+q warns
        assert "Press ctrl+q again to quit without them." in notifications(app)
        monkeypatch.undo()
        await pilot.press("ctrl+q")  # the disk recovered: this one saves and quits
    assert app.return_code == 0
    assert objectives_run(data_dir).answers == {"problem": "Backlog"}


async def test_editing_a_finished_run_returns_to_one_summary(make_app, data_dir: Path) -> None:
    app = make_app()
    onboarding = app.library.get("onboarding")
    earlier = "2020-01-06T09:00:00+00:00"
    finished_earlier = Run(  # finished on an earlier day, with nothing answered
        id="a1b2c3d4e5f6",
        vendor_id="",
        playbook_id=onboarding.id,
        playbook_digest=onboarding.digest,
        playbook_title=onboarding.title,
        started_at="2020-01-02T09:00:00+00:00",
        completed_at=earlier,
    )
    (vendor,) = Store(data_dir).import_portfolio([(VendorDraft(name="Acme"), [finished_earlier])])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "onboarding")
        assert isinstance(app.screen, SummaryScreen)
        assert "Onboard a new vendor — completed 2020-01-06" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        # The required questions of playbooks/onboarding.md, typed in step by step: each step
        # opens on its checklist, tab goes on to the questions in order.
        assert "Step 1 of 6 · Kickoff" in screen_text(app)
        await pilot.press("tab", *"2026-03-02")  # kickoff_date
        await pilot.press("tab", *"Ana Lima")  # partner_lead
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 2 of 6 · Access and tools" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 3 of 6 · Knowledge transfer" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 4 of 6 · Training and support for your own team" in screen_text(app)
        await pilot.press("tab", "tab", "enter")  # past training_needed to team_ready: Yes
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 5 of 6 · First deliverable" in screen_text(app)
        await pilot.press("tab", *"Tier 1 ticket triage")  # first_deliverable
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Step 6 of 6 · 30, 60 and 90-day check-ins" in screen_text(app)
        await pilot.press("tab", "down", "enter")  # onboarding_health: the second option
        await pilot.press("ctrl+n")  # finish
        await settle(pilot)

        summaries = [s for s in app.screen_stack if isinstance(s, SummaryScreen)]
        assert len(summaries) == 1  # back to the summary it was opened from, not a second one
        assert app.screen is summaries[0]
        text = screen_text(app)
        assert "Onboard a new vendor — completed" in text
        assert "completed 2020-01-06" not in text  # finished again, today
        assert "Checklist: 0/21 done (0%)   Questions: 5/14 answered" in text  # redrawn
        assert "2026-03-02" in text and "Ana Lima" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)

    finished = Store(data_dir).get_run(vendor.id, finished_earlier.id)
    assert finished.completed and finished.completed_at != earlier
    assert finished.answers == {
        "kickoff_date": "2026-03-02",
        "partner_lead": "Ana Lima",
        "team_ready": True,
        "first_deliverable": "Tier 1 ticket triage",
        "onboarding_health": "Some concerns",
    }


async def test_the_intro_opens_step_one_and_the_summary_shows_on_the_vendor_screen(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    playbook = app.library.get("objectives")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert playbook.summary in screen_text(app)
        await open_playbook(pilot, "objectives")
        assert " ".join(playbook.intro.split()[:6]) in screen_text(app)


async def test_the_step_list_narrows_on_a_narrow_terminal(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_objectives(pilot)
        steps = app.screen.query_one("#steps")
        assert steps.size.width <= 22
        assert "ticked ·" not in str(app.screen.query_one("#step-0").render())
        assert "Step 1 of 5 · Why outsource" in screen_text(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert steps.size.width > 22
        assert "0/2 ticked" in str(app.screen.query_one("#step-0").render())
