"""How scores and statuses look in the app: colours and sparklines, shared by the screens."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

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


def widest(headings: list[Text], rows: list[list[Text]]) -> list[int]:
    """Each column's natural width: its widest value or heading."""
    widths = [h.cell_len for h in headings]
    for row in rows:
        widths = [max(w, cell.cell_len) for w, cell in zip(widths, row, strict=True)]
    return widths


def fill_fitted(
    table: DataTable,
    headings: list[Text],
    rows: list[list[Text]],
    room: int,
    shrinks: set[int],
    narrowest: int | dict[int, int] = 12,
    wrap: bool = False,
    keys: list[str] | None = None,
) -> list[int]:
    """Fill ``table`` with its columns fitted to ``room`` cells: only the ``shrinks`` columns
    (words, such as a KPI's name) give up room, down to ``narrowest`` (one for all, or by
    column); a value too long for
    its column wraps onto more lines with ``wrap``, else ends in an ellipsis. Figures and
    statuses keep their whole width. ``keys`` name the rows, in order. Returns the widths."""
    natural = widest(headings, rows)

    def floor(index: int) -> int:
        return narrowest.get(index, 12) if isinstance(narrowest, dict) else narrowest

    floors = [min(w, floor(i)) if i in shrinks else w for i, w in enumerate(natural)]
    widths = fit_evenly(natural, room, floors)
    table.clear(columns=True)
    for heading, width in zip(headings, widths, strict=True):
        table.add_column(cut_to((heading,), [width])[0], width=width)
    for index, row in enumerate(rows):
        key = keys[index] if keys else None
        if wrap:  # as many lines as its longest value needs
            table.add_row(*row, height=None, key=key)
        else:
            table.add_row(*cut_to(tuple(row), widths), key=key)
    return widths
