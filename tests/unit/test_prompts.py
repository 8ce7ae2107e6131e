"""The plain mode: a playbook walked with line-by-line prompts, keys sent through a pipe."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.run import resume_index
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import UserError
from outsource_tui.prompts import run_plain
from outsource_tui.store import Store

from .plain_harness import Screen, send_once_shown

DOWN, SPACE, ENTER, CTRL_C = "\x1b[B", " ", "\r", "\x03"
FINISH_LINES = "\x1b\r"  # Esc then Enter ends a several-line answer
BACKSPACE = "\x7f"

MINI = """# Mini

```playbook
id = "mini"
summary = "Every kind of question once."
cadence = "once"
```

## Basics

Read **this** first.

- [ ] Read the contract
- [ ] Met the team

```questions
[[question]]
id = "name"
type = "text"
prompt = "Team name"
required = true

[[question]]
id = "notes"
type = "long-text"
prompt = "Notes"

[[question]]
id = "budget"
type = "number"
prompt = "Budget"
min = 0
max = 100
unit = "EUR"

[[question]]
id = "start"
type = "date"
prompt = "Start date"
```

## Choices

- [ ] Asked the partner

```questions
[[question]]
id = "colour"
type = "choice"
prompt = "Colour"
options = ["Red", "Green", "Blue"]

[[question]]
id = "tools"
type = "multi-choice"
prompt = "Tools"
options = ["Jira", "Slack", "Email"]

[[question]]
id = "signed"
type = "yes-no"
prompt = "Signed?"

[[question]]
id = "quality"
type = "rating"
prompt = "Quality"
```

## Follow-ups

```questions
[[question]]
id = "actions"
type = "table"
prompt = "Action items"
required = true

[[question.column]]
id = "action"
type = "text"
label = "Action"
required = true

[[question.column]]
id = "cost"
type = "number"
label = "Cost"
min = 0

[[question.column]]
id = "due"
type = "date"
label = "Due"

[[question.column]]
id = "status"
type = "choice"
label = "Status"
options = ["Open", "Done"]

[[question.column]]
id = "urgent"
type = "yes-no"
label = "Urgent"

[[question.column]]
id = "effort"
type = "rating"
label = "Effort"
```
"""

REVIEW = """# Review

```playbook
id = "review"
summary = "A quarterly look at the results."
cadence = "quarterly"
```

## Results

```questions
[[question]]
id = "results"
type = "table"
prompt = "KPI results"
feeds = "kpi-actuals"

[[question.column]]
id = "kpi"
type = "text"
label = "KPI"
required = true

[[question.column]]
id = "actual"
type = "number"
label = "Actual"

[[question]]
id = "verdict"
type = "text"
prompt = "Verdict"
required = true
```
"""

# Keys for each step of MINI, as a user would press them.
STEP_1 = (
    SPACE
    + DOWN
    + SPACE
    + ENTER  # tick both checklist items
    + "Acme team"
    + ENTER
    + "line one"
    + ENTER
    + "line two"
    + FINISH_LINES
    + "42"
    + ENTER
    + "2026-03-31"
    + ENTER
)
STEP_2 = (
    ENTER  # leave the checklist item unticked
    + DOWN * 2
    + ENTER  # "— no answer —", Red, Green
    + SPACE
    + DOWN * 2
    + SPACE
    + ENTER  # Jira and Email
    + "y"
    + DOWN * 4
    + ENTER  # "— no answer —", 1 poor, 2, 3, 4
)
STEP_3 = (
    "y"  # add a row
    + "Call the vendor" + ENTER
    + "12.5" + ENTER
    + "2026-04-15" + ENTER
    + DOWN + ENTER  # Open
    + "n"
    + DOWN * 5 + ENTER  # 5 excellent
    + "y"  # add another row
    + "Send the report" + ENTER
    + ENTER + ENTER + ENTER  # no cost, no date, no status
    + ENTER  # urgent: No
    + ENTER  # effort: no answer
    + "n"  # no more rows
)  # fmt: skip


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "mini.md").write_text(MINI, encoding="utf-8")
    (folder / "review.md").write_text(REVIEW, encoding="utf-8")
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
    **kw,
) -> tuple[int, str]:
    pipe.send_text(text)
    screen = Screen()
    if then:
        send_once_shown(pipe, screen, then)
    playbook = kw.pop("playbook", "mini")
    code = run_plain(store, library, "acme support", playbook, input=pipe, output=screen, **kw)
    return code, screen.text


@pytest.mark.timeout(60)
def test_a_whole_playbook_answered_is_stored_and_completed(store, library, keys) -> None:
    code, text = walk(store, library, keys, STEP_1 + STEP_2 + STEP_3)

    assert code == 0, text
    run = store.latest_run("acme-support", "mini")
    assert run is not None and run.completed
    assert run.answers == {
        "name": "Acme team",
        "notes": "line one\nline two",
        "budget": 42,
        "start": "2026-03-31",
        "colour": "Green",
        "tools": ["Jira", "Email"],
        "signed": True,
        "quality": 4,
        "actions": [
            {
                "action": "Call the vendor",
                "cost": 12.5,
                "due": "2026-04-15",
                "status": "Open",
                "urgent": False,
                "effort": 5,
            },
            {"action": "Send the report", "urgent": False},
        ],
    }
    assert run.checked == {"basics/read-the-contract", "basics/met-the-team"}
    assert "Step 1 of 3 · Basics" in text
    assert "Read this first." in text  # the guidance, as text rather than Markdown
    assert "\x1b[" not in text  # no colour codes off a terminal
    assert "checklist 2/3 done, 9/9 questions answered" in text


@pytest.mark.timeout(60)
def test_ctrl_c_stops_cleanly_and_the_next_call_resumes_at_the_step(
    store, library, keys, tmp_path
) -> None:
    code, text = walk(store, library, keys, STEP_1 + CTRL_C)

    assert code == 130
    assert "Stopped at step 2 of 3; saved 4/9 answers and 2/3 checklist ticks." in text
    assert (
        f'Resume with: outsource-tui run mini --vendor "Acme Support" --playbooks {tmp_path}/books'
        in text
    )
    assert "Traceback" not in text
    stopped = store.latest_run("acme-support", "mini")
    assert stopped is not None and not stopped.completed
    assert (stopped.step_index, stopped.step_id) == (1, "choices")

    code, text = walk(store, library, keys, STEP_2 + STEP_3)

    assert code == 0, text
    assert "Resuming at step 2 of 3." in text
    assert "Step 1 of 3" not in text
    done = store.get_run("acme-support", stopped.id)
    assert done.completed
    assert {k: done.answers[k] for k in ("name", "notes", "budget", "start")} == {
        "name": "Acme team",
        "notes": "line one\nline two",
        "budget": 42,
        "start": "2026-03-31",
    }
    assert (done.answers["colour"], done.answers["quality"]) == ("Green", 4)
    assert len(store.runs("acme-support")) == 1


@pytest.mark.timeout(60)
def test_enter_keeps_every_stored_answer_when_a_step_is_walked_again(store, library, keys) -> None:
    walk(store, library, keys, STEP_1 + CTRL_C)
    run = store.latest_run("acme-support", "mini")
    assert run is not None
    store.set_step("acme-support", run.id, 0, "basics")

    # enter through the checklist and every typed prompt, then stop
    code, _ = walk(store, library, keys, ENTER + ENTER + FINISH_LINES + ENTER + ENTER + CTRL_C)

    assert code == 130
    again = store.get_run("acme-support", run.id)
    assert again.answers == run.answers
    assert again.checked == run.checked


@pytest.mark.timeout(60)
def test_a_bad_number_and_a_bad_date_are_refused_with_the_reason(store, library, keys) -> None:
    too_much = "must be at most 100 EUR"
    before_budget = STEP_1.split("42")[0]
    code, text = walk(store, library, keys, before_budget + "150" + ENTER, [(too_much, CTRL_C)])

    assert code == 130
    assert too_much in text
    run = store.latest_run("acme-support", "mini")
    assert run is not None and "budget" not in run.answers  # refused, so never saved

    no_such_day = "2026-02-30 is not a real calendar date"
    code, text = walk(
        store,
        library,
        keys,
        ENTER + ENTER + FINISH_LINES + "150" + ENTER,  # checklist, name and notes kept
        [
            (too_much, BACKSPACE * 3 + "99" + ENTER + "2026-02-30" + ENTER),
            (no_such_day, CTRL_C),
        ],
    )

    assert code == 130
    assert too_much in text and no_such_day in text
    run = store.get_run("acme-support", run.id)
    assert run.answers["budget"] == 99
    assert "start" not in run.answers

    code, text = walk(
        store,
        library,
        keys,
        ENTER * 2 + FINISH_LINES + ENTER + "2026-02-30" + ENTER,
        [(no_such_day, BACKSPACE * 2 + "28" + ENTER + CTRL_C)],
    )

    assert code == 130
    assert store.get_run("acme-support", run.id).answers["start"] == "2026-02-28"


@pytest.mark.timeout(60)
def test_blank_required_questions_keep_the_run_open(store, library, keys) -> None:
    skip_name = SPACE + DOWN + SPACE + ENTER + ENTER + FINISH_LINES + ENTER + ENTER
    no_rows = "n"
    code, text = walk(store, library, keys, skip_name + STEP_2 + no_rows)

    assert code == 1
    assert "required questions are still blank: Team name (step 1); Action items (step 3)" in text
    run = store.latest_run("acme-support", "mini")
    assert run is not None and not run.completed
    assert (run.step_index, run.step_id) == (0, "basics")  # the next call starts at the gap


@pytest.mark.timeout(60)
def test_a_run_started_here_is_the_one_the_app_resumes(store, library, keys) -> None:
    code, text = walk(
        store,
        library,
        keys,
        "y" + "On time" + ENTER + "97" + ENTER + "n" + CTRL_C,
        playbook="review",
        today=date(2026, 5, 10),
    )

    assert code == 130
    assert "--period 2026-Q1" in text  # the last quarter that has ended
    run = store.latest_run("acme-support", "review")
    assert run is not None and not run.completed
    assert run.period == "2026-Q1"
    assert run.answers == {"results": [{"kpi": "On time", "actual": 97}]}
    assert resume_index(library.get("review"), run) == 0  # type: ignore[arg-type]

    # the same period picks the same run back up; finishing keeps the scorecard
    code, text = walk(
        store,
        library,
        keys,
        ENTER + "n" + "Good quarter" + ENTER,
        playbook="review",
        period="2026-q1",
    )

    assert code == 0, text
    runs = store.runs("acme-support")
    assert [r.id for r in runs] == [run.id]
    assert runs[0].completed and runs[0].answers["verdict"] == "Good quarter"
    assert runs[0].snapshot is not None and runs[0].snapshot["period"] == "2026-Q1"


def test_an_unknown_playbook_names_the_ones_there_are(store, library, keys) -> None:
    with pytest.raises(UserError) as refused:
        run_plain(store, library, "Acme Support", "nope", input=keys)
    assert "no playbook 'nope'" in str(refused.value)
    assert "mini" in str(refused.value) and "review" in str(refused.value)


def test_a_bad_period_is_refused(store, library, keys) -> None:
    with pytest.raises(UserError, match="--period: 'Q5' is not a period"):
        run_plain(store, library, "Acme Support", "review", period="Q5", input=keys)
    assert store.runs("acme-support") == []


def test_without_a_terminal_it_says_so_and_does_not_wait(
    store, library, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Acme team\n"))

    assert run_plain(store, library, "Acme Support", "mini") == 1

    assert "the plain mode needs a terminal on standard input" in capsys.readouterr().err
    assert store.runs("acme-support") == []


def test_the_plain_mode_does_not_import_textual() -> None:
    code = (
        "import sys, outsource_tui.prompts; "
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


GOAL_BOOK = """# Goal

```playbook
id = "goal-only"
summary = "One goal."
cadence = "once"
```

## Goal

```questions
[[question]]
id = "goal"
type = "text"
check = "smart"
prompt = "The goal"
```
"""


@pytest.mark.timeout(60)
def test_a_goal_gets_smart_feedback_once_given(store, keys, tmp_path: Path) -> None:
    folder = tmp_path / "goalbook"
    folder.mkdir()
    (folder / "goal.md").write_text(GOAL_BOOK, encoding="utf-8")
    books = load_library([folder])
    code, text = walk(store, books, keys, "Improve support quality\r", playbook="goal-only")
    assert code == 0
    flat = " ".join(text.split())  # the console wraps long lines
    assert "measurable: NO. No number or metric found." in flat
    assert "time-bound: NO." in flat and "Try: add a deadline such as 'by 20" in flat
    assert "achievable: you judge." in flat


@pytest.mark.timeout(60)
def test_resuming_past_a_blank_required_answer_offers_to_go_there(store, library, keys) -> None:
    # Left at step 2 with step 1's required name blank: the walk offers to go back first.
    run = store.start_run("acme-support", library.get("mini"))
    store.set_step("acme-support", run.id, 1, "")
    code, text = walk(store, library, keys, ENTER + CTRL_C)  # yes (the default), then stop
    assert "Resuming at step 2 of 3." in text
    assert "A required answer is still blank in step 1 (Team name). Go there?" in text
    assert "Step 1 of 3 · Basics" in text
    assert code == 130
