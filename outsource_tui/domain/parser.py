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
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from outsource_tui.domain.playbook import (
    Cadence,
    ChecklistItem,
    Playbook,
    Question,
    QuestionType,
    Step,
)
from outsource_tui.errors import UserError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TASK_PATTERN = re.compile(r"^\[( |x|X)\]\s+(.*)$", re.DOTALL)
TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")
QUESTION_HEADER = re.compile(r"^\s*\[\[\s*question\s*\]\]\s*(#.*)?$")

META_KEYS = {"id", "summary", "cadence", "version"}
QUESTION_KEYS = {"id", "type", "prompt", "required", "help", "options", "min", "max", "unit"}
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


def slugify(text: str) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


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


def _key_line(block_lines: list[str], start: int, end: int, key: str, default: int) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(start, end):
        if pattern.match(block_lines[index]):
            return index
    return default


def _header_lines(block_lines: list[str]) -> list[int]:
    """Indexes of the ``[[question]]`` lines, skipping any inside a multi-line string."""
    headers: list[int] = []
    open_quote: str | None = None
    for index, text in enumerate(block_lines):
        if open_quote is None and QUESTION_HEADER.match(text):
            headers.append(index)
        for quote in re.findall(r'"""|\'\'\'', text):
            if open_quote is None:
                open_quote = quote
            elif quote == open_quote:
                open_quote = None
    return headers


def _parse_questions(token: Token, lines: list[str], out: _Collector) -> list[Question]:
    data, first = _toml_block(token, lines, out, "questions")
    if data is None:
        return []
    block_lines = token.content.splitlines()
    headers = _header_lines(block_lines)
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
    for index, raw in enumerate(raw_questions):
        start = headers[index] if index < len(headers) else 0
        end = headers[index + 1] if index + 1 < len(headers) else len(block_lines)
        header_line = first + start

        def at(key: str, _s: int = start, _e: int = end, _h: int = header_line) -> int:
            return first + _key_line(block_lines, _s, _e, key, _h - first)

        question = _parse_question(raw, at, header_line, out)
        if question is not None:
            questions.append(question)
    return questions


def _parse_question(raw: Any, at: Any, header_line: int, out: _Collector) -> Question | None:
    if not isinstance(raw, dict):
        out.add(header_line, "each question must be a [[question]] table")
        return None
    ok = True
    for key in raw:
        if key not in QUESTION_KEYS:
            known = ", ".join(sorted(QUESTION_KEYS))
            out.add(at(key), f"unknown key '{key}' in question (known keys: {known})")
            ok = False
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        if qid is None:
            out.add(header_line, "question has no id")
        else:
            out.add(at("id"), f"question id {qid!r} must be lower-case letters, digits, - or _")
        return None
    raw_type = raw.get("type")
    try:
        qtype = QuestionType(raw_type)
    except ValueError:
        if raw_type is None:
            out.add(header_line, f"question '{qid}' has no type")
        else:
            kinds = ", ".join(t.value for t in QuestionType)
            out.add(
                at("type"), f"question '{qid}' has unknown type {raw_type!r} (use one of: {kinds})"
            )
        return None
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        out.add(at("prompt"), f"question '{qid}' needs a prompt: the text the user is asked")
        ok = False
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(at("required"), f"question '{qid}': required must be true or false")
        ok = False
    help_text = raw.get("help", "")
    if not isinstance(help_text, str):
        out.add(at("help"), f"question '{qid}': help must be text")
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
                at("options"),
                f"question '{qid}' ({qtype.value}) needs options: a list of at least two texts",
            )
            ok = False
        elif len({o.strip().casefold() for o in raw_options}) != len(raw_options):
            out.add(at("options"), f"question '{qid}' lists the same option twice")
            ok = False
        else:
            options = tuple(o.strip() for o in raw_options)
    elif "options" in raw:
        out.add(at("options"), f"question '{qid}': options only apply to choice and multi-choice")
        ok = False
    bounds: dict[str, float | None] = {"min": None, "max": None}
    for key in ("min", "max"):
        if key not in raw:
            continue
        value = raw[key]
        if qtype is not QuestionType.NUMBER:
            out.add(at(key), f"question '{qid}': {key} only applies to number questions")
            ok = False
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            out.add(at(key), f"question '{qid}': {key} must be a number")
            ok = False
        else:
            bounds[key] = float(value)
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low > high:
        out.add(at("max"), f"question '{qid}': max is below min")
        ok = False
    unit = raw.get("unit", "")
    if "unit" in raw and (qtype is not QuestionType.NUMBER or not isinstance(unit, str)):
        out.add(at("unit"), f"question '{qid}': unit is text and only applies to number questions")
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
        line=header_line,
    )


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
    lines = text.splitlines()
    tokens = MarkdownIt("commonmark").parse(text)
    title: str | None = None
    title_line = 0
    meta: dict[str, str] | None = None
    intro_excluded: list[tuple[int, int]] = []
    steps: list[_StepDraft] = []
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
        out.add(len(lines) or 1, "no steps: each '## ' heading starts a step")
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
