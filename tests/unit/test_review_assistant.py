"""The review assistant works out what it can instead of asking."""

from __future__ import annotations

from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import LOWER, KpiTarget
from outsource_tui.services.runs import result_lines

REVIEW = load_library().get("quarterly-review")
TARGETS = [
    KpiTarget("CSAT", 90, unit="%"),
    KpiTarget("First response", 4, direction=LOWER, unit="hours"),
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
        "  CSAT: 91 % against 90 %, met",
        "  First response: 5 hours against 4 hours, missed",
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


def test_the_targets_say_what_a_miss_costs_and_the_credit_terms() -> None:
    from outsource_tui.domain.scoring import SlaTerms
    from outsource_tui.services.runs import target_lines

    targets = [
        KpiTarget("Uptime", 99.9, unit="%", weight=50, credit=10, floor=99, floor_credit=25),
        KpiTarget("Backlog", 20, direction=LOWER, unit="tickets", credit=2, bonus=1, critical=True),
    ]
    terms = SlaTerms(monthly_fee=12_500, currency="EUR", credit_cap=15, earn_back=True)
    assert target_lines(targets, terms) == [
        "Uptime: 99.9 %, higher is better, weight 50; a miss costs 10 % of the fee "
        "(1,250 EUR), below 99 % 25 % of the fee (3,125 EUR)",
        "Backlog: 20 tickets, lower is better, weight 1; a miss costs 2 % of the fee "
        "(250 EUR); beaten earns 1 % of the fee (125 EUR); critical",
        "Credit terms: monthly fee 12,500 EUR; credits capped at 15 % of the fee "
        "(1,875 EUR) a period; a credit is earned back when the KPI is met the next period.",
    ]
    # Without a fee the percentages stand alone, and no terms line is made up.
    assert target_lines(targets[:1], SlaTerms()) == [
        "Uptime: 99.9 %, higher is better, weight 50; a miss costs 10 % of the fee, "
        "below 99 % 25 % of the fee",
    ]


def test_the_partners_figure_stands_in_where_we_have_none_as_on_the_scorecard() -> None:
    assert REVIEW is not None
    run = review({"kpi": "CSAT", "actual": 91})
    run.reported = {"kpis": [{"kpi": "uptime", "actual": 99.7}, {"kpi": "CSAT", "actual": 50}]}
    assert result_lines(TARGETS, REVIEW, run) == [
        "Targets met: 2 of 3",
        "  CSAT: 91 % against 90 %, met",  # ours first, always
        "  Uptime: 99.7 (the partner's figure) against 99.5, met",
        "No result yet for: First response",
    ]
