"""Charts drawn in the terminal: a value across review periods, and vendors placed by fee and
score.

They draw what ``domain.charts`` worked out (the same shapes the HTML report turns into SVG):
the bands as the background of each row, lines in braille dots (two by four to a cell), each
review a coloured dot, the target as a dotted line. A gap in the data is a gap on screen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from outsource_tui.domain.charts import Band, SpendPlot, Tick, TrendChart
from outsource_tui.domain.labels import money

# Braille dot bits by (column, row) within a cell.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_BRAILLE = 0x2800
DEFAULT_HEIGHT = 8


class _Canvas:
    """A grid of cells, each a character and the name of its style, with braille dots."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles = [[""] * width for _ in range(height)]
        self.rows = [""] * height  # each row's background (a band), by style name
        self.grounds: dict[tuple[int, int], str] = {}  # a cell's own background, by style name
        self.dots = [[0] * width for _ in range(height)]
        self.fixed = [[False] * width for _ in range(height)]  # a mark dots do not cover

    def put(self, x: int, y: int, text: str, style: str, *, fixed: bool = True) -> None:
        for offset, char in enumerate(text):
            if 0 <= x + offset < self.width and 0 <= y < self.height:
                self.chars[y][x + offset] = char
                self.styles[y][x + offset] = style
                self.fixed[y][x + offset] = fixed

    def dot(self, px: int, py: int, style: str) -> None:
        x, y = px // 2, py // 4
        if 0 <= x < self.width and 0 <= y < self.height and not self.fixed[y][x]:
            self.dots[y][x] |= _DOTS[px % 2][py % 4]
            self.chars[y][x] = chr(_BRAILLE + self.dots[y][x])
            self.styles[y][x] = style

    def line(self, start: tuple[int, int], end: tuple[int, int], style: str) -> None:
        """Bresenham's line between two dots."""
        (x0, y0), (x1, y1) = start, end
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, style)
            if (x0, y0) == (x1, y1):
                return
            twice = 2 * err
            if twice >= dy:
                err += dy
                x0 += sx
            if twice <= dx:
                err += dx
                y0 += sy

    def strips(self, style_of: dict[str, Style]) -> list[Strip]:
        out = []
        base = style_of.get("", Style())
        for y in range(self.height):
            row_style = style_of.get(self.rows[y], base)
            segments: list[Segment] = []
            for x in range(self.width):
                name = self.styles[y][x]
                ground = self.grounds.get((x, y))
                under = row_style if ground is None else base + style_of[ground]
                style = (under + style_of[name]) if name else under
                segments.append(Segment(self.chars[y][x], style))
            out.append(Strip(Segment.simplify(segments), self.width))
        return out


def _band(bands: Sequence[Band], low: float, high: float) -> str:
    """The band that holds all of ``low`` to ``high`` (fractions of the height), if one does."""
    for band in bands:
        if band.y0 <= low + 1e-9 and high <= band.y1 + 1e-9:
            return f"band-{band.status}"
    return ""


def _band_rows(canvas: _Canvas, top: int, rows: int, bands: Sequence[Band]) -> None:
    """Each plot row takes the colour of its band. A row an edge runs through keeps the plain
    background: coloured either way, it would put some of its dots in the wrong band."""
    for row in range(rows):
        canvas.rows[top + row] = _band(bands, 1 - (row + 1) / rows, 1 - row / rows)


def _point_band(bands: Sequence[Band], y: float) -> str:
    """The band a point lies in, for the cell of its dot."""
    for band in bands:
        if band.y0 <= y < band.y1 or (y >= 1 and band.y1 >= 1):
            return f"band-{band.status}"
    return ""


def _sub_row(y: float, count: int) -> int:
    """Which of ``count`` rows (top first) a fraction ``y`` of the height falls in; a value on
    an edge belongs to the band above it, as a score at the green line is green."""
    return min(count - 1, max(0, math.ceil((1 - y) * count - 1e-9) - 1))


def _gutter(
    canvas: _Canvas, top: int, rows: int, width: int, ticks: Iterable[Tick], first: Sequence[float]
) -> None:
    """The y axis: a rule with the ticks' labels, band edges and target before the ends."""
    labels: dict[int, str] = {}
    # Where two labels would share a row: the target's first, then the band edges.
    ordered = sorted(ticks, key=lambda t: (t.value not in first, t.at in (0.0, 1.0), -t.at))
    for tick in ordered:
        labels.setdefault(_sub_row(tick.at, rows), tick.label)
    for row in range(rows):
        label = labels.get(row)
        text = f"{label:>{width - 1}}┤" if label else f"{'':>{width - 1}}│"
        canvas.put(0, top + row, text[-width:], "axis")


def _title(canvas: _Canvas, text: str, legend: str) -> None:
    """The first row: what the chart shows, and its legend when there is room."""
    if len(text) > canvas.width:
        text = text[: max(0, canvas.width - 1)] + "…"
    canvas.put(0, 0, text, "title")
    if len(text) + len(legend) <= canvas.width:
        canvas.put(len(text), 0, legend, "caption")


def _place_labels(
    canvas: _Canvas, y: int, left: int, wanted: Sequence[tuple[int, str, str, int]]
) -> None:
    """Labels centred under their columns, the most wanted first, none overlapping."""
    taken: list[tuple[int, int]] = []
    for centre, text, style, _ in sorted(wanted, key=lambda w: w[3]):
        start = max(left, min(canvas.width - len(text), centre - len(text) // 2))
        end = start + len(text)
        if any(start <= b and a <= end for a, b in taken):  # one column between labels
            continue
        taken.append((start, end))
        canvas.put(start, y, text, style)


class ChartBase(Widget):
    """What both charts share: their styles, and strips drawn once per size and data."""

    COMPONENT_CLASSES = {
        "chart--title",
        "chart--caption",
        "chart--axis",
        "chart--line",
        "chart--target",
        "chart--gap",
        "chart--marked",
        "chart--band-red",
        "chart--band-amber",
        "chart--band-green",
        "chart--point-red",
        "chart--point-amber",
        "chart--point-green",
        "chart--point-missing",
        "chart--costly",
    }

    DEFAULT_CSS = """
    ChartBase {
        height: 8;
        width: 1fr;
        & > .chart--title { text-style: bold; }
        & > .chart--caption { color: $text-muted; }
        & > .chart--axis { color: $text-muted; }
        & > .chart--line { color: $text; }
        & > .chart--target { color: $accent; text-style: bold; }
        & > .chart--gap { color: $text-disabled; text-style: italic; }
        & > .chart--marked { color: $text; text-style: bold reverse; }
        & > .chart--band-red { background: $error 22%; }
        & > .chart--band-amber { background: $warning 22%; }
        & > .chart--band-green { background: $success 18%; }
        & > .chart--point-red { color: $error-lighten-1; text-style: bold; }
        & > .chart--point-amber { color: $warning-lighten-1; text-style: bold; }
        & > .chart--point-green { color: $success-lighten-1; text-style: bold; }
        & > .chart--point-missing { color: $text-muted; }
        & > .chart--costly { color: $text; background: $error; text-style: bold; }
    }
    """

    _cache: tuple[object, list[Strip]] | None = None

    def _styles(self) -> dict[str, Style]:
        base = self.rich_style
        styles = {"": Style(bgcolor=base.bgcolor, color=base.color)}
        for name in self.COMPONENT_CLASSES:
            # The whole style has colours blended over what is behind; the partial one says
            # which the class sets. A mark keeps its row's band unless it sets a background.
            whole = self.get_component_rich_style(name)
            own = self.get_component_rich_style(name, partial=True)
            styles[name.removeprefix("chart--")] = Style(
                color=whole.color if own.color else None,
                bgcolor=whole.bgcolor if own.bgcolor else None,
                bold=own.bold,
                italic=own.italic,
                reverse=own.reverse,
            )
        return styles

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Asked in a grid row of automatic height: the height the styles give, as elsewhere.
        scalar = self.styles.height
        if scalar is None or scalar.is_auto or scalar.is_fraction:
            return DEFAULT_HEIGHT
        return int(scalar.resolve(container, viewport))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache = None

    def _draw(self, width: int, height: int) -> _Canvas:
        raise NotImplementedError

    def _key(self) -> object:
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        key = (width, height, self._key())
        if self._cache is None or self._cache[0] != key:
            strips = self._draw(width, height).strips(self._styles()) if width > 0 else []
            self._cache = (key, strips)
        strips = self._cache[1]
        return strips[y] if 0 <= y < len(strips) else Strip.blank(width, self.rich_style)


class TrendChartView(ChartBase):
    """A value across review periods: the bands behind, the target dotted, each review a dot,
    joined where neighbouring periods both have one. ``marked`` is the period shown above."""

    chart: reactive[TrendChart | None] = reactive(None)
    marked: reactive[str] = reactive("")

    def __init__(self, chart: TrendChart | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(TrendChartView.chart, chart)

    def _key(self) -> object:
        return (id(self.chart), self.chart, self.marked)

    def _draw(self, width: int, height: int) -> _Canvas:
        canvas = _Canvas(width, height)
        chart = self.chart
        if chart is None or height < 3:
            return canvas
        _title(canvas, chart.caption or chart.title, f"  ⣀⣀ target {chart.target_label}")
        top, rows = 1, height - 2
        gutter = max(len(t.label) for t in chart.ticks) + 1 if chart.ticks else 2
        left = gutter + 1  # a column between the axis and the first dot
        plot = max(1, width - left - 1)
        px_width = plot * 2
        margin = 2 if px_width > 8 else 0

        def px(x: float) -> int:
            return 2 * left + margin + round(x * max(0, px_width - 1 - 2 * margin))

        def py(y: float) -> int:
            return 4 * top + _sub_row(y, rows * 4)

        _band_rows(canvas, top, rows, chart.bands)
        _gutter(canvas, top, rows, gutter, chart.ticks, (chart.target,))
        target = py(chart.target_y)
        for x in range(2 * left, 2 * width):
            canvas.dot(x, target, "target")
        for segment in chart.segments:
            dots = [(px(chart.points[i].x), py(chart.points[i].y or 0.0)) for i in segment]
            if len(dots) == 1:
                canvas.dot(*dots[0], "line")
            for start, end in zip(dots, dots[1:], strict=False):
                canvas.line(start, end, "line")
        labels = []
        last = len(chart.points) - 1
        for index, point in enumerate(chart.points):
            column = px(point.x) // 2
            if point.y is not None:
                mark = "▲" if point.clipped else "●"
                cell = (column, py(point.y) // 4)
                canvas.put(*cell, mark, f"point-{point.status}")
                canvas.grounds[cell] = _point_band(chart.bands, point.y)
            style = "gap" if point.value is None else "axis"
            if point.period == self.marked:
                style, rank = "marked", 0
            else:
                rank = 1 if index == last else 2 if index == 0 else 3 + (last - index)
            labels.append((column, point.period, style, rank))
        _place_labels(canvas, height - 1, left, labels)
        return canvas

    def watch_chart(self) -> None:
        self._cache = None
        self.refresh()

    def watch_marked(self) -> None:
        self._cache = None
        self.refresh()


class SpendPlotView(ChartBase):
    """Vendors placed by monthly fee (along) and latest score (up), each by its number in the
    table below it; the median fee dashed; one costly for what it delivers shown in red."""

    plot: reactive[SpendPlot | None] = reactive(None)

    def __init__(self, plot: SpendPlot | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(SpendPlotView.plot, plot)

    def _key(self) -> object:
        return (id(self.plot), self.plot)

    def _draw(self, width: int, height: int) -> _Canvas:
        canvas = _Canvas(width, height)
        plot = self.plot
        if plot is None or height < 4:
            return canvas
        currency = f" ({plot.currency})" if plot.currency else ""
        median_text = money(plot.median_fee, plot.currency)
        _title(
            canvas,
            f"Monthly fee{currency} against latest score",
            f"  ┆ median fee {median_text}",
        )
        top, rows = 1, height - 2
        gutter = max(len(t.label) for t in plot.y_ticks) + 1 if plot.y_ticks else 2
        left = gutter + 1
        plot_width = max(1, width - left - 2)

        def column(x: float) -> int:
            return left + round(x * (plot_width - 1))

        def row(y: float) -> int:
            return top + _sub_row(y, rows)

        _band_rows(canvas, top, rows, plot.bands)
        _gutter(canvas, top, rows, gutter, plot.y_ticks, (plot.green,))
        median = column(plot.median_x)
        for y in range(top, top + rows):
            canvas.put(median, y, "┆", "target")
        for point in sorted(plot.points, key=lambda p: (not p.costly, p.number)):
            label = str(point.number)
            x, y = column(point.x), row(point.y)
            x = min(x, width - len(label))
            spot = next(
                (
                    s
                    for s in (x, x + len(label) + 1, x - len(label) - 1, x + 2 * len(label) + 2)
                    if left <= s <= width - len(label)
                    and all(canvas.chars[y][c] in " ┆" for c in range(s, s + len(label)))
                ),
                x,
            )
            style = "costly" if point.costly else f"point-{point.status}"
            canvas.put(spot, y, label, style)
            for offset in range(len(label)):
                canvas.grounds[(spot + offset, y)] = _point_band(plot.bands, point.y)
        ticks = [(column(t.at), t.label, "axis", i) for i, t in enumerate(plot.x_ticks)]
        _place_labels(canvas, height - 1, left, ticks)
        return canvas

    def watch_plot(self) -> None:
        self._cache = None
        self.refresh()
