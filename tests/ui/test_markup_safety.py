"""User text that looks like markup is shown as typed, in every widget that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
from outsource_tui.tui.screens.runner import RunnerScreen
from outsource_tui.tui.screens.summary import SummaryScreen

from .conftest import notifications, open_playbook, screen_text, settle

NASTY = ["[/", "[bold]x", "[link=x]y[/link]", "\\", "🚚📦", "مرحبا بالعالم", "[@click=app.quit]z"]

PLAYBOOK = """# Odd [bold]title[/

```playbook
id = "odd"
summary = "Summary with [red]markup[/red] and [/ in it."
cadence = "once"
```

Intro with [link=x]a link[/link].

## Step [b]one[/b]

Guidance [i]text[/i] and [/.

- [ ] Tick [bold]this[/
- [ ] And [link=x]that[/link]

```questions
[[question]]
id = "pick"
type = "choice"
prompt = "Pick [bold]one[/"
help = "Help [i]text[/"
options = ["[red]A[/red]", "B [/"]

[[question]]
id = "rows"
type = "table"
prompt = "Rows [b]here[/"

[[question.column]]
id = "what"
type = "text"
label = "What [/"

[[question.column]]
id = "kind"
type = "choice"
label = "Kind"
options = ["[x]", "[/y]"]

[[question]]
id = "note"
type = "text"
prompt = "Note"
```
"""


@pytest.mark.parametrize("nasty", NASTY)
async def test_markup_like_text_renders_literally_everywhere(
    make_app, data_dir: Path, nasty: str
) -> None:
    own = data_dir / "playbooks"
    own.mkdir(parents=True)
    (own / "odd.md").write_text(PLAYBOOK, encoding="utf-8")
    name = f"Vendor {nasty}"
    Store(data_dir).add_vendor(VendorDraft(name=name, service=nasty, contact=nasty))
    app = make_app()
    async with app.run_test(size=(140, 60), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        assert name in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert name in text
        await open_playbook(pilot, "odd")
        assert isinstance(app.screen, RunnerScreen)
        text = screen_text(app)
        for shown in ("Step [b]one[/b]", "Tick [bold]this[/", "Pick [bold]one[/", "[red]A[/red]"):
            assert shown in text
        assert "Rows [b]here[/" in text and "What [/" in text
        note = app.screen.query_one("#q-note Input")
        note.focus()
        await pilot.press(*"ok")
        note.insert_text_at_cursor(nasty)  # keys cannot carry every character
        await pilot.pause()
        cell = app.screen.query_one("#cell-what")
        cell.focus()
        await pilot.pause()
        cell.insert_text_at_cursor(nasty)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert nasty.strip() in screen_text(app)  # in the rows table
        app.notify(nasty, markup=False)  # the app's own notifications take user text safely
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert f"ok{nasty}" in text
        assert nasty in notifications(app)
    run = Store(data_dir).latest_run(Store(data_dir).find_vendor(name).id, "odd")
    assert run.answers["note"] == f"ok{nasty}"
    assert run.answers["rows"] == [{"what": nasty.strip()}]
