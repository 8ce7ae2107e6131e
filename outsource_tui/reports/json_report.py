"""Everything about one vendor as plain, JSON-ready data: the source every report format reads.

The report is a ``dict`` whose keys keep the order below; lists keep the order given. Every
value is a string, number, boolean, ``None``, list or dict, so ``json.loads(to_json(r)) == r``.
A change that renames or removes a key, or changes what one means, gets a new ``schema``.

Top level
    ``schema``
        ``"outsource-tui/vendor-report/1"``.
    ``generated_for``
        The day the report describes (the portfolio's today), ``YYYY-MM-DD``. Overdue flags
        are relative to it.
    ``vendor``
        Every stored vendor field, as ``Vendor.to_dict()`` gives them: ``id``, ``name``,
        ``service``, ``status`` (candidate, onboarding, active, on-hold, exiting, ended),
        ``timezone`` (IANA name or ``""``), ``contract_start`` and ``contract_end``
        (``YYYY-MM-DD`` or ``""``), ``contact``, ``created_at`` (ISO 8601 timestamp), and,
        where the store keeps contract terms, ``contract`` (a dict of terms such as
        ``initial_months`` and ``notice_days``; ``{}`` when none were given).
    ``playbooks``
        One entry per playbook of the library, in the library's order (see below).
    ``scorecard``
        The scorecard of one review period, or ``None`` when the library has no review
        playbook (one with a ``kpi-actuals`` table). The period is the one asked for; by
        default the latest period with a completed review, else the period the next review
        would cover. A completed review gives the scorecard stored with it; any other period
        a scorecard computed now. Keys are those of ``Scorecard.to_dict()``:

        - ``period``: ``"2026-Q3"`` (quarterly) or ``"2026"`` (annual);
        - ``kpis``: a list of ``{"target": {"kpi", "target", "direction", "weight", "unit",
          "credit", "bonus"}, "actual", "attainment", "status"}``; ``actual`` and
          ``attainment`` are ``None`` without a result; ``attainment`` is a ratio (1.0 means
          the target was met exactly); ``direction`` is ``"higher is better"`` or
          ``"lower is better"``;
        - ``ratings``: a list of ``{"question_id", "prompt", "weight", "rating",
          "by_reviewer"}``, ``rating`` from 1 to 5 or ``None``: with several reviewers their
          median (a half when two middle ratings differ), ``by_reviewer`` each one's rating by
          name (``""`` for a rating given without a name), empty for a single unnamed one;
        - ``kpi_score``, ``rating_score``, ``overall``: 0-100 or ``None``;
        - ``status``: ``"green"``, ``"amber"``, ``"red"`` or ``"missing"`` (no data);
        - ``credit_percent``, ``bonus_percent``: service credit owed and bonus earned, in
          percent of the fee;
        - ``notes``: a list of texts (what is missing, and why).
    ``trend``
        One ``{"period", "overall", "status"}`` per completed review, oldest period first;
        ``overall`` may be ``None``; ``status`` as in the scorecard.
    ``next_review``
        ``None`` for vendors not under review (statuses other than active and on-hold),
        else ``{"playbook_id", "playbook", "period", "due", "overdue"}``: the most pressing
        review of a recurring playbook, ``playbook`` being its title and ``due`` a date.
    ``open_action_items``
        From the latest completed review that has action items, the rows not done or
        dropped: ``{"action", "owner", "due", "status", "overdue"}``; ``due`` is
        ``YYYY-MM-DD`` or ``""``; ``overdue`` is true when ``due`` is before
        ``generated_for``.

Each entry of ``playbooks``
    ``id``, ``title``, ``summary``
        As declared in the playbook file.
    ``cadence``
        ``"once"``, ``"quarterly"`` or ``"annual"``.
    ``state``
        ``"done"``, ``"in progress"`` or ``"never started"``, judged on the latest run.
    ``checklist_percent``
        Share of the latest run's checklist ticked, 0-100 (100 when there is nothing to
        tick); ``None`` when never started.
    ``latest_run``
        ``None`` when never started; otherwise the run shown for the playbook (the newest
        open one, else the newest completed one):

        - ``id``: the run id;
        - ``period``: the review period it covers, ``""`` for playbooks walked once;
        - ``started_at``, ``updated_at``, ``completed_at``: ISO 8601 timestamps,
          ``completed_at`` being ``""`` while the run is open;
        - ``playbook_changed``: true when the playbook file changed since the run began;
        - ``checklist``: every checklist item of the playbook as it is now, in order:
          ``{"step", "item", "done"}``, ``step`` being the step's title and ``item`` the
          item's text;
        - ``answers``: every question of the playbook as it is now, in order, then any
          stored answer to a question the playbook no longer asks. Each is
          ``{"step", "question_id", "prompt", "type", "value", "text", "table"}``:
          ``value`` is the answer as stored (``None`` when unanswered; text, number,
          boolean, list of texts for multi-choice, or list of ``{column id: cell}`` rows
          for tables); ``text`` is its readable form (``"—"`` when unanswered); ``table``
          is ``None`` except for table questions, where it is ``{"columns": [{"id",
          "label"}], "rows": [[cell text, ...], ...]}`` with one readable text per column;
          for an answer to a question no longer asked, ``step``, ``prompt`` and ``type``
          are ``None``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from outsource_tui.domain.answers import (
    Answer,
    format_answer,
    format_number,
    is_answered,
)
from outsource_tui.domain.contract import clock_phrase
from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import check_period
from outsource_tui.domain.playbook import Playbook, Question, QuestionType
from outsource_tui.domain.run import Run, check_key, latest_runs, progress
from outsource_tui.domain.scoring import Scorecard
from outsource_tui.domain.vendor import Vendor, contract_clock, contract_conflict
from outsource_tui.services.portfolio import Portfolio

SCHEMA = "outsource-tui/vendor-report/1"


def _plain(value: Any) -> Any:
    """Tuples become lists, so the report equals its own JSON round trip."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _loose_text(value: Answer) -> str:
    """A readable form of an answer whose question is gone (no type to go by)."""
    if not is_answered(value):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list):
        rows = [v for v in value if isinstance(v, dict)]
        if len(rows) == len(value):  # every item is a table row
            return "\n".join(
                " · ".join(f"{k}: {_loose_text(v)}" for k, v in row.items() if is_answered(v))
                for row in rows
            )
        return ", ".join(str(v) for v in value)
    return str(value)


def _table(question: Question, value: Answer) -> dict[str, Any]:
    rows = value if isinstance(value, list) else []
    return {
        "columns": [{"id": c.id, "label": c.prompt} for c in question.columns],
        "rows": [
            [format_answer(c, row.get(c.id)) for c in question.columns]
            for row in rows
            if isinstance(row, dict)
        ],
    }


def _answers(playbook: Playbook, run: Run) -> list[dict[str, Any]]:
    out = []
    for step in playbook.steps:
        for question in step.questions:
            value = run.answers.get(question.id)
            out.append(
                {
                    "step": step.title,
                    "question_id": question.id,
                    "prompt": question.prompt,
                    "type": question.type.value,
                    "value": value if is_answered(value) else None,
                    "text": format_answer(question, value),
                    "table": (
                        _table(question, value) if question.type is QuestionType.TABLE else None
                    ),
                }
            )
    for question_id, value in run.answers.items():
        if question_id not in playbook.questions_by_id and is_answered(value):
            out.append(
                {
                    "step": None,
                    "question_id": question_id,
                    "prompt": None,
                    "type": None,
                    "value": value,
                    "text": _loose_text(value),
                    "table": None,
                }
            )
    return out


def _run(playbook: Playbook, run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "period": run.period,
        "started_at": run.started_at,
        "updated_at": run.updated_at,
        "completed_at": run.completed_at,
        "playbook_changed": bool(run.playbook_digest) and run.playbook_digest != playbook.digest,
        "checklist": [
            {"step": step.title, "item": item.text, "done": check_key(step, item.id) in run.checked}
            for step in playbook.steps
            for item in step.checklist
        ],
        "answers": _answers(playbook, run),
    }


def _playbooks(library: Library, runs: list[Run]) -> list[dict[str, Any]]:
    latest = latest_runs(runs)
    out = []
    for playbook in library:
        run = latest.get(playbook.id)
        if run is None:
            state, percent = "never started", None
        else:
            state = "done" if run.completed else "in progress"
            percent = progress(playbook, run).checklist_percent
        out.append(
            {
                "id": playbook.id,
                "title": playbook.title,
                "summary": playbook.summary,
                "cadence": playbook.cadence.value,
                "state": state,
                "checklist_percent": percent,
                "latest_run": None if run is None else _run(playbook, run),
            }
        )
    return out


def _scorecard(
    portfolio: Portfolio,
    vendor_id: str,
    runs: list[Run],
    trend: list[tuple[str, Scorecard]],
    period: str | None,
) -> dict[str, Any] | None:
    reviews = portfolio.review_playbooks()
    if not reviews:
        return None
    if period is None:
        period = trend[-1][0] if trend else portfolio.default_period(reviews[0], runs)
    else:
        period = check_period(period, reviews[0].cadence)
    card = portfolio.scorecard(vendor_id, period, runs)
    if card is None:
        return None
    return {
        **card.to_dict(),
        "credit_amount": card.credit_amount,
        "bonus_amount": card.bonus_amount,
        "earned_back_amount": card.earned_back_amount,
    }


def _contract_now(vendor: Vendor, today: date) -> dict[str, Any] | None:
    """Where the contract stands today, as the contract clock works it out: the end date
    after notice, the current term and renewal, and any conflict with the typed dates."""
    state = contract_clock(vendor, today)
    if state is None:
        return None
    return {
        "state": state.state.value,
        "summary": clock_phrase(state),
        "term": state.term_number,
        "term_end": state.term_end.isoformat(),
        "ends_on": state.ends_on.isoformat() if state.ends_on else None,
        "notice_given": state.notice_given.isoformat() if state.notice_given else None,
        "next_renewal": state.next_renewal.isoformat() if state.next_renewal else None,
        "last_notice_day": state.last_notice_day.isoformat(),
        "conflict": contract_conflict(vendor),
    }


def vendor_report(portfolio: Portfolio, vendor_id: str, *, period: str | None) -> dict[str, Any]:
    """Everything about one vendor as JSON-ready data; the keys are described above.

    ``period`` picks the scorecard's review period (``None``: the latest reviewed one).
    Raises ``UnknownVendor`` for an unknown id and ``ValidationError`` for a malformed period.
    """
    store, library = portfolio.store, portfolio.library
    vendor = store.get_vendor(vendor_id)
    runs = portfolio.runs_of(vendor_id)
    trend = portfolio.trend(runs)
    due = portfolio.next_review(vendor, runs)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_for": portfolio.today.isoformat(),
        "vendor": vendor.to_dict(),
        "contract_now": _contract_now(vendor, portfolio.today),
        "playbooks": _playbooks(library, runs),
        "scorecard": _scorecard(portfolio, vendor_id, runs, trend, period),
        "trend": [
            {"period": p, "overall": card.overall, "status": card.status} for p, card in trend
        ],
        "next_review": None
        if due is None
        else {
            "playbook_id": due.playbook.id,
            "playbook": due.playbook.title,
            "period": due.period,
            "due": due.due.isoformat(),
            "overdue": due.overdue,
        },
        "open_action_items": [
            {
                "action": item.action,
                "owner": item.owner,
                "due": item.due,
                "status": item.status,
                "overdue": item.overdue,
            }
            for item in portfolio.actions(runs)
        ],
    }
    return _plain(report)


def to_json(report: dict[str, Any]) -> str:
    """The report as indented JSON, keys in the report's own order, ending with a newline."""
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
