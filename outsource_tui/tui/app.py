"""The full-screen app: screens, bindings and the store handed in."""

from __future__ import annotations

import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import today
from outsource_tui.domain.settings import Settings
from outsource_tui.errors import UserError
from outsource_tui.store import Store
from outsource_tui.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from outsource_tui.portfolio import Portfolio

# Every screen but the dashboard names this file in its CSS_PATH.
SCREEN_STYLES = (Path(__file__).parent / "screens" / "screens.tcss").resolve()


class OutsourceApp(App[int]):
    """outsource-tui: vendors, playbooks, checklists."""

    CSS_PATH = "app.tcss"
    TITLE = "outsource-tui"
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", id="quit", tooltip="Save and leave the app", priority=True
        ),
    ]

    def __init__(
        self,
        store: Store,
        library: Library | Callable[[], Library],
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        # Parsing the playbooks can wait until after the first frame: pass a loader.
        self._library = library if isinstance(library, Library) else None
        self._load_library = None if isinstance(library, Library) else library
        self.settings = settings or Settings()
        self.fatal_message: str | None = None
        self._unsaved_warned = False

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._read_screen_styles)

    def _read_screen_styles(self) -> None:
        # The first frame parses only the dashboard's styles (app.tcss). Read the other
        # screens' now, while the dashboard loads: left to Textual, opening the first of them
        # would parse every style sheet again and restyle the whole app.
        if not self.stylesheet.has_source(str(SCREEN_STYLES)):
            self.stylesheet.read(SCREEN_STYLES)
            self.stylesheet.parse()

    @property
    def library(self) -> Library:
        """The playbooks, parsed on first use."""
        if self._library is None:
            assert self._load_library is not None
            self._library = self._load_library()
        return self._library

    def portfolio(self) -> Portfolio:
        """Computed views over the store, as of today."""
        # Imported on first use (the dashboard's load, after the first frame): the scoring
        # behind it adds to the app's start-up otherwise.
        from outsource_tui.portfolio import Portfolio

        return Portfolio(self.store, self.library, self.settings)

    def export_report(self, vendor_id: str, period: str | None) -> None:
        """Write a vendor's report as Markdown and HTML into the data directory, and say where."""
        from outsource_tui.reports import write_vendor_report

        try:
            stem = write_vendor_report(
                self.store, self.library, self.portfolio(), vendor_id, period
            )
        except UserError as exc:
            self.notify(f"Not exported: {exc}", severity="error", markup=False, timeout=15)
            return
        self.notify(f"Report written to {stem}.md and .html", markup=False, timeout=15)

    def load_demo(self) -> int:
        """Fill an empty store with the sample portfolio; returns how many vendors."""
        from outsource_tui.demo import write_demo

        return write_demo(self.store, self.library, vendors=12, years=2, seed=7, today=today())

    async def action_quit(self) -> None:
        # A half-typed answer is saved before leaving, wherever the user is. If a save fails,
        # the first ctrl+q stays (the error is on screen); a second one leaves regardless.
        results = [s.flush_answers() for s in self.screen_stack if hasattr(s, "flush_answers")]
        saved = all(results)
        if saved:
            self.exit(0)
        elif not self._unsaved_warned:
            self._unsaved_warned = True
            self.notify(
                "Some answers could not be saved. Press ctrl+q again to quit without them.",
                severity="warning",
                timeout=20,
            )
        else:
            self.fatal_message = "quit with answers that could not be saved"
            self.exit(1)

    def _handle_exception(self, error: Exception) -> None:
        # The user sees one line after the app closes (cli.py prints it); details go to a file.
        if isinstance(error, UserError):
            self.fatal_message = str(error)
        else:
            log = Path(tempfile.gettempdir()) / "outsource-tui-crash.log"
            try:
                log.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
                where = f"details in {log}"
            except OSError:
                where = "no details could be written"
            self.fatal_message = f"internal error: {error.__class__.__name__}: {error} ({where})"
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.fatal_message is None:
            super()._print_error_renderables()
        else:
            self._exit_renderables.clear()
