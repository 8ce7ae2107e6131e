"""A playbook step's checklist: one box per item, on its first line, however it wraps."""

from __future__ import annotations

from textual.app import App, ComposeResult

from outsource_tui.tui.widgets.checklist import Checklist

from .conftest import screen_text

LONG = "Read the termination, exit and data clauses of the contract"


class OneList(App[None]):
    # As a playbook step shows its checklist: items wrap rather than being cut.
    CSS = "Checklist { text-wrap: wrap; text-overflow: fold; height: 10; }"

    def compose(self) -> ComposeResult:
        yield Checklist(
            (LONG, "clauses", True),
            ("Sent notice in the form the contract asks for", "notice", False),
            ("Agreed the exit plan", "plan", False),
            id="checklist",
        )


async def test_an_item_that_wraps_has_one_box_and_the_next_item_its_own() -> None:
    app = OneList()
    async with app.run_test(size=(34, 12)) as pilot:
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        boxed = [line for line in lines if "▐" in line]
        assert len(lines) > 3  # the long items wrap
        assert len(boxed) == 3
        assert boxed[0].split("▌", 1)[1].strip().startswith("Read the")
        assert boxed[1].split("▌", 1)[1].strip().startswith("Sent notice")
        assert boxed[2].split("▌", 1)[1].strip().startswith("Agreed")
        # Space ticks the highlighted item: the second, after one move down.
        checklist = app.query_one(Checklist)
        checklist.focus()
        await pilot.press("down", "space")
        assert set(checklist.selected) == {"clauses", "notice"}
