"""The form to add a vendor; refuses bad fields in place and keeps what was typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from outsource_tui.domain.vendor import (
    FieldError,
    Vendor,
    VendorDraft,
    VendorStatus,
    draft_problems,
)
from outsource_tui.errors import UserError
from outsource_tui.tui.screens.base import AppModalScreen
from outsource_tui.tui.widgets.footer import KeyFooter
from outsource_tui.tui.widgets.zone_input import ZoneInput

FIELDS = (
    ("name", "Name", "e.g. Northwind Support Ltd"),
    ("service", "What is outsourced", "e.g. first-line customer support"),
    ("timezone", "Time zone (IANA)", "e.g. Asia/Manila — type to get suggestions"),
    ("contract_start", "Contract start", "YYYY-MM-DD"),
    ("contract_end", "Contract end", "YYYY-MM-DD"),
    ("contact", "Primary contact", "name, e-mail or phone"),
)


class VendorFormScreen(AppModalScreen[str | None]):
    """Adds a vendor, or edits one when given; returns its id, or ``None`` when cancelled."""

    CSS_PATH = "screens.tcss"

    def __init__(self, vendor: Vendor | None = None) -> None:
        super().__init__()
        self.vendor = vendor
        # The facts as the form shows them: saving writes only what was changed here.
        self._shown = None if vendor is None else vendor.draft()

    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", id="save-vendor", tooltip="Save the vendor and close the form"
        ),
        Binding("escape", "cancel", "Cancel", id="cancel-vendor", tooltip="Close without saving"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            heading = "Add a vendor" if self.vendor is None else "Edit the vendor"
            yield Static(heading, classes="label")
            for name, label, placeholder in FIELDS[:2]:
                yield from self._field(name, label, placeholder)
            yield Static("Status", classes="label")
            yield Select(
                [(Content(s.value), s.value) for s in VendorStatus],
                value=self.vendor.status if self.vendor else VendorStatus.ACTIVE.value,
                allow_blank=False,
                id="status",
                compact=True,
            )
            yield Static("", id="status-error", classes="field-error")
            for name, label, placeholder in FIELDS[2:]:
                yield from self._field(name, label, placeholder)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield KeyFooter()

    def _field(self, name: str, label: str, placeholder: str) -> ComposeResult:
        yield Static(label + (" (required)" if name == "name" else ""), classes="label")
        value = str(getattr(self.vendor, name, "")) if self.vendor else ""
        # Focus puts the cursor at the end rather than selecting the value: typing adds to it.
        # A time zone is suggested from any part of its name (right arrow takes it).
        field = ZoneInput if name == "timezone" else Input
        yield field(value, placeholder=placeholder, id=name, compact=True, select_on_focus=False)
        yield Static("", id=f"{name}-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _show_error(self, field: str, message: str | None) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(Content(message or ""))
        error.set_class(message is not None, "-shown")

    def _clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.remove_class("-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._show_error(event.input.id, None)

    def on_select_changed(self, event: Select.Changed) -> None:
        # Picking a status with enter moves on, like enter in the text fields. The pick is
        # made in the dropdown's list, which gives focus back to the field once it closes.
        if event.select.has_focus or event.select.has_focus_within:
            self.call_after_refresh(self._moved_on, event.select)

    def _moved_on(self, select: Select[str]) -> None:
        if select.has_focus:
            self.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves on to the next field; on the last one it saves.
        if event.input.id == FIELDS[-1][0]:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self._clear_errors()
        status = self.query_one("#status", Select).value
        draft = VendorDraft(
            name=self._value("name"),
            service=self._value("service"),
            status=str(status),
            timezone=self._value("timezone"),
            contract_start=self._value("contract_start"),
            contract_end=self._value("contract_end"),
            contact=self._value("contact"),
        )
        store = self.services.store
        try:
            if self.vendor is None:
                vendor = store.add_vendor(draft)
            else:
                vendor = store.edit_vendor(self.vendor.id, draft, shown=self._shown)
        except FieldError as exc:
            # Every field that is refused says why at once, and the first of them is focused.
            problems = draft_problems(draft) or [exc]
            for problem in problems:
                self._show_error(problem.field, str(problem))
            self.query_one(f"#{problems[0].field}").focus()
            return
        except UserError as exc:
            self._show_error("name", f"not saved: {exc}")
            return
        verb = "Added" if self.vendor is None else "Saved"
        self.notify(f"{verb} {vendor.name}", markup=False)
        self.dismiss(vendor.id)
