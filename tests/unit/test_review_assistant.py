"""The review assistant works out what it can instead of asking."""

from __future__ import annotations

from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import LOWER, KpiTarget
from outsource_tui.services.runs import result_lines

REVIEW = load_library().get("quarterly-review")
TARGETS = [
    KpiTarget("CSAT", 90),
    KpiTarget("First response", 4, direction=LOWER),
    KpiTarget("Uptime", 99.5),
]


def review(*rows: dict[str, object]) -> Run:
    return Run("r", "v", "quarterly-review", "", "", "", answers={"kpi_results": list(rows)})  # type: ignore[arg-type]


def test_the_review_no_longer_asks_how_many_targets_were_met() -> None:
    assert REVIEW is not None
    assert "targets_met" not in REVIEW.questions_by_id


def test_targets_met_are_counted_and_strangers_flagged() -> None:
    assert REVIEW is not None
    run = review(
        {"kpi": "csat", "actual": 91},  # met, whatever the case
        {"kpi": "First response", "actual": 5},  # missed: lower is better
        {"kpi": "Backlog size", "actual": 40},  # not a KPI of the SLA
    )
    assert result_lines(TARGETS, REVIEW, run) == [
        "Targets met: 1 of 3, 1 missed",
        "No result yet for: Uptime",
        "Not in the SLA, so not scored: Backlog size (check the name)",
    ]


def test_nothing_entered_says_nothing() -> None:
    assert REVIEW is not None
    assert result_lines(TARGETS, REVIEW, review()) == []
