"""The footer every screen shows: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

QUIT_ACTIONS = ("quit", "app.quit")


class KeyFooter(Footer):
    """Textual's footer rebuilds all its keys whenever focus moves, even when the same keys
    stay on offer; on a playbook step that rebuild (a dozen widgets mounted and styled) was
    most of what a tab cost. This one rebuilds only when what it would show differs.

    The quit key comes first, so a narrow terminal never cuts it off.
    """

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [k for k in keys if isinstance(k, FooterKey) and k.action in QUIT_ACTIONS]
        yield from first
        yield from (k for k in keys if k not in first)

    _shown: tuple[object, ...] | None = None

    def _keys(self, screen: Screen[object]) -> tuple[object, ...]:
        return (
            self.show_command_palette,
            tuple(
                (binding.key, binding.description, binding.action, enabled, tooltip)
                for _, binding, enabled, tooltip in screen.active_bindings.values()
                if binding.show
            ),
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        keys = self._keys(screen)
        if keys == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = keys  # the rebuild is on its way
