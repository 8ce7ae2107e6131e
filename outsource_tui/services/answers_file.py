"""Answers as TOML files, for scripts and imports: a template, an export, an import.

One format for all three. The question id is the key; comments above it give the prompt, the
type, whether it is required, the options, the range and unit, and the help. A table is an
array of tables, one ``[[id]]`` block per row, keyed by column id. TOML puts every key after
such a header into that row, so the tables come after all the other questions.

**No answer.** A value of ``""`` (any type) or ``[]`` (a multi-choice or a table) is no
answer: nothing is saved for it, and an answer already stored stays as it is. A table row
whose cells are all ``""`` is skipped, as an empty row is in the app. The template gives
every question such a value, so it imports cleanly and saves nothing. An import never clears
a stored answer.

**Importing** checks every answer as the app checks what is typed (``validate_answer`` and
``validate_row``), refuses keys that are no question, values of the wrong TOML type and row
cells that are no column, then rehearses the save on a scratch copy of the vendor's records,
so a check made while saving (a vendor fact, the order of two dates) is found too. Any problem
and nothing is saved; each is reported as ``FILE:LINE: question_id: reason``. tomllib gives
no line numbers, so :func:`locate` finds the line of each key, row and cell in the text.
"""

from __future__ import annotations

import difflib
import math
import re
import shlex
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from outsource_tui.domain.answers import (
    UNIQUE_KPI_FEEDS,
    Answer,
    Cell,
    format_number,
    is_answered,
    validate_answer,
    validate_row,
)
from outsource_tui.domain.playbook import (
    HOUR_ROLES,
    RATING_MAX,
    RATING_MIN,
    Playbook,
    Question,
    QuestionType,
)
from outsource_tui.domain.run import Run
from outsource_tui.errors import StoreError, UserError, ValidationError
from outsource_tui.services import Services
from outsource_tui.services.runs import Opening, RunService, changed_answers
from outsource_tui.store import Store

PROG = "outsource-tui"
NO_ANSWER = ""
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")
ROW_NUMBER = re.compile(r"^row (\d+): ")
ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
TEXT_TYPES = frozenset({QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.TIMEZONE})


# -- writing TOML ------------------------------------------------------------------------


def _escape(char: str, *, multiline: bool) -> str:
    if multiline and char == "\n":
        return char
    if char in ESCAPES:
        return ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string; with a line break, a multi-line one (readable)."""
    if "\n" not in text:
        return '"' + "".join(_escape(c, multiline=False) for c in text) + '"'
    # In a multi-line string a quote is escaped only when another follows it, or it ends
    # the text: no two unescaped quotes meet, so nothing inside can close the string. TOML
    # drops the line break right after the opening quotes, so the text keeps its first line.
    body = []
    for index, char in enumerate(text):
        if char == '"':
            last = index == len(text) - 1
            body.append('\\"' if last or text[index + 1] == '"' else char)
        else:
            body.append(_escape(char, multiline=True))
    return '"""\n' + "".join(body) + '"""'


def toml_key(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A stored value (text, yes/no, number, list of texts) as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # the shortest text that reads back as the same float
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


# -- the comments ------------------------------------------------------------------------


def _comment(text: str) -> str:
    """One comment line: a comment cannot hold line breaks or other control characters."""
    clean = "".join(" " if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)
    return f"# {' '.join(clean.split())}".rstrip()


def _range(question: Question) -> list[str]:
    parts = []
    low, high = question.min, question.max
    if low is not None and high is not None:
        parts.append(f"{format_number(low)} to {format_number(high)}")
    elif low is not None:
        parts.append(f"at least {format_number(low)}")
    elif high is not None:
        parts.append(f"at most {format_number(high)}")
    if question.unit:
        parts.append(f"in {question.unit}")
    if question.integer:
        parts.append("whole numbers only")
    return parts


def type_text(question: Question) -> str:
    """What a question (or a column) takes, as written in the file."""
    kind = question.type
    if kind is QuestionType.TEXT:
        if question.role in HOUR_ROLES:
            return 'text: a time of day in quotes, such as "09:00" or "5pm"'
        return "text, in quotes"
    if kind is QuestionType.LONG_TEXT:
        return 'long text, in quotes (several lines between """ and """)'
    if kind is QuestionType.NUMBER:
        details = _range(question)
        return "number" + (f" ({', '.join(details)})" if details else "")
    if kind is QuestionType.DATE:
        return 'date, in quotes: "YYYY-MM-DD"'
    if kind is QuestionType.CHOICE:
        return "choice: one of the options, in quotes"
    if kind is QuestionType.MULTI_CHOICE:
        return 'multi-choice: a list of the options, such as ["A", "B"]'
    if kind is QuestionType.YES_NO:
        return "yes-no: true or false"
    if kind is QuestionType.RATING:
        return f"rating: a whole number from {RATING_MIN} to {RATING_MAX}"
    if kind is QuestionType.TIMEZONE:
        return 'time zone: an IANA name in quotes, such as "Europe/Lisbon"'
    return f"table: one [[{question.id}]] block per row"


def _options_lines(question: Question) -> list[str]:
    lines = []
    if question.options:
        lines.append(_comment("options: " + ", ".join(toml_string(o) for o in question.options)))
    for option in question.exclusive:
        lines.append(_comment(f"{toml_string(option)} cannot be combined with other options"))
    return lines


def question_comments(question: Question) -> list[str]:
    """The comment block above a question's key."""
    required = "; required" if question.required else ""
    lines = [_comment(question.prompt), _comment(f"type: {type_text(question)}{required}")]
    lines += _options_lines(question)
    if question.help:
        lines.append(_comment(question.help))
    return lines


def column_comments(column: Question) -> list[str]:
    """The comment block above a column's key, in a table's first row."""
    required = "; required" if column.required else ""
    lines = [_comment(f"{column.prompt}: {type_text(column)}{required}")]
    lines += _options_lines(column)
    if column.help:
        lines.append(_comment(column.help))
    return lines


# -- the template and the export ---------------------------------------------------------

FORMAT_NOTES = (
    '# A value left as "" (or [] for a list) is no answer: nothing is saved for it, and an',
    "# answer already stored stays as it is. A table row whose cells are all empty is skipped.",
    "# Numbers, ratings and yes/no go without quotes (42, 3.5, 4, true); text and dates in",
    "# quotes. Tables come last, one [[id]] block per row: TOML reads every key after such a",
    "# header as part of that row.",
)


def _body(playbook: Playbook, answers: Mapping[str, Answer] | None) -> list[str]:
    """The questions, step by step: every question (``answers`` None), or the answered ones."""
    total = len(playbook.steps)
    scalars: list[str] = []
    tables: list[str] = []
    for number, step in enumerate(playbook.steps, start=1):
        heading = _comment(f"== Step {number} of {total}: {step.title} ==")
        plain = [q for q in step.questions if q.type is not QuestionType.TABLE]
        grids = [q for q in step.questions if q.type is QuestionType.TABLE]
        if answers is not None:
            plain = [q for q in plain if is_answered(answers.get(q.id))]
            grids = [q for q in grids if _rows(answers.get(q.id))]
        if plain:
            scalars += ["", heading]
            for question in plain:
                value = NO_ANSWER if answers is None else answers[question.id]
                if answers is None and question.type is QuestionType.MULTI_CHOICE:
                    value = []
                scalars += ["", *question_comments(question)]
                scalars.append(f"{toml_key(question.id)} = {toml_value(value)}")
        if grids:
            tables += ["", heading]
            for question in grids:
                rows = [{}] if answers is None else _rows(answers.get(question.id))
                tables += ["", *question_comments(question)]
                for index, row in enumerate(rows):
                    if index:
                        tables.append("")
                    tables.append(f"[[{toml_key(question.id)}]]")
                    for column in question.columns:
                        if not index:
                            tables += column_comments(column)
                        cell = row.get(column.id)
                        shown = cell if is_answered(cell) else NO_ANSWER
                        tables.append(f"{toml_key(column.id)} = {toml_value(shown)}")
    return scalars + tables


def _rows(value: Answer) -> list[dict[str, Cell]]:
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict) and row]


def template_text(playbook: Playbook) -> str:
    """A TOML skeleton of every question of ``playbook``, which imports as no answers."""
    head = [
        _comment(f'Answers for the playbook "{playbook.title}" ({playbook.id}), as TOML.'),
        "# Fill in what you know, then import it with:",
        f"#   {PROG} answers import VENDOR {playbook.id} FILE [--period P] [--complete]",
        *FORMAT_NOTES,
    ]
    return "\n".join(head + _body(playbook, None)) + "\n"


def export_text(
    playbook: Playbook, answers: Mapping[str, Answer], *, vendor: str, period: str = ""
) -> str:
    """The answered questions of a run, in the template's format and with its comments."""
    of = f"{vendor}, {period}" if period else vendor
    command = [PROG, "answers", "import", shlex.quote(vendor), playbook.id, "FILE"]
    if period:
        command += ["--period", period]
    head = [
        _comment(f'Answers of {of} for the playbook "{playbook.title}" ({playbook.id}).'),
        "# Change what you need, then import it again with:",
        "#   " + _comment(" ".join(command))[2:],
        *FORMAT_NOTES,
    ]
    return "\n".join(head + _body(playbook, answers)) + "\n"


# -- where things are in the text ----------------------------------------------------------


@dataclass
class Where:
    """The line of each top-level key, ``[[table]]`` row and row cell of a TOML text."""

    keys: dict[str, int] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)  # [name] headers
    rows: dict[str, list[int]] = field(default_factory=dict)  # [[name]] headers, in order
    cells: dict[str, list[dict[str, int]]] = field(default_factory=dict)
    inline_rows: dict[str, list[int]] = field(default_factory=dict)  # name = [{...}, {...}]

    def key_line(self, key: str) -> int:
        for lines in (self.keys, self.tables):
            if key in lines:
                return lines[key]
        for rows in (self.rows, self.inline_rows):
            if rows.get(key):
                return rows[key][0]
        return 1

    def row_line(self, key: str, number: int) -> int:
        for rows in (self.rows, self.inline_rows):
            found = rows.get(key, [])
            if 0 < number <= len(found):
                return found[number - 1]
        return self.key_line(key)

    def cell_line(self, key: str, number: int, column: str) -> int:
        cells = self.cells.get(key, [])
        if 0 < number <= len(cells) and column in cells[number - 1]:
            return cells[number - 1][column]
        return self.row_line(key, number)


class _Scanner:
    """Walks a text tomllib has accepted, noting where keys, headers and rows start."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.where = Where()

    def scan(self) -> Where:
        text, end = self.text, len(self.text)
        at_root = True
        row: tuple[str, int] | None = None
        while self.pos < end:
            char = text[self.pos]
            if char in " \t\r\ufeff":
                self.pos += 1
            elif char == "\n":
                self.line += 1
                self.pos += 1
            elif char == "#":
                self._skip_comment()
            elif char == "[":
                at_root, row = False, self._header()
            else:
                line = self.line
                path = self._key_path()
                self._skip_blanks()
                self.pos += 1  # the '='
                self._skip_blanks()
                inline = None
                if at_root:
                    self.where.keys.setdefault(path[0], line)
                    if len(path) == 1:
                        inline = self.where.inline_rows.setdefault(path[0], [])
                elif row is not None:
                    self.where.cells[row[0]][row[1]].setdefault(path[0], line)
                self._skip_value(inline)
        return self.where

    def _header(self) -> tuple[str, int] | None:
        double = self.text.startswith("[[", self.pos)
        line = self.line
        self.pos += 2 if double else 1
        path = self._key_path()
        self._skip_blanks()
        self.pos += 2 if double else 1
        name = path[0]
        if len(path) == 1 and double:
            self.where.rows.setdefault(name, []).append(line)
            self.where.cells.setdefault(name, []).append({})
            return name, len(self.where.rows[name]) - 1
        if len(path) == 1:
            self.where.tables.setdefault(name, line)
        elif self.where.rows.get(name):
            self.where.cells[name][-1].setdefault(path[1], line)
        else:
            self.where.tables.setdefault(name, line)
        return None

    def _skip_blanks(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def _skip_comment(self) -> None:
        found = self.text.find("\n", self.pos)
        self.pos = len(self.text) if found < 0 else found

    def _key_path(self) -> list[str]:
        path = []
        while True:
            self._skip_blanks()
            start = self.pos
            if self.pos < len(self.text) and self.text[self.pos] in "\"'":
                self._skip_string()
                path.append(str(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"]))
            else:
                match = BARE_KEY.match(self.text, self.pos)
                if match is None:
                    self.pos += 1  # never stall, whatever the text
                    return path or [""]
                path.append(match.group())
                self.pos = match.end()
            self._skip_blanks()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            return path

    def _skip_value(self, inline_rows: list[int] | None) -> None:
        text, end = self.text, len(self.text)
        stack: list[str] = []
        while self.pos < end:
            char = text[self.pos]
            if char in "\"'":
                self._skip_string()
            elif char in "[{":
                if char == "{" and inline_rows is not None and stack == ["["]:
                    inline_rows.append(self.line)
                stack.append(char)
                self.pos += 1
            elif char in "]}":
                if stack:
                    stack.pop()
                self.pos += 1
            elif char == "#":
                self._skip_comment()
            elif char == "\n":
                if not stack:
                    return
                self.line += 1
                self.pos += 1
            else:
                self.pos += 1

    def _skip_string(self) -> None:
        text, end = self.text, len(self.text)
        for quotes in ('"""', "'''"):
            if text.startswith(quotes, self.pos):
                self.pos += 3
                while self.pos < end:
                    if quotes[0] == '"' and text[self.pos] == "\\":
                        if text.startswith("\n", self.pos + 1):
                            self.line += 1
                        self.pos += 2
                    elif text.startswith(quotes, self.pos):
                        self.pos += 3
                        for _ in range(2):  # up to two quotes may end the string's text
                            if self.pos < end and text[self.pos] == quotes[0]:
                                self.pos += 1
                        return
                    else:
                        if text[self.pos] == "\n":
                            self.line += 1
                        self.pos += 1
                return
        quote = text[self.pos]
        self.pos += 1
        while self.pos < end:
            char = text[self.pos]
            if char == "\\" and quote == '"':
                self.pos += 2
            elif char == quote:
                self.pos += 1
                return
            elif char == "\n":  # not in valid TOML; keep counting lines anyway
                return
            else:
                self.pos += 1


def locate(text: str) -> Where:
    """Where each key, row and cell of a valid TOML text is (1-based lines)."""
    scanner = _Scanner(text)
    try:
        return scanner.scan()
    except (IndexError, KeyError, tomllib.TOMLDecodeError):  # pragma: no cover - a safeguard
        return scanner.where


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an answers file."""

    path: str
    line: int
    question_id: str
    reason: str

    def __str__(self) -> str:
        if not self.question_id:
            return f"{self.path}:{self.line}: {self.reason}"
        return f"{self.path}:{self.line}: {self.question_id}: {self.reason}"


class AnswersFileError(UserError):
    """The file cannot be imported; ``problems`` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Parsed:
    """What a file answers (the no-answers left out), in playbook order, and where."""

    answers: dict[str, Answer]
    where: Where


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """The document, or an :class:`AnswersFileError` naming the line tomllib stopped at."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = TOML_AT.search(message)
        line = getattr(exc, "lineno", None)
        if found and found.group(1):
            line = int(found.group(1))
            message = TOML_AT.sub(f" (column {found.group(2)})", message)
        elif found:
            line = line or max(1, len(text.splitlines()))
            message = TOML_AT.sub(" (at the end of the file)", message)
        raise AnswersFileError(
            [Problem(path, line or 1, "", f"not valid TOML: {message}")]
        ) from None


def read_text(path: str) -> str:
    """The file's text (``-`` reads standard input)."""
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc.__class__.__name__}") from None


def _kind(value: Any) -> str:
    """The TOML type of a value, as said to the user."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    return "a table"


def _wanted(question: Question) -> str:
    kind = question.type
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return "text in quotes"
    if kind is QuestionType.TIMEZONE:
        return 'a time zone name in quotes, such as "Europe/Lisbon"'
    if kind is QuestionType.CHOICE:
        return "one of the options, in quotes"
    if kind is QuestionType.DATE:
        return 'a date in quotes, such as "2026-12-31"'
    if kind is QuestionType.NUMBER:
        return "a number"
    if kind is QuestionType.RATING:
        return f"a whole number from {RATING_MIN} to {RATING_MAX}"
    if kind is QuestionType.YES_NO:
        return "true or false"
    if kind is QuestionType.MULTI_CHOICE:
        return "a list of options in quotes"
    return f"rows, each a [[{question.id}]] block"


def _typed(question: Question, value: Any) -> Any:
    """The value to validate, if its TOML type fits the question; raises ValidationError."""
    if value == NO_ANSWER and isinstance(value, str):
        return value
    kind = question.type
    fits: bool
    if kind in TEXT_TYPES or kind is QuestionType.CHOICE:
        fits = isinstance(value, str)
    elif kind is QuestionType.DATE:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        fits = isinstance(value, str)
    elif kind is QuestionType.NUMBER:
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is QuestionType.RATING:
        fits = isinstance(value, int) and not isinstance(value, bool)
    elif kind is QuestionType.YES_NO:
        fits = isinstance(value, bool)
    elif kind is QuestionType.MULTI_CHOICE:
        if isinstance(value, list):
            odd = [v for v in value if not isinstance(v, str)]
            if odd:
                raise ValidationError(
                    f"expected {_wanted(question)}, not a list holding {_kind(odd[0])}"
                )
            return value
        fits = False
    else:
        fits = isinstance(value, list) and all(isinstance(row, dict) for row in value)
    if not fits:
        if isinstance(value, float) and kind is QuestionType.RATING:
            # 3.5 and 4.0 are numbers too: say what is wrong with each.
            why = f"write {int(value)}" if value.is_integer() else "no halves"
            raise ValidationError(f"expected {_wanted(question)}, not {value!r} ({why})")
        raise ValidationError(f"expected {_wanted(question)}, not {_kind(value)}")
    return value


def _close(word: str, choices: Iterable[str]) -> str:
    found = difflib.get_close_matches(word, list(choices), 1, 0.6)
    return f" (did you mean {found[0]}?)" if found else ""


def _table(
    question: Question, raw: list[dict[str, Any]], where: Where, path: str
) -> tuple[Answer, list[Problem]]:
    """A table's rows checked cell by cell, then as the app checks a row and the table."""
    qid = question.id
    columns = {c.id: c for c in question.columns}
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    for number, given in enumerate(raw, start=1):
        row: dict[str, Any] = {}
        bad = False
        for key, value in given.items():
            line = where.cell_line(qid, number, key)
            column = columns.get(key)
            if column is None:
                reason = f"row {number}: '{key}' is not a column of this table"
                hint = _close(key, columns) or f" (the columns are {', '.join(columns)})"
                problems.append(Problem(path, line, qid, reason + hint))
                bad = True
                continue
            try:
                row[key] = _typed(column, value)
                validate_answer(column, row[key])
            except ValidationError as exc:
                problems.append(Problem(path, line, qid, f"row {number}: {column.prompt}: {exc}"))
                bad = True
        if not bad:
            try:
                validate_row(question, row)
            except ValidationError as exc:
                line = where.row_line(qid, number)
                problems.append(Problem(path, line, qid, f"row {number}: {exc}"))
                bad = True
        rows.append(row)
    if problems:
        return None, problems
    try:
        return validate_answer(question, rows), []  # the table as a whole, as the app checks it
    except ValidationError as exc:
        found = ROW_NUMBER.match(str(exc))
        line = where.row_line(qid, int(found.group(1))) if found else where.key_line(qid)
        return None, [Problem(path, line, qid, str(exc))]


def read_answers(text: str, playbook: Playbook, path: str) -> Parsed:
    """The answers a file gives, each checked as the app checks it; raises
    :class:`AnswersFileError` with every problem found."""
    document = parse_toml(text, path)
    where = locate(text)
    questions = playbook.questions_by_id
    problems: list[Problem] = []
    found: dict[str, Answer] = {}
    for key, value in document.items():
        line = where.key_line(key)
        question = questions.get(key)
        if question is None:
            reason = f"not a question of {playbook.id}{_close(key, questions)}"
            problems.append(Problem(path, line, key, reason))
            continue
        try:
            raw = _typed(question, value)
        except ValidationError as exc:
            problems.append(Problem(path, line, key, str(exc)))
            continue
        if isinstance(raw, str) and raw == NO_ANSWER:
            continue
        if question.type is QuestionType.TABLE and isinstance(raw, list):
            cleaned, trouble = _table(question, raw, where, path)
            problems += trouble
        else:
            try:
                cleaned = validate_answer(question, raw)
            except ValidationError as exc:
                problems.append(Problem(path, line, key, str(exc)))
                continue
        if is_answered(cleaned):
            found[key] = cleaned
    if problems:
        raise AnswersFileError(problems)
    ordered = {qid: found[qid] for qid in questions if qid in found}
    return Parsed(ordered, where)


# -- importing and exporting runs ----------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    run: Run
    opening: Opening
    saved: list[str]
    unchanged: int


def _copy_vendor(store: Store, vendor_id: str, target: Path) -> Store:
    """A scratch store holding the index and one vendor's runs, to rehearse saves on."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        if store.index_path.is_file():
            shutil.copy2(store.index_path, target / store.index_path.name)
        scratch = Store(target)
        legacy = store.legacy_vendor_path(vendor_id)
        if legacy.is_file():
            scratch.legacy_vendor_path(vendor_id).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(legacy, scratch.legacy_vendor_path(vendor_id))
        if store.vendor_dir(vendor_id).is_dir():
            shutil.copytree(
                store.vendor_dir(vendor_id),
                scratch.vendor_dir(vendor_id),
                ignore=shutil.ignore_patterns("*.tmp"),
            )
    except OSError as exc:
        raise StoreError(f"cannot check the import: {exc.strerror or exc}") from None
    return scratch


def _kpi_key(row: Mapping[str, Cell]) -> str | None:
    name = row.get("kpi")
    return " ".join(name.casefold().split()) if isinstance(name, str) else None


def with_stored_rows(
    playbook: Playbook, stored: Mapping[str, Answer], parsed: Parsed, path: str
) -> tuple[dict[str, Answer], list[Problem]]:
    """The file's answers with each table laid over the rows already stored, since an import
    never clears an answer. A KPI table merges by KPI name: a row of the file replaces the
    stored row of its KPI, a new KPI is added, and a stored KPI the file leaves out stays
    as it is. Any other table has no key to match rows by: it replaces the stored rows only
    when it keeps every one of them (an export, edited, does), else it is refused."""
    answers = dict(parsed.answers)
    problems: list[Problem] = []
    for qid, value in parsed.answers.items():
        question = playbook.questions_by_id.get(qid)
        kept = stored.get(qid)
        if question is None or question.type is not QuestionType.TABLE:
            continue
        if not isinstance(kept, list) or not kept or not isinstance(value, list):
            continue
        old = [r for r in kept if isinstance(r, dict)]
        new = [r for r in value if isinstance(r, dict)]
        if question.feeds in UNIQUE_KPI_FEEDS:
            by_key = {_kpi_key(r): r for r in new}
            merged = [by_key.pop(_kpi_key(r), r) for r in old]
            answers[qid] = [*merged, *[r for r in new if _kpi_key(r) in by_key]]
            continue
        left_out = [r for r in old if r not in new]
        if left_out:
            first = next(iter(left_out[0].values()), "")
            problems.append(
                Problem(
                    path,
                    parsed.where.key_line(qid),
                    qid,
                    f"the file leaves out {len(left_out)} of the {len(old)} stored rows "
                    f"(such as '{first}'), and an import never removes rows: include them "
                    "(answers export writes them all), or remove rows in the app",
                )
            )
    return answers, problems


def rehearse(
    services: Services,
    vendor_id: str,
    playbook: Playbook,
    period: str,
    parsed: Parsed,
    path: str,
) -> list[Problem]:
    """Save the answers into a scratch copy of the vendor's records, exactly as the import
    will; returns what saving refused (a vendor fact, two dates out of order), a line each."""
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="outsource-tui-import-") as scratch_dir:
        scratch = _copy_vendor(services.store, vendor_id, Path(scratch_dir) / "data")
        trial = Services(scratch, services.library, services.settings, services.clock).runs()
        run = trial.open(vendor_id, playbook, period).run
        pending, problems = with_stored_rows(playbook, run.answers, parsed, path)
        if problems:
            return problems
        while pending:
            order = list(changed_answers(run.answers, pending))
            try:
                trial.save_answers(playbook, run, pending)
                break
            except ValidationError as exc:
                failed = next((q for q in order if run.answers.get(q) != pending[q]), "")
                line = parsed.where.key_line(failed) if failed else 1
                problems.append(Problem(path, line, failed, str(exc)))
                if not failed:
                    break
                del pending[failed]
    return problems


def import_answers(
    services: Services,
    runs: RunService,
    vendor_id: str,
    playbook: Playbook,
    period: str,
    parsed: Parsed,
    path: str,
) -> Imported:
    """Save what a file answers into the run the app would open; nothing at all when any
    answer would be refused (raises :class:`AnswersFileError`)."""
    problems = rehearse(services, vendor_id, playbook, period, parsed, path)
    if problems:
        raise AnswersFileError(problems)
    opened = runs.open(vendor_id, playbook, period)
    run = opened.run
    before = dict(run.answers)
    answers, problems = with_stored_rows(playbook, run.answers, parsed, path)
    if problems:  # stored meanwhile by another instance
        raise AnswersFileError(problems)
    try:
        saved = runs.save_answers(playbook, run, answers)
    except UserError as exc:  # changed by another instance since the rehearsal, say
        done = len(changed_answers(before, run.answers))
        raise UserError(f"{exc} ({done} answers were saved before this one)") from None
    return Imported(run, opened.opening, saved, len(parsed.answers) - len(saved))


def run_to_export(runs: RunService, vendor_id: str, playbook: Playbook, period: str) -> Run | None:
    """The run the app would open for this vendor, playbook and period, without starting one."""
    same = [
        r for r in runs.store.runs(vendor_id) if r.playbook_id == playbook.id and r.period == period
    ]
    return same[-1] if same else None
