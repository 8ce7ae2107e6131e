"""What a user waits for: the whole process in a real terminal, until their vendors are shown.

Used by ``python -m tests.benchmarks``. Each launch starts a program in a fresh tmux window
of 120x40 and reads the screen (``capture-pane``) every few milliseconds until it shows what
the user came for. For outsource-tui that is the first screenful of vendor rows with their
real values: the summary line, and for the most urgent vendors their name, score and next
review on one row, as the full read of the run files (``Portfolio``) has them, not as any
kept summary does. For the bare Textual app (a header, a label, a footer) it is the label
and the footer. The two are launched the same way, interleaved, in the same run.

Launches run as a user's would: compiled modules cached (as ``pip install`` leaves them) and
the summaries already kept by an earlier launch. ``first_launch`` times the one launch
without them, when every vendor's runs are read once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

COLUMNS, LINES = 120, 40
BARE_APP = """\
from textual.app import App
from textual.widgets import Footer, Header, Label


class BareApp(App):
    def compose(self):
        yield Header()
        yield Label("Hello")
        yield Footer()


BareApp().run()
"""


def installed_command() -> str:
    """The installed ``outsource-tui`` beside this interpreter; installed from this checkout
    (``pip install``) when it is missing."""
    found = Path(sys.executable).with_name("outsource-tui")
    if not found.exists():
        root = Path(__file__).resolve().parents[1]
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", str(root)], check=True)
    # Compiled modules cached, as a user's install has them (pip compiles what it installs;
    # an editable checkout compiles on first use unless PYTHONDONTWRITEBYTECODE is set).
    import outsource_tui

    package = Path(outsource_tui.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
    return str(found)


class Terminal:
    """A private tmux server: one window at a time."""

    def __init__(self) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise SystemExit("the terminal benchmark needs tmux (apt-get install tmux)")
        self.tmux = tmux
        self.socket = f"bench-{os.getpid()}"

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def time_until(
        self, command: str, env: dict[str, str], seen: Callable[[str], bool], timeout: float = 60
    ) -> float:
        """Seconds from launching ``command`` until the screen satisfies ``seen``."""
        self._run("kill-server")
        options = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        start = time.perf_counter()
        self._run("new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES), *options, command)
        try:
            while True:
                screen = self._run("capture-pane", "-p")
                if seen(screen):
                    return time.perf_counter() - start
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"{command}: not on screen after {timeout} s:\n{screen}")
        finally:
            self._run("kill-server")


# The narrowest the dashboard cuts a name and a next review to, before an ellipsis.
NAME_SHOWN, REVIEW_SHOWN = 12, 17


def expected_rows(data_dir: Path, shown: int = 5) -> list[tuple[str, ...]]:
    """The most urgent vendors' name (as much as the narrowest column shows), score and next
    review, from the full read."""
    from outsource_tui.domain.library import load_library
    from outsource_tui.services import Services
    from outsource_tui.store import Store
    from outsource_tui.tui.screens.dashboard import review_cell, score_cell

    services = Services(Store(data_dir), load_library())
    portfolio = services.portfolio()
    rows = []
    for overview in portfolio.overviews()[:shown]:
        rows.append(
            (
                overview.vendor.name[:NAME_SHOWN],
                score_cell(overview).plain,
                review_cell(overview, portfolio.today).plain[:REVIEW_SHOWN],
            )
        )
    return rows


def vendors_shown(count: int, rows: list[tuple[str, ...]]) -> Callable[[str], bool]:
    """Whether a screen shows the dashboard with ``rows`` in its first lines, in that order."""
    summary = f"{count} vendor{'s' if count != 1 else ''} ·"

    def seen(screen: str) -> bool:
        if summary not in screen:
            return False
        lines = screen.splitlines()
        at = 0
        for row in rows:
            while at < len(lines) and not all(value in lines[at] for value in row):
                at += 1
            if at == len(lines):
                return False
        return True

    return seen


class Launcher:
    """Launches outsource-tui on a data directory, and the bare app, the same way."""

    def __init__(self) -> None:
        self.terminal = Terminal()
        self.command = installed_command()
        self._tmp = tempfile.TemporaryDirectory()
        self.bare_script = Path(self._tmp.name) / "bare_app.py"
        self.bare_script.write_text(BARE_APP, encoding="utf-8")
        self.env = {"PYTHONDONTWRITEBYTECODE": "", "TEXTUAL_ANIMATIONS": "none"}

    def bare(self) -> float:
        def seen(screen: str) -> bool:
            return "Hello" in screen and "^p" in screen

        return self.terminal.time_until(f"{sys.executable} {self.bare_script}", self.env, seen)

    def dashboard(self, data_dir: Path, seen: Callable[[str], bool]) -> float:
        env = {**self.env, "OUTSOURCE_TUI_DATA_DIR": str(data_dir)}
        return self.terminal.time_until(self.command, env, seen)

    def first_launch(self, data_dir: Path, seen: Callable[[str], bool]) -> float:
        """The launch with no summaries kept (a new install, or a changed playbook): every
        vendor's runs are read once. The real values are drawn only after the summaries
        are written, so the launches after it find them kept."""
        summaries = data_dir / "summaries.json"
        summaries.unlink(missing_ok=True)
        elapsed = self.dashboard(data_dir, seen)
        if not summaries.exists():
            raise RuntimeError(f"{data_dir}: no summaries kept after the first launch")
        return elapsed

    def close(self) -> None:
        self._tmp.cleanup()
