"""A vendor report as one standalone, printable HTML page.

The page is the Markdown report rendered by markdown-it-py with raw HTML switched off, so
markup typed by a user reaches the page as text (``&lt;script&gt;``), never as tags. The
styles are inline, so the file can be mailed, opened offline or printed as it is.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it import MarkdownIt

from outsource_tui.domain.labels import STATUS_WORD
from outsource_tui.reports.markdown_report import report_title, to_markdown

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


def to_html(report: dict[str, Any]) -> str:
    """The vendor report as a complete HTML5 page with its own styles."""
    body = _rag(_renderer().render(to_markdown(report)))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(report_title(report))}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{body}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
