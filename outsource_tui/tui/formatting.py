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


def cut_to(row: tuple[Text, ...], widths: list[int]) -> tuple[Text, ...]:
    """The row's values, each one longer than its column ending in an ellipsis."""
    out = []
    for cell, width in zip(row, widths, strict=True):
        if cell.cell_len > width:
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
        out.append(cell)
    return tuple(out)


def fit_evenly(widths: list[int], room: int, narrowest: list[int], padding: int = 2) -> list[int]:
    """Column widths that fit ``room`` (each column also takes ``padding``): the widest
    column gives up a column of room first, again and again, none below its ``narrowest``."""
    fitted = list(widths)
    over = sum(fitted) + padding * len(fitted) - room
    while over > 0:
        shrinkable = [i for i, w in enumerate(fitted) if w > narrowest[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: fitted[i])
        fitted[widest] -= 1
        over -= 1
    return fitted
