"""The dashboard's vendor table: a DataTable whose enter key is labelled for what it does."""

from __future__ import annotations

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable


class VendorTable(DataTable[object]):
    """Rows are vendors keyed by id; enter opens the highlighted one (a RowSelected message)."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open vendor",
            id="open-vendor",
            tooltip="Its facts, playbooks, scorecard and contract",
            show=True,
        ),
    ]

    _frame_style: Style | None = None

    class Resized(Message):
        """The table's room changed: ``width`` cells inside its scrollbar now."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(self.scrollable_content_region.width))

    def render_lines(self, crop: Region) -> list[Strip]:
        # DataTable works out its base style (a walk up every ancestor's styles) once per line
        # drawn; it cannot change while a frame is drawn, so work it out once per frame. The
        # first frame draws a screenful of lines, and so does every cursor move.
        self._frame_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def rich_style(self) -> Style:
        if self._frame_style is not None:
            return self._frame_style
        return super().rich_style
