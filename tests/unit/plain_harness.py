"""What the plain-mode tests share: a terminal that keeps its text, and keys sent as a user
would send them."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput


class Screen(DummyOutput):
    """A dummy terminal that keeps the text written to it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(list(self.parts))


def send_once_shown(pipe: PipeInput, screen: Screen, then: Sequence[tuple[str, str]]) -> None:
    """Send each (text, keys) pair's keys once its text is on the screen.

    Keys sent all at once are handled before the prompt draws again, so an inline error
    would never reach the screen; waiting for it is what a user does too.
    """

    def feed() -> None:
        for wanted, chunk in then:
            deadline = time.monotonic() + 20
            while wanted not in screen.text and time.monotonic() < deadline:
                time.sleep(0.01)
            pipe.send_text(chunk)

    threading.Thread(target=feed, daemon=True).start()
