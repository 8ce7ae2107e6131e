"""What both front ends call: runs, the portfolio read model, the due list, the clock.

Nothing here imports Textual. Heavier modules (scoring, reports) are imported on first use,
so the app's first frame does not wait for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from outsource_tui.domain.settings import Settings
from outsource_tui.services.clock import Clock
from outsource_tui.store import Store

if TYPE_CHECKING:
    from datetime import date

    from outsource_tui.domain.library import Library
    from outsource_tui.services.board import Board
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
        playbook_dirs: Sequence[Path] | None = None,
    ) -> None:
        """``playbook_dirs``: the user's playbook directories the loader reads (the bundled
        ones are always read); given, a change to the playbooks is noticed from the files'
        sizes and times without parsing them."""
        self.store = store
        self._playbook_dirs = None if playbook_dirs is None else list(playbook_dirs)
        self._library_basis: str | None = None
        # Parsing the playbooks can wait until after the first frame: pass a loader.
        # Not isinstance(Library): importing it would bring the playbook parser in.
        self._library = None if callable(library) else library
        self._load_library = library if callable(library) else None
        self.settings = settings or Settings()
        self.clock = clock or Clock()

    @property
    def library(self) -> Library:
        """The playbooks, parsed on first use."""
        if self._library is None:
            assert self._load_library is not None
            if self._playbook_dirs is not None:
                # Noted before parsing: a file changed meanwhile then reads as a change.
                self._library_basis = self.summary_basis()
            self._library = self._load_library()
        return self._library

    def library_basis(self) -> str:
        """``summary_basis`` as it was when the playbooks in use were read: what a summary
        worked out with them depends on, even once the files have changed since."""
        if self._playbook_dirs is not None and self._load_library is not None:
            self.library  # noqa: B018 - read now if not yet, noting the basis
            if self._library_basis is not None:
                return self._library_basis
        return self.summary_basis()  # worked out from the loaded playbooks themselves

    def today(self) -> date:
        return self.clock.today()

    def summary_basis(self) -> str:
        """A digest of what every vendor's summary depends on besides its own records: this
        version of the app, the playbooks in use and the score thresholds."""
        from outsource_tui import __version__
        from outsource_tui.domain.summary import SUMMARY_VERSION

        parts: list[object] = [SUMMARY_VERSION, __version__, repr(self.settings.thresholds)]
        if self._playbook_dirs is not None:
            from outsource_tui.domain.playbook_files import bundled_playbook_dir, playbook_files

            for directory in [bundled_playbook_dir(), *self._playbook_dirs]:
                for path in playbook_files(Path(directory)):
                    try:
                        info = path.stat()
                    except OSError:
                        continue
                    parts.append((str(path), info.st_mtime_ns, info.st_size))
        else:
            parts += [(p.id, p.digest) for p in self.library]
            parts += [str(problem) for problem in self.library.skipped]
        return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()

    def board(self) -> Board:
        """The dashboard's rows from the kept summaries, with no run file read: a vendor whose
        summary is stale or missing is marked pending (see ``refresh_board``)."""
        from outsource_tui.services.board import Summaries

        return Summaries(self).board()

    def refresh_board(self) -> Board:
        """The dashboard's rows, every summary checked and the stale ones worked out again."""
        from outsource_tui.services.board import Summaries

        return Summaries(self).refresh()

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
