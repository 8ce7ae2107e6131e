"""What every screen of the app shares: typed access to the services, and one way to tell of
an error."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import App
from textual.screen import ModalScreen, Screen

from outsource_tui.errors import UserError
from outsource_tui.services import Services

ResultType = TypeVar("ResultType")

ERROR_SECONDS = 15


def services_of(app: App[object]) -> Services:
    """The services the app was started with."""
    services = getattr(app, "services", None)
    if not isinstance(services, Services):
        raise TypeError("the app was started without its services")
    return services


def show_error(screen: Screen[Any], error: UserError | str, *, prefix: str = "") -> None:
    """An error the user must see, long enough to read; user text is never markup."""
    screen.notify(f"{prefix}{error}", severity="error", markup=False, timeout=ERROR_SECONDS)


class AppScreen(Screen[ResultType]):
    """A screen of outsource-tui: it reads and writes through ``self.services`` only."""

    @property
    def services(self) -> Services:
        return services_of(self.app)

    def show_error(self, error: UserError | str, *, prefix: str = "") -> None:
        show_error(self, error, prefix=prefix)


class AppModalScreen(ModalScreen[ResultType]):
    """A dialog of outsource-tui over another screen, with the same access as a screen."""

    @property
    def services(self) -> Services:
        return services_of(self.app)

    def show_error(self, error: UserError | str, *, prefix: str = "") -> None:
        show_error(self, error, prefix=prefix)
