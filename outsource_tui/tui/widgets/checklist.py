"""A playbook step's checklist: one box per item, however many lines the item wraps to."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton


class Checklist(SelectionList[str]):
    """Textual's SelectionList puts a box on every screen line and counts lines as items,
    so an item that wraps gets a box on each of its lines and the item after it none. This
    one draws the box on an item's first line only, and indents the lines after it."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # OptionList works out its height at the full width, but wraps its items beside the
        # boxes: an item that wraps once more there would be hidden behind a scrollbar.
        return super().get_content_height(
            container, viewport, width - self._get_left_gutter_width()
        )

    def render_line(self, y: int) -> Strip:
        line_number = self.scroll_offset.y + y
        try:
            option_index, line_offset = self._lines[line_number]
        except IndexError:
            return super().render_line(y)
        if line_offset == 0:
            # The first line of an item: as SelectionList draws it, for the right item.
            line = super(SelectionList, self).render_line(y)
            return self._with_box(line, option_index)
        line = super(SelectionList, self).render_line(y)
        underlying = next(iter(line)).style or self.rich_style
        return Strip([Segment(" " * 4, style=underlying), *line])

    def _with_box(self, line: Strip, index: int) -> Strip:
        selection = self.get_option_at_index(index)
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style or self.rich_style
        button = self.get_component_rich_style(component)
        side = Style.from_color(button.bgcolor, underlying.bgcolor)
        side += Style(meta={"option": index})
        button += Style(meta={"option": index})
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, style=side),
                Segment(ToggleButton.BUTTON_INNER, style=button),
                Segment(ToggleButton.BUTTON_RIGHT, style=side),
                Segment(" ", style=underlying),
                *line,
            ]
        )
