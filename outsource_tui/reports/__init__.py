"""Reports: one vendor as JSON, Markdown or HTML, and the whole portfolio as CSV.

Plain Python over the store and the portfolio view; nothing here imports Textual, so the
command line, the app and tests all use the same writers.
"""

from outsource_tui.reports.csv_report import CSV_COLUMNS, portfolio_csv
from outsource_tui.reports.html_report import to_html
from outsource_tui.reports.json_report import SCHEMA, to_json, vendor_report
from outsource_tui.reports.markdown_report import to_markdown

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA",
    "portfolio_csv",
    "to_html",
    "to_json",
    "to_markdown",
    "vendor_report",
]
