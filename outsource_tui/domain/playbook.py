"""The playbook model: a playbook has steps; a step has guidance, checklist items and questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Cadence(StrEnum):
    """How often a playbook is meant to be walked for one vendor."""

    ONCE = "once"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class QuestionType(StrEnum):
    """The kinds of answer a question can ask for."""

    TEXT = "text"
    LONG_TEXT = "long-text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi-choice"
    YES_NO = "yes-no"
    RATING = "rating"
    TABLE = "table"
    TIMEZONE = "timezone"


# Types a table column may have: one value per cell.
COLUMN_TYPES = frozenset(
    {
        QuestionType.TEXT,
        QuestionType.NUMBER,
        QuestionType.DATE,
        QuestionType.CHOICE,
        QuestionType.YES_NO,
        QuestionType.RATING,
    }
)

DIRECTION_OPTIONS = ("higher is better", "lower is better")

# What a single answer can stand for, so features can find it without knowing question ids.
ROLES = frozenset({"our-hours-start", "our-hours-end", "their-hours-start", "their-hours-end"})
# The roles (facts) whose answer is a time of day: checked as one when answered.
HOUR_ROLES = frozenset({"our-hours-start", "our-hours-end", "their-hours-start", "their-hours-end"})
CHECKS = frozenset({"smart"})  # live checks a text question can ask for
DECISION_ROLE = "contract-decision"  # a choice where renew, renegotiate or exit is decided


@dataclass(frozen=True)
class FeedColumn:
    """A column a fed table must (or may) have, and the types it may take."""

    id: str
    types: frozenset[QuestionType]
    required: bool = True


# What a table question can feed: scorecards and reviews read these tables by column id,
# so code never needs to know a playbook's question ids.
FEEDS: dict[str, tuple[FeedColumn, ...]] = {
    "kpi-targets": (
        FeedColumn("kpi", frozenset({QuestionType.TEXT})),
        FeedColumn("target", frozenset({QuestionType.NUMBER})),
        FeedColumn("direction", frozenset({QuestionType.CHOICE})),
        FeedColumn("weight", frozenset({QuestionType.NUMBER})),
        FeedColumn("unit", frozenset({QuestionType.TEXT}), required=False),
        FeedColumn("credit", frozenset({QuestionType.NUMBER}), required=False),
        FeedColumn("bonus", frozenset({QuestionType.NUMBER}), required=False),
        FeedColumn("floor", frozenset({QuestionType.NUMBER}), required=False),
        FeedColumn("floor_credit", frozenset({QuestionType.NUMBER}), required=False),
        FeedColumn("critical", frozenset({QuestionType.YES_NO}), required=False),
    ),
    "kpi-actuals": (
        FeedColumn("kpi", frozenset({QuestionType.TEXT})),
        FeedColumn("actual", frozenset({QuestionType.NUMBER})),
    ),
    "action-items": (
        FeedColumn("action", frozenset({QuestionType.TEXT})),
        FeedColumn("owner", frozenset({QuestionType.TEXT})),
        FeedColumn("due", frozenset({QuestionType.DATE})),
        FeedColumn("status", frozenset({QuestionType.CHOICE}), required=False),
    ),
}


RATING_MIN = 1
RATING_MAX = 5


@dataclass(frozen=True)
class Question:
    """One question of a step. ``id`` is unique within its playbook and keys the stored answer."""

    id: str
    type: QuestionType
    prompt: str
    required: bool = False
    help: str = ""
    options: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str = ""
    integer: bool = False  # a number question that takes whole numbers only
    exclusive: tuple[str, ...] = ()  # multi-choice options that cannot go with any other
    columns: tuple[Question, ...] = ()
    weight: float | None = None
    feeds: str = ""
    check: str = ""
    role: str = ""
    risks: tuple[tuple[str, str], ...] = ()  # (answer, risk and how to bridge it)
    remind: str = ""  # a date question: what is due that day, for due and the calendar
    after: str = ""  # a date question: the id of a date question it cannot come before
    line: int = 0

    @property
    def scored(self) -> bool:
        """Whether this answer counts towards a weighted score."""
        return self.weight is not None


@dataclass(frozen=True)
class ChecklistItem:
    """A task to tick off. ``id`` is derived from the text and unique within its step."""

    id: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class Step:
    """One heading of a playbook: what to read, what to tick, what to answer."""

    id: str
    title: str
    guidance: str
    checklist: tuple[ChecklistItem, ...] = ()
    questions: tuple[Question, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Playbook:
    """A parsed playbook file."""

    id: str
    title: str
    summary: str
    cadence: Cadence
    steps: tuple[Step, ...]
    intro: str = ""
    version: str = ""
    kpi_share: float | None = None  # percent of the overall score that KPIs carry
    digest: str = ""
    path: Path | None = None
    source: str = "bundled"
    questions_by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.questions_by_id:
            for step in self.steps:
                for question in step.questions:
                    self.questions_by_id[question.id] = question

    @property
    def checklist_total(self) -> int:
        """How many checklist items the whole playbook has."""
        return sum(len(step.checklist) for step in self.steps)

    def scored_questions(self) -> list[Question]:
        """The rating questions that carry a weight, in playbook order."""
        return [q for step in self.steps for q in step.questions if q.scored]

    def question_with_role(self, role: str) -> Question | None:
        """The question that stands for ``role`` (such as 'their-hours-start'), if any."""
        for step in self.steps:
            for question in step.questions:
                if question.role == role:
                    return question
        return None

    def fed_tables(self, feed: str) -> list[Question]:
        """The table questions that feed ``feed`` (such as 'kpi-targets')."""
        return [q for step in self.steps for q in step.questions if q.feeds == feed]

    @property
    def question_count(self) -> int:
        """How many questions the whole playbook asks."""
        return sum(len(step.questions) for step in self.steps)
