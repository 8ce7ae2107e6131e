"""Scorecards: attainment by direction, colours, weights, the KPI share, credits, missing data."""

from __future__ import annotations

import dataclasses
import json
from textwrap import dedent
from typing import Any

import pytest

from outsource_tui.domain.parser import parse_playbook_text
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import (
    AMBER,
    GREEN,
    HIGHER,
    LOWER,
    MISSING,
    RED,
    KpiTarget,
    Scorecard,
    attainment,
    compute_scorecard,
    kpi_actuals,
    kpi_status,
    kpi_targets,
    open_action_items,
    rating_lines,
    rating_score,
    score_status,
    weighted_mean,
)
from outsource_tui.domain.settings import Thresholds

REVIEW_TEXT = dedent(
    """\
    # Tiny review

    ```playbook
    id = "tiny-review"
    summary = "A small quarterly review."
    cadence = "quarterly"
    kpi_share = 70
    ```

    ## Results

    ```questions
    [[question]]
    id = "results"
    type = "table"
    prompt = "KPI results"
    feeds = "kpi-actuals"

    [[question.column]]
    id = "kpi"
    type = "text"
    label = "KPI"
    required = true

    [[question.column]]
    id = "actual"
    type = "number"
    label = "Actual"

    [[question]]
    id = "quality"
    type = "rating"
    prompt = "Quality"
    weight = 3

    [[question]]
    id = "speed"
    type = "rating"
    prompt = "Speed"
    weight = 1

    [[question]]
    id = "mood"
    type = "rating"
    prompt = "Unweighted rating, never scored"

    [[question]]
    id = "actions"
    type = "table"
    prompt = "Action items"
    feeds = "action-items"

    [[question.column]]
    id = "action"
    type = "text"
    label = "Action"

    [[question.column]]
    id = "owner"
    type = "text"
    label = "Owner"

    [[question.column]]
    id = "due"
    type = "date"
    label = "Due"

    [[question.column]]
    id = "status"
    type = "choice"
    label = "Status"
    options = ["Open", "In progress", "Done", "Dropped"]
    ```
    """
)

SLA_TEXT = dedent(
    """\
    # Tiny SLA

    ```playbook
    id = "tiny-sla"
    summary = "Agree the KPIs."
    cadence = "once"
    ```

    ## Targets

    ```questions
    [[question]]
    id = "targets"
    type = "table"
    prompt = "KPIs"
    feeds = "kpi-targets"

    [[question.column]]
    id = "kpi"
    type = "text"
    label = "KPI"

    [[question.column]]
    id = "target"
    type = "number"
    label = "Target"

    [[question.column]]
    id = "direction"
    type = "choice"
    label = "Direction"
    options = ["higher is better", "lower is better"]

    [[question.column]]
    id = "weight"
    type = "number"
    label = "Weight"

    [[question.column]]
    id = "unit"
    type = "text"
    label = "Unit"

    [[question.column]]
    id = "credit"
    type = "number"
    label = "Credit"

    [[question.column]]
    id = "bonus"
    type = "number"
    label = "Bonus"
    ```
    """
)

PERIOD = "2026-Q3"
DEFAULT = Thresholds()

# The two KPIs most tests use.
RESPONSE = KpiTarget("First response time", 4, LOWER, weight=30, unit="hours", credit=5)
CSAT = KpiTarget("Customer satisfaction", 90, HIGHER, weight=10, unit="%", credit=3, bonus=2)


@pytest.fixture(scope="module")
def review() -> Playbook:
    return parse_playbook_text(REVIEW_TEXT, "tiny-review.md")


@pytest.fixture(scope="module")
def sla() -> Playbook:
    return parse_playbook_text(SLA_TEXT, "tiny-sla.md")


def make_run(playbook: Playbook, answers: dict[str, Any], period: str = PERIOD) -> Run:
    return Run(
        id="run-1",
        vendor_id="acme",
        playbook_id=playbook.id,
        playbook_digest=playbook.digest,
        playbook_title=playbook.title,
        started_at="2026-10-05T09:00:00+00:00",
        period=period,
        answers=answers,
    )


def results(**actuals: float | None) -> list[dict[str, Any]]:
    """KPI result rows; a None actual leaves the cell out, as a blank cell is stored."""
    names = {"response": RESPONSE.kpi, "csat": CSAT.kpi, "backlog": "Backlog"}
    rows: list[dict[str, Any]] = []
    for key, value in actuals.items():
        row: dict[str, Any] = {"kpi": names[key]}
        if value is not None:
            row["actual"] = value
        rows.append(row)
    return rows


# -- attainment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        (100, 90, HIGHER, 0.9),  # 90 / 100
        (100, 100, HIGHER, 1.0),  # 100 / 100
        (90, 99, HIGHER, 1.1),  # 99 / 90
        (4, 5, LOWER, 0.8),  # lower is better, so 4 / 5
        (4, 2, LOWER, 2.0),  # 4 / 2: half the allowed time
        (4, 4, LOWER, 1.0),  # 4 / 4
        (4, 0, LOWER, 2.0),  # nothing at all beats any positive target
        (0, 0, LOWER, 1.0),  # a zero target met exactly
        (0, 3, LOWER, 0.0),  # 0 / 3: any amount misses a zero target
        (0, 5, HIGHER, 1.0),  # any non-negative result meets a zero target
        (0, -1, HIGHER, 0.0),  # below a zero target
    ],
)
def test_attainment_depends_on_the_direction(
    target: float, actual: float, direction: str, expected: float
) -> None:
    assert attainment(target, actual, direction) == pytest.approx(expected)


def test_beating_a_negative_higher_is_better_target_is_not_a_miss() -> None:
    # Net promoter score, target -10, actual +20: the target was beaten.
    reached = attainment(-10, 20, HIGHER)
    assert reached is not None and reached >= 1.0


# -- colours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.2, GREEN),
        (1.0, GREEN),  # exactly at kpi_green
        (0.9999, AMBER),
        (0.9, AMBER),  # exactly at kpi_amber
        (0.8999, RED),
        (0.0, RED),
        (None, MISSING),
    ],
)
def test_kpi_status_with_default_thresholds(value: float | None, expected: str) -> None:
    assert kpi_status(value, DEFAULT) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, GREEN),
        (0.95, GREEN),  # exactly at the custom green
        (0.94, AMBER),
        (0.8, AMBER),  # exactly at the custom amber
        (0.79, RED),
    ],
)
def test_kpi_status_with_custom_thresholds(value: float, expected: str) -> None:
    assert kpi_status(value, Thresholds(kpi_green=0.95, kpi_amber=0.8)) == expected


@pytest.mark.parametrize(
    ("thresholds", "score", "expected"),
    [
        (DEFAULT, 80.0, GREEN),
        (DEFAULT, 79.99, AMBER),
        (DEFAULT, 60.0, AMBER),
        (DEFAULT, 59.99, RED),
        (DEFAULT, None, MISSING),
        (Thresholds(score_green=90, score_amber=75), 90.0, GREEN),
        (Thresholds(score_green=90, score_amber=75), 85.0, AMBER),
        (Thresholds(score_green=90, score_amber=75), 75.0, AMBER),
        (Thresholds(score_green=90, score_amber=75), 74.9, RED),
    ],
)
def test_score_status_boundaries(
    thresholds: Thresholds, score: float | None, expected: str
) -> None:
    assert score_status(score, thresholds) == expected


def test_a_kpi_at_ninety_percent_of_target_is_amber_and_a_late_response_is_red(
    review: Playbook,
) -> None:
    run = make_run(review, {"results": results(response=5, csat=81)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    by_name = {line.target.kpi: line for line in card.kpis}
    assert by_name[RESPONSE.kpi].attainment == pytest.approx(0.8)  # 4 / 5
    assert by_name[RESPONSE.kpi].status == RED
    assert by_name[CSAT.kpi].attainment == pytest.approx(0.9)  # 81 / 90
    assert by_name[CSAT.kpi].status == AMBER


# -- weights ------------------------------------------------------------------------------


def test_weighted_mean() -> None:
    # (80 * 30 + 100 * 10) / (30 + 10) = 3400 / 40
    assert weighted_mean([(80, 30), (100, 10)]) == pytest.approx(85.0)
    # every weight zero: plain mean, (80 + 100) / 2
    assert weighted_mean([(80, 0), (100, 0)]) == pytest.approx(90.0)
    assert weighted_mean([]) is None


def test_kpi_score_is_the_weighted_mean_with_attainment_capped_at_100(review: Playbook) -> None:
    # Response 4 h target, 5 h actual: 4 / 5 = 0.8 -> 80 points, weight 30.
    # Satisfaction 90 target, 99 actual: 99 / 90 = 1.1 -> capped at 100 points, weight 10.
    run = make_run(review, {"results": results(response=5, csat=99)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    # (80 * 30 + 100 * 10) / 40 = 3400 / 40 = 85; uncapped it would be (2400 + 1100) / 40 = 87.5
    assert card.kpi_score == pytest.approx(85.0)
    assert [line.attainment for line in card.kpis] == pytest.approx([0.8, 1.1])


def test_weights_decide_which_kpi_counts_more(review: Playbook) -> None:
    # Same results, weights swapped: (80 * 10 + 100 * 30) / 40 = 3800 / 40 = 95
    swapped = [dataclasses.replace(RESPONSE, weight=10), dataclasses.replace(CSAT, weight=30)]
    run = make_run(review, {"results": results(response=5, csat=99)})
    card = compute_scorecard(PERIOD, review, run, swapped, DEFAULT)
    assert card.kpi_score == pytest.approx(95.0)


# -- ratings and the KPI share ------------------------------------------------------------


def test_rating_lines_follow_the_playbook_weights(review: Playbook) -> None:
    run = make_run(review, {"quality": 5, "speed": 2, "mood": 1})
    lines = rating_lines(review, run)
    assert [(line.question_id, line.weight, line.rating) for line in lines] == [
        ("quality", 3.0, 5),
        ("speed", 1.0, 2),
    ]
    # A rating r is 100 * (r - 1) / 4 on the 0-100 scale: 5 -> 100, 2 -> 25.
    assert [line.score for line in lines] == pytest.approx([100.0, 25.0])
    # (100 * 3 + 25 * 1) / 4 = 325 / 4
    assert rating_score(lines) == pytest.approx(81.25)


def test_kpi_share_splits_the_overall_score(review: Playbook) -> None:
    assert review.kpi_share == 70
    run = make_run(review, {"results": results(response=5, csat=99), "quality": 5, "speed": 2})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.kpi_score == pytest.approx(85.0)  # as above: 3400 / 40
    assert card.rating_score == pytest.approx(81.25)  # (100 * 3 + 25 * 1) / 4
    # (70 * 85 + 30 * 81.25) / 100 = (5950 + 2437.5) / 100
    assert card.overall == pytest.approx(83.875)
    assert card.status == GREEN  # 83.875 >= 80


def test_without_a_kpi_share_kpis_and_ratings_count_half_each(review: Playbook) -> None:
    plain = dataclasses.replace(review, kpi_share=None)
    run = make_run(plain, {"results": results(response=5, csat=99), "quality": 5, "speed": 2})
    card = compute_scorecard(PERIOD, plain, run, [RESPONSE, CSAT], DEFAULT)
    # (50 * 85 + 50 * 81.25) / 100 = 83.125
    assert card.overall == pytest.approx(83.125)


def test_with_only_ratings_the_overall_is_the_rating_score(review: Playbook) -> None:
    run = make_run(review, {"quality": 3, "speed": 1})
    card = compute_scorecard(PERIOD, review, run, [], DEFAULT)
    # (50 * 3 + 0 * 1) / 4 = 37.5
    assert card.kpi_score is None
    assert card.overall == pytest.approx(37.5)
    assert card.status == RED
    assert "No KPI targets yet: complete the SLA and KPIs playbook." in card.notes


def test_with_only_kpis_the_overall_is_the_kpi_score(review: Playbook) -> None:
    run = make_run(review, {"results": results(response=5, csat=99)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.rating_score is None
    assert card.overall == pytest.approx(85.0)  # 3400 / 40, with no rating part


# -- credits and bonuses ------------------------------------------------------------------


def test_a_missed_kpi_owes_its_credit_and_a_met_one_does_not(review: Playbook) -> None:
    # Response missed (4 / 5 = 0.8): credit 5 owed.
    # Satisfaction met exactly (90 / 90 = 1.0): its credit of 3 is not owed.
    run = make_run(review, {"results": results(response=5, csat=90)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.credit_percent == 5
    assert card.bonus_percent == 0  # meeting a target exactly earns no bonus


def test_beating_a_target_earns_its_bonus(review: Playbook) -> None:
    # Response 4 / 3 = 1.33 (no bonus set), satisfaction 99 / 90 = 1.1: bonus 2.
    run = make_run(review, {"results": results(response=3, csat=99)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.credit_percent == 0
    assert card.bonus_percent == 2


def test_credits_add_up_over_missed_kpis(review: Playbook) -> None:
    # Both missed: 5 + 3
    run = make_run(review, {"results": results(response=8, csat=45)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.credit_percent == 8


def test_a_credit_is_owed_whenever_the_target_is_missed(review: Playbook) -> None:
    # Satisfaction 87 against 90 is a miss (87 / 90 = 0.967) even if the user colours it green.
    lenient = Thresholds(kpi_green=0.95, kpi_amber=0.8)
    run = make_run(review, {"results": results(response=4, csat=87)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], lenient)
    assert card.credit_percent == 3


# -- missing data -------------------------------------------------------------------------


def test_a_kpi_without_a_result_is_missing_and_left_out_of_the_score(review: Playbook) -> None:
    backlog = KpiTarget("Backlog", 20, LOWER, weight=60, credit=2)
    run = make_run(review, {"results": results(response=5, csat=99, backlog=None)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT, backlog], DEFAULT)
    line = card.kpis[2]
    assert (line.actual, line.attainment, line.status) == (None, None, MISSING)
    # Scored on the other two only: (80 * 30 + 100 * 10) / 40 = 85. Counted as zero it would
    # be (2400 + 1000 + 0 * 60) / 100 = 34.
    assert card.kpi_score == pytest.approx(85.0)
    alone = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert card.kpi_score == alone.kpi_score
    assert card.credit_percent == 5  # no credit is charged for a figure nobody had
    assert "No result for: Backlog." in card.notes


def test_a_kpi_absent_from_the_results_table_is_missing_too(review: Playbook) -> None:
    run = make_run(review, {"results": results(csat=99)})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert [line.status for line in card.kpis] == [MISSING, GREEN]
    assert card.kpi_score == pytest.approx(100.0)  # only satisfaction: min(1.1, 1) * 100
    assert "No result for: First response time." in card.notes


def test_results_match_kpis_whatever_the_case_and_spacing(review: Playbook) -> None:
    rows = [{"kpi": "  first   RESPONSE time ", "actual": 5}, {"kpi": "customer satisfaction"}]
    run = make_run(review, {"results": rows})
    assert kpi_actuals(review, run) == {"first response time": 5.0, "customer satisfaction": None}
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert [line.actual for line in card.kpis] == [5.0, None]


def test_a_result_that_is_not_a_number_counts_as_missing(review: Playbook) -> None:
    rows = [{"kpi": RESPONSE.kpi, "actual": "five"}, {"kpi": CSAT.kpi, "actual": True}]
    run = make_run(review, {"results": rows})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT], DEFAULT)
    assert [line.status for line in card.kpis] == [MISSING, MISSING]
    assert card.kpi_score is None and card.overall is None


def test_no_review_run_gives_no_score(review: Playbook) -> None:
    card = compute_scorecard(PERIOD, review, None, [RESPONSE, CSAT], DEFAULT)
    assert card.overall is None
    assert card.status == MISSING
    assert card.kpi_score is None and card.rating_score is None
    assert [line.status for line in card.kpis] == [MISSING, MISSING]
    assert card.ratings == ()
    assert card.notes == ("No review for 2026-Q3 yet.",)


def test_an_unrated_question_is_left_out_of_the_rating_score(review: Playbook) -> None:
    run = make_run(review, {"speed": 4})
    card = compute_scorecard(PERIOD, review, run, [], DEFAULT)
    # Only speed (4 -> 75 points); quality is unrated, not zero (which would give 75 / 4).
    assert card.rating_score == pytest.approx(75.0)
    assert [line.rating for line in card.ratings] == [None, 4]


# -- KPI targets from an SLA run ----------------------------------------------------------


def test_kpi_targets_are_read_from_the_fed_table(sla: Playbook) -> None:
    rows = [
        {
            "kpi": " First response time ",
            "target": 4,
            "direction": LOWER,
            "weight": 30,
            "unit": "hours",
            "credit": 5,
        },
        {"kpi": "Uptime", "target": 99.9, "direction": "sideways", "weight": -5},
        {"kpi": "No target yet", "direction": HIGHER, "weight": 10},
        {"kpi": "", "target": 1, "weight": 1},
    ]
    targets = kpi_targets(sla, make_run(sla, {"targets": rows}, period=""))
    assert targets == [
        KpiTarget("First response time", 4.0, LOWER, 30.0, "hours", 5.0, 0.0),
        # an unknown direction reads as higher is better; a negative weight as zero
        KpiTarget("Uptime", 99.9, HIGHER, 0.0, "", 0.0, 0.0),
    ]


# -- storage and action items -------------------------------------------------------------


def test_a_scorecard_survives_a_round_trip_through_json(review: Playbook) -> None:
    backlog = KpiTarget("Backlog", 20, LOWER, weight=60, credit=2)
    run = make_run(review, {"results": results(response=5, csat=99, backlog=None), "quality": 4})
    card = compute_scorecard(PERIOD, review, run, [RESPONSE, CSAT, backlog], DEFAULT)
    assert card.notes and card.kpis and card.ratings
    stored = json.loads(json.dumps(card.to_dict()))
    assert Scorecard.from_dict(stored) == card
    assert Scorecard.from_dict(card.to_dict()) == card


def test_an_empty_scorecard_survives_a_round_trip() -> None:
    card = Scorecard(period="2026")
    assert Scorecard.from_dict(json.loads(json.dumps(card.to_dict()))) == card


def test_open_action_items_drop_done_and_dropped_whatever_the_case(review: Playbook) -> None:
    rows = [
        {"action": "a", "owner": "x", "due": "2026-10-01", "status": "Open"},
        {"action": "b", "owner": "x", "due": "2026-10-01", "status": "Done"},
        {"action": "c", "owner": "x", "due": "2026-10-01", "status": "DONE"},
        {"action": "d", "owner": "x", "due": "2026-10-01", "status": " dropped "},
        {"action": "e", "owner": "x", "due": "2026-10-01", "status": "In progress"},
        {"action": "f", "owner": "x", "due": "2026-10-01"},
        {"action": "g", "owner": "x", "due": "2026-10-01", "status": ""},
        "not a row",
    ]
    run = make_run(review, {"actions": rows})
    assert [row["action"] for row in open_action_items(review, run)] == ["a", "e", "f", "g"]
