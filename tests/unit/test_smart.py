"""SMART goal analysis: accuracy on a labelled set of goals, and the promises the UI relies on."""

from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.smart import (
    CRITERIA,
    Criterion,
    SmartReport,
    analyse_goal,
    example_deadline,
)

GOALS_TSV = Path(__file__).with_name("smart_goals.tsv")
HEADER = ["goal", "specific", "measurable", "time_bound"]
SCORED = ("specific", "measurable", "time_bound")
MINIMUM = {"specific": 0.95, "measurable": 0.95, "time_bound": 0.95}
TODAY = date(2026, 11, 24)
DATE_LIKE = re.compile(r"by [0-9]{4}-[0-9]{2}-[0-9]{2}")

SMART_GOAL = "Cut first-response time on tier-1 tickets from 8 h to 4 h by 2027-06-30"
VAGUE_GOAL = "Improve support quality"


def load_goals() -> list[tuple[str, dict[str, bool]]]:
    lines = GOALS_TSV.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == HEADER
    goals = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        assert len(cells) == 4, f"line {number}: {line!r}"
        assert all(cell in ("0", "1") for cell in cells[1:]), f"line {number}: {line!r}"
        goals.append(
            (cells[0], dict(zip(SCORED, (cell == "1" for cell in cells[1:]), strict=True)))
        )
    return goals


GOALS = load_goals()


@pytest.fixture(scope="module")
def accuracy() -> tuple[dict[str, float], dict[str, list[str]]]:
    """Share of goals where the analyser agrees with the label, and the goals where it does not."""
    right = dict.fromkeys(SCORED, 0)
    wrong: dict[str, list[str]] = {name: [] for name in SCORED}
    for goal, labels in GOALS:
        report = analyse_goal(goal, today=TODAY)
        for name in SCORED:
            if getattr(report, name).ok is labels[name]:
                right[name] += 1
            else:
                wrong[name].append(goal)
    return {name: right[name] / len(GOALS) for name in SCORED}, wrong


# the labelled set


def test_labelled_set_is_large_varied_and_unique():
    texts = [goal for goal, _ in GOALS]
    assert len(texts) >= 70
    assert len({t.casefold() for t in texts}) == len(texts), "a goal is listed twice"
    fully_smart = sum(all(labels.values()) for _, labels in GOALS)
    vague = sum(not labels["specific"] for _, labels in GOALS)
    assert 0.25 <= fully_smart / len(GOALS) <= 0.6
    assert vague >= 25
    for name in SCORED:
        passing = sum(labels[name] for _, labels in GOALS)
        assert 0.25 <= passing / len(GOALS) <= 0.75, f"{name} labels are lopsided"


def test_accuracy_on_labelled_goals(accuracy):
    scores, wrong = accuracy
    print(
        f"\nSMART accuracy on {len(GOALS)} goals: specific {scores['specific']:.0%}, "
        f"measurable {scores['measurable']:.0%}, time-bound {scores['time_bound']:.0%}"
    )
    for name in SCORED:
        assert scores[name] >= MINIMUM[name], f"{name} {scores[name]:.0%}; wrong on {wrong[name]}"


def test_evidence_is_quoted_exactly_from_the_goal():
    for goal, _ in GOALS:
        for name, criterion in analyse_goal(goal, today=TODAY).items():
            for piece in criterion.evidence:
                assert piece in goal, (name, piece, goal)


def test_a_suggestion_exactly_when_a_criterion_is_not_met():
    for goal, _ in GOALS:
        for name, criterion in analyse_goal(goal, today=TODAY).items():
            assert criterion.why.strip(), (name, goal)
            if criterion.ok:
                assert criterion.suggestion == "", (name, goal)
            else:
                assert criterion.suggestion.strip(), (name, goal)


# the two examples


def test_vague_goal_is_neither_measurable_nor_time_bound_and_says_how_to_fix_it():
    report = analyse_goal(VAGUE_GOAL, today=TODAY)
    assert report.specific.ok is False
    assert report.measurable.ok is False
    assert report.time_bound.ok is False
    assert "by 2027-06-30" in report.time_bound.suggestion
    assert re.search(r"from [0-9]+%? to [0-9]+%?", report.measurable.suggestion)
    assert '"quality"' in report.specific.why


def test_smart_goal_passes_and_quotes_what_decided():
    report = analyse_goal(SMART_GOAL, today=TODAY)
    assert report.specific.ok is True
    assert report.measurable.ok is True
    assert report.time_bound.ok is True
    assert any("2027-06-30" in piece for piece in report.time_bound.evidence)
    assert '"by 2027-06-30"' in report.time_bound.why
    assert "first-response time" in report.specific.evidence
    assert "from 8 h to 4 h" in report.measurable.evidence
    assert "starting point" in report.measurable.why


# tricky goals, one rule each


@pytest.mark.parametrize(
    ("goal", "criterion", "expected"),
    [
        ("Publish 8 blog posts every month", "time_bound", False),
        ("Keep uptime above 99.5% each quarter", "time_bound", False),
        ("Review vendor invoices monthly", "time_bound", False),
        ("Reduce the ticket backlog by 20%", "time_bound", False),
        ("Our 2027 plan is to grow the business", "time_bound", False),
        ("Answer 90% of emails within 24 hours", "time_bound", False),
        ("Reduce churn by next quarter", "time_bound", True),
        ("Reduce churn within 90 days", "time_bound", True),
        ("Reduce churn in the next 6 months", "time_bound", True),
        ("Reduce churn over 12 weeks", "time_bound", True),
        ("Reduce churn by end of year", "time_bound", True),
        ("Reduce churn by the end of the quarter", "time_bound", True),
        ("Reduce churn by Q2", "time_bound", True),
        ("Reduce churn by 2027-Q3", "time_bound", True),
        ("Reduce churn by 30 June 2027", "time_bound", True),
        ("Reduce churn by June 30, 2027", "time_bound", True),
        ("Reduce churn by March", "time_bound", True),
        ("Reduce churn in 2027", "time_bound", True),
        ("Improve quality by Q3 2027", "measurable", False),
        ("Improve quality within 90 days", "measurable", False),
        ("Be 100% committed to our customers", "measurable", False),
        ("Improve things for our 3 vendors", "measurable", False),
        ("Version 2 of the app must be better", "measurable", False),
        ("Cut late deliveries to 3%", "measurable", True),
        ("Lower cost per ticket to €5.00", "measurable", True),
        ("Ship with zero critical defects", "measurable", True),
        ("Optimise our processes", "specific", False),
        ("Optimize our processes", "specific", False),
        ("Be more responsive to customers", "specific", False),
        ("Launch the new help centre", "specific", True),
        ("Launch the new help center", "specific", True),
        ("Reduce invoice errors", "specific", True),
    ],
)
def test_tricky_goal(goal, criterion, expected):
    assert getattr(analyse_goal(goal), criterion).ok is expected


def test_case_does_not_matter():
    for goal in (SMART_GOAL, VAGUE_GOAL, "Publish 8 blog posts every month"):
        plain = analyse_goal(goal, today=TODAY)
        for variant in (goal.upper(), goal.lower()):
            shouted = analyse_goal(variant, today=TODAY)
            for name in CRITERIA:
                assert getattr(shouted, name).ok is getattr(plain, name).ok, (variant, name)


# achievable and relevant


@pytest.mark.parametrize("goal", [SMART_GOAL, VAGUE_GOAL, "", "Raise CSAT to 90% so that we renew"])
def test_achievable_and_relevant_are_left_to_the_user(goal):
    report = analyse_goal(goal)
    for criterion in (report.achievable, report.relevant):
        assert criterion.ok is None
        assert criterion.why.strip()
        assert criterion.suggestion.strip()
    assert "partner" in report.achievable.suggestion
    assert "judge" in report.relevant.why


def test_a_stated_reason_is_quoted_but_still_left_to_the_user():
    relevant = analyse_goal("Raise CSAT to 90% so that contracts renew").relevant
    assert relevant.ok is None
    assert relevant.evidence == ("so that",)


# the shape the UI and the reports rely on


def test_to_dict_has_the_five_criteria_and_is_json_ready():
    for goal in (SMART_GOAL, VAGUE_GOAL, ""):
        data = analyse_goal(goal).to_dict()
        assert list(data) == ["specific", "measurable", "achievable", "relevant", "time_bound"]
        for entry in data.values():
            assert set(entry) == {"ok", "why", "suggestion"}
            assert entry["ok"] is None or isinstance(entry["ok"], bool)
            assert isinstance(entry["why"], str)
            assert isinstance(entry["suggestion"], str)
        assert json.loads(json.dumps(data)) == data


def test_report_and_criteria_are_frozen():
    report = analyse_goal(SMART_GOAL)
    assert isinstance(report, SmartReport)
    assert isinstance(report.specific, Criterion)
    with pytest.raises(FrozenInstanceError):
        report.specific = report.measurable  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        report.time_bound.ok = False  # type: ignore[misc]


def test_example_deadline_is_a_quarter_end_about_six_months_ahead():
    assert example_deadline(date(2026, 11, 24)) == "by 2027-06-30"
    assert example_deadline(date(2026, 5, 1)) == "by 2026-12-31"
    assert example_deadline(date(2026, 2, 28)) == "by 2026-09-30"
    assert DATE_LIKE.fullmatch(example_deadline())


# odd input


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "   \t\n  ",
        "🚀🎯✨",
        "[bold]x[/",
        "x" * 10_000,
        ("Cut tickets by 5% by Q3 2027, every month, from 1 to 2. " * 200)[:10_000],
        "1," * 5_000,
        "by the end of the " * 500,
        "Straße verbessern bis 2027",
        "ＣＳＡＴ ９０％ by Ｑ３",
        "١٢٣٪ tickets",
        "\x00\ud800\u200b",
    ],
    ids=lambda text: repr(text[:20]),
)
def test_odd_input_never_raises(text):
    report = analyse_goal(text)
    for name, criterion in report.items():
        assert criterion.ok in (True, False, None), name
        assert criterion.why.strip(), name
        assert len(criterion.why) < 400, name
    json.dumps(report.to_dict())


@pytest.mark.parametrize("text", ["", " ", "🚀", "tickets"])
def test_empty_or_one_word_goal_is_not_specific(text):
    assert analyse_goal(text).specific.ok is False


def test_a_deadline_that_cannot_hold_is_not_time_bound() -> None:
    # TODAY is 2026-11-24: a day gone by, or one no calendar has, bounds nothing.
    gone = analyse_goal("Cut churn by 5% by 2020-01-01", today=TODAY).time_bound
    assert (gone.ok, gone.why) == (False, '"2020-01-01" has already passed.')
    unreal = analyse_goal("Cut churn by 5% by 2027-02-30", today=TODAY).time_bound
    assert (unreal.ok, unreal.why) == (False, '"2027-02-30" is not a real calendar date.')
    ahead = analyse_goal("Cut churn by 5% by 2027-06-30", today=TODAY).time_bound
    assert ahead.ok is True
