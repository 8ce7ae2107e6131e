"""A KPI is named once in a table, whatever the case or spacing."""

from __future__ import annotations

import pytest

from outsource_tui.domain.answers import validate_answer
from outsource_tui.domain.library import load_library
from outsource_tui.errors import ValidationError

LIBRARY = load_library()


def test_a_second_csat_beside_csat_is_refused_in_the_sla() -> None:
    kpis = LIBRARY.get("sla-kpis").questions_by_id["kpis"]  # type: ignore[union-attr]
    row = {"kpi": "CSAT", "target": 90, "direction": "higher is better", "weight": 1}
    with pytest.raises(ValidationError, match=r"row 2: KPI: 'CSAT' is already in the table"):
        validate_answer(kpis, [row, {**row, "kpi": "  csat "}])


def test_review_results_name_each_kpi_once() -> None:
    results = LIBRARY.get("quarterly-review").questions_by_id["kpi_results"]  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="'Uptime' is already in the table"):
        validate_answer(results, [{"kpi": "Uptime", "actual": 99}, {"kpi": "UPTIME", "actual": 98}])
    ok = [{"kpi": "Uptime", "actual": 99}, {"kpi": "CSAT", "actual": 91}]
    assert validate_answer(results, ok) == ok


def test_other_tables_may_repeat_a_row() -> None:
    actions = LIBRARY.get("quarterly-review").questions_by_id["action_items"]  # type: ignore[union-attr]
    row = {"action": "Call", "owner": "Me", "due": "2026-12-01"}
    assert len(validate_answer(actions, [row, row]) or []) == 2


def test_a_second_credit_tier_lies_beyond_the_target_and_owes_more() -> None:
    kpis = LIBRARY.get("sla-kpis").questions_by_id["kpis"]  # type: ignore[union-attr]
    row = {"kpi": "Backlog", "target": 90, "direction": "higher is better", "weight": 1}
    with pytest.raises(ValidationError, match=r"Lower level: must be below the target \(90\)"):
        validate_answer(kpis, [{**row, "credit": 10, "floor": 95, "floor_credit": 20}])
    with pytest.raises(ValidationError, match=r"owes at least the first credit \(10 %\)"):
        validate_answer(kpis, [{**row, "credit": 10, "floor": 80, "floor_credit": 5}])
    lower = {**row, "direction": "lower is better", "credit": 5}
    with pytest.raises(ValidationError, match="must be above the target"):
        validate_answer(kpis, [{**lower, "floor": 80, "floor_credit": 10}])
    good = {**row, "credit": 5, "floor": 80, "floor_credit": 10}
    assert validate_answer(kpis, [good]) == [good]
