"""The whole portfolio as CSV for spreadsheets: one row per vendor, review period and KPI.

Columns, in this order (:data:`CSV_COLUMNS`):

``vendor``, ``vendor_id``, ``status``, ``service``
    The vendor's name, id, status and service.
``period``
    The review period (``2026-Q3``) of a completed review.
``kpi``, ``unit``, ``target``, ``direction``, ``weight``
    The KPI as agreed in the SLA when the review was completed.
``actual``
    The result reported for the period; empty when none was given.
``attainment``
    How far the target was reached, in percent (100 = met exactly), rounded to 2 decimals.
``kpi_status``
    ``green``, ``amber``, ``red`` or ``missing`` (no result).
``overall``, ``overall_status``
    The period's overall score (0-100, rounded to 2 decimals) and its colour.
``credit_percent``
    The service credit owed for the period, in percent of the monthly fee, after the cap.
``credit_uncapped_percent``
    What the missed KPIs add up to before the cap.
``earned_back_percent``
    Credits of the period before, waived because their KPIs met target in this one.
``bonus_percent``
    The bonus earned for the period, in percent of the monthly fee.
``monthly_fee``, ``currency``, ``credit_amount``, ``bonus_amount``
    The fee the percentages are of, and the credit and bonus in money (empty without a fee).
``spend_monthly_fee``, ``spend_score``, ``spend_cost_per_point``, ``spend_costly``, ``spend_note``
    Spend against performance, as the app's spend view and ``report --all --format html``
    show it, on every row of an active vendor (empty for the others): the monthly fee the SLA
    agrees now, the overall score of the latest completed review, the fee divided by that
    score (rounded to 2 decimals), ``yes`` when the vendor costs a lot for what it delivers
    (a fee above the median of the active vendors paid in its currency, and a score below
    green) else ``no``, and why a vendor without a fee or a score is not placed.

Rows come from the scorecard of every completed review, oldest period first. A review
without KPIs gives one row with the KPI columns empty; so does a vendor with no completed
review (its period, overall and credit columns empty too). Numbers are written plainly
(``4``, ``99.9``), with a dot for decimals.

Text a user typed that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) gets a leading apostrophe, so a spreadsheet shows it instead of running it as a
formula; numbers are never changed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from outsource_tui.domain.answers import format_number
from outsource_tui.domain.charts import SpendRow
from outsource_tui.domain.scoring import KpiLine, Scorecard
from outsource_tui.domain.vendor import Vendor
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.services.spend import portfolio_spend

CSV_COLUMNS = (
    "vendor",
    "vendor_id",
    "status",
    "service",
    "period",
    "kpi",
    "unit",
    "target",
    "direction",
    "weight",
    "actual",
    "attainment",
    "kpi_status",
    "overall",
    "overall_status",
    "credit_percent",
    "credit_uncapped_percent",
    "earned_back_percent",
    "bonus_percent",
    "monthly_fee",
    "currency",
    "credit_amount",
    "bonus_amount",
    "spend_monthly_fee",
    "spend_score",
    "spend_cost_per_point",
    "spend_costly",
    "spend_note",
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_text(text: object) -> str:
    """User text as a cell a spreadsheet will not evaluate as a formula."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _number(value: Any, digits: int | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return format_number(round(value, digits) if digits is not None else value)


def _vendor_cells(vendor: Vendor, spend: SpendRow | None) -> dict[str, str]:
    cells = {
        "vendor": guard_text(vendor.name),
        "vendor_id": guard_text(vendor.id),
        "status": guard_text(vendor.status),
        "service": guard_text(vendor.service),
    }
    if spend is not None:
        cells |= {
            "spend_monthly_fee": _number(spend.entry.monthly_fee),
            "spend_score": _number(spend.entry.score, 2),
            "spend_cost_per_point": _number(spend.cost_per_point, 2),
            "spend_costly": "yes" if spend.costly else "no",
            "spend_note": guard_text(spend.note),
        }
    return cells


def _period_cells(period: str, card: Scorecard) -> dict[str, str]:
    return {
        "period": guard_text(period),
        "overall": _number(card.overall, 2),
        "overall_status": guard_text(card.status),
        "credit_percent": _number(card.credit_percent),
        "credit_uncapped_percent": _number(card.credit_uncapped_percent),
        "earned_back_percent": _number(card.earned_back_percent),
        "bonus_percent": _number(card.bonus_percent),
        "monthly_fee": _number(card.monthly_fee),
        "currency": guard_text(card.currency),
        "credit_amount": _number(card.credit_amount, 2),
        "bonus_amount": _number(card.bonus_amount, 2),
    }


def _kpi_cells(line: KpiLine) -> dict[str, str]:
    target = line.target
    return {
        "kpi": guard_text(target.kpi),
        "unit": guard_text(target.unit),
        "target": _number(target.target),
        "direction": guard_text(target.direction),
        "weight": _number(target.weight),
        "actual": _number(line.actual),
        "attainment": _number(None if line.attainment is None else 100 * line.attainment, 2),
        "kpi_status": guard_text(line.status),
    }


def portfolio_csv(portfolio: Portfolio, vendor_ids: list[str] | None = None) -> str:
    """The portfolio's review results as CSV text (``\\n`` line ends, header first).

    ``vendor_ids`` limits and orders the vendors; by default every vendor, by name.
    The scorecards come from the portfolio, which decides which playbook is the review.
    Raises ``UnknownVendor`` for an unknown id. For the whole portfolio, a vendor whose
    records cannot be read is left out and the reason kept in ``portfolio.problems``; a
    vendor named in ``vendor_ids`` with unreadable records raises ``StoreError``.
    """
    store = portfolio.store
    vendors = (
        store.list_vendors()
        if vendor_ids is None
        else [store.get_vendor(vendor_id) for vendor_id in vendor_ids]
    )
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=CSV_COLUMNS,
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\n",
        restval="",
    )
    writer.writeheader()
    # Worked out over every active vendor, whichever are listed: who costs a lot for what
    # they deliver depends on the others' fees.
    spend = {row.entry.vendor_id: row for row in portfolio_spend(portfolio).rows}
    for vendor in vendors:
        runs = (
            portfolio.runs_of(vendor.id)
            if vendor_ids is not None
            else portfolio.readable_runs(vendor.id)
        )
        if runs is None:
            continue  # named by the caller from portfolio.problems
        trend = portfolio.trend(runs)
        if not trend:
            writer.writerow(_vendor_cells(vendor, spend.get(vendor.id)))
            continue
        for period, card in trend:
            base = {**_vendor_cells(vendor, spend.get(vendor.id)), **_period_cells(period, card)}
            if not card.kpis:
                writer.writerow(base)
            for line in card.kpis:
                writer.writerow({**base, **_kpi_cells(line)})
    return out.getvalue()
