"""Where the data lives: flag, then environment variable, then the platform's user data dir.

Nothing here creates a directory; the store does that on its first write.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "outsource-tui"
DATA_DIR_ENV = "OUTSOURCE_TUI_DATA_DIR"


def platform_data_dir() -> Path:
    """The per-user data directory this platform expects applications to use."""
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base_dir / APP_NAME


def resolve_data_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``--data-dir`` wins, then the environment variable, then the default."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return platform_data_dir()


def user_playbook_dir(data_dir: Path) -> Path:
    """Playbooks a user keeps beside their data."""
    return data_dir / "playbooks"
