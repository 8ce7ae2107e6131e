"""The installed ``outsource-tui`` in a real terminal (tmux): start, use, quit cleanly."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

WIDTH, HEIGHT = 110, 32


def installed_command() -> str:
    script = Path(sys.executable).with_name("outsource-tui")
    if not script.exists():
        pytest.fail(f"the console script is not installed next to {sys.executable}")
    return str(script)


class Terminal:
    def __init__(self, tmux: str, socket: str) -> None:
        self.tmux = tmux
        self.socket = socket

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return result.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")

    def wait_for_text(self, text: str, timeout: float = 20) -> None:
        self.wait_for(lambda: text in self.screen(), repr(text), timeout)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run installs it")
        pytest.skip("tmux is not installed")
    term = Terminal(tmux, f"otui-test-{os.getpid()}-{tmp_path.name}")
    yield term
    term.run("kill-server")


def start(terminal: Terminal, data_dir: Path, status: Path) -> None:
    command = (
        f"{shlex.quote(installed_command())} --data-dir {shlex.quote(str(data_dir))}; "
        f"echo $? > {shlex.quote(str(status))}; sleep 60"
    )
    terminal.run(
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        str(WIDTH),
        "-y",
        str(HEIGHT),
        "-e",
        "TEXTUAL_ANIMATIONS=none",
        command,
    )


def test_starts_on_an_empty_store_and_quits_cleanly(terminal: Terminal, tmp_path: Path) -> None:
    data_dir, status = tmp_path / "data", tmp_path / "status"
    start(terminal, data_dir, status)
    terminal.wait_for_text("No vendors yet.")
    terminal.wait_for_text("a Add vendor")  # the footer fills in a frame after the first paint
    terminal.keys("C-q")
    terminal.wait_for(status.exists, "the app to exit")
    time.sleep(0.2)
    assert status.read_text().strip() == "0"
    assert "Traceback" not in terminal.screen()
    assert not (data_dir / "index.json").exists()  # nothing was added, nothing was written


def test_adds_a_vendor_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    data_dir, status = tmp_path / "data", tmp_path / "status"
    start(terminal, data_dir, status)
    terminal.wait_for_text("No vendors yet.")
    terminal.keys("a")
    terminal.wait_for_text("Add a vendor")
    terminal.keys("Globex [Support]", literal=True)
    terminal.wait_for_text("Globex [Support]")
    terminal.keys("C-s")
    terminal.wait_for(lambda: "Add a vendor" not in terminal.screen(), "the form to close")
    terminal.wait_for_text("Globex [Support]")
    terminal.keys("C-q")
    terminal.wait_for(status.exists, "the app to exit")
    time.sleep(0.2)
    assert status.read_text().strip() == "0"
    listed = subprocess.run(
        [installed_command(), "vendor", "list", "--json", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert [v["name"] for v in json.loads(listed.stdout)] == ["Globex [Support]"]
