"""Spend against performance: each active vendor's monthly fee beside its latest score.

The fee is the one the SLA agrees (``Portfolio.sla_terms``), the score that of the latest
completed review (``Portfolio.trend``), so the spend view, its HTML page and the CSV read the
same figures as the scorecards do.
"""

from __future__ import annotations

from outsource_tui.domain.charts import SpendEntry, SpendView, spend_view
from outsource_tui.domain.scoring import MISSING
from outsource_tui.domain.vendor import VendorStatus
from outsource_tui.services.portfolio import Portfolio


def spend_entries(portfolio: Portfolio) -> list[SpendEntry]:
    """Every active vendor, by name; one whose records cannot be read says so."""
    entries = []
    for vendor in portfolio.store.list_vendors():
        if vendor.status != VendorStatus.ACTIVE.value:
            continue
        runs = portfolio.readable_runs(vendor.id)
        if runs is None:
            problem = portfolio.problems.get(vendor.id, "")
            entries.append(SpendEntry(vendor.id, vendor.name, None, "", None, MISSING, "", problem))
            continue
        terms = portfolio.sla_terms(runs)
        trend = portfolio.trend(runs)
        period, card = trend[-1] if trend else ("", None)
        entries.append(
            SpendEntry(
                vendor_id=vendor.id,
                name=vendor.name,
                monthly_fee=terms.monthly_fee,
                currency=terms.currency,
                score=None if card is None else card.overall,
                status=MISSING if card is None else card.status,
                period=period,
            )
        )
    return entries


def portfolio_spend(portfolio: Portfolio) -> SpendView:
    """The spend view of the portfolio, with the score thresholds of the settings."""
    return spend_view(spend_entries(portfolio), portfolio.settings.thresholds)
