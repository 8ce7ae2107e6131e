"""How scores and statuses look in the app: colours and sparklines, shared by the screens."""

from __future__ import annotations

from rich.text import Text

from outsource_tui.domain.labels import status_word

SPARK = "▁▂▃▄▅▆▇█"
STATUS_STYLE = {"green": "green", "amber": "yellow", "red": "red", "missing": "dim"}


def sparkline(values: list[float | None], width: int = 8) -> str:
    """Scores 0-100 as a row of block characters; gaps for missing periods."""
    shown = values[-width:]
    return "".join(
        " " if v is None else SPARK[min(len(SPARK) - 1, int(v / 100 * len(SPARK)))] for v in shown
    )


def status_text(status: str, value: str = "") -> Text:
    """A coloured dot and the status in words (or ``value``), in the status's colour."""
    style = STATUS_STYLE.get(status, "")
    return Text.assemble(("● ", style), (value or status_word(status), style))
