"""SLA economics: credits in tiers, a cap per period, earn-back, money, and critical KPIs.

Every expected figure below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from outsource_tui.domain.labels import credit_lines
from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import (
    AMBER,
    GREEN,
    LOWER,
    KpiTarget,
    Scorecard,
    SlaTerms,
    compute_scorecard,
)
from outsource_tui.domain.settings import Thresholds

REVIEW = load_library().get("quarterly-review")

UPTIME = KpiTarget("Uptime", 99.5, weight=2, unit="%", credit=5, floor=99.0, floor_credit=10)
RESPONSE = KpiTarget("First response", 4, direction=LOWER, weight=1, unit="h", credit=3)
CSAT = KpiTarget("CSAT", 90, weight=1, credit=2, critical=True)
TERMS = SlaTerms(monthly_fee=20_000, currency="EUR", credit_cap=12, earn_back=True)


def review(period: str, **actuals: float) -> Run:
    rows = [{"kpi": name.replace("_", " "), "actual": value} for name, value in actuals.items()]
    return Run(
        "r" + period,
        "acme",
        "quarterly-review",
        "",
        "",
        "",
        period=period,
        answers={"kpi_results": rows},
    )


def card(
    run: Run,
    previous: Scorecard | None = None,
    terms: SlaTerms = TERMS,
    targets: tuple[KpiTarget, ...] = (UPTIME, RESPONSE, CSAT),
) -> Scorecard:
    assert REVIEW is not None
    return compute_scorecard(run.period, REVIEW, run, list(targets), Thresholds(), terms, previous)


def test_tiers_cap_and_money_in_one_period() -> None:
    # Uptime 98.7 is below the 99.0 floor: the lower tier, 10 %.
    # First response 5 h against 4 h, lower is better: missed, 3 %.
    # CSAT 88 against 90: missed, 2 %.  10 + 3 + 2 = 15 %, capped at 12 %.
    q1 = card(review("2026-Q1", Uptime=98.7, First_response=5, CSAT=88))
    assert q1.credit_uncapped_percent == 15
    assert q1.credit_percent == 12
    assert q1.capped
    assert q1.credit_amount == 2_400  # 12 % of 20,000
    assert credit_lines(q1)[0] == (
        "owed",
        "Service credits owed for 2026-Q1: 12 % of the monthly fee (2,400 EUR). "
        "Capped at 12 %: the missed KPIs add up to 15 %.",
    )


def test_the_first_tier_applies_above_the_floor() -> None:
    # Uptime 99.2: missed, but above the 99.0 floor, so 5 %; the others meet target.
    q = card(review("2026-Q1", Uptime=99.2, First_response=3.5, CSAT=91))
    assert (q.credit_percent, q.credit_uncapped_percent, q.capped) == (5, 5, False)
    assert q.credit_amount == 1_000


def test_a_credit_is_earned_back_when_the_next_period_meets_target() -> None:
    q1 = card(review("2026-Q1", Uptime=99.2, First_response=5, CSAT=91))  # 5 + 3 = 8 %
    assert q1.credit_percent == 8
    # In Q2 uptime meets target again (its 5 % is waived); first response still misses
    # (its 3 % stays, and Q2 owes 3 % of its own).
    q2 = card(review("2026-Q2", Uptime=99.6, First_response=4.5, CSAT=92), previous=q1)
    assert q2.earned_back_percent == 5
    assert q2.earned_back_amount == 1_000
    assert q2.credit_percent == 3
    assert (
        "earned-back",
        "Earned back from the period before: 5 % of the monthly fee (1,000 EUR).",
    ) in credit_lines(q2)


def test_no_earn_back_unless_agreed() -> None:
    terms = SlaTerms(monthly_fee=20_000, currency="EUR", credit_cap=12, earn_back=False)
    q1 = card(review("2026-Q1", Uptime=99.2, First_response=3, CSAT=91), terms=terms)
    q2 = card(review("2026-Q2", Uptime=99.9, First_response=3, CSAT=91), q1, terms)
    assert (q1.credit_percent, q2.earned_back_percent) == (5, 0)


@pytest.mark.parametrize(
    ("actuals", "why"),
    [
        # CSAT is critical: missing it keeps the vendor off green, though the rest beat target.
        ({"Uptime": 100, "First_response": 1, "CSAT": 89}, "the critical KPI CSAT"),
        # Every KPI missed, each only just: the score is high, the status is not green.
        ({"Uptime": 99.4, "First_response": 4.1, "CSAT": 89.9}, "every KPI missed"),
    ],
)
def test_a_missed_critical_kpi_or_every_kpi_missed_is_never_green(
    actuals: dict[str, float], why: str
) -> None:
    plain_csat = KpiTarget("CSAT", 90, weight=1, credit=2)  # not critical here
    targets = (UPTIME, RESPONSE, CSAT if "critical" in why else plain_csat)
    q = card(review("2026-Q1", **actuals), targets=targets)
    assert q.overall is not None and q.overall >= 80  # green by score alone
    assert q.status == AMBER
    assert any(why in note for note in q.notes)


def test_all_met_stays_green() -> None:
    q = card(review("2026-Q1", Uptime=99.9, First_response=3, CSAT=95))
    assert (q.status, q.credit_percent) == (GREEN, 0)
    assert credit_lines(q) == [("none", "No service credits owed for 2026-Q1.")]


def test_a_snapshot_kept_before_caps_reads_back_as_owed() -> None:
    old = {"period": "2025-Q4", "credit_percent": 7, "status": "amber"}
    back = Scorecard.from_dict(old)
    assert (back.credit_percent, back.credit_uncapped_percent, back.capped) == (7, 7, False)
    assert back.credit_amount is None  # no fee was known then


@pytest.mark.parametrize(
    ("attained", "shown"),
    [
        (0.996, "99.6%"),  # just short of target: never shown as a met 100%
        (0.8953, "89.5%"),  # just short of the amber line
        (1.0, "100%"),
        (0.92, "92%"),
        (1.004, "100%"),
        (None, "—"),
    ],
)
def test_attainment_never_rounds_across_a_line(attained: float | None, shown: str) -> None:
    from outsource_tui.domain.labels import attainment_text

    assert attainment_text(attained) == shown
