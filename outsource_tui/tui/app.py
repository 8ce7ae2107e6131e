"""The full-screen app: screens, bindings, the command palette, and the services handed in.

Screens ask to go somewhere by posting a message from ``navigation``; the handlers here are
the one place that knows which screen shows what, so screens never import each other.
"""

from __future__ import annotations

import functools
import gc
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from time import monotonic, perf_counter
from typing import TYPE_CHECKING, TypeVar, cast

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from outsource_tui.errors import UserError
from outsource_tui.services import Services
from outsource_tui.tui import navigation as nav
from outsource_tui.tui.commands import VendorCommands
from outsource_tui.tui.screens.base import show_error
from outsource_tui.tui.screens.dashboard import DashboardScreen

Handler = TypeVar("Handler", bound=Callable[..., None])


def from_the_top_screen(handler: Handler) -> Handler:
    """Act on a screen's request only if it was made after the screen now on top came up:
    a key pressed twice before the first press's screen is up (a a, s s) opens it once."""

    @functools.wraps(handler)
    def checked(app: OutsourceApp, message: Message) -> None:
        if message.time < app.screen_shown_at:
            return  # asked of the screen below, before this one covered it
        below = app.screen
        handler(app, message)
        if app.screen is not below:
            # The clock messages are stamped with (monotonic on all but Windows).
            app.screen_shown_at = perf_counter() if sys.platform == "win32" else monotonic()

    return cast(Handler, checked)


if TYPE_CHECKING:
    from outsource_tui.domain.library import Library
    from outsource_tui.domain.playbook import Playbook
    from outsource_tui.domain.settings import Settings
    from outsource_tui.store import Store

# Every screen but the dashboard names this file in its CSS_PATH.
SCREEN_STYLES = (Path(__file__).parent / "screens" / "screens.tcss").resolve()


class OutsourceApp(App[int]):
    """outsource-tui: vendors, playbooks, checklists."""

    CSS_PATH = "app.tcss"
    TITLE = "outsource-tui"
    COMMANDS = App.COMMANDS | {VendorCommands}
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", id="quit", tooltip="Save and leave the app", priority=True
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="help",
            tooltip="What this screen is for, and its keys",
            show=False,
        ),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.fatal_message: str | None = None
        self._unsaved_warned = False
        # When a screen asked for last came up: what was asked before then was asked of the
        # screen below it (see from_the_top_screen).
        self.screen_shown_at = 0.0

    # Shorthands for the services' parts.
    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def library(self) -> Library:
        return self.services.library

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen()

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if not gc.isenabled():
            # Started with collection off (see cli.cmd_app): what start-up made lives as long
            # as the app, so keep it out of every later collection, then collect as usual.
            gc.freeze()
            gc.enable()
        # The first frame parses only the dashboard's styles (app.tcss). Read the other
        # screens' now, while the dashboard loads: left to Textual, opening the first of them
        # would parse every style sheet again and restyle the whole app.
        if not self.stylesheet.has_source(str(SCREEN_STYLES)):
            self.stylesheet.read(SCREEN_STYLES)
            self.stylesheet.parse()
        if self.settings.keys:
            from outsource_tui.tui.keys import unknown_binding_ids

            unknown = unknown_binding_ids(self.settings.keys)
            if unknown:
                self.notify(
                    f"settings.toml [keys]: no key binding called {', '.join(unknown)}",
                    severity="warning",
                    markup=False,
                    timeout=15,
                )

    # -- where screens ask to go -----------------------------------------------------------

    def _playbook(self, playbook_id: str) -> Playbook | None:
        playbook = self.library.get(playbook_id)
        if playbook is None:
            show_error(self.screen, f"no playbook '{playbook_id}' is loaded")
        return playbook

    @on(nav.OpenVendor)
    @from_the_top_screen
    def _open_vendor(self, message: nav.OpenVendor) -> None:
        from outsource_tui.tui.screens.vendor import VendorScreen

        self.push_screen(VendorScreen(message.vendor_id))

    @on(nav.OpenPlaybook)
    @from_the_top_screen
    def _open_playbook(self, message: nav.OpenPlaybook) -> None:
        from outsource_tui.domain.playbook import Cadence

        playbook = self._playbook(message.playbook_id)
        if playbook is None:
            return
        if playbook.cadence is Cadence.ONCE or message.period:
            self._open_run(message, playbook, message.period or "")
            return
        from outsource_tui.tui.screens.period import PeriodScreen

        runs = self.services.runs()
        try:
            default = runs.period_for(message.vendor_id, playbook, None)
        except UserError as exc:
            show_error(self.screen, exc)
            return

        def picked(period: str | None) -> None:
            if period:
                self._open_run(message, playbook, period)

        def is_future(period: str) -> str | None:
            return runs.future_period(playbook, period)

        self.push_screen(PeriodScreen(playbook.title, default, playbook.cadence, is_future), picked)

    def _open_run(self, message: nav.OpenPlaybook, playbook: Playbook, period: str) -> None:
        from outsource_tui.services.runs import AlreadyInProgress, Opening
        from outsource_tui.tui.screens.runner import RunnerScreen
        from outsource_tui.tui.screens.summary import SummaryScreen

        try:
            opened = self.services.runs().open(
                message.vendor_id, playbook, period, fresh=message.fresh
            )
        except AlreadyInProgress:
            self.notify("Already in progress: press enter to resume it.")
            return
        except UserError as exc:
            show_error(self.screen, exc)
            return
        if opened.opening is Opening.FINISHED:
            screen: SummaryScreen | RunnerScreen = SummaryScreen(
                message.vendor_id, playbook, opened.run.id
            )
        else:
            screen = RunnerScreen(message.vendor_id, playbook, opened.run.id)
        if message.replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @on(nav.EditRun)
    @from_the_top_screen
    def _edit_run(self, message: nav.EditRun) -> None:
        from outsource_tui.tui.screens.runner import RunnerScreen

        playbook = self._playbook(message.playbook_id)
        if playbook is not None:
            self.push_screen(RunnerScreen(message.vendor_id, playbook, message.run_id))

    @on(nav.RunFinished)
    @from_the_top_screen
    def _run_finished(self, message: nav.RunFinished) -> None:
        from outsource_tui.tui.screens.summary import SummaryScreen

        playbook = self._playbook(message.playbook_id)
        if playbook is None:
            return
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, SummaryScreen) and below.run_id == message.run_id:
            self.pop_screen()  # reopened from its summary: back to it, now up to date
        else:
            self.switch_screen(SummaryScreen(message.vendor_id, playbook, message.run_id))
        self._offer_next_status(message.vendor_id, playbook)

    def _offer_next_status(self, vendor_id: str, playbook: Playbook) -> None:
        """Finishing onboarding is when a vendor usually goes live: offer it, never force it."""
        from outsource_tui.services.runs import next_status_after
        from outsource_tui.tui.screens.confirm import ConfirmScreen

        try:
            vendor = self.store.get_vendor(vendor_id)
        except UserError:
            return
        status = next_status_after(playbook, vendor)
        if status is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.set_status(vendor_id, status)
            except UserError as exc:
                show_error(self.screen, exc)
                return
            self.notify(f"{vendor.name} is now {status}.", markup=False)

        self.push_screen(
            ConfirmScreen(
                f"Onboarding of {vendor.name} is complete. Make it {status}? Its quarterly "
                "reviews are then scheduled and shown on the dashboard.",
                f"Make it {status}",
            ),
            answered,
        )

    @on(nav.OpenScorecard)
    @from_the_top_screen
    def _open_scorecard(self, message: nav.OpenScorecard) -> None:
        from outsource_tui.tui.screens.scorecard import ScorecardScreen

        self.push_screen(ScorecardScreen(message.vendor_id))

    @on(nav.OpenComparison)
    @from_the_top_screen
    def _open_comparison(self, message: nav.OpenComparison) -> None:
        from outsource_tui.tui.screens.compare import CompareScreen

        self.push_screen(CompareScreen())

    @on(nav.OpenDueList)
    @from_the_top_screen
    def _open_due_list(self, message: nav.OpenDueList) -> None:
        from outsource_tui.tui.screens.due import DueScreen

        self.push_screen(DueScreen())

    @on(nav.OpenSpend)
    @from_the_top_screen
    def _open_spend(self, message: nav.OpenSpend) -> None:
        from outsource_tui.tui.screens.spend import SpendScreen

        self.push_screen(SpendScreen())

    @on(nav.EditVendor)
    @from_the_top_screen
    def _edit_vendor(self, message: nav.EditVendor) -> None:
        from outsource_tui.tui.screens.vendor_form import VendorFormScreen

        vendor = None
        if message.vendor_id is not None:
            try:
                vendor = self.store.get_vendor(message.vendor_id)
            except UserError as exc:
                show_error(self.screen, exc)
                return
        self.push_screen(VendorFormScreen(vendor), message.done)

    @on(nav.EditContract)
    @from_the_top_screen
    def _edit_contract(self, message: nav.EditContract) -> None:
        from outsource_tui.tui.screens.contract_form import ContractFormScreen

        try:
            vendor = self.store.get_vendor(message.vendor_id)
        except UserError as exc:
            show_error(self.screen, exc)
            return
        self.push_screen(ContractFormScreen(vendor))

    @on(nav.Confirm)
    @from_the_top_screen
    def _confirm(self, message: nav.Confirm) -> None:
        from outsource_tui.tui.screens.confirm import ConfirmScreen

        screen = ConfirmScreen(
            message.question, message.yes, message.no, safe_default=message.safe_default
        )
        self.push_screen(screen, message.done)

    @on(nav.ExportReport)
    @from_the_top_screen
    def _export_report(self, message: nav.ExportReport) -> None:
        try:
            stem = self.services.export_report(message.vendor_id, message.period)
        except UserError as exc:
            show_error(self.screen, exc, prefix="Not exported: ")
            return
        self.notify(f"Report written to {stem}.md and .html", markup=False, timeout=15)

    @on(nav.ExportPack)
    @from_the_top_screen
    def _export_pack(self, message: nav.ExportPack) -> None:
        from outsource_tui.services import pack
        from outsource_tui.tui.screens.period import PeriodScreen

        try:
            vendor = self.store.get_vendor(message.vendor_id)
            playbook = pack.review_playbook(self.services)
            default = self.services.runs().period_for(vendor.id, playbook, None)
        except UserError as exc:
            show_error(self.screen, exc, prefix="Not exported: ")
            return

        def picked(period: str | None) -> None:
            if not period:
                return
            try:
                exported = pack.export_pack(self.services, vendor.id, period)
            except UserError as exc:
                show_error(self.screen, exc, prefix="Not exported: ")
                return
            self.notify(
                f"Review pack for {period} written to {exported.path}: send it to "
                f"{vendor.name}, and read their copy back from the review's KPI step.",
                markup=False,
                timeout=20,
            )

        title = f"Review pack for {vendor.name}"
        screen = PeriodScreen(title, default, playbook.cadence, doing="write the pack")
        self.push_screen(screen, picked)

    @on(nav.ImportPack)
    @from_the_top_screen
    def _import_pack(self, message: nav.ImportPack) -> None:
        from outsource_tui.services.pack import default_pack_path
        from outsource_tui.tui.screens.pack import PackImportScreen

        path = default_pack_path(self.store, message.vendor_id, message.period)
        screen = PackImportScreen(message.vendor_id, message.period, str(path))
        self.push_screen(screen, message.done)

    def action_help(self) -> None:
        from outsource_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- leaving ---------------------------------------------------------------------------

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
