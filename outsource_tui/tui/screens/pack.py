"""Read the partner's filled-in review pack into a review: which file, what it would change,
and a yes before anything is saved."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from outsource_tui.errors import UserError
from outsource_tui.services import pack
from outsource_tui.tui.screens.base import AppModalScreen


class PackImportScreen(AppModalScreen[bool]):
    """Returns True once the partner's values were saved into the review."""

    CSS_PATH = "screens.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(False)",
            "Cancel",
            id="cancel-pack",
            tooltip="Back to the review without saving anything",
        )
    ]

    def __init__(self, vendor_id: str, period: str, default_path: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.period = period
        self.default_path = default_path
        self.preview: pack.PackPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(f"The partner's review pack for {self.period}"))
            yield Static(
                "The .xlsx file they sent back: enter reads it and shows what it would change. "
                "Nothing is saved until you press Save.",
                classes="hint",
            )
            yield Input(self.default_path, id="pack-path")
            yield Static("", id="pack-error", classes="field-error")
            with VerticalScroll(id="pack-preview"):
                yield Static("", id="pack-changes")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="no")
                yield Button("Save theirs", id="yes", variant="success", disabled=True)

    def _show(self, error: str, changes: str = "") -> None:
        self.query_one("#pack-error", Static).update(Content(error))
        self.query_one("#pack-changes", Static).update(Content(changes))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.preview is not None:  # another file: read it first
            self.preview = None
            self.query_one("#yes", Button).disabled = True
            self._show("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        try:
            preview = pack.preview_pack(
                self.services, path, vendor_id=self.vendor_id, period=self.period
            )
        except pack.PackError as exc:
            self._show("\n".join(exc.problems))
            return
        except UserError as exc:
            self._show(str(exc))
            return
        if preview.nothing:
            self._show("", f"{preview.nothing}.")
            return
        self.preview = preview
        lines = [f"Into {preview.where}:", *preview.lines]
        self._show("", "\n".join(lines))
        save = self.query_one("#yes", Button)
        save.disabled = False
        save.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "yes":
            self.dismiss(False)
            return
        if self.preview is None:
            return
        try:
            saved = pack.save_pack(self.services, self.preview)
        except UserError as exc:
            self._show(f"Not saved: {exc}")
            return
        plural = "" if saved.changes == 1 else "s"
        self.notify(
            f"Saved {saved.changes} value{plural} reported by {self.preview.vendor.name}; "
            "your own answers are as they were.",
            markup=False,
        )
        self.dismiss(True)
