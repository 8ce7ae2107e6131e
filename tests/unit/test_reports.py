"""Reports: every format made from the sample portfolio and read back, and hostile text kept
literal and harmless in each of them."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from outsource_tui.domain.answers import Answer, validate_answer
from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import Vendor, VendorDraft
from outsource_tui.errors import ValidationError
from outsource_tui.reports import (
    CSV_COLUMNS,
    SCHEMA,
    portfolio_csv,
    to_html,
    to_json,
    to_markdown,
    vendor_report,
)
from outsource_tui.reports.markdown_report import escape_block, escape_cell, table
from outsource_tui.services.demo import write_demo
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.store import Store, UnknownVendor

TODAY = date(2026, 11, 24)
NASTY_NAME = 'A|B <script>alert(1)</script> "quoted", comma'
NASTY_ANSWER = "=SUM(A1) | <b>x</b> *y*"
NASTY_LONG = NASTY_ANSWER + "\n- not a list\n# not a heading\n1. not numbered"

HEADER = (
    "vendor,vendor_id,status,service,period,kpi,unit,target,direction,weight,actual,"
    "attainment,kpi_status,overall,overall_status,credit_percent,credit_uncapped_percent,"
    "earned_back_percent,bonus_percent,monthly_fee,currency,credit_amount,bonus_amount,"
    "spend_monthly_fee,spend_score,spend_cost_per_point,spend_costly,spend_note"
)


@dataclass
class Sample:
    store: Store
    library: Library
    portfolio: Portfolio

    def report(self, vendor_id: str, period: str | None = None) -> dict[str, Any]:
        return vendor_report(self.portfolio, vendor_id, period=period)

    def csv_rows(self, vendor_ids: list[str] | None = None) -> list[dict[str, str]]:
        text = portfolio_csv(self.portfolio, vendor_ids)
        return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def sample(data_dir: Path, library: Library, monkeypatch: pytest.MonkeyPatch) -> Sample:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")
    store = Store(data_dir)
    write_demo(store, library, vendors=12, years=2, seed=7, today=TODAY)
    return Sample(store, library, Portfolio(store, library, Settings(), TODAY))


def _reviewed(sample: Sample) -> list[Vendor]:
    return [
        v for v in sample.store.list_vendors() if sample.portfolio.trend(sample.store.runs(v.id))
    ]


def _answers(playbook_id: str, library: Library, raw: dict[str, Any]) -> dict[str, Answer]:
    playbook = library.get(playbook_id)
    assert playbook is not None
    return {qid: validate_answer(playbook.questions_by_id[qid], v) for qid, v in raw.items()}


@pytest.fixture
def nasty(sample: Sample) -> Vendor:
    """A vendor whose name and answers are full of Markdown, HTML, CSV and formula syntax."""
    store, library, portfolio = sample.store, sample.library, sample.portfolio
    vendor = store.add_vendor(
        VendorDraft(name=NASTY_NAME, service="support | desk", contract_start="2026-01-01")
    )
    objectives = library.get("objectives")
    sla = library.get("sla-kpis")
    review = library.get("quarterly-review")
    assert objectives and sla and review
    run = store.start_run(
        vendor.id,
        objectives,
        answers=_answers(
            "objectives",
            library,
            {
                "problem": NASTY_LONG,
                "main_driver": "Lower cost",
                "sponsor": NASTY_ANSWER,
                "raci": [{"activity": NASTY_ANSWER, "responsible": NASTY_NAME}],
            },
        ),
    )
    step = objectives.steps[0]
    store.set_checked(vendor.id, run.id, {f"{step.id}/{step.checklist[0].id}"})
    store.complete_run(vendor.id, run.id)
    kpis = [
        {"kpi": NASTY_ANSWER, "target": 90, "direction": "higher is better", "weight": 2},
        {"kpi": "Net score", "target": -5, "direction": "higher is better", "weight": 1},
    ]
    run = store.start_run(vendor.id, sla, answers=_answers("sla-kpis", library, {"kpis": kpis}))
    store.complete_run(vendor.id, run.id)
    results = [{"kpi": NASTY_ANSWER, "actual": 80}, {"kpi": "Net score", "actual": -2}]
    actions = [{"action": NASTY_ANSWER, "owner": NASTY_NAME, "due": "2026-10-01"}]
    run = store.start_run(
        vendor.id,
        review,
        period="2026-Q3",
        answers=_answers(
            "quarterly-review",
            library,
            {"kpi_results": results, "action_items": actions, "quality_rating": "4"},
        ),
    )
    runs = store.runs(vendor.id)
    card = portfolio.live_scorecard(review, store.get_run(vendor.id, run.id), runs)
    store.complete_run(vendor.id, run.id, card.to_dict())
    return vendor


# -- reading the formats back --------------------------------------------------------------


class TagCollector(HTMLParser):
    """Start and end tags in order, and the text of every table cell and of the title."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[str] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.cells: list[str] = []
        self.title = ""
        self._cell: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []
        self._in_title = tag == "title"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)  # <br />: nothing to close

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title:
            self.title += data


def parse_html(text: str) -> TagCollector:
    parser = TagCollector()
    parser.feed(text)
    parser.close()
    return parser


def render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


SEPARATOR = re.compile(r"(?<!\\)\|")


def table_blocks(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# -- JSON --------------------------------------------------------------------------------


def test_json_report_matches_the_store(sample: Sample) -> None:
    store = sample.store
    for vendor in store.list_vendors():
        report = sample.report(vendor.id)
        assert json.loads(to_json(report)) == report
        assert report["schema"] == SCHEMA
        assert report["generated_for"] == "2026-11-24"
        assert report["vendor"] == store.get_vendor(vendor.id).to_dict()
        assert [p["id"] for p in report["playbooks"]] == list(sample.library.playbooks)
        runs = store.runs(vendor.id)
        done = {r.period: r for r in runs if r.playbook_id == "quarterly-review" and r.completed}
        assert [t["period"] for t in report["trend"]] == sorted(done)
        for point in report["trend"]:
            assert point["overall"] == done[point["period"]].snapshot["overall"]


def test_json_report_has_every_answer_of_the_latest_objectives_run(sample: Sample) -> None:
    vendor = _reviewed(sample)[0]
    stored = sample.store.latest_run(vendor.id, "objectives")
    assert stored is not None and stored.answers
    report = json.loads(to_json(sample.report(vendor.id)))
    entry = next(p for p in report["playbooks"] if p["id"] == "objectives")
    assert entry["state"] == "done"
    run = entry["latest_run"]
    assert run["id"] == stored.id
    assert run["completed_at"] == stored.completed_at
    values = {a["question_id"]: a["value"] for a in run["answers"]}
    for question_id, value in stored.answers.items():
        assert values[question_id] == value
    texts = {a["question_id"]: a["text"] for a in run["answers"]}
    assert texts["budget_approved"] in ("Yes", "No")
    assert texts["clarity"].endswith("/ 5")
    raci = next(a for a in run["answers"] if a["question_id"] == "raci")
    assert raci["table"]["columns"][0] == {"id": "activity", "label": "Activity"}
    assert raci["table"]["rows"][0][0] == stored.answers["raci"][0]["activity"]
    assert len(run["checklist"]) == sample.library.get("objectives").checklist_total
    assert all(item["done"] for item in run["checklist"])


def test_json_scorecard_is_the_stored_snapshot_of_the_latest_review(sample: Sample) -> None:
    for vendor in _reviewed(sample):
        report = sample.report(vendor.id)
        card = report["scorecard"]
        reviews = [r for r in sample.store.runs(vendor.id) if r.playbook_id == "quarterly-review"]
        latest = max(r.period for r in reviews if r.completed)
        assert card["period"] == latest
        stored = next(r for r in reversed(reviews) if r.period == latest)
        assert card["overall"] == stored.snapshot["overall"]
        assert [k["target"]["kpi"] for k in card["kpis"]] == [
            k["target"]["kpi"] for k in stored.snapshot["kpis"]
        ]


def test_json_scorecard_for_a_chosen_period(sample: Sample) -> None:
    vendor = _reviewed(sample)[0]
    first = sample.report(vendor.id)["trend"][0]
    report = sample.report(vendor.id, period=first["period"].lower())
    assert report["scorecard"]["period"] == first["period"]
    assert report["scorecard"]["overall"] == first["overall"]
    unreviewed = sample.report(vendor.id, period="2019-Q1")["scorecard"]
    assert unreviewed["overall"] is None
    assert any("No review for 2019-Q1" in note for note in unreviewed["notes"])
    with pytest.raises(ValidationError):
        sample.report(vendor.id, period="last quarter")
    with pytest.raises(UnknownVendor):
        sample.report("no-such-vendor")


def test_json_without_reviews_uses_the_next_review_period(sample: Sample) -> None:
    candidate = next(v for v in sample.store.list_vendors() if v.status == "candidate")
    report = sample.report(candidate.id)
    assert report["trend"] == []
    assert report["open_action_items"] == []
    assert report["next_review"] is None
    assert report["scorecard"]["period"] == "2026-Q3"  # the last quarter that has ended
    states = {p["id"]: p["state"] for p in report["playbooks"]}
    assert states["partner-selection"] == "done"
    assert states["objectives"] == "never started"
    assert next(p for p in report["playbooks"] if p["id"] == "objectives")["latest_run"] is None


# Read off the seeded sample's stored runs: the action-items table of each vendor's latest
# review, without its Done and Dropped rows, in the table's order; overdue when due before
# 2026-11-24.
CEDAR_LOGISTICS_OPEN_ITEMS = [  # from the 2026-Q1 review; its one Done row left out
    {
        "action": "Schedule a process walkthrough",
        "owner": "Support manager",
        "due": "2026-06-06",
        "status": "Open",
        "overdue": True,
    },
    {
        "action": "Send the revised reporting template",
        "owner": "IT lead",
        "due": "2026-05-11",
        "status": "Open",
        "overdue": True,
    },
    {
        "action": "Send the revised reporting template",
        "owner": "Support manager",
        "due": "2026-06-05",
        "status": "Open",
        "overdue": True,
    },
]
SUMMIT_PARTNERS_OPEN_ITEMS = [  # from the 2026-Q3 review: 3 Done and 1 Dropped left out
    {
        "action": "Run a root-cause review of the missed target",
        "owner": "Support manager",
        "due": "2026-08-26",
        "status": "In progress",
        "overdue": True,
    },
    {
        "action": "Schedule a process walkthrough",
        "owner": "Ops lead",
        "due": "2026-11-07",
        "status": "Open",
        "overdue": True,
    },
    {
        "action": "Agree a training plan for new agents",
        "owner": "Vendor manager",
        "due": "2026-12-08",  # still to come
        "status": "Open",
        "overdue": False,
    },
    {
        "action": "Review access rights of leavers",
        "owner": "Finance",
        "due": "2026-11-06",
        "status": "Open",
        "overdue": True,
    },
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cedar Logistics", CEDAR_LOGISTICS_OPEN_ITEMS),
        ("Summit Partners", SUMMIT_PARTNERS_OPEN_ITEMS),
    ],
)
def test_json_open_action_items_are_the_open_rows_of_the_latest_review(
    sample: Sample, name: str, expected: list[dict[str, Any]]
) -> None:
    report = json.loads(to_json(sample.report(sample.store.find_vendor(name).id)))
    assert report["open_action_items"] == expected


# -- CSV ---------------------------------------------------------------------------------


def test_csv_has_one_row_per_vendor_period_and_kpi(sample: Sample) -> None:
    text = portfolio_csv(sample.portfolio)
    assert text.splitlines()[0] == HEADER
    assert "\r" not in text
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    expected: list[tuple[str, str, str]] = []
    for vendor in sample.store.list_vendors():
        by_period = {}
        for run in sample.store.runs(vendor.id):
            if run.playbook_id == "quarterly-review" and run.period:
                by_period[run.period] = run
        done = {p: r for p, r in by_period.items() if r.completed}
        if not done:
            expected.append((vendor.id, "", ""))
        for period in sorted(done):
            kpis = done[period].snapshot["kpis"]
            expected += [(vendor.id, period, k["target"]["kpi"]) for k in kpis]
            if not kpis:
                expected.append((vendor.id, period, ""))
    assert [(r["vendor_id"], r["period"], r["kpi"]) for r in rows] == expected
    assert len(rows) > 50


def test_csv_values_come_from_the_stored_scorecards(sample: Sample) -> None:
    vendor = _reviewed(sample)[0]
    rows = sample.csv_rows([vendor.id])
    runs = sample.store.runs(vendor.id)
    snapshots = {r.period: r.snapshot for r in runs if r.playbook_id == "quarterly-review"}
    for row in rows:
        snap = snapshots[row["period"]]
        line = next(k for k in snap["kpis"] if k["target"]["kpi"] == row["kpi"])
        assert row["vendor"] == vendor.name
        assert row["status"] == vendor.status
        assert float(row["target"]) == line["target"]["target"]
        assert row["direction"] == line["target"]["direction"]
        assert row["kpi_status"] == line["status"]
        assert row["overall_status"] == snap["status"]
        assert float(row["overall"]) == pytest.approx(snap["overall"], abs=0.005)
        assert float(row["credit_percent"]) == snap["credit_percent"]
        if line["actual"] is None:
            assert row["actual"] == row["attainment"] == ""
        else:
            assert float(row["actual"]) == line["actual"]
            assert float(row["attainment"]) == pytest.approx(100 * line["attainment"], abs=0.005)


def test_csv_vendor_ids_choose_and_order_the_vendors(sample: Sample) -> None:
    vendors = sample.store.list_vendors()
    candidate = next(v for v in vendors if v.status == "candidate")
    reviewed = _reviewed(sample)[0]
    rows = sample.csv_rows([reviewed.id, candidate.id])
    assert {r["vendor_id"] for r in rows} == {reviewed.id, candidate.id}
    assert rows[-1]["vendor_id"] == candidate.id
    assert rows[-1]["period"] == rows[-1]["kpi"] == rows[-1]["overall"] == ""
    assert rows[-1]["vendor"] == candidate.name
    with pytest.raises(UnknownVendor):
        sample.csv_rows(["no-such-vendor"])


# -- Markdown and HTML -------------------------------------------------------------------


def test_markdown_has_the_sections_and_a_kpi_table(sample: Sample) -> None:
    vendor = _reviewed(sample)[0]
    report = sample.report(vendor.id)
    text = to_markdown(report)
    lines = text.splitlines()
    period = report["scorecard"]["period"]
    assert lines[0] == f"# Vendor report: {vendor.name}"
    for heading in (
        "## Vendor",
        f"## Scorecard for {period}",
        "## Trend",
        "## Open action items",
        "## Playbooks",
        "### Define objectives and scope",
        "#### Why outsource",
    ):
        assert heading in lines
    assert "| KPI | Target | Actual | Attainment % | Status |" in lines
    first_kpi = report["scorecard"]["kpis"][0]["target"]["kpi"]
    assert any(line.startswith(f"| {first_kpi} | ") for line in lines)
    assert any(line.startswith("- [x] ") for line in lines)
    assert "### Select a partner" not in lines  # never started
    assert re.search(r"^\*\*Overall: \d+ / 100, (on track|slipping|off track)\*\*", text, re.M)
    for block in table_blocks(text):
        widths = {len(SEPARATOR.findall(line)) for line in block}
        assert len(widths) == 1, block


def test_markdown_marks_an_open_run_as_in_progress(sample: Sample) -> None:
    onboarding = next(v for v in sample.store.list_vendors() if v.status == "onboarding")
    text = to_markdown(sample.report(onboarding.id))
    assert "### Onboard a new vendor (in progress)" in text.splitlines()
    assert "not finished yet" in text
    assert "- [ ] " in text


def test_html_is_a_balanced_standalone_page(sample: Sample) -> None:
    vendor = _reviewed(sample)[0]
    page = to_html(sample.report(vendor.id))
    assert page.startswith("<!DOCTYPE html>")
    parsed = parse_html(page)
    assert parsed.unbalanced == [] and parsed.stack == []
    for tag in ("html", "head", "body", "title", "style", "table", "thead", "h1", "h2"):
        assert tag in parsed.starts
    assert parsed.starts.count("html") == parsed.starts.count("body") == 1
    assert parsed.starts.count("h1") == 1
    assert parsed.title == f"Vendor report: {vendor.name}"
    assert "@media print" in page
    assert vendor.name in parsed.cells


# -- hostile text ------------------------------------------------------------------------


def test_hostile_text_round_trips_through_json(sample: Sample, nasty: Vendor) -> None:
    report = sample.report(nasty.id)
    assert json.loads(to_json(report)) == report
    assert report["vendor"]["name"] == NASTY_NAME
    assert json.dumps(NASTY_NAME, ensure_ascii=False) in to_json(report)
    objectives = next(p for p in report["playbooks"] if p["id"] == "objectives")
    values = {a["question_id"]: a["value"] for a in objectives["latest_run"]["answers"]}
    assert values["sponsor"] == NASTY_ANSWER
    assert values["problem"] == NASTY_LONG
    assert values["raci"] == [{"activity": NASTY_ANSWER, "responsible": NASTY_NAME}]
    assert report["scorecard"]["period"] == "2026-Q3"
    assert report["scorecard"]["kpis"][0]["target"]["kpi"] == NASTY_ANSWER
    assert report["open_action_items"][0]["owner"] == NASTY_NAME


def test_hostile_text_is_guarded_in_csv(sample: Sample, nasty: Vendor) -> None:
    rows = sample.csv_rows([nasty.id])
    assert [r["kpi"] for r in rows] == ["'" + NASTY_ANSWER, "Net score"]
    assert all(r["vendor"] == NASTY_NAME for r in rows)
    assert all(r["service"] == "support | desk" for r in rows)
    net = rows[1]
    assert net["target"] == "-5" and net["actual"] == "-2"  # numbers are never guarded
    assert rows[0]["actual"] == "80" and rows[0]["period"] == "2026-Q3"


def test_hostile_text_is_inert_in_html(sample: Sample, nasty: Vendor) -> None:
    page = to_html(sample.report(nasty.id))
    assert "&lt;script&gt;" in page
    assert "<script" not in page.lower()
    assert "<b>" not in page and "<em>" not in page
    parsed = parse_html(page)
    assert parsed.unbalanced == [] and parsed.stack == []
    assert parsed.starts.count("h1") == 1
    assert "ol" not in parsed.starts
    assert parsed.title == f"Vendor report: {NASTY_NAME}"
    assert f"<title>{html.escape('Vendor report: ' + NASTY_NAME)}</title>" in page
    # Table cells read back exactly as typed: no column was split, nothing was formatted.
    assert NASTY_NAME in parsed.cells
    assert NASTY_ANSWER in parsed.cells
    assert "support | desk" in parsed.cells
    assert "# not a heading" in html.unescape(page)


def test_hostile_text_keeps_markdown_tables_whole(sample: Sample, nasty: Vendor) -> None:
    text = to_markdown(sample.report(nasty.id))
    assert text.splitlines()[0].startswith("# Vendor report: A\\|B \\<script\\>")
    blocks = table_blocks(text)
    assert len(blocks) >= 6
    for block in blocks:
        header = len(SEPARATOR.findall(block[0]))
        assert all(len(SEPARATOR.findall(line)) == header for line in block), block
    kpi_row = next(line for line in text.splitlines() if line.startswith("| =SUM"))
    assert len(SEPARATOR.findall(kpi_row)) == 6
    assert "<br>" not in text
    # The long answer keeps its lines but none of them becomes a list or a heading.
    rendered = render(text)
    assert rendered.count("<h1>") == 1
    assert "<ol>" not in rendered
    assert "<li>not a list" not in rendered


# -- escaping, piece by piece ------------------------------------------------------------

TRICKY = [
    "*bold* and _it_",
    "`code` and ``more``",
    "<b>x</b> <!-- c --> <https://example.com>",
    "[link](https://example.com) ![img](x.png)",
    "&amp; &lt; &#42;",
    "# heading",
    "- item",
    "+ item",
    "* item",
    "1. first",
    "12) twelfth",
    "> quote",
    "---",
    "===",
    "***",
    "    indented code",
    "```fence",
    "~~~fence",
    "~~struck~~",
    "a \\ b \\* c \\",
    "| a | b |",
    "[ref]: https://example.com",
    "quote \" and ' apostrophe",
    "trailing backslash\\",
]


@pytest.mark.parametrize("text", TRICKY)
def test_a_paragraph_renders_exactly_as_typed(text: str) -> None:
    rendered = render(escape_block(text)).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    assert html.unescape(rendered[3:-4]) == text.strip()


@pytest.mark.parametrize("text", TRICKY)
def test_a_table_cell_renders_exactly_as_typed(text: str) -> None:
    parsed = parse_html(render(table(("Head",), [(text,)])))
    assert parsed.cells == ["Head", text.strip()]


def test_line_breaks_in_text_are_kept_in_paragraphs_but_not_in_cells() -> None:
    assert escape_cell("one\ntwo |\tthree") == "one two \\| three"
    rendered = render(escape_block("first line\n- second\n\nnew paragraph"))
    assert rendered == "<p>first line<br />\n- second</p>\n<p>new paragraph</p>\n"


def test_reports_do_not_import_textual() -> None:
    code = (
        "import sys, outsource_tui.reports; "
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    folder = Path(__file__).resolve().parents[2] / "outsource_tui" / "reports"
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(textual|rich)\b", source, re.M), path


def test_html_colours_each_status_red_amber_or_green(sample: Sample) -> None:
    # Cedar Logistics, 2026-Q1: overall "slipping", all three KPIs "off track".
    page = to_html(sample.report(sample.store.find_vendor("Cedar Logistics").id))
    assert '<strong>Overall: 73 / 100, <span class="rag rag-amber">slipping</span></strong>' in page
    assert page.count('<td class="rag rag-red">off track</td>') == 3
    assert ".rag-red { color: #cf222e; }" in page
