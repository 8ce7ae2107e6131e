"""The dashboard's read of the portfolio: each vendor's kept summary, worked out again only
when what it was made from has changed.

Showing the dashboard then costs a read of the index and of one file of summaries, and a
``stat`` or two per vendor, however many years of reviews lie behind them. A summary is
kept in ``summaries.json`` with the sources it was made from:

- the summary format's version and the app's, the playbooks in use and the score
  thresholds (``Services.summary_basis``);
- the vendor's record (a digest: a rename, a new status or new contract dates);
- the vendor's run folder (``Store.records_stamp``: changes with every save);
- its run files (``Store.records_detail``: a ``stat`` per file, so a file edited by hand in
  place is caught too).

``board`` checks all but the last before the first frame; ``refresh`` checks everything, in
the background, and works out again what is stale. The sources are read before the runs they
describe, so a save made by another instance meanwhile leaves a kept summary stale, never
wrong. The summaries are derived: a missing or damaged file, or entry, is worked out again
from the run files, and the list of vendors always comes from the index, so no vendor is
ever hidden by a summary.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from outsource_tui.domain.due import DueItem, within
from outsource_tui.domain.summary import PENDING, Summary, VendorOverview
from outsource_tui.domain.vendor import Vendor
from outsource_tui.errors import StoreError

if TYPE_CHECKING:
    from outsource_tui.services import Services

SOURCES = ("basis", "vendor", "stamp")  # what the quick check compares


@dataclass(frozen=True)
class Board:
    """Every vendor's dashboard row as of ``today``, the most urgent first."""

    overviews: tuple[VendorOverview, ...]
    today: date
    store_empty: bool

    @property
    def pending(self) -> list[Vendor]:
        """The vendors whose summary is still to be worked out."""
        return [o.vendor for o in self.overviews if o.pending]

    def due(self, within_days: int) -> list[DueItem]:
        """Everything due from today to ``within_days`` ahead, and everything overdue."""
        items = [item for o in self.overviews for item in o.due_items(within_days)]
        return within(items, self.today, within_days)


def vendor_digest(vendor: Vendor) -> str:
    return hashlib.blake2b(repr(vendor).encode("utf-8"), digest_size=12).hexdigest()


def _sorted(rows: list[VendorOverview]) -> tuple[VendorOverview, ...]:
    return tuple(sorted(rows, key=lambda o: (o.urgency, o.vendor.name.casefold())))


class Summaries:
    """The kept summaries of one store, as the dashboard reads and refreshes them."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store

    def _kept(self) -> dict[str, Any]:
        table = self.store.read_summaries().get("summaries")
        return table if isinstance(table, dict) else {}

    def _sources(self, vendor: Vendor, basis: str) -> dict[str, Any]:
        return {
            "basis": basis,
            "vendor": vendor_digest(vendor),
            "stamp": self.store.records_stamp(vendor.id),
        }

    @staticmethod
    def _summary(entry: object) -> Summary | None:
        if not isinstance(entry, dict):
            return None
        try:
            return Summary.from_json(entry.get("summary"))
        except (ValueError, TypeError, KeyError):
            return None  # damaged: worked out again

    def board(self) -> Board:
        """Every vendor from its kept summary where that is current by the quick check; the
        others are marked pending. Reads no run file."""
        today = self.services.today()
        vendors = self.store.list_vendors()
        kept = self._kept()
        basis = self.services.summary_basis()
        rows = []
        for vendor in vendors:
            entry = kept.get(vendor.id)
            summary = None
            sources = self._sources(vendor, basis)
            if isinstance(entry, dict) and all(entry.get(k) == sources[k] for k in SOURCES):
                summary = self._summary(entry)
            rows.append(
                VendorOverview.of(vendor, summary or PENDING, today, pending=summary is None)
            )
        return Board(_sorted(rows), today, not vendors and not self.store.has_vendors())

    def refresh(self) -> Board:
        """Every vendor, each summary checked in full and worked out again where stale; the
        new ones are kept. Reads the run files of the stale vendors only."""
        today = self.services.today()
        vendors = self.store.list_vendors()
        kept = self._kept()
        basis = self.services.summary_basis()
        portfolio = None
        made_with = basis
        rows = []
        table: dict[str, Any] = {}
        changed = False
        for vendor in vendors:
            entry = kept.get(vendor.id)
            sources = self._sources(vendor, basis)
            sources["detail"] = self.store.records_detail(vendor.id)
            summary = None
            if isinstance(entry, dict) and all(entry.get(k) == v for k, v in sources.items()):
                summary = self._summary(entry)
            if summary is None:
                if portfolio is None:
                    portfolio = self.services.portfolio()
                    # Kept with the playbooks it was worked out with: if their files have
                    # changed since they were read, the next check finds it stale.
                    made_with = self.services.library_basis()
                summary = portfolio.summary(vendor)  # after the sources: see the module's text
                entry = {**sources, "basis": made_with, "summary": summary.to_json()}
                changed = True
            table[vendor.id] = entry
            rows.append(VendorOverview.of(vendor, summary, today))
        if changed or set(kept) != set(table):
            # Derived data: if it cannot be kept this time, it is worked out again next time.
            with contextlib.suppress(StoreError):
                self.store.write_summaries({"summaries": table})
        return Board(_sorted(rows), today, not vendors and not self.store.has_vendors())
