"""The sample portfolio is user input: it passes the same checks and agrees with itself."""

from __future__ import annotations

from datetime import date

import pytest

from outsource_tui.domain.answers import validate_answer, validate_row
from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.playbook import QuestionType
from outsource_tui.domain.vendor import Vendor, contract_terms
from outsource_tui.services.demo import Sample, build_sample
from outsource_tui.services.runs import check_order
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def sample(library: Library) -> Sample:
    return build_sample(library, 12, 2, 7, TODAY)


def test_every_sample_answer_passes_the_checks_a_user_answer_passes(
    library: Library, sample: Sample
) -> None:
    checked = 0
    for draft, runs in sample.entries:
        for run in runs:
            playbook = library.get(run.playbook_id)
            assert playbook is not None
            for question_id, value in run.answers.items():
                question = playbook.questions_by_id[question_id]
                where = f"{draft.name} / {playbook.id} / {question_id} = {value!r}"
                if question.type is QuestionType.TABLE:
                    assert isinstance(value, list), where
                    for row in value:
                        assert validate_row(question, row) == row, where
                else:
                    assert validate_answer(question, value) == value, where
                check_order(playbook, question, value, run.answers)  # dates in their order
                checked += 1
    assert checked > 1000


def test_the_sample_vendors_agree_with_their_contracts(
    data_dir, library: Library, sample: Sample
) -> None:
    store = Store(data_dir)
    store.import_portfolio(sample.entries, sample.contracts, sample.notices)
    vendors = {v.name: v for v in store.list_vendors()}
    for vendor in vendors.values():
        if vendor.status == "candidate":
            assert (vendor.contract_start, vendor.contract_end, vendor.contract) == ("", "", {})
            continue
        terms = contract_terms(vendor)
        assert terms is not None, vendor.name
        # The rule: the contract end date is the last day of the first term.
        assert vendor.contract_end == terms.term_end(1).isoformat(), vendor.name
    ended = [v for v in vendors.values() if v.status == "ended"]
    assert len(ended) == 1
    _ended_vendor_stops_at_its_end(store, ended[0])


def _ended_vendor_stops_at_its_end(store: Store, vendor: Vendor) -> None:
    end = vendor.contract_end
    assert end < TODAY.isoformat()
    assert vendor.notice_given and vendor.notice_given <= end
    reviews = [r for r in store.runs(vendor.id) if r.playbook_id == "quarterly-review"]
    assert reviews
    from outsource_tui.domain.periods import period_bounds

    assert all(period_bounds(r.period)[0].isoformat() <= end for r in reviews)
    last = max(reviews, key=lambda r: r.period)
    assert {row["status"] for row in last.answers["action_items"]} == {"Done"}  # type: ignore[union-attr,index]


def test_the_sample_credit_caps_are_the_usual_ten_to_fifteen_percent(
    library: Library, sample: Sample
) -> None:
    caps = [
        run.answers["credit_cap"]
        for _, runs in sample.entries
        for run in runs
        if run.playbook_id == "sla-kpis"
    ]
    assert caps and set(caps) <= {10, 12, 15}


def test_sample_answers_that_state_a_vendor_fact_say_what_the_record_says(
    sample: Sample,
) -> None:
    for draft, runs in sample.entries:
        for run in runs:
            if run.playbook_id == "cultural-fit":
                assert run.answers["their_time_zone"] == draft.timezone
            if run.playbook_id == "exit-transition":
                assert run.answers["notice_given_date"] == sample.notices[draft.name]


def test_the_sample_measures_the_kpis_its_sla_names(library: Library, sample: Sample) -> None:
    # How each KPI is measured names the same KPIs as the SLA's own table: a reader of the
    # sample should not find a person's name where a KPI or a calculation belongs.
    measured = 0
    for draft, runs in sample.entries:
        for run in runs:
            if run.playbook_id != "sla-kpis":
                continue
            kpis = {row["kpi"] for row in run.answers["kpis"]}  # type: ignore[union-attr,index]
            rows = run.answers["measurement"]
            assert isinstance(rows, list)
            assert {row["kpi"] for row in rows} == kpis, draft.name  # type: ignore[index]
            for row in rows:
                assert isinstance(row, dict)
                assert row["calculation"] not in CONTACT_NAMES, draft.name
            measured += 1
    assert measured >= 8


CONTACT_NAMES = {
    "Ana Lima",
    "Tomasz Nowak",
    "Priya Rao",
    "Diego Vargas",
    "Chidi Okafor",
    "Mai Tran",
}


def test_the_sample_rows_of_every_table_pass_its_checks_and_its_goals_are_smart(
    library: Library,
) -> None:
    # Rows for tables the default sample does not fill yet (the SMART goals) are checked too.

    from outsource_tui.domain.smart import analyse_goal
    from outsource_tui.services.demo import _sample_rows

    tables = [
        question
        for playbook in library.playbooks.values()
        for question in playbook.questions_by_id.values()
        if question.type is QuestionType.TABLE
    ]
    filled = 0
    for question in tables:
        rows = _sample_rows(question.id, "Acme Support", TODAY)
        for row in rows:
            assert validate_row(question, row) == row, question.id
            filled += 1
        if question.id == "goals":
            assert rows
            for row in rows:
                report = analyse_goal(str(row["goal_text"]), today=TODAY)
                verdicts = (report.specific.ok, report.measurable.ok, report.time_bound.ok)
                assert verdicts == (True, True, True), row["goal_text"]
    assert filled >= 18


def test_the_sample_costs_agree_with_the_fee(library: Library, sample: Sample) -> None:
    # A quarter costs three monthly fees less that period's credits, and the year's budget
    # covers twelve; a 40,000 EUR vendor does not cost 37 EUR a quarter.
    checked = 0
    for _, runs in sample.entries:
        fee = next((r.answers["monthly_fee"] for r in runs if "monthly_fee" in r.answers), None)
        if not isinstance(fee, int | float):
            continue
        for run in runs:
            if "annual_budget" in run.answers:
                assert run.answers["annual_budget"] >= 12 * fee  # type: ignore[operator]
            if "quarter_cost" in run.answers and run.snapshot:
                credits = fee * (run.snapshot.get("credit_percent") or 0) / 100
                assert run.answers["quarter_cost"] == round(3 * fee - credits)
                checked += 1
    assert checked >= 10
