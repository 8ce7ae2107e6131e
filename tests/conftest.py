"""Every test runs on its own data directory; nothing touches the real user's data."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("OUTSOURCE_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("OUTSOURCE_TUI_DEBUG", raising=False)
    return data_dir


@pytest.fixture
def data_dir(isolated_data_dir: Path) -> Path:
    return isolated_data_dir
