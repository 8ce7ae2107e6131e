"""What the trend and spend charts show, worked out once for the app and the HTML pages: the
points, the gaps, the bands at the thresholds; and the pages and CSV that carry them."""

from __future__ import annotations

import csv
import io
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.charts import (
    SpendEntry,
    kpi_chart,
    score_chart,
    spend_view,
    trend_chart,
    trend_charts,
)
from outsource_tui.domain.library import load_library
from outsource_tui.domain.scoring import AMBER, GREEN, MISSING, RED, KpiLine, KpiTarget, Scorecard
from outsource_tui.domain.settings import Thresholds
from outsource_tui.reports.svg_charts import spend_svg, trend_svg
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)


def card(period: str, overall: float | None, status: str, *kpis: KpiLine) -> Scorecard:
    return Scorecard(period=period, overall=overall, status=status, kpis=kpis)


def kpi(name: str, attainment: float | None, status: str) -> KpiLine:
    actual = None if attainment is None else 99.9 * attainment
    return KpiLine(KpiTarget(name, 99.9), actual, attainment, status)


# -- trend charts --------------------------------------------------------------------------


def test_a_period_without_a_value_is_a_gap_not_a_zero() -> None:
    chart = trend_chart(
        "Overall score",
        [
            ("2025-Q1", 85.0, GREEN),
            ("2025-Q3", 72.0, AMBER),  # 2025-Q2 is left out: no review
            ("2025-Q4", None, MISSING),  # a review without a value
            ("2026-Q1", 55.0, RED),
        ],
        target=80,
        amber=60,
        green=80,
        ceiling=100,
    )
    assert [p.period for p in chart.points] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert [p.value for p in chart.points] == [85.0, None, 72.0, None, 55.0]
    assert [p.y for p in chart.points] == [0.75, None, pytest.approx(32 / 60), None, 0.25]
    assert [p.x for p in chart.points] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert [p.status for p in chart.points] == [GREEN, MISSING, AMBER, MISSING, RED]
    assert chart.segments == ((0,), (2,), (4,))  # no line crosses a gap
    assert chart.gaps == ("2025-Q2", "2025-Q4")
    assert (chart.low, chart.high) == (40.0, 100.0)


def test_a_line_joins_neighbouring_periods_only() -> None:
    series = [("2025-Q1", 70.0, AMBER), ("2025-Q2", 75.0, AMBER), ("2025-Q4", 81.0, GREEN)]
    series += [("2026-Q1", 90.0, GREEN)]
    chart = trend_chart("x", series, target=80, amber=60, green=80, ceiling=100)
    assert chart.segments == ((0, 1), (3, 4))
    assert chart.points[2].period == "2025-Q3" and chart.points[2].value is None


def test_bands_lie_at_the_thresholds_of_the_settings() -> None:
    thresholds = Thresholds(kpi_green=1.0, kpi_amber=0.9, score_green=75.0, score_amber=50.0)
    trend = [card("2026-Q1", 90.0, GREEN), card("2026-Q2", 62.0, AMBER)]
    chart = score_chart([(c.period, c) for c in trend], thresholds)
    # The range reaches a band's width (25) below amber: 25, rounded down to 20.
    assert (chart.low, chart.high) == (20.0, 100.0)
    assert [(b.status, b.low, b.high) for b in chart.bands] == [
        (RED, 20.0, 50.0),
        (AMBER, 50.0, 75.0),
        (GREEN, 75.0, 100.0),
    ]
    assert [(b.y0, b.y1) for b in chart.bands] == [
        (0.0, 0.375),
        (0.375, 0.6875),
        (0.6875, 1.0),
    ]
    assert (chart.target, chart.target_y, chart.target_label) == (75.0, 0.6875, "75")
    assert [t.label for t in chart.ticks] == ["20", "50", "75", "100"]
    assert chart.caption == "Overall, 2 reviews: 90 → 62 (from 2026-Q1 to 2026-Q2; scale 0-100)"


def test_a_kpi_chart_has_gaps_where_the_kpi_had_no_result_or_did_not_exist_yet() -> None:
    trend = [
        card("2025-Q3", 80.0, GREEN, kpi("Backlog", 0.95, AMBER)),
        card("2025-Q4", 80.0, GREEN, kpi("Backlog", None, MISSING), kpi("Uptime", 1.0, GREEN)),
        card("2026-Q1", 80.0, GREEN, kpi("Backlog", 0.85, RED), kpi("Uptime", 2.0, GREEN)),
    ]
    pairs = [(c.period, c) for c in trend]
    thresholds = Thresholds()
    backlog = kpi_chart(pairs, "backlog", thresholds)  # matched whatever the case
    assert [p.value for p in backlog.points] == [95.0, None, 85.0]
    assert backlog.segments == ((0,), (2,))
    assert [(b.status, b.low, b.high) for b in backlog.bands] == [
        (RED, 80.0, 90.0),
        (AMBER, 90.0, 100.0),
        (GREEN, 100.0, 110.0),
    ]
    assert backlog.target == 100.0 and backlog.unit == "%"
    assert backlog.caption == "backlog, 2 results: 95% → 85% of target; no result for 2025-Q4"
    uptime = kpi_chart(pairs, "Uptime", thresholds)
    assert [p.value for p in uptime.points] == [None, 100.0, 200.0]
    # 200 % is drawn at the top of a range that stops at 150 %, and says so.
    assert uptime.high == 150.0
    assert [(p.y, p.clipped) for p in uptime.points[1:]] == [
        (pytest.approx(2 / 7), False),
        (1.0, True),
    ]
    # One chart for the overall score, then one per KPI, the latest review's names first.
    assert [c.title for c in trend_charts(pairs, thresholds)] == [
        "Overall score",
        "Backlog",
        "Uptime",
    ]
    assert trend_charts([], thresholds) == []


# -- spend against performance ------------------------------------------------------------


def entry(name: str, fee: float | None, score: float | None, currency: str = "EUR") -> SpendEntry:
    status = MISSING if score is None else GREEN if score >= 80 else AMBER if score >= 60 else RED
    return SpendEntry(name.lower(), name, fee, currency, score, status, "2026-Q3" if score else "")


def test_spend_places_vendors_by_fee_and_score_and_lists_the_rest() -> None:
    entries = [
        entry("Bravo", 10_000, 90),
        entry("Alpha", 40_000, 60),  # above the median fee, below green: costly
        entry("Charlie", 20_000, 70),  # at the median: not above it
        entry("Delta", None, 80),
        entry("Echo", 5_000, None),
        entry("Foxtrot", 3_000, 50, currency="usd"),  # its own currency, its own plot
    ]
    view = spend_view(entries, Thresholds())
    assert [(r.entry.name, r.number) for r in view.rows] == [
        ("Alpha", 1),
        ("Charlie", 2),
        ("Bravo", 3),
        ("Foxtrot", 4),
        ("Echo", 0),
        ("Delta", 0),
    ]
    assert [round(r.cost_per_point or 0, 2) for r in view.rows] == [
        666.67,
        285.71,
        111.11,
        60.0,
        0,
        0,
    ]
    assert [r.entry.name for r in view.costly] == ["Alpha"]
    assert [r.note for r in view.rows[4:]] == [
        "no score yet: no completed review",
        "no monthly fee in the SLA",
    ]
    euro, dollar = view.plots
    assert (euro.currency, euro.fee_high, euro.median_fee, euro.median_x) == (
        "EUR",
        50_000,
        20_000,
        0.4,
    )
    assert (euro.score_low, euro.score_high, euro.green, euro.green_y) == (
        40.0,
        100.0,
        80.0,
        pytest.approx(2 / 3),
    )
    assert [(b.status, b.low, b.high) for b in euro.bands] == [
        (RED, 40.0, 60.0),
        (AMBER, 60.0, 80.0),
        (GREEN, 80.0, 100.0),
    ]
    assert [(p.name, p.x, p.y, p.costly) for p in euro.points] == [
        ("Alpha", 0.8, pytest.approx(1 / 3), True),
        ("Charlie", 0.4, 0.5, False),
        ("Bravo", 0.2, pytest.approx(5 / 6), False),
    ]
    assert [t.label for t in euro.x_ticks] == ["0", "25k", "50k"]
    assert (dollar.currency, [p.name for p in dollar.points]) == ("USD", ["Foxtrot"])


# -- SVG, HTML and CSV --------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def tags(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_svg_escapes_every_text_and_draws_the_gaps() -> None:
    hostile = '<script>alert("x")</script> & co'
    trend = [
        card("2025-Q1", 70.0, AMBER, kpi(hostile, 0.8, RED)),
        card("2025-Q3", 85.0, GREEN, kpi(hostile, 1.0, GREEN)),
    ]
    chart = kpi_chart([(c.period, c) for c in trend], hostile, Thresholds())
    svg = trend_svg(chart)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    parsed = tags(svg)
    assert parsed.starts.count("svg") == 1
    assert parsed.starts.count("circle") == 2  # two reviews with a value; none for 2025-Q2
    assert parsed.starts.count("polyline") == 0  # and so no line across it
    assert "2025-Q2" in parsed.texts
    view = spend_view([entry(hostile, 1000, 50)], Thresholds())
    svg = spend_svg(view.plots[0], view.rows)
    assert "<script" not in svg and hostile in "".join(tags(svg).texts)


@pytest.fixture
def sample(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY.isoformat())
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=12, years=2, seed=7, today=TODAY)
    return store


def fees(store: Store) -> dict[str, float]:
    """Each active vendor's monthly fee, read straight from its SLA run's answers."""
    found = {}
    for vendor in store.list_vendors():
        if vendor.status == "active":
            sla = [r for r in store.runs(vendor.id) if r.playbook_id == "sla-kpis"]
            found[vendor.name] = float(sla[-1].answers["monthly_fee"])
    return found


def test_the_portfolio_page_is_inline_svg_without_script(
    sample: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--all", "--format", "html", "-o", "-"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "<script" not in page.lower()
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    parsed = tags(page)
    assert parsed.starts.count("svg") == 1  # every fee of the sample is in EUR
    texts = "".join(parsed.texts)
    expected = fees(sample)
    assert len(expected) >= 4
    for name, fee in expected.items():
        assert name in texts and f"{fee:,.0f} EUR" in texts
    assert "costs a lot for what it delivers" in texts


def test_the_vendor_page_has_a_chart_per_kpi_and_one_for_the_score(
    sample: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "Cedar Logistics", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<script" not in page.lower()
    parsed = tags(page)
    # Cedar Logistics: software development, three KPIs.
    assert parsed.starts.count("svg") == 4
    assert parsed.starts.count("figure") == 4


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_all_with_markdown_or_json_stays_a_usage_error(
    sample: Store, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["report", "--all", "--format", fmt]) == 2
    assert "--all --format csv (or html)" in capsys.readouterr().err


def test_the_csv_carries_the_fee_the_score_and_the_cost_per_point(
    sample: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--all", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = fees(sample)
    for name, fee in expected.items():
        mine = [r for r in rows if r["vendor"] == name]
        assert {float(r["spend_monthly_fee"]) for r in mine} == {fee}
        latest = max(mine, key=lambda r: r["period"])
        # The score is the latest review's overall score, and the cost its share of the fee.
        assert {r["spend_score"] for r in mine} == {latest["overall"]}
        per_point = float(latest["spend_cost_per_point"])
        # (worked out on the whole score the screens show, so a reader can check it)
        assert per_point == pytest.approx(fee / round(float(latest["overall"])), abs=0.01)
    cedar = next(r for r in rows if r["vendor"] == "Cedar Logistics")
    assert cedar["spend_costly"] == "yes"  # 40,000 EUR, the highest fee, and slipping
    others = [r for r in rows if r["status"] != "active"]
    assert others and all(r["spend_monthly_fee"] == r["spend_costly"] == "" for r in others)
