"""Which key bindings can be remapped from ``settings.toml``'s ``[keys]`` table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingType
from textual.dom import DOMNode


def _screens() -> list[type[DOMNode]]:
    # Imported here: only a settings file with [keys] needs every screen's bindings.
    from outsource_tui.tui.app import OutsourceApp
    from outsource_tui.tui.screens.compare import ChooseScreen, CompareScreen
    from outsource_tui.tui.screens.confirm import ConfirmScreen
    from outsource_tui.tui.screens.contract_form import ContractFormScreen
    from outsource_tui.tui.screens.dashboard import DashboardScreen
    from outsource_tui.tui.screens.due import DueScreen
    from outsource_tui.tui.screens.help import HelpScreen
    from outsource_tui.tui.screens.pack import PackImportScreen
    from outsource_tui.tui.screens.period import PeriodScreen
    from outsource_tui.tui.screens.runner import RunnerScreen
    from outsource_tui.tui.screens.scorecard import ScorecardScreen
    from outsource_tui.tui.screens.spend import SpendScreen
    from outsource_tui.tui.screens.summary import SummaryScreen
    from outsource_tui.tui.screens.vendor import VendorScreen
    from outsource_tui.tui.screens.vendor_form import VendorFormScreen
    from outsource_tui.tui.widgets.pick_list import PlaybookList
    from outsource_tui.tui.widgets.table_editor import RowsTable
    from outsource_tui.tui.widgets.vendor_table import VendorTable

    return [
        OutsourceApp,
        DashboardScreen,
        VendorScreen,
        RunnerScreen,
        SummaryScreen,
        ScorecardScreen,
        SpendScreen,
        CompareScreen,
        ChooseScreen,
        ConfirmScreen,
        DueScreen,
        HelpScreen,
        PeriodScreen,
        PackImportScreen,
        VendorFormScreen,
        ContractFormScreen,
        PlaybookList,
        RowsTable,
        VendorTable,
    ]


def app_bindings() -> list[tuple[type[DOMNode], Binding]]:
    """Every binding the app's own screens and widgets declare."""
    found = []
    for node in _screens():
        bindings: Iterable[BindingType] = node.BINDINGS
        found += [(node, b) for b in bindings if isinstance(b, Binding)]
    return found


def unknown_binding_ids(keymap: Mapping[str, str]) -> list[str]:
    """The ids in ``keymap`` that name no binding of the app."""
    known = {b.id for _, b in app_bindings() if b.id}
    return sorted(set(keymap) - known)
