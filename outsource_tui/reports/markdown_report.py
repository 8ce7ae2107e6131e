"""A vendor report as a Markdown document, to send to the partner or paste into a wiki.

It is built from the data of :func:`outsource_tui.reports.json_report.vendor_report` only.
Every text that comes from the user (names, answers, KPI names, even playbook wording) is
escaped, so it shows literally in any CommonMark or GFM renderer: nothing typed can become
a heading, a list, a link, emphasis, raw HTML or a new table column.

Sections, in order: the title (with the vendor's name), ``Vendor`` (the facts and the next
review), ``Scorecard for <period>`` (KPI table, overall score, ratings, service credits,
notes), ``Trend``, ``Open action items``, ``Playbooks`` (a summary table, then one
``###`` section per playbook that is done or in progress: per step its checklist and the
questions answered). Answers kept for questions a playbook no longer asks are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from outsource_tui.domain import reviewers
from outsource_tui.domain.answers import format_number
from outsource_tui.domain.labels import attainment_text, credit_lines, rated, status_word
from outsource_tui.domain.scoring import Scorecard

# Characters with a meaning anywhere in a line. Escaping them is always allowed in
# CommonMark, so over-escaping is harmless; '&' is escaped so an entity shows as typed.
_INLINE = re.compile(r"([\\`*_\[\]<>#|&~])")
_ORDERED = re.compile(r"^(\d+)([.)])")


def escape_inline(text: object) -> str:
    """User text made literal inside a line (a heading, a paragraph, a list item)."""
    return _INLINE.sub(r"\\\1", str(text))


def escape_cell(text: object) -> str:
    """User text for one table cell: on one line, and with every ``|`` escaped."""
    return escape_inline(" ".join(str(text).split()))


def escape_line(line: str) -> str:
    """One line of a paragraph, also safe where a line begins (no list, quote or rule)."""
    line = escape_inline(line.strip())
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{line[len(ordered.group(1)) :]}"
    if line[:1] in ("-", "+", "="):
        return "\\" + line
    return line


def escape_block(text: object) -> str:
    """Multi-line user text as paragraphs: blank lines split them, line breaks are kept."""
    blocks = re.split(r"\n\s*\n", str(text).strip())
    paragraphs = []
    for block in blocks:
        lines = [escape_line(line) for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))  # a trailing backslash is a hard break
    return "\n\n".join(paragraphs) or "—"


def table(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A GFM table; every header and cell is escaped."""
    lines = [
        "| " + " | ".join(escape_cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    for row in rows:
        cells = [escape_cell(c) for c in row]
        cells += [""] * (len(headers) - len(cells))
        lines.append("| " + " | ".join(cells[: len(headers)]) + " |")
    return "\n".join(lines)


def _number(value: Any, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    text = format_number(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _score(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:.0f} / 100"


def _day(stamp: object) -> str:
    return str(stamp or "")[:10]


def _vendor(report: dict[str, Any]) -> list[str]:
    vendor = report["vendor"]
    facts = [
        ("Name", vendor.get("name")),
        ("Service", vendor.get("service")),
        ("Status", vendor.get("status")),
        ("Time zone", vendor.get("timezone")),
        ("Contract start", vendor.get("contract_start")),
        ("Contract end (first term)", vendor.get("contract_end")),
        ("Contract now", (report.get("contract_now") or {}).get("summary")),
        ("Primary contact", vendor.get("contact")),
        ("Vendor id", vendor.get("id")),
    ]
    blocks = ["## Vendor", table(("Field", "Value"), ((k, v or "—") for k, v in facts))]
    due = report.get("next_review")
    if due:
        late = " It is overdue." if due.get("overdue") else ""
        blocks.append(
            f"Next review: {escape_inline(due.get('playbook', ''))} for "
            f"{escape_inline(due.get('period', ''))}, due {escape_inline(due.get('due', ''))}."
            + late
        )
    return blocks


def _target(line: dict[str, Any]) -> str:
    target = line.get("target") or {}
    amount = _number(target.get("target"), str(target.get("unit") or ""))
    if target.get("direction") == "lower is better":
        return f"at most {amount}"
    return f"at least {amount}"


def _scorecard(report: dict[str, Any]) -> list[str]:
    card = report.get("scorecard")
    if not card:
        return ["## Scorecard", "No scorecard: the playbooks include no review with KPI results."]
    period = escape_inline(card.get("period", ""))
    blocks = [f"## Scorecard for {period}"]
    parts = [f"**Overall: {_score(card.get('overall'))}, {status_word(card.get('status'))}**"]
    if card.get("kpi_score") is not None:
        parts.append(f"KPIs {_score(card['kpi_score'])}")
    if card.get("rating_score") is not None:
        parts.append(f"ratings {_score(card['rating_score'])}")
    blocks.append(" · ".join(parts))
    kpis = card.get("kpis") or []
    if kpis:
        rows = []
        for line in kpis:
            target = line.get("target") or {}
            unit = str(target.get("unit") or "")
            reached = line.get("attainment")
            rows.append(
                (
                    target.get("kpi", ""),
                    _target(line),
                    _number(line.get("actual"), unit),
                    attainment_text(
                        reached if isinstance(reached, int | float) else None
                    ).removesuffix("%"),
                    status_word(line.get("status")),
                )
            )
        blocks.append(table(("KPI", "Target", "Actual", "Attainment %", "Status"), rows))
    ratings = card.get("ratings") or []
    lines = Scorecard.from_dict(card).ratings if ratings else ()
    if any(reviewers.several(line) for line in lines):
        # Several reviewers: the median, how many rated, how far apart, and who gave what.
        blocks.append(
            table(
                ("Rating", "Weight", "Median", "Reviewers", "Spread", "By reviewer"),
                (
                    (
                        line.prompt,
                        _number(line.weight),
                        rated(line.rating),
                        line.raters,
                        reviewers.spread_text(line),
                        reviewers.by_text(line),
                    )
                    for line in lines
                ),
            )
        )
        flagged = reviewers.to_discuss(lines)
        if flagged:
            blocks.append(
                "\n".join(
                    f"- **{reviewers.FLAG} {escape_inline(line.prompt)}: "
                    f"{reviewers.discuss_text(line)}** ({escape_inline(reviewers.by_text(line))})"
                    for line in flagged
                )
            )
    elif ratings:
        blocks.append(
            table(
                ("Rating", "Weight", "Given"),
                (
                    (
                        r.get("prompt", ""),
                        _number(r.get("weight")),
                        "—" if r.get("rating") is None else f"{r['rating']} / 5",
                    )
                    for r in ratings
                ),
            )
        )
    for _, line in credit_lines(Scorecard.from_dict(card)):
        blocks.append(escape_cell(line))
    notes = card.get("notes") or []
    if notes:
        blocks.append("\n".join(f"- {escape_cell(note)}" for note in notes))
    return blocks


def _trend(report: dict[str, Any]) -> list[str]:
    trend = report.get("trend") or []
    if not trend:
        return ["## Trend", "No completed reviews yet."]
    rows = [
        (t.get("period", ""), _score(t.get("overall")), status_word(t.get("status"))) for t in trend
    ]
    return ["## Trend", table(("Period", "Overall", "Status"), rows)]


def _actions(report: dict[str, Any]) -> list[str]:
    items = report.get("open_action_items") or []
    if not items:
        return ["## Open action items", "None."]
    rows = [
        (
            item.get("action") or "—",
            item.get("owner") or "—",
            item.get("due") or "—",
            item.get("status") or "—",
            "yes" if item.get("overdue") else "no",
        )
        for item in items
    ]
    return ["## Open action items", table(("Action", "Owner", "Due", "Status", "Overdue"), rows)]


def _answer(answer: dict[str, Any]) -> str:
    prompt = " ".join(str(answer.get("prompt") or answer.get("question_id", "")).split())
    if not prompt.endswith(("?", ":")):
        prompt += ":"
    prompt = f"**{escape_inline(prompt)}**"
    grid = answer.get("table")
    if grid and grid.get("rows"):
        headers = [c.get("label", c.get("id", "")) for c in grid.get("columns", [])]
        return f"{prompt}\n\n{table(headers, grid['rows'])}"
    text = str(answer.get("text", ""))
    if "\n" not in text.strip():
        return f"{prompt} {escape_cell(text)}"
    return f"{prompt}\n\n{escape_block(text)}"


def _playbook(entry: dict[str, Any]) -> list[str]:
    run = entry["latest_run"]
    title = escape_inline(entry.get("title", ""))
    done = entry.get("state") == "done"
    blocks = [f"### {title}" if done else f"### {title} (in progress)"]
    facts = []
    if run.get("period"):
        facts.append(f"Period {escape_inline(run['period'])}.")
    if done:
        facts.append(f"Completed {escape_inline(_day(run.get('completed_at')))}.")
    else:
        facts.append(f"Started {escape_inline(_day(run.get('started_at')))}, not finished yet.")
    if run.get("playbook_changed"):
        facts.append("The playbook has changed since this run began.")
    blocks.append(" ".join(facts))
    steps: dict[str, tuple[list[str], list[str]]] = {}
    for item in run.get("checklist", []):
        ticks, _ = steps.setdefault(str(item.get("step")), ([], []))
        mark = "x" if item.get("done") else " "
        ticks.append(f"- [{mark}] {escape_cell(item.get('item', ''))}")
    for answer in run.get("answers", []):
        if answer.get("step") is None or answer.get("value") is None:
            continue
        _, answers = steps.setdefault(str(answer["step"]), ([], []))
        answers.append(_answer(answer))
    for step, (ticks, answers) in steps.items():
        if not ticks and not answers:
            continue
        blocks.append(f"#### {escape_cell(step)}")
        if ticks:
            blocks.append("\n".join(ticks))
        blocks.extend(answers)
    return blocks


def _playbooks(report: dict[str, Any]) -> list[str]:
    entries = report.get("playbooks") or []
    rows = []
    for entry in entries:
        run = entry.get("latest_run") or {}
        percent = entry.get("checklist_percent")
        rows.append(
            (
                entry.get("title", ""),
                entry.get("state", ""),
                "—" if percent is None else f"{percent}%",
                run.get("period") or "—",
                _day(run.get("completed_at")) or "—",
            )
        )
    blocks = ["## Playbooks"]
    if rows:
        blocks.append(table(("Playbook", "State", "Checklist", "Period", "Completed"), rows))
    for entry in entries:
        if entry.get("latest_run") and entry.get("state") in ("done", "in progress"):
            blocks.extend(_playbook(entry))
    return blocks


def report_title(report: dict[str, Any]) -> str:
    """The document's title as plain text: 'Vendor report: <name>'."""
    return f"Vendor report: {' '.join(str(report['vendor'].get('name', '')).split())}"


def to_markdown(report: dict[str, Any]) -> str:
    """The vendor report as a Markdown document (CommonMark with GFM tables)."""
    blocks = [
        f"# {escape_inline(report_title(report))}",
        f"As of {escape_inline(report.get('generated_for', ''))}.",
    ]
    for section in (_vendor, _scorecard, _trend, _actions, _playbooks):
        blocks.extend(section(report))
    return "\n\n".join(blocks) + "\n"
