"""A vendor report as one standalone, printable HTML page.

The page is the Markdown report rendered by markdown-it-py with raw HTML switched off, so
markup typed by a user reaches the page as text (``&lt;script&gt;``), never as tags. The
styles are inline, so the file can be mailed, opened offline or printed as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from outsource_tui.domain.charts import SpendView, TrendChart, trend_charts
from outsource_tui.domain.labels import STATUS_WORD, status_word
from outsource_tui.reports.markdown_report import report_title, to_markdown
from outsource_tui.reports.svg_charts import spend_svg, trend_svg

if TYPE_CHECKING:
    from outsource_tui.services.portfolio import Portfolio

STYLE = """
:root { color-scheme: light; }
body {
  margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  color: #1f2328; background: #fff;
}
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.15rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; color: #424a53; }
p, ul { margin: 0.5rem 0; }
ul { padding-left: 1.4rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; width: 100%; }
th, td {
  border: 1px solid #d0d7de; padding: 0.3rem 0.55rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere;
}
th { background: #f3f4f6; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  table { break-inside: auto; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th, tbody tr:nth-child(even) td { background: none; }
}
@page { margin: 1.6cm; }
.rag { font-weight: 600; }
.rag-green { color: #1a7f37; }
.rag-amber { color: #9a6700; }
.rag-red { color: #cf222e; }
.rag-missing { color: #6e7781; }
figure.chart { margin: 0.8rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; max-width: 45rem; height: auto; }
figcaption { color: #424a53; font-size: 0.9rem; margin-top: 0.2rem; }
.costly { color: #cf222e; font-weight: 600; }
table.spend th, table.spend td { white-space: nowrap; overflow-wrap: normal; }
table.spend td:last-child { white-space: normal; }
""".strip()

# A status in words, as the scorecard shows it, and the colour it stands for.
RAG = {word: colour for colour, word in STATUS_WORD.items()}
_STATUS_CELL = re.compile(r"<td>(" + "|".join(map(re.escape, RAG)) + r")</td>")
_OVERALL = re.compile(
    r"<strong>(Overall: [^<]*, )(" + "|".join(map(re.escape, RAG)) + r")</strong>"
)


def _rag(body: str) -> str:
    """Colour every status the report states: red, amber and green as on the scorecard."""
    body = _STATUS_CELL.sub(
        lambda m: f'<td class="rag rag-{RAG[m.group(1)]}">{m.group(1)}</td>', body
    )
    return _OVERALL.sub(
        lambda m: (
            f'<strong>{m.group(1)}<span class="rag rag-{RAG[m.group(2)]}">'
            f"{m.group(2)}</span></strong>"
        ),
        body,
    )


def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{body}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="chart">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>\n'


TREND_HEADING = "<h2>Trend</h2>\n"


def to_html(report: dict[str, Any], charts: Sequence[TrendChart] = ()) -> str:
    """The vendor report as a complete HTML5 page with its own styles.

    ``charts`` (see ``vendor_charts``) are drawn as inline SVG at the top of the trend.
    """
    body = _rag(_renderer().render(to_markdown(report)))
    if charts and TREND_HEADING in body:
        figures = "".join(_figure(trend_svg(c), c.caption or c.title) for c in charts)
        body = body.replace(TREND_HEADING, TREND_HEADING + figures, 1)
    return _page(report_title(report), body)


def vendor_charts(portfolio: Portfolio, vendor_id: str) -> list[TrendChart]:
    """The vendor's trend charts, as its scorecard in the app shows them."""
    trend = portfolio.trend(portfolio.runs_of(vendor_id))
    return trend_charts(trend, portfolio.settings.thresholds)


def vendor_html(portfolio: Portfolio, vendor_id: str, period: str | None) -> str:
    """The vendor report page with its trend charts."""
    from outsource_tui.reports.json_report import vendor_report

    report = vendor_report(portfolio, vendor_id, period=period)
    return to_html(report, vendor_charts(portfolio, vendor_id))


SPEND_TITLE = "Spend against performance"


def spend_html(view: SpendView, as_of: str) -> str:
    """The portfolio page: each active vendor placed by monthly fee and latest score (one
    plot per currency), then the table, the most costly per score point first."""
    parts = [
        f"<h1>{html.escape(SPEND_TITLE)}</h1>\n",
        f"<p>As of {html.escape(as_of)}. Every active vendor: its monthly fee as the SLA "
        "agrees it, and the overall score of its latest completed review.</p>\n",
        f"<p>{html.escape(view.rule)}</p>\n",
    ]
    for plot in view.plots:
        currency = f" ({plot.currency})" if plot.currency else ""
        parts.append(_figure(spend_svg(plot, view.rows), f"Monthly fee{currency} against score"))
    if not view.rows:
        parts.append("<p>No active vendor.</p>\n")
        return _page(SPEND_TITLE, "".join(parts))
    head = ("#", "Vendor", "Monthly fee", "Score", "Status", "Reviewed", "Cost per point", "")
    parts.append('<table class="spend">\n<thead>\n<tr>')
    parts += [f"<th>{html.escape(h)}</th>" for h in head]
    parts.append("</tr>\n</thead>\n<tbody>\n")
    for row in view.rows:
        entry = row.entry
        score = "—" if entry.score is None else f"{entry.score:.0f}"
        said = "costs a lot for what it delivers" if row.costly else row.note
        cells = [
            str(row.number) if row.number else "",
            entry.name,
            row.fee_text,
            score,
            status_word(entry.status) if entry.score is not None else "—",
            entry.period or "—",
            row.cost_text,
        ]
        parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells))
        css = ' class="costly"' if row.costly else ""
        parts.append(f"<td{css}>{html.escape(said)}</td></tr>\n")
    parts.append("</tbody>\n</table>\n")
    return _page(SPEND_TITLE, _rag("".join(parts)))


def portfolio_html(portfolio: Portfolio) -> str:
    """``report --all --format html``: the spend view of every active vendor."""
    from outsource_tui.services.spend import portfolio_spend

    return spend_html(portfolio_spend(portfolio), portfolio.today.isoformat())
