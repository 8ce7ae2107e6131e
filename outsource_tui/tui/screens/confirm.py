"""A yes-or-no question over the screen below, answered with enter or escape."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Returns True when the user says yes; the yes button has focus unless saying yes
    would lose something."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(False)",
            "No",
            id="confirm-no",
            tooltip="Leave things as they are",
        )
    ]

    def __init__(
        self, question: str, yes: str, no: str = "Not now", *, safe_default: bool = False
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        # Where saying yes loses something, enter alone must not do it: "no" has focus.
        self.safe_default = safe_default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.question))
            with Horizontal(id="dialog-buttons"):
                yield Button(Content(self.no), id="no")
                yield Button(Content(self.yes), id="yes", variant="success")

    def on_mount(self) -> None:
        self.query_one("#no" if self.safe_default else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
