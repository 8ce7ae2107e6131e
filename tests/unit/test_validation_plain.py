"""The plain mode validates as the app does: yes/no left blank stays blank, whole numbers,
exclusive options, time zones and times of day are refused inside the prompt, with the reason.
Keys go through a prompt_toolkit pipe."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.prompts import run_plain
from outsource_tui.store import Store

from .plain_harness import Screen, send_once_shown

DOWN, SPACE, ENTER, CTRL_C, BACKSPACE = "\x1b[B", " ", "\r", "\x03", "\x7f"
VENDOR_ID = "acme-support"

CHECKS = """# Checks

```playbook
id = "checks"
summary = "One question of each kind that is checked."
cadence = "once"
```

## Team

```questions
[[question]]
id = "ready"
type = "yes-no"
prompt = "Is your team ready?"
required = true

[[question]]
id = "signed"
type = "yes-no"
prompt = "Contract signed?"

[[question]]
id = "people"
type = "number"
prompt = "People on the team"
min = 0
integer = true

[[question]]
id = "training"
type = "multi-choice"
prompt = "Training needed"
options = ["Tools", "Processes", "None"]
exclusive = ["None"]

[[question]]
id = "zone"
type = "timezone"
prompt = "Partner's time zone"

[[question]]
id = "starts"
type = "text"
role = "their-hours-start"
prompt = "Their day starts at"
```
"""

ROWS = """# Rows

```playbook
id = "rows"
summary = "A table with a required yes/no column."
cadence = "once"
```

## Checks

```questions
[[question]]
id = "checks"
type = "table"
prompt = "Checks done"

[[question.column]]
id = "what"
type = "text"
label = "What"
required = true

[[question.column]]
id = "passed"
type = "yes-no"
label = "Passed"
required = true
```
"""

# The keys that answer each question in turn, up to the one a test is about.
TO_PEOPLE = "y" + "y"
TO_TRAINING = TO_PEOPLE + "3" + ENTER
TO_ZONE = TO_TRAINING + ENTER  # no training picked
TO_STARTS = TO_ZONE + "Asia/Manila" + ENTER


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "checks.md").write_text(CHECKS, encoding="utf-8")
    (folder / "rows.md").write_text(ROWS, encoding="utf-8")
    loaded = load_library([folder])
    assert not loaded.skipped
    return loaded


@pytest.fixture
def store(data_dir: Path) -> Store:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme Support"))
    return store


def walk(
    store: Store,
    library: Library,
    pipe: PipeInput,
    text: str,
    then: Sequence[tuple[str, str]] = (),
    playbook: str = "checks",
) -> tuple[int, str]:
    pipe.send_text(text)
    screen = Screen()
    if then:
        send_once_shown(pipe, screen, then)
    code = run_plain(store, library, "acme support", playbook, input=pipe, output=screen)
    return code, screen.text


def answers(store: Store, playbook: str = "checks") -> dict:
    run = store.latest_run(VENDOR_ID, playbook)
    assert run is not None
    return dict(run.answers)


# -- yes/no -------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_enter_at_a_required_yes_no_stores_nothing_and_says_it_is_required(
    store, library, keys
) -> None:
    code, text = walk(store, library, keys, ENTER + ENTER + CTRL_C)

    assert code == 130
    assert "Left blank: Is your team ready? is required before you can finish." in text
    assert "ready" not in answers(store)  # not "No"
    assert "signed" not in answers(store)  # optional, nothing stored: blank too


@pytest.mark.timeout(60)
def test_enter_at_a_yes_no_keeps_the_stored_answer(store, library, keys) -> None:
    walk(store, library, keys, "y" + "n" + CTRL_C)
    assert (answers(store)["ready"], answers(store)["signed"]) == (True, False)

    code, text = walk(store, library, keys, ENTER + ENTER + CTRL_C)

    assert code == 130
    assert "(y/n, enter keeps Yes)" in text and "(y/n, enter keeps No)" in text
    assert (answers(store)["ready"], answers(store)["signed"]) == (True, False)


@pytest.mark.timeout(60)
def test_a_yes_no_left_blank_keeps_the_run_open(store, library, keys) -> None:
    code, text = walk(store, library, keys, ENTER + ENTER + ENTER + ENTER + ENTER + ENTER)

    assert code == 1
    assert "required questions are still blank: Is your team ready? (step 1)" in text


@pytest.mark.timeout(60)
def test_enter_at_a_required_yes_no_cell_asks_again(store, library, keys) -> None:
    again = "This one is required: answer y or n."
    code, text = walk(
        store,
        library,
        keys,
        "y" + "Backups restored" + ENTER + ENTER,  # a row; enter at "Passed"
        [(again, "y" + "n")],  # yes, then no more rows
        playbook="rows",
    )

    assert code == 0, text
    assert again in text
    assert answers(store, "rows")["checks"] == [{"what": "Backups restored", "passed": True}]


# -- whole numbers and numbers as typed ---------------------------------------------------


@pytest.mark.timeout(60)
def test_a_fraction_of_a_person_is_refused_in_the_prompt(store, library, keys) -> None:
    whole = "must be a whole number, such as 2"
    code, text = walk(
        store,
        library,
        keys,
        TO_PEOPLE + "1.5" + ENTER,
        [(whole, CTRL_C)],
    )

    assert code == 130
    assert whole in text
    assert "people" not in answers(store)

    code, text = walk(
        store,
        library,
        keys,
        ENTER + ENTER + "1,5" + ENTER,  # the yes/no answers kept
        [
            (
                "'1,5' is ambiguous: decimals take a dot (3.5), thousands a comma (1,200)",
                BACKSPACE * 3 + "1,200" + ENTER + CTRL_C,
            )
        ],
    )

    assert code == 130
    assert answers(store)["people"] == 1200


# -- exclusive options --------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_none_with_another_choice_is_refused_in_the_prompt(store, library, keys) -> None:
    combined = "'None' cannot be combined with other choices"
    code, text = walk(
        store,
        library,
        keys,
        TO_TRAINING + SPACE + DOWN + DOWN + SPACE + ENTER,  # Tools and None
        [(combined, SPACE + ENTER + CTRL_C)],  # None unpicked: Tools alone
    )

    assert code == 130
    assert combined in text
    assert answers(store)["training"] == ["Tools"]


# -- time zones and times of day ---------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_time_zone_is_checked_and_the_closest_zone_suggested(store, library, keys) -> None:
    offset = "'UTC+05:30' is a UTC offset, not a zone: type a name such as Europe/Lisbon"
    code, text = walk(store, library, keys, TO_ZONE + "UTC+05:30" + ENTER, [(offset, CTRL_C)])

    assert code == 130
    assert "(Region/City, such as Europe/Lisbon)" in text
    assert offset in text
    assert "zone" not in answers(store)

    # Each refusal in a walk of its own: the screen redraws only what changed.
    suggestion = "unknown time zone 'manila': did you mean Asia/Manila?"
    code, text = walk(
        store,
        library,
        keys,
        ENTER * 4 + "manila" + ENTER,  # yes/no, people and training kept as they are
        [(suggestion, BACKSPACE * 6 + "Asia/Manila" + ENTER + CTRL_C)],
    )

    assert code == 130
    assert suggestion in text
    assert answers(store)["zone"] == "Asia/Manila"


@pytest.mark.timeout(60)
def test_a_time_zone_where_a_time_of_day_is_asked_is_refused(store, library, keys) -> None:
    refused = "'Europe/Lisbon' is a time zone: type a time of day, such as 09:00 or 5pm"
    code, text = walk(
        store,
        library,
        keys,
        TO_STARTS + "Europe/Lisbon" + ENTER,
        [(refused, BACKSPACE * 13 + "8:30" + ENTER + CTRL_C)],
    )

    assert refused in text
    assert answers(store)["starts"] == "08:30"
