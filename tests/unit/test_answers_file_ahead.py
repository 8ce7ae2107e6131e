"""An import into a review period that has not begun is asked for, as the app asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store


def test_a_future_review_needs_ahead(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-12-01")  # 2026-Q4
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    answers = tmp_path / "review.toml"
    answers.write_text('meeting_date = "2026-12-01"\n', encoding="utf-8")
    args = ["answers", "import", "Acme", "quarterly-review", str(answers), "--period", "2027-Q2"]
    assert main(args) == 1
    assert (
        "--period 2027-Q2 has not begun yet (this is 2026-Q4); add --ahead to import into it"
        in capsys.readouterr().err
    )
    assert Store(data_dir).runs("acme") == []
    assert main([*args, "--ahead"]) == 0
    assert [r.period for r in Store(data_dir).runs("acme")] == ["2027-Q2"]
