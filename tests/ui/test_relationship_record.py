"""One record of each relationship: what a playbook captures is what the app computes with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from outsource_tui.cli import main
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.store import store as store_module
from outsource_tui.tui.screens.runner import RunnerScreen

from .conftest import SIZE, open_playbook, screen_text, settle


async def test_stepping_through_a_half_done_playbook_keeps_its_reminder(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    # Work was last done on the run on 1 October...
    with monkeypatch.context() as clock:
        clock.setattr(store_module, "now", lambda: "2026-10-01T10:00:00+00:00")
        run = store.start_run(vendor.id, make_app().library.get("objectives"))
        store.save_answer(vendor.id, run.id, "problem", "Backlog")
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-01")

    # ...and on 1 November the user opens it, steps forward and back, changes nothing, leaves.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "objectives")
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

    assert main(["due", "--json", "--today", "2026-11-01"]) == 0
    items = json.loads(capsys.readouterr().out)
    reminders = [i for i in items if i["kind"] == "playbook"]
    assert [(r["date"], r["what"], r["overdue"]) for r in reminders] == [
        (
            "2026-10-15",
            "Define objectives and scope: left half done since 2026-10-01",
            True,
        )
    ]


async def test_contract_dates_and_terms_that_disagree_are_called_out(
    make_app, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(data_dir)
    store.add_vendor(
        VendorDraft(name="Acme", contract_start="2026-01-15", contract_end="2027-12-31")
    )
    store.set_contract("acme", "2026-01-15", {"initial_months": 12, "renewal": "automatic"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
    assert "Dates and terms disagree: the contract end date 2027-12-31 is not the end" in text
    assert main(["due", "--json", "--today", "2026-12-01"]) == 0
    warnings = [
        i["what"] for i in json.loads(capsys.readouterr().out) if i["kind"] == "contract-terms"
    ]
    assert warnings == [
        "the contract end date 2027-12-31 is not the end of the first term: 12 months from "
        "2026-01-15 end on 2027-01-14. Change the end date (e) or the first term (t)"
    ]


async def test_new_contract_terms_start_from_the_vendors_dates(make_app, data_dir: Path) -> None:
    Store(data_dir).add_vendor(
        VendorDraft(name="Acme", contract_start="2026-01-15", contract_end="2028-01-14")
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one("#initial_months", Input).value == "24"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
    assert Store(data_dir).get_vendor("acme").contract["initial_months"] == 24
    assert "Dates and terms disagree" not in text
    assert "term 1 ends 2028-01-14" in text


async def test_the_notice_date_typed_in_the_exit_playbook_reaches_every_screen(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-12-01")
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Kestrel Labs", contract_start="2025-01-23"))
    store.set_contract(
        "kestrel-labs",
        "2025-01-23",
        {"initial_months": 12, "renewal": "automatic", "notice_days": 60},
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "notice missed; exit 2028-01-22" in screen_text(app)
        await pilot.press("enter")
        await open_playbook(pilot, "exit-transition")
        await pilot.press("ctrl+n")  # step 2: notice and contract terms
        await pilot.pause()
        assert "last notice day 2026-11-23" in screen_text(app)
        app.screen.query_one("#q-notice_given_date Input", Input).focus()
        await pilot.press(*"2026-09-22", "tab")
        await pilot.pause()
        assert "Notice given 2026-09-22: the contract ends 2027-01-22" in screen_text(app)
        await pilot.press("escape")  # back to the vendor
        await pilot.pause()
        assert "notice given 2026-09-22: the contract ends 2027-01-22" in screen_text(app)
        await pilot.press("escape")  # and the dashboard
        await settle(pilot)
        assert "notice given; ends 2027-01-22" in screen_text(app)
    assert Store(data_dir).get_vendor("kestrel-labs").notice_given == "2026-09-22"
    assert main(["due", "--json", "--within", "90d"]) == 0
    contract = [
        (i["date"], i["what"])
        for i in json.loads(capsys.readouterr().out)
        if i["kind"] in ("contract-end", "notice-missed", "notice", "decide")
    ]
    assert contract == [("2027-01-22", "contract ends 2027-01-22 (notice given 2026-09-22)")]


async def test_the_partner_time_zone_typed_in_cultural_fit_is_the_vendors(
    make_app, data_dir: Path
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme", timezone="Asia/Manila"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "cultural-fit")
        zone = app.screen.query_one("#q-their_time_zone Input", Input)
        assert zone.value == "Asia/Manila"  # the vendor record's zone, shown where it is asked
        zone.focus()
        await pilot.press("ctrl+u", *"Europe/Lisbon", "tab")
        await pilot.pause()
        panel = str(app.screen.query_one("#context", Static).render())
        assert "Acme: Europe/Lisbon 09:00-17:00" in panel  # the overlap panel follows at once
        await pilot.press("escape")
        await pilot.pause()
        assert "Time zone: Europe/Lisbon" in screen_text(app)
    assert Store(data_dir).get_vendor("acme").timezone == "Europe/Lisbon"


def test_a_mistaken_run_is_abandoned_from_the_command_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    with monkeypatch.context() as clock:
        clock.setattr(store_module, "now", lambda: "2026-10-01T10:00:00+00:00")
        from outsource_tui.domain.library import load_library

        run = store.start_run(vendor.id, load_library().get("onboarding"))
    assert main(["due", "--json", "--today", "2026-11-01"]) == 0
    assert [i["kind"] for i in json.loads(capsys.readouterr().out)] == ["playbook"]

    assert main(["abandon", "onboarding", "--vendor", "acme"]) == 0
    assert "Abandoned Onboard a new vendor for Acme (started 2026-10-01)" in (
        capsys.readouterr().out
    )
    assert Store(data_dir).runs(vendor.id) == []  # out of every count...
    kept = Store(data_dir).runs(vendor.id, abandoned=True)
    assert [r.id for r in kept] == [run.id] and kept[0].abandoned  # ...and kept on disk
    assert main(["due", "--json", "--today", "2026-11-01"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["abandon", "onboarding", "--vendor", "acme"]) == 1
    assert "no run of onboarding to abandon" in capsys.readouterr().err


async def test_a_run_is_abandoned_from_the_vendor_screen(make_app, data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    run = store.start_run(vendor.id, app.library.get("objectives"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "in progress, step 1 of 5" in screen_text(app)
        await pilot.press("delete")  # the highlighted playbook is the first: objectives
        await pilot.pause()
        assert "Abandon Define objectives and scope (in progress" in screen_text(app)
        await pilot.press("enter")  # "Abandon it" has focus
        await pilot.pause()
        assert "in progress" not in screen_text(app).split("Define objectives and scope")[1][:80]
    assert Store(data_dir).runs(vendor.id) == []
    assert Store(data_dir).runs(vendor.id, abandoned=True)[0].id == run.id


async def test_a_review_of_a_period_not_begun_is_started_only_when_meant(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-12-01")  # in 2026-Q4
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "quarterly-review")
        await pilot.press("ctrl+u", *"2027-Q2", "enter")
        await pilot.pause()
        said = str(app.screen.query_one("#period-error", Static).render())
        assert "2027-Q2 has not begun yet (this is 2026-Q4): press enter again" in said
        assert Store(data_dir).runs("acme") == []  # nothing started yet
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
    assert [r.period for r in Store(data_dir).runs("acme")] == ["2027-Q2"]


async def test_finishing_onboarding_offers_to_make_the_vendor_active(
    make_app, data_dir: Path
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme", status="onboarding"))
    app = make_app()
    run = store.start_run(vendor.id, app.library.get("onboarding"))
    for question_id, value in {
        "kickoff_date": "2026-11-02",
        "partner_lead": "Ana Lima",
        "team_ready": True,
        "first_deliverable": "Tier 1 triage",
        "onboarding_health": "On track",
    }.items():
        store.save_answer(vendor.id, run.id, question_id, value)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "onboarding")
        for _ in range(6):
            await pilot.press("ctrl+n")
            await pilot.pause()
        question = str(app.screen.query_one("#dialog Static", Static).render())
        assert "Onboarding of Acme is complete. Make it active?" in question
        await pilot.press("enter")  # "Make it active" has focus
        await pilot.pause()
    assert Store(data_dir).get_vendor(vendor.id).status == "active"
    assert Store(data_dir).get_run(vendor.id, run.id).completed


async def test_resuming_past_a_blank_required_answer_offers_to_go_there(
    make_app, data_dir: Path
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    run = store.start_run(vendor.id, app.library.get("onboarding"))
    store.set_step(vendor.id, run.id, 2, "")  # left at step 3, step 1's kickoff date blank
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "onboarding")
        assert "Step 3 of 6" in screen_text(app)
        said = "\n".join(str(n.message) for n in app._notifications)
        assert "A required answer is still blank in step 1: Kickoff date (YYYY-MM-DD)." in said
        assert "Press ctrl+g to go there." in said
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert str(app.screen.query_one("#step-title", Static).render()).startswith("Step 1 of 6")
        focused = app.focused
        assert focused is not None and focused.parent is not None
        assert any(a.id == "q-kickoff_date" for a in focused.ancestors_with_self)


def test_a_finished_run_is_abandoned_only_when_said_twice(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from outsource_tui.domain.library import load_library

    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    library = load_library()
    sla = store.start_run(vendor.id, library.get("sla-kpis"))
    store.complete_run(vendor.id, sla.id)
    store.start_run(vendor.id, library.get("quarterly-review"), period="2026-Q3")
    assert main(["abandon", "sla-kpis", "--vendor", "Acme"]) == 1
    assert "add --finished to do so" in capsys.readouterr().err
    assert main(["abandon", "quarterly-review", "--vendor", "Acme"]) == 1
    assert "--period: name the review period" in capsys.readouterr().err
    assert len(Store(data_dir).runs(vendor.id)) == 2  # nothing abandoned yet
    assert main(["abandon", "sla-kpis", "--vendor", "Acme", "--finished"]) == 0
    assert [r.playbook_id for r in Store(data_dir).runs(vendor.id)] == ["quarterly-review"]


async def test_abandoning_a_finished_run_defaults_to_keeping_it(make_app, data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    app = make_app()
    run = store.start_run(vendor.id, app.library.get("objectives"))
    store.complete_run(vendor.id, run.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("delete", "enter")  # enter alone keeps it
        await pilot.pause()
    assert [r.id for r in Store(data_dir).runs(vendor.id)] == [run.id]


async def test_a_refused_notice_date_keeps_the_recorded_one_and_says_why_in_place(
    make_app, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-12-01")
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme", contract_start="2025-01-01"))
    store.set_contract("acme", "2025-01-01", {"initial_months": 24, "renewal": "automatic"})
    store.set_vendor_facts("acme", {"notice_given": "2026-09-15"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await open_playbook(pilot, "exit-transition")
        await pilot.press("ctrl+n")
        await pilot.pause()
        date_field = app.screen.query_one("#q-notice_given_date Input", Input)
        assert date_field.value == "2026-09-15"  # the record's date, shown where it is asked
        date_field.focus()
        await pilot.press("ctrl+u")
        await pilot.pause(1.0)  # a pause with the field cleared erases nothing
        assert Store(data_dir).get_vendor("acme").notice_given == "2026-09-15"
        await pilot.press(*"2024-06-01", "tab")
        await pilot.pause()
        error = str(app.screen.query_one("#q-notice_given_date .error", Static).render())
    assert "not saved: notice cannot be given before the contract starts (2025-01-01)" in error
    assert Store(data_dir).get_vendor("acme").notice_given == "2026-09-15"
