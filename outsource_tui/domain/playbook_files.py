"""Where playbook files are: the bundled ones and those of a directory. No parsing here, so
finding out whether any playbook changed costs a few ``stat`` calls, not a parse."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_playbook_dir() -> Path:
    """Where the playbooks shipped with the package live (installed, or in a source checkout)."""
    installed = Path(str(resources.files("outsource_tui"))) / "bundled_playbooks"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "playbooks"


def playbook_files(directory: Path) -> list[Path]:
    """The playbook files of a directory: every ``*.md`` but its README."""
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.glob("*.md") if p.is_file() and p.name.lower() != "readme.md"
    )
