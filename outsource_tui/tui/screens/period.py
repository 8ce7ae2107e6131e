"""Ask which review period a recurring playbook is for."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from outsource_tui.domain.periods import check_period
from outsource_tui.domain.playbook import Cadence
from outsource_tui.errors import ValidationError


class PeriodScreen(ModalScreen[str | None]):
    """Returns the period typed (checked), or ``None`` when cancelled."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="cancel-period",
            tooltip="Back without opening the review",
        )
    ]

    def __init__(
        self,
        title: str,
        default: str,
        cadence: Cadence,
        is_future: Callable[[str], str | None] = lambda period: None,
        doing: str = "start",
    ) -> None:
        super().__init__()
        self.doing = doing  # what enter does with the period, in the hint
        self.playbook_title = title
        self.default = default
        self.cadence = cadence
        # Given a period, the current one when the period has not begun yet.
        self.is_future = is_future
        self._confirmed = ""

    def compose(self) -> ComposeResult:
        example = "2026" if self.cadence is Cadence.ANNUAL else "2026-Q4"
        with Vertical(id="dialog"):
            yield Static(Content(f"{self.playbook_title}: which period does it cover?"))
            yield Static(
                Content(f"Write it like {example}; enter to {self.doing}, escape to cancel."),
                classes="hint",
            )
            yield Input(self.default, id="period")
            yield Static("", id="period-error", classes="field-error -shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            period = check_period(event.value, self.cadence)
        except ValidationError as exc:
            self.query_one("#period-error", Static).update(Content(str(exc)))
            return
        current = self.is_future(period)
        if current is not None and self._confirmed != period:
            self._confirmed = period  # a second enter on the same period starts it
            self.query_one("#period-error", Static).update(
                Content(
                    f"{period} has not begun yet (this is {current}): press enter again to "
                    "review it anyway, or change the period."
                )
            )
            return
        self.dismiss(period)
