"""Contract terms for a vendor: renewal, notice period and window, and your lead time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from outsource_tui.domain.vendor import FieldError, Vendor, months_between
from outsource_tui.errors import UserError
from outsource_tui.tui.screens.base import AppModalScreen
from outsource_tui.tui.widgets.footer import KeyFooter

NUMBERS = (
    ("initial_months", "Initial term (months)", "12"),
    ("renewal_months", "Each renewal (months)", "12"),
    ("notice_days", "Notice period (days before the term ends)", "90"),
    ("window_earliest_days", "Notice no earlier than (days before the end, optional)", ""),
    ("window_latest_days", "Notice no later than (days before the end, optional)", ""),
    ("lead_days", "Your lead time to decide (days)", "30"),
)
RENEWALS = (
    ("Renews automatically", "automatic"),
    ("Renewal must be agreed", "manual"),
    ("No renewal", "none"),
)


class ContractFormScreen(AppModalScreen[bool]):
    """Returns True when terms were saved."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-terms", tooltip="Save the contract terms"),
        Binding(
            "escape",
            "dismiss(False)",
            "Cancel",
            id="cancel-terms",
            tooltip="Close without saving",
        ),
    ]

    def __init__(self, vendor: Vendor) -> None:
        super().__init__()
        self.vendor = vendor

    def compose(self) -> ComposeResult:
        terms = self.vendor.contract
        with VerticalScroll(id="form"):
            yield Static(Content(f"Contract terms: {self.vendor.name}"), classes="label")
            yield Static("Contract start", classes="label")
            yield Input(
                self.vendor.contract_start, placeholder="YYYY-MM-DD", id="start", compact=True
            )
            yield Static("Renewal", classes="label")
            yield Select(
                [(Content(label), value) for label, value in RENEWALS],
                value=str(terms.get("renewal") or "automatic"),
                allow_blank=False,
                id="renewal",
                compact=True,
            )
            # New terms start from the vendor's dates, so the two agree unless the user says
            # otherwise: the first term runs from the start to the end date.
            span = months_between(self.vendor.contract_start, self.vendor.contract_end)
            for key, label, default in NUMBERS:
                yield Static(label, classes="label")
                if key == "initial_months" and span is not None:
                    default = str(span)
                value = terms.get(key, default if not terms else None)
                yield Input(
                    "" if value is None else str(value), id=key, compact=True, type="integer"
                )
            yield Static("", id="terms-error", classes="field-error -shown")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield KeyFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def _refused(self, message: str) -> None:
        """Say why in its place, scrolled into sight: on a short terminal it is below the
        fields, and ctrl+s would seem to do nothing."""
        error = self.query_one("#terms-error", Static)
        error.update(Content(message))
        error.scroll_visible(animate=False)

    def action_save(self) -> None:
        terms: dict[str, object] = {"renewal": str(self.query_one("#renewal", Select).value)}
        for key, label, _ in NUMBERS:
            text = self.query_one(f"#{key}", Input).value.strip()
            try:
                terms[key] = int(text) if text else None
            except ValueError:
                self._refused(f"{label.split(' (')[0]}: type a whole number")
                self.query_one(f"#{key}", Input).focus()
                return
        start = self.query_one("#start", Input).value
        store = self.services.store
        try:
            # Only what was changed here is written: a term another instance changed since
            # this form opened keeps that instance's value.
            shown = (self.vendor.contract_start, dict(self.vendor.contract))
            store.set_contract(self.vendor.id, start, terms, shown=shown)
        except FieldError as exc:
            self._refused(str(exc))
            return
        except UserError as exc:
            self._refused(f"not saved: {exc}")
            return
        self.notify(f"Contract terms saved for {self.vendor.name}", markup=False)
        self.dismiss(True)
