"""The app's key bindings, as ``settings.toml``'s ``[keys]`` table sees them."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import outsource_tui.tui
from outsource_tui.tui.keys import app_bindings, unknown_binding_ids


def own_nodes_with_bindings() -> list[type[DOMNode]]:
    """Every screen, widget or app class of the package that declares BINDINGS itself."""
    for module in pkgutil.walk_packages(outsource_tui.tui.__path__, "outsource_tui.tui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    todo: list[type] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if (
            cls.__module__.startswith("outsource_tui.")
            and "BINDINGS" in cls.__dict__
            and cls not in found
        ):
            found.append(cls)
    return found


def test_there_are_bindings_to_check() -> None:
    nodes = {node.__name__ for node, _ in app_bindings()}
    # A few that a user meets first: the check below would pass on an empty list.
    assert {"OutsourceApp", "DashboardScreen", "VendorScreen", "RunnerScreen"} <= nodes
    ids = {b.id for _, b in app_bindings()}
    assert {"quit", "add-vendor", "new-run", "next-step"} <= ids


@pytest.mark.parametrize(
    ("node", "binding"),
    app_bindings(),
    ids=lambda v: v.__name__ if isinstance(v, type) else getattr(v, "key", str(v)),
)
def test_every_binding_has_an_id_and_a_tooltip(node: type[DOMNode], binding: Binding) -> None:
    assert binding.id and binding.id.strip(), f"{node.__name__} {binding.key!r} has no id"
    assert binding.tooltip and binding.tooltip.strip(), (
        f"{node.__name__} {binding.key!r} ({binding.id}) has no tooltip"
    )


def test_binding_ids_are_unique_within_each_screen() -> None:
    per_node: dict[type[DOMNode], Counter[str]] = {}
    for node, binding in app_bindings():
        per_node.setdefault(node, Counter())[binding.id or ""] += 1
    repeated = {
        node.__name__: [i for i, n in counts.items() if n > 1] for node, counts in per_node.items()
    }
    assert {name: ids for name, ids in repeated.items() if ids} == {}


def test_every_bindings_entry_is_a_binding_with_an_id() -> None:
    # app_bindings() keeps only Binding objects: a (key, action) tuple would escape every check.
    for node in {node for node, _ in app_bindings()}:
        for entry in node.BINDINGS:
            assert isinstance(entry, Binding), f"{node.__name__}: {entry!r} is not a Binding"


def test_every_class_of_the_app_that_declares_bindings_is_covered() -> None:
    covered = {node for node, _ in app_bindings()}
    missing = sorted(n.__qualname__ for n in own_nodes_with_bindings() if n not in covered)
    assert missing == [], f"bindings not known to [keys] (nor checked here): {missing}"


def test_unknown_binding_ids_flags_an_unknown_id_only() -> None:
    assert unknown_binding_ids({"add-vendor": "n", "quit": "ctrl+x"}) == []
    assert unknown_binding_ids({"add-vendor": "n", "no-such-binding": "x"}) == ["no-such-binding"]
    assert unknown_binding_ids({"zeta": "z", "Add-Vendor": "n", "alpha": "a"}) == [
        "Add-Vendor",  # ids are matched exactly
        "alpha",
        "zeta",
    ]
    assert unknown_binding_ids({}) == []


def test_an_id_of_an_app_widget_is_not_flagged_as_unknown() -> None:
    # The dashboard's vendor table declares "open-vendor"; Textual's keymap remaps it.
    from outsource_tui.tui.widgets.vendor_table import VendorTable

    assert "open-vendor" in {b.id for b in VendorTable.BINDINGS if isinstance(b, Binding)}
    assert unknown_binding_ids({"open-vendor": "o"}) == []
