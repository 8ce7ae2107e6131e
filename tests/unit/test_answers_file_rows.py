"""An import never clears an answer: a table in the file is laid over the stored rows."""

from __future__ import annotations

from pathlib import Path

from outsource_tui.cli import main
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store

STORED = """
[[kpi_results]]
kpi = "Uptime"
actual = 99.5

[[kpi_results]]
kpi = "Backlog"
actual = 40
comment = "peak season"

[[kpi_results]]
kpi = "CSAT"
actual = 88
"""


def _import(data_dir: Path, tmp_path: Path, text: str, playbook: str = "quarterly-review") -> int:
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    args = ["answers", "import", "Acme", playbook, str(path), "--data-dir", str(data_dir)]
    return main([*args, "--period", "2026-Q1"] if playbook == "quarterly-review" else args)


def _rows(data_dir: Path, playbook: str, question: str) -> list[dict]:
    run = Store(data_dir).latest_run("acme", playbook)
    return run.answers[question]  # type: ignore[return-value]


def test_one_kpi_result_updates_its_row_and_keeps_the_others(
    data_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-04-10")
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    assert _import(data_dir, tmp_path, STORED) == 0
    one = '[[kpi_results]]\nkpi = "backlog"\nactual = 35\n'  # another case: the same KPI
    assert _import(data_dir, tmp_path, one) == 0
    assert _rows(data_dir, "quarterly-review", "kpi_results") == [
        {"kpi": "Uptime", "actual": 99.5},
        {"kpi": "backlog", "actual": 35},
        {"kpi": "CSAT", "actual": 88},
    ]
    new = '[[kpi_results]]\nkpi = "First response"\nactual = 3\n'
    assert _import(data_dir, tmp_path, new) == 0
    names = [row["kpi"] for row in _rows(data_dir, "quarterly-review", "kpi_results")]
    assert names == ["Uptime", "backlog", "CSAT", "First response"]


RACI = """
[[raci]]
activity = "Monthly report"
responsible = "Partner"

[[raci]]
activity = "Invoices"
responsible = "Finance"
"""


def test_a_table_without_a_key_that_drops_stored_rows_is_refused(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    assert _import(data_dir, tmp_path, RACI, "objectives") == 0
    capsys.readouterr()
    fewer = '[[raci]]\nactivity = "Payroll"\nresponsible = "Partner"\n'
    assert _import(data_dir, tmp_path, fewer, "objectives") == 1
    error = capsys.readouterr().err
    assert "answers.toml:1: raci: the file leaves out 2 of the 2 stored rows" in error
    assert "'Monthly report'" in error
    assert [row["activity"] for row in _rows(data_dir, "objectives", "raci")] == [
        "Monthly report",
        "Invoices",
    ]
    # Every stored row kept, one added: taken.
    assert _import(data_dir, tmp_path, RACI + fewer, "objectives") == 0
    assert len(_rows(data_dir, "objectives", "raci")) == 3


def test_a_half_rating_is_named_as_such(data_dir: Path, tmp_path: Path, capsys) -> None:
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    assert _import(data_dir, tmp_path, "quality_rating = 3.5\n") == 1
    error = capsys.readouterr().err
    assert "quality_rating: expected a whole number from 1 to 5, not 3.5 (no halves)" in error
