"""Several reviewers in the app: each rates from the keyboard on their own, and the scorecard
and the comparison show the median, how many rated, and the ratings to discuss.

The medians and spreads are worked out by hand beside the ratings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.paths import user_playbook_dir
from outsource_tui.services import Clock, Services
from outsource_tui.store import Store
from outsource_tui.tui.app import OutsourceApp
from outsource_tui.tui.screens.compare import CompareScreen
from outsource_tui.tui.screens.period import PeriodScreen
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.scorecard import ScorecardScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.widgets.question_field import QuestionField

from .conftest import SIZE, open_playbook, screen_text, settle

TODAY = date(2026, 7, 15)  # 2026-Q2 has ended: the review the app suggests
RATINGS = ("quality_rating", "timeliness_rating", "responsiveness_rating", "communication_rating")
# quality, timeliness, responsiveness, communication
GIVEN = {
    "Ana": (2, 4, 3, 5),
    "Ben": (5, 4, 3, 3),
    "Cy": (4, 5, 3, 4),
}
# By hand: quality 2, 5, 4 -> median 4, spread 3 (to discuss); timeliness 4, 4, 5 -> 4,
# spread 1; responsiveness 3, 3, 3 -> 3, spread 0; communication 5, 3, 4 -> 4, spread 2
# (to discuss). Scores 4 -> 75, 3 -> 50: (3*75 + 2*75 + 2*50 + 2*75) / 9 = 69.4, shown 69.


def library_for(data_dir: Path) -> Library:
    return load_library([user_playbook_dir(data_dir)])


def app_as(data_dir: Path, reviewer: str = "") -> OutsourceApp:
    services = Services(
        Store(data_dir), library_for(data_dir), Settings(reviewer=reviewer), Clock(TODAY)
    )
    return OutsourceApp(services)


def review(data_dir: Path):
    store = Store(data_dir)
    found = store.latest_run(store.find_vendor("Acme").id, "quarterly-review")
    assert found is not None
    return found


async def rate_the_service(data_dir: Path, reviewer: str, ratings: tuple[int, ...]) -> list:
    """Open Acme's review for the suggested period as ``reviewer``, go to the ratings step
    and rate each area with the arrow keys; returns what the fields showed on arrival."""
    app = app_as(data_dir, reviewer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open Acme
        assert isinstance(app.screen, VendorScreen)
        await open_playbook(pilot, "quarterly-review")
        assert isinstance(app.screen, PeriodScreen)
        await pilot.press("enter")  # the suggested period, 2026-Q2
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        for _ in range(3):
            if "· Rate the service" in screen_text(app):
                break
            await pilot.press("ctrl+n")
            await pilot.pause()
        text = screen_text(app)
        assert "Step 3 of 7 · Rate the service" in text
        assert f"Acme · 2026-Q2 · rating as {reviewer}" in text  # the header says who
        assert f"Rating as {reviewer}: these ratings are yours alone" in text
        fields = [app.screen.query_one(f"#q-{qid}", QuestionField) for qid in RATINGS]
        shown = [field.raw_value() for field in fields]
        for value in ratings:
            await pilot.press("tab", *["right"] * (value - 1), "enter")
        await pilot.press("escape")  # back to the vendor: every rating is saved
        await pilot.pause()
        assert isinstance(app.screen, VendorScreen)
    return shown


@pytest.mark.timeout(120)
async def test_three_reviewers_rate_in_the_app_and_the_scorecard_shows_the_median(
    data_dir: Path,
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))

    for reviewer, ratings in GIVEN.items():
        shown = await rate_the_service(data_dir, reviewer, ratings)
        # Each reviewer starts from their own blank ratings, never another's.
        assert shown == [None, None, None, None]

    stored = review(data_dir)
    assert stored.ratings_by == {
        name: dict(zip(RATINGS, ratings, strict=True)) for name, ratings in GIVEN.items()
    }
    assert not set(RATINGS) & set(stored.answers)

    # Ana opens the review again: she sees her own ratings, as she left them.
    shown = await rate_the_service(data_dir, "Ana", ())
    assert shown == [2, 4, 3, 5]

    app = app_as(data_dir)
    # Wide enough for each rating's row on one line (narrower, the longest prompt wraps).
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s")  # Acme, then its scorecard
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        text = screen_text(app)
    assert "Ratings 69" in text
    assert "⚑ Quality of deliverables: discuss: ratings differ by 3" in text
    assert "⚑ Communication: clear, honest and early?: discuss: ratings differ by 2" in text
    assert "differ by 1" not in text and "differ by 0" not in text
    rows = [" ".join(line.split()) for line in text.splitlines()]  # columns one space apart
    assert "Rating Weight Median Score Reviewers Spread By reviewer" in rows
    # weight, median, score, how many rated, spread (flagged from 2 up), who gave what
    assert "Quality of deliverables 3 4 / 5 75 3 3 ⚑ Ana 2, Ben 5, Cy 4" in rows
    assert (
        "Timeliness: were dates and service levels kept? 2 4 / 5 75 3 1 Ana 4, Ben 4, Cy 5" in rows
    )
    assert (
        "Responsiveness to questions, requests and incidents 2 3 / 5 50 3 0 Ana 3, Ben 3, Cy 3"
    ) in rows
    assert "Communication: clear, honest and early? 2 4 / 5 75 3 2 ⚑ Ana 5, Ben 3, Cy 4" in rows


@pytest.mark.timeout(60)
async def test_with_no_name_the_scorecard_shows_one_rating_as_before(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    playbook = library_for(data_dir).get("quarterly-review")
    assert playbook is not None
    run = store.start_run(vendor.id, playbook, period="2026-Q2")
    store.save_answer(vendor.id, run.id, "quality_rating", 4)
    app = app_as(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s")
        await settle(pilot)
        text = screen_text(app)
    header = next(line for line in text.splitlines() if "Weight" in line and "Rating" in line)
    assert "Given" in header and "Median" not in header and "Reviewers" not in header
    assert "⚑" not in text and "discuss" not in text


@pytest.mark.timeout(60)
async def test_the_comparison_shows_two_evaluators_median_count_and_spread(
    data_dir: Path,
) -> None:
    store = Store(data_dir)
    playbook = library_for(data_dir).get("partner-selection")
    assert playbook is not None
    given = {  # experience (weight 10), security (weight 15)
        "Birch": {"Ana": (4, 2), "Ben": (5, 5)},
        "Cobalt": {"Ana": (3, 4), "Ben": (3, 4)},
    }
    for name, by in given.items():
        vendor = store.add_vendor(VendorDraft(name=name, status="candidate"))
        run = store.start_run(vendor.id, playbook)
        for evaluator, (experience, security) in by.items():
            store.save_rating(vendor.id, run.id, evaluator, "experience", experience)
            store.save_rating(vendor.id, run.id, evaluator, "security", security)
    # Birch: experience 4, 5 -> 4.5 (87.5), spread 1; security 2, 5 -> 3.5 (62.5), spread 3.
    #   (10 * 87.5 + 15 * 62.5) / 25 = 72.5
    # Cobalt: experience 3 (50), security 4 (75), spread 0: (500 + 1125) / 25 = 65.0

    app = app_as(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
    assert "1. Birch  72.5  (2 of 9 criteria rated; median of 2 evaluators: Ana, Ben)" in text
    assert "2. Cobalt  65.0  (2 of 9 criteria rated; median of 2 evaluators: Ana, Ben)" in text
    assert "Birch leads by 7.5 points." in text
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert "Criterion Weight Birch Cobalt" in rows
    assert "Experience with work like ours 10 4.5 (2, spread 1) 3 (2, spread 0)" in rows
    assert "Security practices 15 3.5 (2, spread 3 ⚑) 4 (2, spread 0)" in rows
    assert "Price for what you get 15 — —" in rows
    assert (
        "Rated by several: the median (how many rated, spread from lowest to highest); "
        "⚑ to discuss."
    ) in text
    assert "⚑ Birch, Security practices: discuss: ratings differ by 3 (Ana 2, Ben 5)" in text
    assert "Cobalt, " not in text.split("Birch leads")[1]  # nothing of Cobalt's to discuss
