"""What the charts show, worked out once: a vendor's trend and the portfolio's spend.

The app's chart widgets and the HTML report's inline SVG both draw from the shapes made here,
so the terminal and the page cannot disagree on which periods have a point, where the gaps
are, where the red, amber and green bands and the target line lie, or who costs a lot for
what they deliver. Positions are fractions of the plot: ``x`` from 0 (left) to 1 (right),
``y`` from 0 (bottom) to 1 (top); each front end scales them to its own cells or pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from outsource_tui.domain.labels import attainment_text, money, plural
from outsource_tui.domain.periods import periods_between
from outsource_tui.domain.scoring import AMBER, GREEN, MISSING, RED, Scorecard
from outsource_tui.domain.settings import Thresholds
from outsource_tui.domain.vendor import name_key

SCORE_MAX = 100.0
# Attainment far beyond target (a zero result on a lower-is-better KPI reads as 200 %) would
# flatten every other point; beyond this it is drawn at the top edge and marked as clipped.
ATTAINMENT_CEILING = 150.0
STEP = 10.0  # chart ranges start and end on a multiple of this


@dataclass(frozen=True)
class Band:
    """One coloured band across a chart, from ``low`` to ``high`` in the chart's values."""

    status: str  # RED, AMBER or GREEN
    low: float
    high: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Tick:
    """A labelled value on an axis; ``at`` is its position (x or y) from 0 to 1."""

    value: float
    at: float
    label: str


@dataclass(frozen=True)
class ChartPoint:
    """One review period on a trend chart; ``value`` and ``y`` are ``None`` for a gap."""

    period: str
    value: float | None
    x: float
    y: float | None
    status: str
    clipped: bool = False  # beyond the chart's range, drawn at its edge


@dataclass(frozen=True)
class TrendChart:
    """A value across review periods, with its target line and its bands.

    ``segments`` are the runs of neighbouring periods that all have a value, as indexes into
    ``points``: a line joins the points of a segment and never crosses a gap.
    """

    title: str
    caption: str
    unit: str  # "" for the overall score, "%" for a KPI's attainment
    low: float
    high: float
    target: float
    target_y: float
    target_label: str
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    points: tuple[ChartPoint, ...]
    segments: tuple[tuple[int, ...], ...]

    @property
    def gaps(self) -> tuple[str, ...]:
        """The periods without a value."""
        return tuple(p.period for p in self.points if p.value is None)


def _floor(value: float) -> float:
    return math.floor(value / STEP) * STEP


def _ceil(value: float) -> float:
    return math.ceil(value / STEP) * STEP


def _fraction(value: float, low: float, high: float) -> float:
    return 0.0 if high <= low else (min(max(value, low), high) - low) / (high - low)


def _bands(low: float, high: float, amber: float, green: float) -> tuple[Band, ...]:
    """Red below ``amber``, amber up to ``green``, green above: the parts inside the range."""
    bands = []
    for status, start, end in ((RED, low, amber), (AMBER, amber, green), (GREEN, green, high)):
        start, end = max(start, low), min(end, high)
        if end > start:
            bands.append(
                Band(status, start, end, _fraction(start, low, high), _fraction(end, low, high))
            )
    return tuple(bands)


def _label(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


def trend_chart(
    title: str,
    series: Sequence[tuple[str, float | None, str]],
    *,
    target: float,
    amber: float,
    green: float,
    ceiling: float,
    unit: str = "",
    caption: str = "",
) -> TrendChart:
    """A chart of ``(period, value, status)`` from the first period to the last.

    A period between them that ``series`` leaves out, or gives no value, is a gap: no point
    and no line across it, never a zero. The range runs from a multiple of ten at or below
    the lowest value (and at least one band's width below ``amber``, so the red band shows)
    up to ``ceiling`` or the highest value, whichever is lower.
    """
    given = {period: (value, status) for period, value, status in series}
    periods = periods_between(min(given), max(given)) if given else []
    values = [v for v, _ in given.values() if v is not None]
    span = max(green - amber, STEP)
    low = max(0.0, _floor(min([*values, amber - span])))
    high = min(ceiling, _ceil(max([*values, max(target, green) + span])))
    high = max(high, low + STEP)
    points = []
    for index, period in enumerate(periods):
        value, status = given.get(period, (None, MISSING))
        x = 0.5 if len(periods) == 1 else index / (len(periods) - 1)
        if value is None:
            points.append(ChartPoint(period, None, x, None, MISSING))
        else:
            y = _fraction(value, low, high)
            points.append(ChartPoint(period, value, x, y, status, not low <= value <= high))
    segments: list[tuple[int, ...]] = []
    run: list[int] = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                segments.append(tuple(run))
            run = []
        else:
            run.append(index)
    if run:
        segments.append(tuple(run))
    ticks = tuple(
        Tick(value, _fraction(value, low, high), _label(value, unit))
        for value in sorted({low, amber, green, target, high})
        if low <= value <= high
    )
    return TrendChart(
        title=title,
        caption=caption,
        unit=unit,
        low=low,
        high=high,
        target=target,
        target_y=_fraction(target, low, high),
        target_label=_label(target, unit),
        bands=_bands(low, high, amber, green),
        ticks=ticks,
        points=tuple(points),
        segments=tuple(segments),
    )


def _missing_words(gaps: Sequence[str], what: str) -> str:
    if not gaps:
        return ""
    shown = ", ".join(gaps[:3]) + (f" and {len(gaps) - 3} more" if len(gaps) > 3 else "")
    return f"; {what} for {shown}"


def score_chart(trend: Sequence[tuple[str, Scorecard]], thresholds: Thresholds) -> TrendChart:
    """The overall score (0-100) of every completed review; the target is the green line."""
    series = [(period, card.overall, card.status) for period, card in trend]
    known = [v for _, v, _ in series if v is not None]
    chart = trend_chart(
        "Overall score",
        series,
        target=thresholds.score_green,
        amber=thresholds.score_amber,
        green=thresholds.score_green,
        ceiling=SCORE_MAX,
    )
    if not known:
        caption = "Overall: no score yet."
    else:
        caption = (
            f"Overall, {plural(len(known), 'review')}: {known[0]:.0f} → {known[-1]:.0f} "
            f"(from {trend[0][0]} to {trend[-1][0]}; scale 0-100"
            f"{_missing_words(chart.gaps, 'no review')})"
        )
    return _with_caption(chart, caption)


def kpi_names(trend: Sequence[tuple[str, Scorecard]]) -> list[str]:
    """Every KPI of the reviews, as the latest review names them, then any dropped since."""
    names: dict[str, str] = {}
    for _, card in reversed(trend):
        for line in card.kpis:
            names.setdefault(name_key(line.target.kpi), line.target.kpi)
    return list(names.values())


def kpi_chart(
    trend: Sequence[tuple[str, Scorecard]], kpi: str, thresholds: Thresholds
) -> TrendChart:
    """One KPI's attainment (100 % = target met) in every completed review.

    A review without a result for it, or from before the SLA had it, is a gap.
    """
    key = name_key(kpi)
    series: list[tuple[str, float | None, str]] = []
    for period, card in trend:
        line = next((k for k in card.kpis if name_key(k.target.kpi) == key), None)
        if line is None or line.attainment is None:
            series.append((period, None, MISSING))
        else:
            series.append((period, 100 * line.attainment, line.status))
    known = [(p, v) for p, v, _ in series if v is not None]
    chart = trend_chart(
        kpi,
        series,
        target=100.0,
        amber=100 * thresholds.kpi_amber,
        green=100 * thresholds.kpi_green,
        ceiling=ATTAINMENT_CEILING,
        unit="%",
    )
    if not known:
        caption = f"{kpi}: no result yet."
    else:
        first, last = known[0][1] / 100, known[-1][1] / 100
        caption = (
            f"{kpi}, {plural(len(known), 'result')}: {attainment_text(first)} → "
            f"{attainment_text(last)} of target{_missing_words(chart.gaps, 'no result')}"
        )
    return _with_caption(chart, caption)


def trend_charts(
    trend: Sequence[tuple[str, Scorecard]], thresholds: Thresholds
) -> list[TrendChart]:
    """The overall score's chart, then one per KPI; none without a completed review."""
    if not trend:
        return []
    return [score_chart(trend, thresholds)] + [
        kpi_chart(trend, name, thresholds) for name in kpi_names(trend)
    ]


def _with_caption(chart: TrendChart, caption: str) -> TrendChart:
    return replace(chart, caption=caption)


# -- spend against performance -------------------------------------------------------------


@dataclass(frozen=True)
class SpendEntry:
    """One active vendor as the spend view reads it: its fee now and its latest score."""

    vendor_id: str
    name: str
    monthly_fee: float | None
    currency: str
    score: float | None
    status: str
    period: str  # of the latest completed review; "" for none
    problem: str = ""  # why its records could not be read


@dataclass(frozen=True)
class SpendRow:
    """A line of the spend table. ``number`` labels the vendor's point on the plot (0: none).

    ``costly``: its fee is above the median of the vendors placed with it (same currency)
    while its score is below the green line: it costs a lot for what it delivers.
    """

    entry: SpendEntry
    number: int
    cost_per_point: float | None
    costly: bool
    note: str

    @property
    def fee_text(self) -> str:
        return money(self.entry.monthly_fee, self.entry.currency) or "—"

    @property
    def cost_text(self) -> str:
        if self.cost_per_point is None:
            return "—"
        return money(round(self.cost_per_point, 2), self.entry.currency)


@dataclass(frozen=True)
class SpendPoint:
    """A vendor on the spend plot: fee along, score up."""

    number: int
    name: str
    x: float
    y: float
    status: str
    costly: bool


@dataclass(frozen=True)
class SpendPlot:
    """The vendors of one currency placed by monthly fee (x) and latest score (y)."""

    currency: str
    fee_high: float
    score_low: float
    score_high: float
    median_fee: float
    median_x: float
    green: float
    green_y: float
    bands: tuple[Band, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    points: tuple[SpendPoint, ...]


@dataclass(frozen=True)
class SpendView:
    """Every active vendor: those placed first, the most costly per score point first, then
    those without a score and those without a fee, each saying why."""

    rows: tuple[SpendRow, ...]
    plots: tuple[SpendPlot, ...]
    rule: str

    @property
    def placed(self) -> tuple[SpendRow, ...]:
        return tuple(r for r in self.rows if r.number)

    @property
    def costly(self) -> tuple[SpendRow, ...]:
        return tuple(r for r in self.rows if r.costly)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _nice_ceiling(value: float) -> float:
    """The first of 1, 2, 2.5, 5 or 10 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power + 1e-9:
            return factor * power
    return 10 * power


def short_amount(value: float) -> str:
    """An axis label for an amount: 8k, 12.5k, 1.2M."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"


def _per_point(entry: SpendEntry) -> float | None:
    """The monthly fee over the score as shown (a whole number): what one point of the score
    costs a month, so that the reader can check it from the two figures beside it."""
    if entry.monthly_fee is None or entry.score is None or round(entry.score) <= 0:
        return None
    return entry.monthly_fee / round(entry.score)


def _note(entry: SpendEntry) -> str:
    if entry.problem:
        return f"records unreadable: {entry.problem}"
    if entry.monthly_fee is None:
        return "no monthly fee in the SLA"
    if entry.score is None:
        return "no score yet: no completed review" if not entry.period else "no score"
    return ""


def spend_view(entries: Sequence[SpendEntry], thresholds: Thresholds) -> SpendView:
    """Place each vendor with a fee and a score by both; list the others with the reason.

    Fees are compared only within one currency, so each currency gets its own plot and its
    own median. The table lists the largest currency group first.
    """
    green, amber = thresholds.score_green, thresholds.score_amber
    placed = [e for e in entries if e.monthly_fee is not None and e.score is not None]
    groups: dict[str, list[SpendEntry]] = {}
    for entry in placed:
        groups.setdefault(entry.currency.strip().upper(), []).append(entry)
    order = sorted(groups, key=lambda c: (-len(groups[c]), c))
    rows: list[SpendRow] = []
    plots: list[SpendPlot] = []
    number = 0
    for currency in order:
        group = groups[currency]
        median = _median([e.monthly_fee or 0.0 for e in group])
        # The most costly per point first; a score of zero costs the most of all.
        group.sort(key=lambda e: (-(_per_point(e) or math.inf), e.name.casefold()))
        fee_high = _nice_ceiling(max(e.monthly_fee or 0.0 for e in group))
        low = max(0.0, _floor(min([*(e.score or 0.0 for e in group), amber - (green - amber)])))
        points = []
        for entry in group:
            number += 1
            fee, score = entry.monthly_fee or 0.0, entry.score or 0.0
            costly = fee > median and score < green
            rows.append(SpendRow(entry, number, _per_point(entry), costly, ""))
            points.append(
                SpendPoint(
                    number,
                    entry.name,
                    _fraction(fee, 0.0, fee_high),
                    _fraction(score, low, SCORE_MAX),
                    entry.status,
                    costly,
                )
            )
        x_values = sorted({0.0, fee_high / 2, fee_high})
        plots.append(
            SpendPlot(
                currency=currency,
                fee_high=fee_high,
                score_low=low,
                score_high=SCORE_MAX,
                median_fee=median,
                median_x=_fraction(median, 0.0, fee_high),
                green=green,
                green_y=_fraction(green, low, SCORE_MAX),
                bands=_bands(low, SCORE_MAX, amber, green),
                x_ticks=tuple(
                    Tick(v, _fraction(v, 0.0, fee_high), short_amount(v)) for v in x_values
                ),
                y_ticks=tuple(
                    Tick(v, _fraction(v, low, SCORE_MAX), f"{v:g}")
                    for v in sorted({low, amber, green, SCORE_MAX})
                    if low <= v <= SCORE_MAX
                ),
                points=tuple(points),
            )
        )
    rest = [e for e in entries if e not in placed]
    rest.sort(key=lambda e: (e.monthly_fee is None, e.name.casefold()))
    rows += [SpendRow(entry, 0, None, False, _note(entry)) for entry in rest]
    rule = (
        f"Costs a lot for what it delivers: a monthly fee above the median of the vendors "
        f"placed with it, and a score that is not on track (below {green:g})."
    )
    return SpendView(tuple(rows), tuple(plots), rule)
