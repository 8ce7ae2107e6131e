"""The portfolio view over a store: trends, the next review, prefill, history, actions, order."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import AMBER, GREEN, MISSING, RED
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import Vendor, VendorDraft, VendorStatus
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)

# The SLA: response time 4 h (lower is better, weight 30, credit 5) and satisfaction 90 %
# (higher is better, weight 10, credit 3, bonus 2).
SLA_ROWS = [
    {
        "kpi": "First response time",
        "unit": "hours",
        "target": 4,
        "direction": "lower is better",
        "weight": 30,
        "credit": 5,
    },
    {
        "kpi": "Customer satisfaction",
        "unit": "%",
        "target": 90,
        "direction": "higher is better",
        "weight": 10,
        "credit": 3,
        "bonus": 2,
    },
]
RATING_IDS = (
    "quality_rating",
    "timeliness_rating",
    "responsiveness_rating",
    "communication_rating",
)

Q2_ACTIONS = [
    {
        "action": "Fix the escalation list",
        "owner": "Ops lead",
        "due": "2026-08-15",
        "status": "Open",
    },
    {
        "action": "Share the forecast",
        "owner": "Finance",
        "due": "2026-12-15",
        "status": "In progress",
    },
    {"action": "Send the template", "owner": "Ops lead", "due": "2026-05-01", "status": "Done"},
    {"action": "Hire a translator", "owner": "HR", "due": "2026-05-01", "status": "dropped"},
    {"action": "Review access", "owner": "IT lead", "due": "2026-11-24", "status": "Open"},
    {"action": "Walk the process", "owner": "IT lead"},
]
Q1_ACTIONS = [
    {
        "action": "From the first quarter",
        "owner": "Ops lead",
        "due": "2026-04-20",
        "status": "Open",
    },
]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


@pytest.fixture
def portfolio(store: Store, library: Library) -> Portfolio:
    return Portfolio(store, library, Settings(), on=TODAY)


@pytest.fixture
def review(library: Library) -> Playbook:
    playbook = library.get("quarterly-review")
    assert playbook is not None and playbook.kpi_share == 70
    return playbook


@pytest.fixture
def sla(library: Library) -> Playbook:
    playbook = library.get("sla-kpis")
    assert playbook is not None
    return playbook


def add_vendor(
    store: Store, name: str, status: str = "active", start: str = "2025-01-15"
) -> Vendor:
    return store.add_vendor(VendorDraft(name=name, status=status, contract_start=start))


def add_sla(store: Store, sla: Playbook, vendor: Vendor, rows: list[dict[str, Any]]) -> Run:
    run = store.start_run(vendor.id, sla, answers={"kpis": rows})
    store.complete_run(vendor.id, run.id)
    return run


def add_review(
    store: Store,
    portfolio: Portfolio,
    review: Playbook,
    vendor: Vendor,
    period: str,
    *,
    response: float,
    csat: float,
    rating: int,
    actions: list[dict[str, Any]] | None = None,
    complete: bool = True,
) -> Run:
    """A review with both KPI results, every rating the same, completed with its snapshot."""
    answers: dict[str, Any] = {
        "kpi_results": [
            {"kpi": "First response time", "actual": response},
            {"kpi": "Customer satisfaction", "actual": csat},
        ],
        **{rating_id: rating for rating_id in RATING_IDS},
    }
    if actions is not None:
        answers["action_items"] = actions
    run = store.start_run(vendor.id, review, period=period, answers=answers)
    if complete:
        runs = store.runs(vendor.id)
        snapshot = portfolio.live_scorecard(review, store.get_run(vendor.id, run.id), runs)
        store.complete_run(vendor.id, run.id, snapshot.to_dict())
    return store.get_run(vendor.id, run.id)


@pytest.fixture
def acme(store: Store, portfolio: Portfolio, review: Playbook, sla: Playbook) -> Vendor:
    """An active vendor with an SLA and two completed reviews, the later one entered first."""
    vendor = add_vendor(store, "Acme Support")
    add_sla(store, sla, vendor, SLA_ROWS)
    # 2026-Q2: response 4 / 4 = 1.0 -> 100; satisfaction 99 / 90 = 1.1 -> capped at 100.
    # KPIs (100 * 30 + 100 * 10) / 40 = 100; ratings all 4 -> 75; 0.7 * 100 + 0.3 * 75 = 92.5
    add_review(
        store,
        portfolio,
        review,
        vendor,
        "2026-Q2",
        response=4,
        csat=99,
        rating=4,
        actions=Q2_ACTIONS,
    )
    # 2026-Q1: response 4 / 5 = 0.8 -> 80; satisfaction 90 / 90 = 1.0 -> 100.
    # KPIs (80 * 30 + 100 * 10) / 40 = 3400 / 40 = 85; ratings all 3 -> 50;
    # 0.7 * 85 + 0.3 * 50 = 59.5 + 15 = 74.5
    add_review(
        store,
        portfolio,
        review,
        vendor,
        "2026-Q1",
        response=5,
        csat=90,
        rating=3,
        actions=Q1_ACTIONS,
    )
    return vendor


# -- trend and scorecards -----------------------------------------------------------------


def test_trend_lists_completed_reviews_oldest_first(
    store: Store, portfolio: Portfolio, acme: Vendor
) -> None:
    trend = portfolio.trend(store.runs(acme.id))
    assert [period for period, _ in trend] == ["2026-Q1", "2026-Q2"]
    assert [card.overall for _, card in trend] == pytest.approx([74.5, 92.5])
    assert [card.kpi_score for _, card in trend] == pytest.approx([85.0, 100.0])
    assert [card.rating_score for _, card in trend] == pytest.approx([50.0, 75.0])
    # Q1 missed the response time: its credit of 5; Q2 beat satisfaction: its bonus of 2.
    assert [(card.credit_percent, card.bonus_percent) for _, card in trend] == [(5, 0), (0, 2)]
    assert [card.status for _, card in trend] == [AMBER, GREEN]  # 74.5 < 80 <= 92.5


def test_an_open_review_is_not_part_of_the_trend(
    store: Store, portfolio: Portfolio, review: Playbook, acme: Vendor
) -> None:
    add_review(
        store, portfolio, review, acme, "2026-Q3", response=9, csat=10, rating=1, complete=False
    )
    assert [p for p, _ in portfolio.trend(store.runs(acme.id))] == ["2026-Q1", "2026-Q2"]


def test_the_overview_carries_the_trend_and_the_latest_card(
    portfolio: Portfolio, acme: Vendor
) -> None:
    overview = portfolio.overview(acme)
    assert [p for p, _ in overview.trend] == ["2026-Q1", "2026-Q2"]
    assert [s for _, s in overview.trend] == pytest.approx([74.5, 92.5])
    assert overview.latest_period == "2026-Q2"


def test_a_period_without_a_review_has_an_empty_scorecard(
    portfolio: Portfolio, acme: Vendor
) -> None:
    card = portfolio.scorecard(acme.id, "2026-Q3")
    assert card is not None
    assert card.overall is None and card.status == MISSING
    assert [line.target.kpi for line in card.kpis] == [
        "First response time",
        "Customer satisfaction",
    ]
    assert "No review for 2026-Q3 yet." in card.notes


def test_changing_the_sla_later_does_not_rewrite_a_reviewed_period(
    store: Store, portfolio: Portfolio, review: Playbook, sla: Playbook, acme: Vendor
) -> None:
    before = portfolio.scorecard(acme.id, "2026-Q1")
    assert before is not None and before.overall == pytest.approx(74.5)
    stricter = [
        {**SLA_ROWS[0], "target": 2},
        {**SLA_ROWS[1], "target": 95},
    ]
    add_sla(store, sla, acme, stricter)
    runs = store.runs(acme.id)
    assert [t.target for t in portfolio.targets(runs)] == [2, 95]  # the new SLA is in force

    after = portfolio.scorecard(acme.id, "2026-Q1")
    assert after == before
    assert after is not None and after.overall == pytest.approx(74.5)
    assert [line.target.target for line in after.kpis] == [4, 90]
    assert [card.overall for _, card in portfolio.trend(runs)] == pytest.approx([74.5, 92.5])

    # The same answers scored against the new targets would give another result:
    # response 2 / 5 = 0.4 -> 40; satisfaction 90 / 95 -> 94.74;
    # KPIs (40 * 30 + 9000 / 95 * 10) / 40 = 53.68; overall 0.7 * 53.68 + 0.3 * 50 = 52.58
    q1 = next(r for r in runs if r.period == "2026-Q1")
    live = portfolio.live_scorecard(review, q1, runs)
    assert live.overall == pytest.approx(0.7 * (40 * 30 + 9000 / 95 * 10) / 40 + 0.3 * 50)
    assert live.status == RED


def test_a_review_without_a_snapshot_is_scored_against_the_current_sla(
    store: Store, portfolio: Portfolio, review: Playbook, sla: Playbook
) -> None:
    vendor = add_vendor(store, "Bluepeak Labs")
    add_sla(store, sla, vendor, SLA_ROWS)
    run = add_review(
        store, portfolio, review, vendor, "2026-Q3", response=5, csat=90, rating=3, complete=False
    )
    store.complete_run(vendor.id, run.id)  # no snapshot kept
    card = portfolio.scorecard(vendor.id, "2026-Q3")
    assert card is not None and card.overall == pytest.approx(74.5)  # as Q1 above
    add_sla(store, sla, vendor, [{**SLA_ROWS[0], "target": 2}, {**SLA_ROWS[1], "target": 95}])
    card = portfolio.scorecard(vendor.id, "2026-Q3")
    # response 2 / 5 -> 40, satisfaction 90 / 95 -> 94.74: 0.7 * 53.68 + 0.3 * 50
    assert card is not None
    assert card.overall == pytest.approx(0.7 * (40 * 30 + 9000 / 95 * 10) / 40 + 0.3 * 50)


# -- the next review ----------------------------------------------------------------------


def test_next_review_follows_the_last_completed_one(
    store: Store, portfolio: Portfolio, acme: Vendor
) -> None:
    due = portfolio.next_review(acme, store.runs(acme.id))
    assert due is not None
    assert due.playbook.id == "quarterly-review"
    assert due.period == "2026-Q3"
    assert due.due == date(2026, 10, 30)  # 30 Sep + 30 days
    assert due.overdue  # 30 Oct is before 24 Nov


def test_a_vendor_reviewed_up_to_last_quarter_is_not_overdue(
    store: Store, portfolio: Portfolio, review: Playbook, acme: Vendor
) -> None:
    add_review(store, portfolio, review, acme, "2026-Q3", response=4, csat=90, rating=3)
    due = portfolio.next_review(acme, store.runs(acme.id))
    assert due is not None
    assert (due.period, due.due, due.overdue) == ("2026-Q4", date(2027, 1, 30), False)


@pytest.mark.parametrize(
    ("start", "period", "due", "overdue"),
    [
        ("2025-01-15", "2025-Q1", date(2025, 4, 30), True),
        ("2026-08-01", "2026-Q3", date(2026, 10, 30), True),
        ("2026-10-01", "2026-Q4", date(2027, 1, 30), False),
    ],
)
def test_without_a_review_the_first_is_for_the_period_the_contract_started(
    store: Store, portfolio: Portfolio, start: str, period: str, due: date, overdue: bool
) -> None:
    vendor = add_vendor(store, "Cedar Works", start=start)
    found = portfolio.next_review(vendor, store.runs(vendor.id))
    assert found is not None
    assert (found.period, found.due, found.overdue) == (period, due, overdue)


@pytest.mark.parametrize(
    ("status", "reviewed"),
    [
        (VendorStatus.ACTIVE.value, True),
        (VendorStatus.ON_HOLD.value, True),
        (VendorStatus.CANDIDATE.value, False),
        # Onboarding vendors are reviewed too: the first quarters are when problems are cheap.
        (VendorStatus.ONBOARDING.value, True),
        (VendorStatus.EXITING.value, False),
        (VendorStatus.ENDED.value, False),
    ],
)
def test_onboarding_active_and_on_hold_vendors_are_due_a_review(
    store: Store, portfolio: Portfolio, acme: Vendor, status: str, reviewed: bool
) -> None:
    vendor = store.set_status(acme.id, status)
    due = portfolio.next_review(vendor, store.runs(vendor.id))
    if reviewed:
        assert due is not None and due.period == "2026-Q3"
    else:
        assert due is None


# -- the period a new review covers -------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        ([], "2026-Q3"),  # nothing reviewed: the last quarter that has ended
        (["2025-Q1"], "2025-Q2"),  # the one after the last reviewed, however long ago
        (["2026-Q1", "2026-Q2"], "2026-Q3"),
        (["2026-Q3"], "2026-Q4"),  # the current quarter at the latest
        (["2026-Q4"], "2026-Q4"),  # never a quarter that has not begun
    ],
)
def test_default_period(
    store: Store, portfolio: Portfolio, review: Playbook, done: list[str], expected: str
) -> None:
    vendor = add_vendor(store, "Delta Ledger")
    for period in done:
        add_review(store, portfolio, review, vendor, period, response=4, csat=90, rating=3)
    # an open review does not count as done
    add_review(
        store, portfolio, review, vendor, "2027-Q2", response=4, csat=90, rating=3, complete=False
    )
    assert portfolio.default_period(review, store.runs(vendor.id)) == expected


# -- prefill and action items -------------------------------------------------------------


def test_review_prefill_brings_the_kpis_and_the_open_action_items(
    store: Store, portfolio: Portfolio, review: Playbook, acme: Vendor
) -> None:
    answers = portfolio.review_prefill(review, store.runs(acme.id))
    assert answers["kpi_results"] == [
        {"kpi": "First response time"},
        {"kpi": "Customer satisfaction"},
    ]
    # From the latest period's review (Q2, though Q1 was completed after it); done and
    # dropped items stay behind, empty cells are left out, a missing status reads "Open".
    assert answers["action_items"] == [
        {
            "action": "Fix the escalation list",
            "owner": "Ops lead",
            "due": "2026-08-15",
            "status": "Open",
        },
        {
            "action": "Share the forecast",
            "owner": "Finance",
            "due": "2026-12-15",
            "status": "In progress",
        },
        {"action": "Review access", "owner": "IT lead", "due": "2026-11-24", "status": "Open"},
        {"action": "Walk the process", "owner": "IT lead", "status": "Open"},
    ]
    assert set(answers) == {"kpi_results", "action_items"}


def test_review_prefill_without_an_sla_or_a_review_is_empty(
    store: Store, portfolio: Portfolio, review: Playbook
) -> None:
    vendor = add_vendor(store, "Empty Partners")
    assert portfolio.review_prefill(review, store.runs(vendor.id)) == {}


def test_actions_flag_items_due_before_today(
    store: Store, portfolio: Portfolio, acme: Vendor
) -> None:
    items = portfolio.actions(store.runs(acme.id))
    assert [(item.action, item.due, item.overdue) for item in items] == [
        ("Fix the escalation list", "2026-08-15", True),  # before 24 Nov
        ("Share the forecast", "2026-12-15", False),
        ("Review access", "2026-11-24", False),  # due today is not overdue yet
        ("Walk the process", "", False),  # no due date, never overdue
    ]
    assert portfolio.overview(acme).overdue_actions == 1


def test_an_unreadable_due_date_is_not_overdue(
    store: Store, portfolio: Portfolio, review: Playbook
) -> None:
    vendor = add_vendor(store, "Fjord Digital")
    rows = [{"action": "Call back", "owner": "Ops", "due": "soon", "status": "Open"}]
    add_review(
        store, portfolio, review, vendor, "2026-Q3", response=4, csat=90, rating=3, actions=rows
    )
    [item] = portfolio.actions(store.runs(vendor.id))
    assert (item.due, item.overdue) == ("soon", False)


# -- the dashboard order ------------------------------------------------------------------


def test_overviews_put_an_overdue_vendor_first(
    store: Store, portfolio: Portfolio, review: Playbook, sla: Playbook
) -> None:
    # "Aardvark" sorts first by name but is not overdue: started in Q4, first due 30 Jan 2027.
    add_vendor(store, "Aardvark Services", start="2026-10-01")
    # Reviewed up to Q3 (next due 30 Jan 2027) but with an action item overdue.
    busy = add_vendor(store, "Granite Works")
    add_sla(store, sla, busy, SLA_ROWS)
    late_item = [
        {"action": "Send the report", "owner": "Ops", "due": "2026-11-01", "status": "Open"}
    ]
    add_review(
        store, portfolio, review, busy, "2026-Q3", response=4, csat=90, rating=3, actions=late_item
    )
    # Last reviewed for 2026-Q2: the Q3 review was due 30 Oct.
    late = add_vendor(store, "Zulu Logistics")
    add_sla(store, sla, late, SLA_ROWS)
    add_review(store, portfolio, review, late, "2026-Q2", response=4, csat=90, rating=3, actions=[])
    # A candidate is never due a review.
    add_vendor(store, "Bravo Candidate", status="candidate")

    rows = portfolio.overviews()
    assert [row.vendor.name for row in rows] == [
        "Zulu Logistics",  # review overdue
        "Granite Works",  # an action overdue
        "Aardvark Services",  # due 30 Jan 2027, nothing overdue
        "Bravo Candidate",  # nothing due at all
    ]
    assert [row.urgency[0] for row in rows] == [0, 1, 2, 2]
    assert rows[0].next_review is not None and rows[0].next_review.overdue
    assert rows[-1].next_review is None


def test_one_damaged_run_file_hides_one_vendor_not_the_portfolio(
    store: Store, library: Library, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from outsource_tui.cli import main
    from outsource_tui.services.demo import write_demo

    write_demo(store, library, vendors=4, years=1, seed=3, today=TODAY)
    vendors = store.list_vendors()
    broken = vendors[1]
    due = ["due", "--json", "--within", "400d", "--today", TODAY.isoformat()]
    assert main(due) == 0
    before = json.loads(capsys.readouterr().out)
    path = next(store.vendor_dir(broken.id).glob("*.json"))
    path.write_text("{ damaged")

    overviews = Portfolio(store, library, Settings(), TODAY).overviews()
    assert [o.vendor.name for o in overviews][0] == broken.name  # it comes first
    assert overviews[0].problem.startswith(f"{path} is not valid JSON")
    assert all(not o.problem for o in overviews[1:]) and len(overviews) == 4

    assert main(due) == 1
    out, err = capsys.readouterr()
    others = [i for i in before if i["vendor"] != broken.name]
    contract_kinds = {"decide", "notice", "notice-missed", "contract-end", "contract-terms"}
    contract = [i for i in before if i["vendor"] == broken.name and i["kind"] in contract_kinds]
    assert others and json.loads(out) == sorted(
        others + contract, key=lambda i: (i["date"], i["vendor"].casefold(), i["kind"])
    )
    assert err.startswith(f"outsource-tui: error: {path} is not valid JSON (line 1, column 3)")
    assert err.count("\n") == 1
    assert path.read_text() == "{ damaged"


def test_the_portfolio_csv_leaves_out_only_a_vendor_it_cannot_read(
    store: Store,
    library: Library,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import csv
    import io

    from outsource_tui.cli import main
    from outsource_tui.services.demo import write_demo

    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY.isoformat())
    write_demo(store, library, vendors=4, years=1, seed=3, today=TODAY)
    broken = store.list_vendors()[1]
    export = ["report", "--all", "--format", "csv"]
    assert main(export) == 0
    before = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["vendor"] for row in before} == {v.name for v in store.list_vendors()}
    path = next(store.vendor_dir(broken.id).glob("*.json"))
    path.write_text("{ damaged")

    assert main(export) == 1
    out, err = capsys.readouterr()
    after = list(csv.DictReader(io.StringIO(out)))
    assert after == [row for row in before if row["vendor"] != broken.name]
    assert err.startswith(f"outsource-tui: error: {path} is not valid JSON")
    assert err.count("\n") == 1

    # Asked for by name, the damaged vendor is refused, not exported empty.
    assert main(["report", broken.name, "--format", "csv"]) != 0
    out, err = capsys.readouterr()
    assert out == "" and f"{path} is not valid JSON" in err
    assert path.read_text() == "{ damaged"
