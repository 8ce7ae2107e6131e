"""Read a Markdown playbook into the typed model, or say exactly what is wrong and where.

The format (documented in ``playbooks/README.md``):

* ``# Title`` once, then a fenced ``playbook`` block of TOML with ``id``, ``summary``, ``cadence``.
* Each ``## Heading`` starts a step. Its prose is the guidance, its task-list items
  (``- [ ] ...``) are the checklist, and a fenced ``questions`` block of TOML declares
  the questions as ``[[question]]`` tables.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from markdown_it import MarkdownIt
from markdown_it.token import Token

from outsource_tui.domain.facts import FACTS
from outsource_tui.domain.playbook import (
    CHECKS,
    COLUMN_TYPES,
    DIRECTION_OPTIONS,
    FEEDS,
    Cadence,
    ChecklistItem,
    Playbook,
    Question,
    QuestionType,
    Step,
)
from outsource_tui.domain.slug import slugify
from outsource_tui.errors import UserError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TASK_PATTERN = re.compile(r"^\[( |x|X)\]\s+(.*)$", re.DOTALL)
TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")
QUESTION_HEADER = re.compile(r"^\s*\[\[\s*question\s*\]\]\s*(#.*)?$")
COLUMN_HEADER = re.compile(r"^\s*\[\[\s*question\s*\.\s*column\s*\]\]\s*(#.*)?$")

META_KEYS = {"id", "summary", "cadence", "version", "kpi_share"}
QUESTION_KEYS = {
    "id",
    "type",
    "prompt",
    "required",
    "help",
    "options",
    "min",
    "max",
    "unit",
    "integer",
    "exclusive",
    "remind",
    "after",
    "weight",
    "feeds",
    "column",
    "check",
    "role",
    "fact",
    "risks",
}
COLUMN_KEYS = {
    "id",
    "type",
    "label",
    "required",
    "help",
    "options",
    "min",
    "max",
    "unit",
    "integer",
}
CHOICE_TYPES = {QuestionType.CHOICE, QuestionType.MULTI_CHOICE}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a playbook file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class PlaybookError(UserError):
    """A playbook file has problems; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid playbook")


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class _Collector:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


@dataclass
class _StepDraft:
    title: str
    line: int
    body_start: int  # 0-based first line after the heading
    body_end: int = 0
    checklist: list[tuple[str, int]] | None = None
    excluded: list[tuple[int, int]] | None = None
    questions: list[Question] | None = None


def _toml_block(
    token: Token, lines: list[str], out: _Collector, what: str
) -> tuple[dict[str, Any] | None, int]:
    """Parse a fenced TOML block; returns its table and the 1-based line its content starts on."""
    assert token.map is not None
    first = token.map[0] + 2
    try:
        return tomllib.loads(token.content), first
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        match = re.search(r"at line (\d+)", text)
        line = first + int(match.group(1)) - 1 if match else token.map[1]
        reason = TOML_LOCATION.sub("", text).strip().rstrip(".")
        out.add(line, f"the {what} block is not valid TOML: {reason}")
        return None, first
    except RecursionError:  # tomllib reads nested arrays and tables by recursing
        out.add(
            token.map[0] + 1,
            f"the {what} block nests arrays or tables too deeply to read (hundreds of levels)",
        )
        return None, first


def _key_line(block_lines: list[str], start: int, end: int, key: str, default: int) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(start, end):
        if pattern.match(block_lines[index]):
            return index
    return default


def _header_lines(
    block_lines: list[str], pattern: re.Pattern[str], start: int, end: int
) -> list[int]:
    """Indexes of the lines matching ``pattern``, skipping any inside a multi-line string."""
    headers: list[int] = []
    open_quote: str | None = None
    for index in range(start, end):
        text = block_lines[index]
        if open_quote is None and pattern.match(text):
            headers.append(index)
        for quote in re.findall(r'"""|\'\'\'', text):
            if open_quote is None:
                open_quote = quote
            elif quote == open_quote:
                open_quote = None
    return headers


@dataclass(frozen=True)
class _Span:
    """Where one ``[[question]]`` or ``[[question.column]]`` table sits in its block."""

    block_lines: list[str]
    first: int  # file line of the block's first content line
    start: int  # block index of the table's header
    end: int

    @property
    def header_line(self) -> int:
        return self.first + self.start

    def at(self, key: str) -> int:
        """The file line of ``key = ...`` in this table, else its header line."""
        return self.first + _key_line(self.block_lines, self.start, self.end, key, self.start)

    def split(self, pattern: re.Pattern[str], count: int) -> list[_Span]:
        """The spans of the ``count`` sub-tables (matching ``pattern``) inside this one."""
        heads = _header_lines(self.block_lines, pattern, self.start + 1, self.end)
        spans = []
        for index in range(count):
            head = heads[index] if index < len(heads) else self.start
            tail = heads[index + 1] if index + 1 < len(heads) else self.end
            spans.append(_Span(self.block_lines, self.first, head, tail))
        return spans


def _parse_questions(token: Token, lines: list[str], out: _Collector) -> list[Question]:
    data, first = _toml_block(token, lines, out, "questions")
    if data is None:
        return []
    block = _Span(token.content.splitlines(), first, -1, len(token.content.splitlines()))
    for key in data:
        if key != "question":
            out.add(
                first, f"unknown table '{key}' in questions block: declare each as [[question]]"
            )
    raw_questions = data.get("question", [])
    if not isinstance(raw_questions, list) or not raw_questions:
        out.add(first - 1, "the questions block declares no [[question]]")
        return []
    questions: list[Question] = []
    for raw, span in zip(
        raw_questions, block.split(QUESTION_HEADER, len(raw_questions)), strict=True
    ):
        question = _parse_question(raw, span, out)
        if question is not None:
            questions.append(question)
    return questions


def _parse_question(
    raw: Any, span: _Span, out: _Collector, *, table: str | None = None
) -> Question | None:
    """One question, or with ``table`` one column of that table question."""
    what = f"column of table '{table}'" if table else "question"
    header = "[[question.column]]" if table else "[[question]]"
    if not isinstance(raw, dict):
        out.add(span.header_line, f"each {what} must be a {header} table")
        return None
    ok = True
    allowed = COLUMN_KEYS if table else QUESTION_KEYS
    for key in raw:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            out.add(span.at(key), f"unknown key '{key}' in {what} (known keys: {known})")
            ok = False
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        if qid is None:
            out.add(span.header_line, f"{what} has no id")
        else:
            out.add(span.at("id"), f"{what} id {qid!r} must be lower-case letters, digits, - or _")
        return None
    name = f"column '{qid}' of table '{table}'" if table else f"question '{qid}'"
    raw_type = raw.get("type")
    kinds = sorted(COLUMN_TYPES) if table else list(QuestionType)
    try:
        if not isinstance(raw_type, str):  # QuestionType() refuses these with ValueError too
            raise ValueError
        qtype = QuestionType(raw_type)
        if qtype not in kinds:
            raise ValueError
    except ValueError:
        if raw_type is None:
            out.add(span.header_line, f"{name} has no type")
        else:
            names = ", ".join(t.value for t in kinds)
            out.add(span.at("type"), f"{name} has unknown type {raw_type!r} (use one of: {names})")
        return None
    text_key = "label" if table else "prompt"
    prompt = raw.get(text_key)
    if not isinstance(prompt, str) or not prompt.strip():
        needs = "a label: the column heading" if table else "a prompt: the text the user is asked"
        out.add(span.at(text_key), f"{name} needs {needs}")
        ok = False
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(span.at("required"), f"{name}: required must be true or false")
        ok = False
    help_text = raw.get("help", "")
    if not isinstance(help_text, str):
        out.add(span.at("help"), f"{name}: help must be text")
        ok = False
    options: tuple[str, ...] = ()
    if qtype in CHOICE_TYPES:
        raw_options = raw.get("options")
        if (
            not isinstance(raw_options, list)
            or len(raw_options) < 2
            or not all(isinstance(o, str) and o.strip() for o in raw_options)
        ):
            out.add(
                span.at("options"),
                f"{name} ({qtype.value}) needs options: a list of at least two texts",
            )
            ok = False
        elif len({o.strip().casefold() for o in raw_options}) != len(raw_options):
            out.add(span.at("options"), f"{name} lists the same option twice")
            ok = False
        else:
            options = tuple(o.strip() for o in raw_options)
    elif "options" in raw:
        out.add(span.at("options"), f"{name}: options only apply to choice and multi-choice")
        ok = False
    bounds: dict[str, float | None] = {"min": None, "max": None}
    for key in ("min", "max"):
        if key not in raw:
            continue
        value = raw[key]
        if qtype is not QuestionType.NUMBER:
            out.add(span.at(key), f"{name}: {key} only applies to number questions")
            ok = False
        elif not _is_number(value):
            out.add(span.at(key), f"{name}: {key} must be a number")
            ok = False
        else:
            bounds[key] = float(value)
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low > high:
        out.add(span.at("max"), f"{name}: max is below min")
        ok = False
    unit = raw.get("unit", "")
    if "unit" in raw and (qtype is not QuestionType.NUMBER or not isinstance(unit, str)):
        out.add(span.at("unit"), f"{name}: unit is text and only applies to number questions")
        ok = False
    integer = raw.get("integer", False)
    if "integer" in raw:
        if qtype is not QuestionType.NUMBER:
            out.add(span.at("integer"), f"{name}: integer only applies to number questions")
            ok = False
        elif not isinstance(integer, bool):
            out.add(span.at("integer"), f"{name}: integer must be true or false")
            ok = False
        elif integer:
            for key in ("min", "max"):
                bound = bounds[key]
                if bound is not None and not bound.is_integer():
                    out.add(
                        span.at(key),
                        f"{name}: {key} must be a whole number, as integer = true",
                    )
                    ok = False
    exclusive = _parse_exclusive(raw, qtype, options, name, span, out)
    if exclusive is None:
        ok = False
    weight = raw.get("weight")
    if "weight" in raw:
        if qtype is not QuestionType.RATING:
            out.add(span.at("weight"), f"{name}: weight only applies to rating questions")
            ok = False
        elif not _is_number(weight) or weight < 0:
            out.add(span.at("weight"), f"{name}: weight must be a number of 0 or more")
            ok = False
    check = raw.get("check", "")
    if "check" in raw and (
        check not in CHECKS or qtype not in (QuestionType.TEXT, QuestionType.LONG_TEXT)
    ):
        out.add(span.at("check"), f'{name}: check = "smart" is the one check, for text questions')
        ok = False
    # The fact a question states (``role`` is the older spelling of ``fact``).
    fact_key = "fact" if "fact" in raw else "role"
    role = raw.get(fact_key, "")
    if "fact" in raw and "role" in raw:
        out.add(span.at("role"), f"{name}: give fact or role, not both")
        ok = False
    elif fact_key in raw:
        fact = FACTS.get(role) if isinstance(role, str) else None
        if fact is None:
            known = ", ".join(sorted(FACTS))
            out.add(span.at(fact_key), f"{name}: {fact_key} must be one of {known}")
            ok = False
        elif qtype not in fact.types:
            stated_by = " or ".join(sorted(t.value for t in fact.types))
            out.add(
                span.at(fact_key),
                f"{name}: {role} ({fact.about}) is stated by a {stated_by} question, "
                f"not {qtype.value}",
            )
            ok = False
    risks: list[tuple[str, str]] = []
    if "risks" in raw:
        table_risks = raw["risks"]
        answers_known = (
            {"yes", "no"} if qtype is QuestionType.YES_NO else {o.casefold() for o in options}
        )
        if qtype not in (QuestionType.CHOICE, QuestionType.MULTI_CHOICE, QuestionType.YES_NO):
            out.add(span.at("risks"), f"{name}: risks only apply to choice and yes-no questions")
            ok = False
        elif not isinstance(table_risks, dict) or not all(
            isinstance(v, str) and v.strip() for v in table_risks.values()
        ):
            out.add(span.at("risks"), f"{name}: risks maps answers to texts: [question.risks]")
            ok = False
        else:
            for answer_text, risk in table_risks.items():
                if answer_text.casefold() not in answers_known:
                    out.add(
                        span.at("risks"),
                        f"{name}: risks names {answer_text!r}, which is not one of its answers",
                    )
                    ok = False
                risks.append((answer_text, risk.strip()))
    remind, after = raw.get("remind", ""), raw.get("after", "")
    for key, value in (("remind", remind), ("after", after)):
        if key not in raw:
            continue
        if qtype is not QuestionType.DATE:
            out.add(span.at(key), f"{name}: {key} only applies to date questions")
            ok = False
        elif not isinstance(value, str) or not value.strip():
            what = "what is due that day" if key == "remind" else "the id of a date question"
            out.add(span.at(key), f"{name}: {key} must be text: {what}")
            ok = False
    columns: tuple[Question, ...] = ()
    feeds = raw.get("feeds", "")
    if qtype is QuestionType.TABLE:
        parsed = _parse_columns(raw.get("column"), qid, span, out)
        if parsed is None:
            ok = False
        else:
            columns = parsed
            if "feeds" in raw and not _check_feed(feeds, columns, name, span, out):
                ok = False
    elif "column" in raw or "feeds" in raw:
        key = "column" if "column" in raw else "feeds"
        out.add(span.at(key), f"{name}: {key} only applies to table questions")
        ok = False
    if not ok:
        return None
    return Question(
        id=qid,
        type=qtype,
        prompt=str(prompt).strip(),
        required=bool(required),
        help=str(help_text).strip(),
        options=options,
        min=low,
        max=high,
        unit=str(unit).strip() if isinstance(unit, str) else "",
        integer=integer is True,
        exclusive=exclusive or (),
        columns=columns,
        weight=float(weight) if weight is not None else None,
        feeds=str(feeds),
        check=str(check),
        role=str(role),
        risks=tuple(risks),
        remind=remind.strip() if isinstance(remind, str) else "",
        after=after.strip() if isinstance(after, str) else "",
        line=span.header_line,
    )


def _parse_exclusive(
    raw: dict[str, Any],
    qtype: QuestionType,
    options: tuple[str, ...],
    name: str,
    span: _Span,
    out: _Collector,
) -> tuple[str, ...] | None:
    """The options that cannot be combined with others; None when the key is wrong."""
    if "exclusive" not in raw:
        return ()
    value = raw["exclusive"]
    if qtype is not QuestionType.MULTI_CHOICE:
        out.add(span.at("exclusive"), f"{name}: exclusive only applies to multi-choice questions")
        return None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        out.add(
            span.at("exclusive"),
            f'{name}: exclusive is a list of its options, such as exclusive = ["None"]',
        )
        return None
    if not options:  # the options themselves are wrong, and reported already
        return None
    chosen: list[str] = []
    ok = True
    for entry in value:
        text = entry.strip()
        if text not in options:
            listed = ", ".join(f'"{o}"' for o in options)
            out.add(
                span.at("exclusive"),
                f"{name}: exclusive names {text!r}, which is not one of its options ({listed})",
            )
            ok = False
        elif text not in chosen:
            chosen.append(text)
    return tuple(chosen) if ok else None


def _is_number(value: object) -> TypeGuard[int | float]:
    """Whether ``value`` is a finite int or float (not a bool); narrows it for the caller."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False


def _parse_columns(
    raw_columns: Any, table: str, span: _Span, out: _Collector
) -> tuple[Question, ...] | None:
    if not isinstance(raw_columns, list) or not raw_columns:
        out.add(
            span.header_line,
            f"table question '{table}' needs columns: add [[question.column]] tables after it",
        )
        return None
    columns: list[Question] = []
    ok = True
    seen: set[str] = set()
    for raw, column_span in zip(
        raw_columns, span.split(COLUMN_HEADER, len(raw_columns)), strict=True
    ):
        column = _parse_question(raw, column_span, out, table=table)
        if column is None:
            ok = False
        elif column.id in seen:
            out.add(column.line, f"table '{table}' has two columns with id '{column.id}'")
            ok = False
        else:
            seen.add(column.id)
            columns.append(column)
    return tuple(columns) if ok else None


def _check_feed(
    feeds: Any, columns: tuple[Question, ...], name: str, span: _Span, out: _Collector
) -> bool:
    if feeds not in FEEDS:
        known = ", ".join(sorted(FEEDS))
        out.add(span.at("feeds"), f"{name}: unknown feeds {feeds!r} (use one of: {known})")
        return False
    by_id = {c.id: c for c in columns}
    ok = True
    for wanted in FEEDS[feeds]:
        column = by_id.get(wanted.id)
        types = " or ".join(sorted(t.value for t in wanted.types))
        if column is None:
            if wanted.required:
                out.add(
                    span.at("feeds"),
                    f"{name} feeds {feeds} and needs a column with id '{wanted.id}' ({types})",
                )
                ok = False
        elif column.type not in wanted.types:
            out.add(
                column.line,
                f"{name}: column '{wanted.id}' must be of type {types} to feed {feeds}",
            )
            ok = False
        elif wanted.id == "direction" and set(column.options) != set(DIRECTION_OPTIONS):
            quoted = ", ".join(f'"{o}"' for o in DIRECTION_OPTIONS)
            out.add(column.line, f"{name}: the direction column's options must be [{quoted}]")
            ok = False
    return ok


def _parse_meta(token: Token, lines: list[str], out: _Collector) -> dict[str, str]:
    data, first = _toml_block(token, lines, out, "playbook")
    if data is None:
        return {}
    block_lines = token.content.splitlines()

    def at(key: str) -> int:
        return first + _key_line(block_lines, 0, len(block_lines), key, 0)

    meta: dict[str, str] = {}
    for key, value in data.items():
        if key not in META_KEYS:
            known = ", ".join(sorted(META_KEYS))
            out.add(at(key), f"unknown key '{key}' in playbook block (known keys: {known})")
        elif key == "kpi_share":
            if not _is_number(value) or not 0 <= value <= 100:
                out.add(at(key), "kpi_share must be a number from 0 to 100")
            else:
                meta[key] = str(value)
        elif not isinstance(value, str) or not value.strip():
            out.add(at(key), f"{key} must be a non-empty text in quotes")
        else:
            meta[key] = value.strip()
    block_line = first - 1
    if "id" not in data:
        out.add(block_line, "the playbook block has no id")
    elif "id" in meta and not ID_PATTERN.match(meta["id"]):
        out.add(at("id"), f"playbook id {meta['id']!r} must be lower-case letters, digits, - or _")
        meta.pop("id")
    if "summary" not in data:
        out.add(block_line, "the playbook block has no summary: one line saying what it is for")
    if "cadence" not in data:
        out.add(block_line, "the playbook block has no cadence (once, quarterly or annual)")
    elif "cadence" in meta and meta["cadence"] not in {c.value for c in Cadence}:
        out.add(
            at("cadence"),
            f"unknown cadence {meta['cadence']!r}: use once, quarterly or annual",
        )
        meta.pop("cadence")
    return meta


def _slice(lines: list[str], start: int, end: int, excluded: list[tuple[int, int]]) -> str:
    kept = [
        lines[i] for i in range(start, end) if not any(low <= i < high for low, high in excluded)
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def parse_playbook_text(
    text: str, path: str = "<playbook>", *, source: str = "bundled", file: Path | None = None
) -> Playbook:
    """Parse playbook Markdown; raise :class:`PlaybookError` listing every problem found."""
    out = _Collector(path)
    # Split lines the way markdown-it counts them, so line numbers and slices agree.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").parse(text)
    title: str | None = None
    title_line = 0
    meta: dict[str, str] | None = None
    intro_excluded: list[tuple[int, int]] = []
    steps: list[_StepDraft] = []
    for token in tokens:
        kind = token.info.strip()
        if token.type == "fence" and token.level != 0 and kind in ("playbook", "questions"):
            assert token.map is not None
            out.add(
                token.map[0] + 1,
                f"the {kind} block is indented inside a list or quote: "
                "start its ``` at the beginning of the line",
            )
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.map is None:
            index += 1
            continue
        line = token.map[0] + 1
        if token.type == "heading_open" and token.tag == "h1":
            heading = tokens[index + 1].content.strip()
            if title is not None:
                out.add(line, f"a second '# ' title ({heading!r}): steps are '## ' headings")
            elif steps:
                out.add(line, "the '# ' title must come before the first step")
            else:
                title, title_line = heading, line
                intro_excluded.append((token.map[0], token.map[1]))
                if not heading:
                    out.add(line, "the '# ' title is empty")
        elif token.type == "heading_open" and token.tag == "h2":
            heading = tokens[index + 1].content.strip()
            if steps:
                steps[-1].body_end = token.map[0]
            steps.append(
                _StepDraft(heading, line, token.map[1], checklist=[], excluded=[], questions=[])
            )
            if not heading:
                out.add(line, "a step heading is empty")
        elif token.type == "fence" and token.info.strip() == "playbook":
            if meta is not None:
                out.add(line, "a second playbook block: declare id, summary and cadence once")
            elif steps:
                out.add(line, "the playbook block must come before the first step")
            else:
                meta = _parse_meta(token, lines, out)
                intro_excluded.append((token.map[0], token.map[1]))
        elif token.type == "fence" and token.info.strip() == "questions":
            if not steps:
                out.add(line, "a questions block must sit inside a step (under a '## ' heading)")
            else:
                current = steps[-1]
                assert current.questions is not None and current.excluded is not None
                current.questions.extend(_parse_questions(token, lines, out))
                current.excluded.append((token.map[0], token.map[1]))
        elif token.type == "bullet_list_open" and steps:
            index = _collect_tasks(tokens, index, steps[-1])
            continue
        index += 1

    if title is None:
        out.add(1, "missing title: start the file with a '# Title' heading")
    if meta is None:
        out.add(
            title_line + 1 if title_line else 1,
            "missing playbook block: add a ```playbook block with id, summary and cadence",
        )
    if not steps:
        last_line = len(text.rstrip("\n").split("\n"))
        out.add(last_line, "no steps: each '## ' heading starts a step")
    else:
        steps[-1].body_end = len(lines)

    built_steps = _build_steps(steps, lines, out)
    if out.problems:
        raise PlaybookError(sorted(out.problems, key=lambda p: p.line))
    assert meta is not None and title is not None
    first_step = steps[0].line - 1 if steps else len(lines)
    return Playbook(
        id=meta["id"],
        title=title,
        summary=meta["summary"],
        cadence=Cadence(meta["cadence"]),
        steps=tuple(built_steps),
        intro=_slice(lines, 0, first_step, intro_excluded),
        version=meta.get("version", ""),
        kpi_share=float(meta["kpi_share"]) if "kpi_share" in meta else None,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        path=file,
        source=source,
    )


def _collect_tasks(tokens: list[Token], index: int, step: _StepDraft) -> int:
    """Take the task items of a bullet list, nested ones too; return the index after the list.

    Only an item's own text leaves the guidance: anything nested under it stays there.
    """
    assert step.checklist is not None and step.excluded is not None
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                return index + 1
        elif token.type == "list_item_open" and token.map is not None:
            paragraph = tokens[index + 1] if index + 1 < len(tokens) else None
            inline = tokens[index + 2] if index + 2 < len(tokens) else None
            if (
                paragraph is not None
                and paragraph.type == "paragraph_open"
                and paragraph.map is not None
                and inline is not None
                and inline.type == "inline"
            ):
                match = TASK_PATTERN.match(inline.content)
                if match:
                    text = " ".join(match.group(2).split())
                    step.checklist.append((text, token.map[0] + 1))
                    step.excluded.append((paragraph.map[0], paragraph.map[1]))
        index += 1
    return index


def _build_steps(drafts: list[_StepDraft], lines: list[str], out: _Collector) -> list[Step]:
    built: list[Step] = []
    step_ids: set[str] = set()
    question_ids: dict[str, int] = {}
    for draft in drafts:
        assert draft.checklist is not None and draft.questions is not None
        assert draft.excluded is not None
        item_ids: set[str] = set()
        checklist = tuple(
            ChecklistItem(_unique(slugify(text), item_ids), text, line)
            for text, line in draft.checklist
            if text
        )
        for question in draft.questions:
            if question.id in question_ids:
                out.add(
                    question.line,
                    f"duplicate question id '{question.id}' "
                    f"(first declared at line {question_ids[question.id]})",
                )
            else:
                question_ids[question.id] = question.line
        if not checklist and not draft.questions:
            out.add(draft.line, f"step '{draft.title}' has neither checklist items nor questions")
        built.append(
            Step(
                id=_unique(slugify(draft.title), step_ids),
                title=draft.title,
                guidance=_slice(lines, draft.body_start, draft.body_end, draft.excluded),
                checklist=checklist,
                questions=tuple(draft.questions),
                line=draft.line,
            )
        )
    dates = {q.id for step in built for q in step.questions if q.type is QuestionType.DATE}
    for step in built:
        for question in step.questions:
            if question.after and question.after not in dates:
                out.add(
                    question.line,
                    f"question '{question.id}': after = '{question.after}' names no date "
                    "question of this playbook",
                )
    return built


def parse_playbook_file(path: Path, *, source: str = "bundled") -> Playbook:
    """Read and parse one playbook file; unreadable files are reported like parse problems."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlaybookError([Problem(str(path), 0, "no such file")]) from None
    except IsADirectoryError:
        raise PlaybookError(
            [Problem(str(path), 0, "is a directory, not a playbook file")]
        ) from None
    except OSError as exc:
        raise PlaybookError([Problem(str(path), 0, f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlaybookError([Problem(str(path), line, "not UTF-8 text")]) from None
    return parse_playbook_text(text, str(path), source=source, file=path)
