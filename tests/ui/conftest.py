"""Helpers for Pilot tests: a fixed terminal size, the app on the test's data dir, screen text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.paths import user_playbook_dir
from outsource_tui.services import Services
from outsource_tui.store import Store
from outsource_tui.tui.app import OutsourceApp

SIZE = (120, 40)


def screen_text(app: OutsourceApp) -> str:
    """Everything the terminal shows right now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., OutsourceApp]:
    def make(playbook_dirs: Iterable[Path] = ()) -> OutsourceApp:
        library = load_library([user_playbook_dir(data_dir), *playbook_dirs])
        return OutsourceApp(Services(Store(data_dir), library))

    return make


async def open_playbook(pilot, playbook_id: str) -> None:
    """On the vendor screen, move down to ``playbook_id`` and press enter, as a user would."""
    ids = [p.id for p in pilot.app.library]
    await pilot.press("home", *["down"] * ids.index(playbook_id), "enter")
    await pilot.pause()


def notifications(app: OutsourceApp) -> str:
    """The text of every notification still showing, whatever the toast's wrapping."""
    return "\n".join(str(n.message) for n in app._notifications)


async def settle(pilot) -> None:
    """Let background loads start and finish (a superseded one is cancelled), then redraw."""
    from textual.worker import WorkerCancelled, WorkerState

    await pilot.pause()
    # The dashboard starts its first load only after its first frame: let that refresh happen.
    await pilot.app.screen.wait_for_refresh()
    for _ in range(200):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        busy = [
            w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not busy:
            break
    await pilot.pause()
