"""Reports: one vendor as JSON, Markdown or HTML, and the whole portfolio as CSV or HTML.

Plain Python over the store and the portfolio view; nothing here imports Textual, so the
command line, the app and tests all use the same writers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from outsource_tui.reports.csv_report import CSV_COLUMNS, portfolio_csv
from outsource_tui.reports.html_report import portfolio_html, to_html, vendor_charts, vendor_html
from outsource_tui.reports.json_report import SCHEMA, to_json, vendor_report
from outsource_tui.reports.markdown_report import to_markdown

if TYPE_CHECKING:
    from outsource_tui.services.portfolio import Portfolio

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA",
    "portfolio_csv",
    "portfolio_html",
    "to_html",
    "to_json",
    "to_markdown",
    "vendor_charts",
    "vendor_html",
    "vendor_report",
    "write_vendor_report",
]


def write_vendor_report(portfolio: Portfolio, vendor_id: str, period: str | None) -> Path:
    """Write the vendor report as Markdown and HTML under ``<data dir>/reports``.

    Returns the path without its suffix (``.md`` and ``.html`` sit beside each other).
    """
    from outsource_tui.store.atomic import write_text_atomic

    report = vendor_report(portfolio, vendor_id, period=period)
    stem = (
        portfolio.store.data_dir
        / "reports"
        / f"{vendor_id}-{period or portfolio.today.isoformat()}"
    )
    write_text_atomic(stem.with_name(stem.name + ".md"), to_markdown(report))
    html = to_html(report, vendor_charts(portfolio, vendor_id))
    write_text_atomic(stem.with_name(stem.name + ".html"), html)
    return stem
