"""The app and the plain mode make the same choice when a playbook is opened for a vendor.

Each case is set up once, then copied, so both front ends start from the very same store
(the same run ids). The app is driven with Pilot as a user would: enter on the vendor, down
to the playbook, enter, the period typed when asked. The plain mode is driven through a pipe
and stopped with ctrl+c at its first prompt. What each one did is read back from its store
and its screen, and the two are compared.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from textual.widgets import Input

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.playbook import Cadence, Playbook
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.paths import user_playbook_dir
from outsource_tui.prompts import run_plain
from outsource_tui.services import Services
from outsource_tui.store import Store
from outsource_tui.tui.app import OutsourceApp
from outsource_tui.tui.screens.period import PeriodScreen
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.summary import SummaryScreen
from outsource_tui.tui.screens.vendor import VendorScreen

from .conftest import SIZE, notifications, screen_text, settle

CTRL_C = "\x03"
VENDOR = "Acme Support"
VENDOR_ID = "acme-support"
TODAY = "2026-08-10"  # in 2026-Q3: Q1 and Q2 have ended

STARTED, RESUMED, FINISHED, REFUSED = "started", "resumed", "finished", "refused"


class Screen(DummyOutput):
    """A dummy terminal that keeps the text written to it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Seen:
    """What one front end did: the kind of decision and the run it showed or walked."""

    kind: str
    run_id: str  # the run shown (app) or walked (plain mode)
    new: bool  # a run that was not in the store before
    runs_after: int
    period: str


def library_for(data_dir: Path) -> Library:
    return load_library([user_playbook_dir(data_dir)])


def book(books: Library, playbook_id: str) -> Playbook:
    playbook = books.get(playbook_id)
    assert playbook is not None, playbook_id
    return playbook


# -- the cases ---------------------------------------------------------------------------


def finish(store: Store, run_id: str) -> None:
    store.complete_run(VENDOR_ID, run_id)


def nothing_yet(store: Store, books: Library) -> dict[str, str]:
    return {}


def onboarding_in_progress(store: Store, books: Library) -> dict[str, str]:
    run = store.start_run(VENDOR_ID, book(books, "onboarding"))
    store.save_answer(VENDOR_ID, run.id, "kickoff_date", "2026-07-01")
    store.set_step(VENDOR_ID, run.id, 1)  # on step 2, by position only
    return {"open": run.id}


def objectives_finished(store: Store, books: Library) -> dict[str, str]:
    run = store.start_run(VENDOR_ID, book(books, "objectives"))
    store.save_answer(VENDOR_ID, run.id, "problem", "Backlog grows")
    finish(store, run.id)
    return {"done": run.id}


def review_q1_finished(store: Store, books: Library) -> dict[str, str]:
    run = store.start_run(VENDOR_ID, book(books, "quarterly-review"), period="2026-Q1")
    store.save_answer(VENDOR_ID, run.id, "meeting_date", "2026-04-10")
    finish(store, run.id)
    return {"done": run.id}


def review_q1_finished_q2_in_progress(store: Store, books: Library) -> dict[str, str]:
    done = review_q1_finished(store, books)["done"]
    run = store.start_run(VENDOR_ID, book(books, "quarterly-review"), period="2026-Q2")
    store.set_step(VENDOR_ID, run.id, 1)
    return {"done": done, "open": run.id}


@dataclass(frozen=True)
class Case:
    name: str
    playbook: str
    setup: Callable[[Store, Library], dict[str, str]]
    period: str | None  # typed into the app's period prompt / --period; None: the default
    kind: str  # what both must decide
    run: str | None  # which set-up run both must choose; None: a new one
    period_after: str  # the period of the run chosen
    plain_says: str  # a line the plain mode prints for this decision
    app_says: str  # what the app's screen shows for it


CASES = [
    Case(
        "no run yet",
        "onboarding",
        nothing_yet,
        None,
        STARTED,
        None,
        "",
        "Step 1 of 6 · Kickoff",
        "Step 1 of 6 · Kickoff",
    ),
    Case(
        "a run in progress",
        "onboarding",
        onboarding_in_progress,
        None,
        RESUMED,
        "open",
        "",
        "Resuming at step 2 of 6.",
        "Step 2 of 6 · Access and tools",
    ),
    Case(
        "a finished one-off playbook",
        "objectives",
        objectives_finished,
        None,
        FINISHED,
        "done",
        "",
        "Define objectives and scope was completed on",
        "Define objectives and scope — completed",
    ),
    Case(
        "a finished review opened for the same period",
        "quarterly-review",
        review_q1_finished,
        "2026-Q1",
        FINISHED,
        "done",
        "2026-Q1",
        "2026-Q1 was completed on",
        "Quarterly business review for 2026-Q1 — completed",
    ),
    Case(
        "a finished review opened for a new period",
        "quarterly-review",
        review_q1_finished,
        "2026-Q2",
        STARTED,
        None,
        "2026-Q2",
        "Quarterly business review for Acme Support, 2026-Q2",
        "Step 1 of 7 · Prepare",
    ),
    Case(
        "a review in progress, the default period accepted",
        "quarterly-review",
        review_q1_finished_q2_in_progress,
        None,
        RESUMED,
        "open",
        "2026-Q2",
        "Resuming at step 2 of 7.",
        "Step 2 of 7 · KPI results",
    ),
]


def set_up(data_dir: Path, tmp_path: Path, case: Case) -> tuple[dict[str, str], Path]:
    """The case's store in ``data_dir`` (for the app) and an exact copy (for the plain mode)."""
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name=VENDOR))
    made = case.setup(store, library_for(data_dir))
    copy = tmp_path / "plain-data"
    shutil.copytree(data_dir, copy)
    return made, copy


# -- the two front ends ------------------------------------------------------------------


def kind_of(before: set[str], run_id: str, finished: bool) -> str:
    if run_id not in before:
        return STARTED
    return FINISHED if finished else RESUMED


async def highlight(pilot, playbook_id: str) -> None:
    """On the vendor screen, move the highlight to ``playbook_id`` (no enter)."""
    ids = [p.id for p in pilot.app.library]
    await pilot.press("home", *["down"] * ids.index(playbook_id))
    await pilot.pause()


async def answer_period(pilot, period: str | None) -> None:
    """In the period prompt: type the period over the suggested one, or accept the default."""
    assert isinstance(pilot.app.screen, PeriodScreen)
    if period is not None:
        await pilot.press("ctrl+u", *period)
    await pilot.press("enter")
    await settle(pilot)


def in_the_app(
    data_dir: Path, playbook: str, period: str | None, *, again: bool = False
) -> tuple[Seen, str, OutsourceApp]:
    """Open the playbook in the app as a user would; what it showed, and the screen text."""
    before = {r.id for r in Store(data_dir).runs(VENDOR_ID)}
    app = OutsourceApp(Services(Store(data_dir), library_for(data_dir)))

    async def drive() -> tuple[str, str, bool]:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # the only vendor
            await settle(pilot)
            assert isinstance(app.screen, VendorScreen)
            await highlight(pilot, playbook)
            await pilot.press("n" if again else "enter")
            await settle(pilot)
            if book(app.library, playbook).cadence is not Cadence.ONCE:
                await answer_period(pilot, period)
            screen = app.screen
            if isinstance(screen, VendorScreen):  # nothing opened
                return "", screen_text(app) + "\n" + notifications(app), False
            assert isinstance(screen, RunnerScreen | SummaryScreen), screen
            return screen.run_id, screen_text(app), isinstance(screen, SummaryScreen)

    run_id, text, summary = asyncio.run(drive())
    runs = {r.id: r for r in Store(data_dir).runs(VENDOR_ID)}
    if not run_id:
        return Seen(REFUSED, "", False, len(runs), ""), text, app
    kind = kind_of(before, run_id, summary)
    return Seen(kind, run_id, run_id not in before, len(runs), runs[run_id].period), text, app


def in_plain_mode(
    data_dir: Path, playbook: str, period: str | None, *, again: bool = False
) -> tuple[Seen, str, int]:
    """Run the plain mode, stopped with ctrl+c at its first prompt; what it walked."""
    store = Store(data_dir)
    before = {r.id: (r.step_index, r.step_id) for r in store.runs(VENDOR_ID)}
    screen = Screen()
    with create_pipe_input() as pipe:
        pipe.send_text(CTRL_C)
        code = run_plain(
            store,
            library_for(data_dir),
            VENDOR,
            playbook,
            period=period,
            again=again,
            input=pipe,
            output=screen,
        )
    after = Store(data_dir).runs(VENDOR_ID)
    # The plain mode records the step it is on before asking anything: that is the run walked.
    touched = [r for r in after if before.get(r.id) != (r.step_index, r.step_id)]
    assert len(touched) == 1, (touched, screen.text)
    walked = touched[0]
    finished = "was completed on" in screen.text
    seen = Seen(
        kind_of(set(before), walked.id, finished),
        walked.id,
        walked.id not in before,
        len(after),
        walked.period,
    )
    return seen, screen.text, code


# -- the tests ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_both_front_ends_open_the_same_run(case: Case, data_dir: Path, tmp_path: Path) -> None:
    made, plain_dir = set_up(data_dir, tmp_path, case)
    runs_before = len(made)

    app_seen, app_text, _ = in_the_app(data_dir, case.playbook, case.period)
    plain_seen, plain_text, code = in_plain_mode(plain_dir, case.playbook, case.period)

    # What each one did, against what the rule says for this case...
    expected_id = made[case.run] if case.run else None
    for seen in (app_seen, plain_seen):
        assert seen.kind == case.kind
        assert seen.new is (case.run is None)
        if expected_id is not None:
            assert seen.run_id == expected_id
        assert seen.runs_after == runs_before + (1 if case.kind == STARTED else 0)
        assert seen.period == case.period_after
    assert case.app_says in app_text
    assert case.plain_says in plain_text
    assert code == 130 and "Traceback" not in plain_text
    if case.kind != FINISHED:
        assert "was completed on" not in plain_text
    if case.kind != RESUMED:
        assert "Resuming at step" not in plain_text

    # ...and against each other: the same decision, the same run (or both one new run).
    assert (app_seen.kind, app_seen.new, app_seen.runs_after, app_seen.period) == (
        plain_seen.kind,
        plain_seen.new,
        plain_seen.runs_after,
        plain_seen.period,
    )
    if not app_seen.new:
        assert app_seen.run_id == plain_seen.run_id


@pytest.mark.timeout(90)
def test_the_default_period_is_the_same_in_both(data_dir: Path, tmp_path: Path) -> None:
    # Q1 reviewed, nothing since: both suggest Q2 (ended, not yet reviewed) and start it.
    made, plain_dir = set_up(data_dir, tmp_path, CASES[3])
    app = OutsourceApp(Services(Store(data_dir), library_for(data_dir)))

    async def suggested() -> str:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await highlight(pilot, "quarterly-review")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PeriodScreen)
            return app.screen.query_one("#period", Input).value

    assert asyncio.run(suggested()) == "2026-Q2"
    app_seen, _, _ = in_the_app(data_dir, "quarterly-review", None)
    plain_seen, plain_text, _ = in_plain_mode(plain_dir, "quarterly-review", None)
    assert app_seen.kind == plain_seen.kind == STARTED
    assert app_seen.period == plain_seen.period == "2026-Q2"
    assert app_seen.runs_after == plain_seen.runs_after == len(made) + 1
    assert "--period 2026-Q2" in plain_text  # the resume command names it


@pytest.mark.timeout(90)
def test_again_on_a_finished_one_off_starts_one_new_run_like_n(
    data_dir: Path, tmp_path: Path
) -> None:
    made, plain_dir = set_up(data_dir, tmp_path, CASES[2])  # objectives, finished

    app_seen, app_text, _ = in_the_app(data_dir, "objectives", None, again=True)
    plain_seen, plain_text, code = in_plain_mode(plain_dir, "objectives", None, again=True)

    for seen in (app_seen, plain_seen):
        assert seen.kind == STARTED and seen.new
        assert seen.run_id != made["done"]
        assert seen.runs_after == 2
    assert "Step 1 of 5 · Why outsource" in app_text
    assert code == 130
    assert "was completed on" not in plain_text
    assert "Step 1 of 5 · Why outsource" in plain_text
    for folder in (data_dir, plain_dir):
        runs = Store(folder).runs(VENDOR_ID)
        old = next(r for r in runs if r.id == made["done"])
        new = next(r for r in runs if r.id != made["done"])
        assert old.completed and old.answers == {"problem": "Backlog grows"}  # kept as it was
        assert not new.completed and new.answers == {}


@pytest.mark.timeout(90)
def test_again_on_a_run_in_progress_starts_nothing_in_either(
    data_dir: Path, tmp_path: Path
) -> None:
    made, plain_dir = set_up(data_dir, tmp_path, CASES[1])  # onboarding, in progress

    app_seen, app_text, _ = in_the_app(data_dir, "onboarding", None, again=True)
    plain_seen, plain_text, _ = in_plain_mode(plain_dir, "onboarding", None, again=True)

    # The app stays on the vendor screen and says so; the plain mode carries on with the run.
    assert app_seen.kind == REFUSED
    assert "Already in progress: press enter to resume it." in app_text
    assert plain_seen.kind == RESUMED and plain_seen.run_id == made["open"]
    assert "already in progress: resuming it" in plain_text
    assert app_seen.runs_after == plain_seen.runs_after == 1


@pytest.mark.timeout(90)
def test_again_on_a_finished_review_reopens_that_period_in_both(
    data_dir: Path, tmp_path: Path
) -> None:
    # A period has one run: starting afresh reopens it rather than adding a second.
    made, plain_dir = set_up(data_dir, tmp_path, CASES[3])

    app_seen, _, _ = in_the_app(data_dir, "quarterly-review", "2026-Q1", again=True)
    plain_seen, plain_text, _ = in_plain_mode(plain_dir, "quarterly-review", "2026-Q1", again=True)

    assert app_seen.kind == plain_seen.kind == FINISHED
    assert app_seen.run_id == plain_seen.run_id == made["done"]
    assert app_seen.runs_after == plain_seen.runs_after == 1
    assert "2026-Q1 was completed on" in plain_text
