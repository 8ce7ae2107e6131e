"""Export, import, export: for every bundled playbook, nothing changes on the way.

Answers are made up for every question from its declaration (a valid value of its type,
tables with two rows, text with quotes, backslashes, line breaks and other scripts), saved
as the app saves them, then exported, imported into the same run and exported again.
"""

from __future__ import annotations

import math
import random
import tomllib
from pathlib import Path
from typing import Any

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.playbook import HOUR_ROLES, Cadence, Question, QuestionType
from outsource_tui.services import Clock, Services
from outsource_tui.services.answers_file import locate, toml_string
from outsource_tui.store import Store

BUNDLED = [
    "objectives",
    "partner-selection",
    "smart-goals",
    "sla-kpis",
    "communication",
    "cultural-fit",
    "onboarding",
    "quarterly-review",
    "exit-transition",
]
PERIOD = "2026-Q1"
TEXT = "She said \"ship it\" \\ then left: ünïcødé, 東京, Ωμέγα, 🚀 'quoted'"
LONG_TEXT = (
    'First line with "quotes" and a \\ backslash\n'
    "\n"
    "  indented second\tline, a trailing backslash \\\n"
    "\"\"\" three quotes, ''' three apostrophes, ünï 東京 🚀\r\n"
    'last line ends in a quote"'
)


def number_for(question: Question, shift: int = 0) -> int | float:
    """A number the question accepts: a third into its range, whole when it must be."""
    low = question.min if question.min is not None else 0.0
    high = question.max if question.max is not None else low + 1000.0
    value = low + (high - low) / 3 + shift * (high - low) / 7
    if question.integer:
        return math.floor(value)
    return value


def value_for(question: Question, index: int, row: int = 0) -> Any:
    kind = question.type
    if kind is QuestionType.TEXT:
        if question.role in HOUR_ROLES:
            return ["07:45", "18:30"][index % 2]
        return f"{TEXT} #{row}" if row else TEXT
    if kind is QuestionType.LONG_TEXT:
        return LONG_TEXT
    if kind is QuestionType.NUMBER:
        return number_for(question, row)
    if kind is QuestionType.DATE:
        return "2026-03-31"
    if kind is QuestionType.CHOICE:
        return question.options[(index + row) % len(question.options)]
    if kind is QuestionType.MULTI_CHOICE:
        free = [o for o in question.options if o not in question.exclusive]
        return free[:2]
    if kind is QuestionType.YES_NO:
        return (index + row) % 2 == 0
    if kind is QuestionType.RATING:
        return 1 + (index + row) % 5
    if kind is QuestionType.TIMEZONE:
        return "Asia/Manila"
    assert kind is QuestionType.TABLE
    full = {c.id: value_for(c, n, row=1) for n, c in enumerate(question.columns)}
    if question.feeds == "kpi-targets" and "floor" in full:
        # A second credit tier lies beyond the target and owes at least the first credit.
        below = full["direction"] != "lower is better"
        full["floor"] = full["target"] - 1 if below else full["target"] + 1
        full["floor_credit"] = max(full["floor_credit"], full["credit"])
    needed = [c for c in question.columns if c.required] or list(question.columns[:1])
    short = {c.id: value_for(c, n, row=2) for n, c in enumerate(needed)}
    return [full, short]


def files_under(folder: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("playbook_id", BUNDLED)
def test_export_import_export_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, playbook_id: str
) -> None:
    assert run(capsys, "vendor", "add", 'Acme & Søn "Ltd"')[0] == 0
    services = Services(Store(data_dir), load_library(), clock=Clock())
    playbook = services.library.get(playbook_id)
    assert playbook is not None
    vendor = services.store.find_vendor('Acme & Søn "Ltd"')
    questions = list(playbook.questions_by_id.values())
    answers = {q.id: value_for(q, n) for n, q in enumerate(questions)}
    period = PERIOD if playbook.cadence is not Cadence.ONCE else ""
    runs = services.runs()
    opened = runs.open(vendor.id, playbook, period)
    assert runs.save_answers(playbook, opened.run, answers) == list(answers)
    stored = services.store.get_run(vendor.id, opened.run.id).answers
    assert stored == answers

    flags = ["--period", PERIOD] if period else []
    first = tmp_path / "first.toml"
    code, _, err = run(
        capsys, "answers", "export", vendor.name, playbook_id, *flags, "-o", str(first)
    )
    assert (code, err) == (0, f"Wrote the answers to {first}.\n")
    text = first.read_text(encoding="utf-8")

    # The file reads back, with TOML's own reader, as exactly the stored answers.
    document = tomllib.loads(text)
    assert set(document) == set(answers)
    for question in questions:
        if question.type is QuestionType.TABLE:
            rows = [{k: v for k, v in row.items() if v != ""} for row in document[question.id]]
            assert rows == answers[question.id]
        else:
            assert document[question.id] == answers[question.id]
            assert type(document[question.id]) is type(answers[question.id])

    before = files_under(data_dir)
    code, out, err = run(capsys, "answers", "import", vendor.name, playbook_id, str(first), *flags)
    assert (code, err) == (0, "")
    what = f"{playbook_id} {period}".strip()
    assert out == (
        f'saved 0 answers to {what} for Acme & Søn "Ltd" (run resumed); {len(answers)} unchanged\n'
    )
    assert files_under(data_dir) == before  # not a byte written

    code, again, _ = run(capsys, "answers", "export", vendor.name, playbook_id, *flags)
    assert code == 0
    assert again == text
    (only,) = services.store.runs(vendor.id)
    assert only.id == opened.run.id
    assert only.answers == answers


def test_every_bundled_playbook_is_covered() -> None:
    assert sorted(p.id for p in load_library()) == sorted(BUNDLED)


ALPHABET = ['"', "'", "\\", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", " ", "a", "#", "=", "[",
            "]", "{", "é", "東", "🚀", "\u2028", "\ufeff"]  # fmt: skip


def test_any_text_reads_back_exactly_as_written() -> None:
    chooser = random.Random(20260401)
    for _ in range(3000):
        text = "".join(chooser.choice(ALPHABET) for _ in range(chooser.randint(0, 12)))
        written = toml_string(text)
        assert tomllib.loads(f"k = {written}\n")["k"] == text, written
        document = f"k = {written}\nnext = 1\n[[rows]]\ncell = {written}\n"
        where = locate(document)
        lines = 1 + written.count("\n")
        assert where.keys == {"k": 1, "next": 1 + lines}
        assert where.rows == {"rows": [2 + lines]}
        assert where.cells == {"rows": [{"cell": 3 + lines}]}
