"""The charts of ``domain.charts`` as inline SVG for the HTML pages: no script, no fonts or
images fetched, every text escaped.

They draw the same shapes the app's chart widgets draw, scaled to pixels: the bands, the
target line, one dot per review joined within each run of periods, a gap where a period has
no value.
"""

from __future__ import annotations

import math
from html import escape

from outsource_tui.domain.charts import SpendPlot, SpendRow, TrendChart
from outsource_tui.domain.labels import money, status_word

BAND_FILL = {"red": "#ffebe9", "amber": "#fff4cc", "green": "#dcf5e3"}
POINT_FILL = {"red": "#cf222e", "amber": "#bf8700", "green": "#1a7f37", "missing": "#6e7781"}
INK, MUTED, TARGET = "#1f2328", "#57606a", "#0969da"
FONT = 'font-family="system-ui, sans-serif"'


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(x: float, y: float, text: str, *, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}" {extra}>'
        f"{escape(text)}</text>"
    )


def trend_svg(chart: TrendChart, width: int = 720, height: int = 210) -> str:
    """One trend chart as an ``<svg>`` element."""
    left, right, top, bottom = 52, 96, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    inset = 14 if len(chart.points) > 1 else 0

    def x_of(x: float) -> float:
        return left + inset + x * (plot_w - 2 * inset)

    def y_of(y: float) -> float:
        return top + (1 - y) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" {FONT} font-size="12">',
        f"<title>{escape(chart.caption or chart.title)}</title>",
    ]
    for band in chart.bands:
        y1, y0 = y_of(band.y1), y_of(band.y0)
        parts.append(
            f'<rect x="{left}" y="{_number(y1)}" width="{plot_w}" height="{_number(y0 - y1)}" '
            f'fill="{BAND_FILL[band.status]}"><title>{escape(status_word(band.status))}: '
            f"{escape(f'{band.low:g}{chart.unit} to {band.high:g}{chart.unit}')}</title></rect>"
        )
    for tick in chart.ticks:
        y = y_of(tick.at)
        parts.append(_text(left - 6, y + 4, tick.label, anchor="end", extra=f'fill="{MUTED}"'))
    target = y_of(chart.target_y)
    parts.append(
        f'<line x1="{left}" y1="{_number(target)}" x2="{left + plot_w}" y2="{_number(target)}" '
        f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    parts.append(
        _text(
            left + plot_w + 4,
            target + 4,
            f"target {chart.target_label}",
            anchor="start",
            extra=f'fill="{TARGET}"',
        )
    )
    for segment in chart.segments:
        coords = " ".join(
            f"{_number(x_of(chart.points[i].x))},{_number(y_of(chart.points[i].y or 0.0))}"
            for i in segment
        )
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" '
                'stroke-linejoin="round"/>'
            )
    every = max(1, math.ceil(len(chart.points) / 10))
    last = len(chart.points) - 1
    for index, point in enumerate(chart.points):
        x = x_of(point.x)
        if point.y is not None:
            value = f"{point.value:.1f}".removesuffix(".0") + chart.unit
            said = f"{point.period}: {value}, {status_word(point.status)}"
            parts.append(
                f'<circle cx="{_number(x)}" cy="{_number(y_of(point.y))}" r="4.5" '
                f'fill="{POINT_FILL.get(point.status, MUTED)}" stroke="#fff" stroke-width="1.5">'
                f"<title>{escape(said)}</title></circle>"
            )
        if index % every and index != last:
            continue
        if point.value is None:
            parts.append(
                f'<line x1="{_number(x)}" y1="{top}" x2="{_number(x)}" y2="{top + plot_h}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 4"/>'
            )
            label = _text(
                x, height - bottom + 16, point.period, extra=f'fill="{MUTED}" font-style="italic"'
            )
        else:
            label = _text(x, height - bottom + 16, point.period, extra=f'fill="{INK}"')
        parts.append(label)
    if chart.gaps:
        parts.append(
            _text(
                left,
                height - 4,
                "dotted line: no value for that period",
                anchor="start",
                extra=f'fill="{MUTED}" font-size="11"',
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def spend_svg(plot: SpendPlot, rows: tuple[SpendRow, ...], width: int = 720) -> str:
    """The vendors of one currency placed by fee and score, as an ``<svg>`` element."""
    height = 340
    left, right, top, bottom = 52, 24, 18, 44
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(x: float) -> float:
        return left + x * plot_w

    def y_of(y: float) -> float:
        return top + (1 - y) * plot_h

    currency = f" ({plot.currency})" if plot.currency else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" {FONT} font-size="12">',
        f"<title>{escape(f'Monthly fee{currency} against latest score')}</title>",
    ]
    for band in plot.bands:
        y1, y0 = y_of(band.y1), y_of(band.y0)
        parts.append(
            f'<rect x="{left}" y="{_number(y1)}" width="{plot_w}" height="{_number(y0 - y1)}" '
            f'fill="{BAND_FILL[band.status]}"/>'
        )
    for tick in plot.y_ticks:
        y = y_of(tick.at)
        parts.append(_text(left - 6, y + 4, tick.label, anchor="end", extra=f'fill="{MUTED}"'))
    for tick in plot.x_ticks:
        x = x_of(tick.at)
        parts.append(
            f'<line x1="{_number(x)}" y1="{top + plot_h}" x2="{_number(x)}" '
            f'y2="{top + plot_h + 4}" stroke="{MUTED}"/>'
        )
        parts.append(_text(x, top + plot_h + 18, tick.label, extra=f'fill="{MUTED}"'))
    median = x_of(plot.median_x)
    parts.append(
        f'<line x1="{_number(median)}" y1="{top}" x2="{_number(median)}" y2="{top + plot_h}" '
        f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    parts.append(
        _text(
            median + 4,
            top + 12,
            f"median fee {money(plot.median_fee, plot.currency)}",
            anchor="start",
            extra=f'fill="{TARGET}"',
        )
    )
    parts.append(
        _text(left + plot_w / 2, height - 8, f"Monthly fee{currency}", extra=f'fill="{MUTED}"')
    )
    middle = top + plot_h / 2
    parts.append(
        _text(
            14,
            middle,
            "Latest score",
            extra=f'fill="{MUTED}" transform="rotate(-90 14 {_number(middle)})"',
        )
    )
    by_number = {row.number: row for row in rows if row.number}
    for point in plot.points:
        x, y = x_of(point.x), y_of(point.y)
        row = by_number.get(point.number)
        said = point.name
        if row is not None:
            said += f": {row.fee_text}, score {row.entry.score or 0:.0f}, {row.cost_text} a point"
        if point.costly:
            said += ", costs a lot for what it delivers"
        fill = POINT_FILL.get(point.status, MUTED)
        ring = f'stroke="{POINT_FILL["red"]}" stroke-width="3"' if point.costly else 'stroke="#fff"'
        parts.append(
            f"<g><title>{escape(said)}</title>"
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="9" fill="{fill}" {ring}/>'
            + _text(x, y + 4, str(point.number), extra='fill="#fff" font-weight="bold"')
            + _text(
                x - 13 if point.x > 0.75 else x + 13,
                y + 4,
                point.name,
                anchor="end" if point.x > 0.75 else "start",
                extra=f'fill="{INK}"' + (' font-weight="bold"' if point.costly else ""),
            )
            + "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)
