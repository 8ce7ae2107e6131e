"""A user playbook whose TOML nests hundreds of levels deep is skipped like any broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.parser import PlaybookError, parse_playbook_text

DEPTH = 500  # about 1 KB of brackets


def nested_array(depth: int = DEPTH) -> str:
    return "[" * depth + '"a"' + "]" * depth


def nested_table(depth: int = DEPTH) -> str:
    return "{a = " * depth + "1" + "}" * depth


def playbook(options: str = '["Yes", "No"]', summary: str = '"Check a thing."') -> str:
    return f"""# Deep

```playbook
id = "deep"
summary = {summary}
cadence = "once"
```

## Ask

```questions
[[question]]
id = "pick"
prompt = "Which?"
type = "choice"
options = {options}
```
"""


QUESTIONS_LINE = 11  # the ```questions fence
PLAYBOOK_LINE = 3  # the ```playbook fence


def test_the_shallow_playbook_is_fine() -> None:
    assert parse_playbook_text(playbook()).id == "deep"


@pytest.mark.parametrize(
    ("text", "line", "block"),
    [
        (playbook(options=nested_array()), QUESTIONS_LINE, "questions"),
        (playbook(options=nested_table()), QUESTIONS_LINE, "questions"),
        (playbook(summary=nested_array(5000)), PLAYBOOK_LINE, "playbook"),
    ],
    ids=["array in questions", "table in questions", "array in the playbook block"],
)
def test_nesting_too_deep_is_a_problem_at_its_block(text: str, line: int, block: str) -> None:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook_text(text, "x.md")
    assert (
        f"x.md:{line}: the {block} block nests arrays or tables too deeply to read "
        "(hundreds of levels)"
    ) in [str(p) for p in caught.value.problems]


def test_a_deeply_nested_user_playbook_is_skipped_and_the_commands_still_work(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = data_dir / "playbooks"
    folder.mkdir(parents=True)
    path = folder / "x.md"
    path.write_text(playbook(options=nested_array()))
    problem = (
        f"{path}:{QUESTIONS_LINE}: the questions block nests arrays or tables too deeply to "
        "read (hundreds of levels)"
    )

    assert main(["playbook", "list"]) == 0
    out, err = capsys.readouterr()
    assert "quarterly-review" in out and "deep" not in out
    assert f"skipped {problem}" in err.splitlines()
    assert "internal error" not in err

    assert main(["playbook", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert problem in err.splitlines()

    assert main(["vendor", "add", "Acme"]) == 0
    assert main(["due"]) == 0
    assert "internal error" not in capsys.readouterr().err

    library = load_library([folder])
    assert library.get("deep") is None and library.get("quarterly-review") is not None
    assert problem in [str(p) for p in library.skipped]
