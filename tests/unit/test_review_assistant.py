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


def test_a_next_review_before_the_agreement_is_refused(data_dir) -> None:
    import pytest

    from outsource_tui.domain.vendor import VendorDraft
    from outsource_tui.errors import ValidationError
    from outsource_tui.services import Services
    from outsource_tui.store import Store

    services = Services(Store(data_dir), load_library())
    vendor = services.store.add_vendor(VendorDraft(name="Acme"))
    sla = services.library.get("sla-kpis")
    assert sla is not None
    runs = services.runs()
    run = runs.open(vendor.id, sla).run
    runs.save_answers(sla, run, {"agreed_date": "2025-09-01"})
    with pytest.raises(ValidationError, match=r"2025-06-01 comes before date the sla was agreed"):
        runs.save_answers(sla, run, {"sla_review_date": "2025-06-01"})
    assert "sla_review_date" not in services.store.get_run(vendor.id, run.id).answers
    runs.save_answers(sla, run, {"sla_review_date": "2026-03-01"})
    # Moving the agreement past the review is refused the same way.
    with pytest.raises(ValidationError, match="comes before"):
        runs.save_answers(sla, run, {"agreed_date": "2026-04-01"})


def test_dates_declared_as_reminders_reach_due_and_the_calendar(data_dir, capsys) -> None:
    import json

    from outsource_tui.cli import main
    from outsource_tui.domain.vendor import VendorDraft
    from outsource_tui.services import Services
    from outsource_tui.store import Store

    services = Services(Store(data_dir), load_library())
    vendor = services.store.add_vendor(VendorDraft(name="Acme"))
    onboarding = services.library.get("onboarding")
    assert onboarding is not None
    runs = services.runs()
    run = runs.open(vendor.id, onboarding).run
    runs.save_answers(
        onboarding,
        run,
        {
            "kickoff_date": "2026-11-02",
            "access_review_date": "2026-12-10",
            "first_due": "2026-11-20",
        },
    )
    assert main(["due", "--json", "--today", "2026-12-01", "--within", "30d"]) == 0
    reminders = [
        (i["date"], i["what"])
        for i in json.loads(capsys.readouterr().out)
        if i["kind"] == "reminder"
    ]
    # The first deliverable (20 November) is past: history, not due.
    assert reminders == [
        ("2026-12-10", "Review the access granted to the partner (Onboard a new vendor)")
    ]
    out = data_dir / "cal.ics"
    assert main(["calendar", "-o", str(out), "--today", "2026-12-01"]) == 0
    assert "SUMMARY:Reminder: Acme" in out.read_text()
