"""A vendor's scorecard for one review period, its trend, and how its governance stands."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Static

from outsource_tui.domain import reviewers
from outsource_tui.domain.answers import format_number
from outsource_tui.domain.charts import TrendChart, trend_charts
from outsource_tui.domain.labels import (
    actual_text,
    attainment_text,
    credit_lines,
    rated,
    status_word,
)
from outsource_tui.domain.scoring import Scorecard
from outsource_tui.errors import UserError
from outsource_tui.services.portfolio import PlaybookState
from outsource_tui.tui.formatting import fill_fitted, status_text
from outsource_tui.tui.navigation import ExportReport
from outsource_tui.tui.screens.base import AppScreen
from outsource_tui.tui.widgets.charts import TrendChartView
from outsource_tui.tui.widgets.footer import KeyFooter


class ScorecardScreen(AppScreen[None]):
    """Left and right move between review periods."""

    CSS_PATH = "screens.tcss"
    # Wide enough for two KPI charts side by side (see screens.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "Back", id="scorecard-back", tooltip="Back to the vendor"
        ),
        Binding(
            "left",
            "period(-1)",
            "Earlier period",
            id="period-back",
            tooltip="The review period before",
            priority=True,
        ),
        Binding(
            "right",
            "period(1)",
            "Later period",
            id="period-forward",
            tooltip="The review period after",
            priority=True,
        ),
        Binding(
            "x",
            "export",
            "Export report",
            id="scorecard-export",
            tooltip="Markdown and HTML report of this period",
        ),
    ]

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.periods: list[str] = []
        self.index = 0
        self.cards: dict[str, Scorecard] = {}
        self._states: list[PlaybookState] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="scorecard"):
            yield Static("", id="card-head")
            yield TrendChartView(id="score-chart")
            yield Static("KPIs against the SLA", classes="section")
            yield DataTable(id="kpis", cursor_type="row", zebra_stripes=True)
            yield Static("Ratings", classes="section")
            yield DataTable(id="ratings", cursor_type="row", zebra_stripes=True)
            yield Static("", id="money")
            yield Static("Trend: each KPI against its target", classes="section")
            yield Static("", id="trend-text")
            yield Container(id="kpi-charts")
            yield Static("Governance: the playbooks", classes="section")
            yield DataTable(id="governance", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        portfolio = self.services.portfolio()
        try:
            vendor = portfolio.store.get_vendor(self.vendor_id)
            runs = portfolio.runs_of(self.vendor_id)
        except UserError as exc:
            self.show_error(exc)
            return
        self.title = "Scorecard"
        self.sub_title = vendor.name
        trend = portfolio.trend(runs)
        self.cards = dict(trend)
        reviews = portfolio.review_playbooks()
        periods = sorted(self.cards)
        if reviews:
            upcoming = portfolio.default_period(reviews[0], runs)
            if upcoming not in periods:
                periods.append(upcoming)
                card = portfolio.scorecard(self.vendor_id, upcoming, runs)
                if card is not None:
                    self.cards[upcoming] = card
        self.periods = sorted(periods)
        self.index = max(0, len(trend) - 1) if trend else len(self.periods) - 1
        self._trend = trend
        self._draw_charts(trend_charts(trend, portfolio.settings.thresholds))
        self._draw_governance(portfolio.governance(runs))
        self._draw()

    def action_export(self) -> None:
        period = self.periods[self.index] if self.periods else None
        self.post_message(ExportReport(self.vendor_id, period))

    def action_period(self, step: int) -> None:
        if self.periods:
            self.index = max(0, min(len(self.periods) - 1, self.index + step))
            self._draw()

    def _draw(self) -> None:
        head = self.query_one("#card-head", Static)
        for chart in self.query(TrendChartView):
            chart.marked = self.periods[self.index] if self.periods else ""
        if not self.periods:
            head.update(
                "No scorecard yet: agree KPIs in the 'SLA and KPIs' playbook, then run a "
                "quarterly review."
            )
            return
        period = self.periods[self.index]
        card = self.cards.get(period)
        text = Text()
        text.append(f"{period}", style="bold")
        text.append(f"   ({self.index + 1} of {len(self.periods)}; ← → change period)\n")
        if card is None:
            head.update(text)
            return
        score = "—" if card.overall is None else f"{card.overall:.0f} / 100"
        text.append("Overall: ")
        text.append_text(status_text(card.status, f"{score}  {status_word(card.status)}"))
        if card.kpi_score is not None:
            text.append(f"    KPIs {card.kpi_score:.0f}")
        if card.rating_score is not None:
            text.append(f"    Ratings {card.rating_score:.0f}")
        for note in card.notes:
            text.append(f"\n{note}", style="dim")
        for flagged in reviewers.to_discuss(card.ratings):
            text.append(f"\n{reviewers.FLAG} {flagged.prompt}: ", style="bold yellow")
            text.append(reviewers.discuss_text(flagged), style="bold yellow")
        head.update(text)

        kpis = self.query_one("#kpis", DataTable)
        kpi_rows: list[list[Text]] = []
        for line in card.kpis:
            unit = f" {line.target.unit}" if line.target.unit else ""
            actual = actual_text(line)
            reached = attainment_text(line.attainment)
            kpi_rows.append(
                [
                    Text(line.target.kpi),
                    Text(format_number(line.target.target) + unit),
                    Text(actual, style="dim" if line.actual is None else ""),
                    Text(reached),
                    status_text(line.status),
                    Text(line.target.direction.replace(" is better", "")),
                ]
            )
        labels = ["KPI", "Target", "Actual", "Attainment", "Status", "Better"]
        fill_fitted(kpis, [Text(x) for x in labels], kpi_rows, self._room(kpis), {0, 5}, wrap=True)
        ratings = self.query_one("#ratings", DataTable)
        # Several reviewers: the median of their ratings, how many rated, and how far apart.
        several = any(reviewers.several(line) for line in card.ratings)
        labels = ["Rating", "Weight", "Median" if several else "Given", "Score"]
        labels += ["Reviewers", "Spread", "By reviewer"] if several else []
        rating_rows: list[list[Text]] = []
        for rating in card.ratings:
            cells = [
                Text(rating.prompt),
                Text(format_number(rating.weight)),
                Text(rated(rating.rating)),
                Text("—" if rating.score is None else f"{rating.score:.0f}"),
            ]
            if several:
                cells += [
                    Text(str(rating.raters)),
                    Text(
                        reviewers.spread_mark(rating),
                        style="bold yellow" if rating.discuss else "",
                    ),
                    Text(reviewers.by_text(rating)),
                ]
            rating_rows.append(cells)
        fill_fitted(ratings, [Text(x) for x in labels], rating_rows, self._room(ratings), {0, 6})
        money = Text()
        styles = {"owed": "bold red", "earned-back": "green", "bonus": "green"}
        for kind, said in credit_lines(card):
            if money.plain:
                money.append("\n")
            money.append(said, style=styles.get(kind, ""))
        self.query_one("#money", Static).update(money)

    def _draw_charts(self, charts: list[TrendChart]) -> None:
        """The overall score's chart under the head, and one chart per KPI in the trend."""
        score = self.query_one("#score-chart", TrendChartView)
        score.chart = charts[0] if charts else None
        score.display = bool(charts)
        note = self.query_one("#trend-text", Static)
        note.update("" if charts else "No completed review yet: the trend starts with the first.")
        note.display = not charts
        box = self.query_one("#kpi-charts", Container)
        box.remove_children()
        box.mount_all(TrendChartView(chart, classes="kpi-chart") for chart in charts[1:])

    def _draw_governance(self, states: list[PlaybookState]) -> None:
        table = self.query_one("#governance", DataTable)
        styles = {"done": "green", "in progress": "yellow", "never started": "dim"}
        rows = [
            [
                Text(state.playbook.title),
                Text(state.state, style=styles.get(state.state, "")),
                Text("—" if state.checklist_percent is None else f"{state.checklist_percent}%"),
            ]
            for state in states
        ]
        labels = [Text("Playbook"), Text("State"), Text("Checklist")]
        fill_fitted(table, labels, rows, self._room(table), {0}, wrap=True)
        self._states = states

    def _room(self, table: DataTable) -> int:
        """The cells a table has: the screen's less the scorecard's padding and its
        scrollbar (counted even before the page is long enough to need one, so that the
        tables do not reach under it when it comes), or less, once laid out narrower."""
        most = self.app.size.width - 6
        return min(table.scrollable_content_region.width or most, most)

    def on_resize(self) -> None:
        if self.periods:
            self._draw()  # the tables fit the new width
        if self._states is not None:
            self._draw_governance(self._states)
