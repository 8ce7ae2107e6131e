"""What both front ends call: runs, the portfolio read model, the due list, the clock.

Nothing here imports Textual. Heavier modules (scoring, reports) are imported on first use,
so the app's first frame does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from outsource_tui.domain.library import Library
from outsource_tui.domain.settings import Settings
from outsource_tui.services.clock import Clock
from outsource_tui.store import Store

if TYPE_CHECKING:
    from datetime import date

    from outsource_tui.services.portfolio import Portfolio
    from outsource_tui.services.runs import RunService

__all__ = ["Clock", "Services"]

DEMO_VENDORS = 12
DEMO_YEARS = 2
DEMO_SEED = 7


class Services:
    """One store, its playbooks, its settings and the clock, with what is built on them."""

    def __init__(
        self,
        store: Store,
        library: Library | Callable[[], Library],
        settings: Settings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        # Parsing the playbooks can wait until after the first frame: pass a loader.
        self._library = library if isinstance(library, Library) else None
        self._load_library = None if isinstance(library, Library) else library
        self.settings = settings or Settings()
        self.clock = clock or Clock()

    @property
    def library(self) -> Library:
        """The playbooks, parsed on first use."""
        if self._library is None:
            assert self._load_library is not None
            self._library = self._load_library()
        return self._library

    def today(self) -> date:
        return self.clock.today()

    def portfolio(self) -> Portfolio:
        """A read of the portfolio as of today: short-lived, each vendor's runs read once."""
        from outsource_tui.services.portfolio import Portfolio

        return Portfolio(self.store, self.library, self.settings, self.today())

    def runs(self, portfolio: Portfolio | None = None) -> RunService:
        """Opening, saving and completing runs (over ``portfolio``, or a fresh read)."""
        from outsource_tui.services.runs import RunService

        return RunService(self.store, portfolio or self.portfolio())

    def export_report(self, vendor_id: str, period: str | None) -> Path:
        """Write a vendor's report as Markdown and HTML; returns the path without suffix."""
        from outsource_tui.reports import write_vendor_report

        return write_vendor_report(self.portfolio(), vendor_id, period)

    def load_demo(self) -> int:
        """Fill an empty store with the sample portfolio; returns how many vendors."""
        from outsource_tui.services.demo import write_demo

        return write_demo(
            self.store,
            self.library,
            vendors=DEMO_VENDORS,
            years=DEMO_YEARS,
            seed=DEMO_SEED,
            today=self.today(),
        )
