"""A run: one walk of a playbook for one vendor, with its answers and ticked items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from outsource_tui.domain.answers import Answer, is_answered
from outsource_tui.domain.playbook import Playbook, Question, Step


@dataclass
class Run:
    """A playbook walk as stored. Answers are keyed by question id, ticks by ``step/item`` id."""

    id: str
    vendor_id: str
    playbook_id: str
    playbook_digest: str
    playbook_title: str
    started_at: str
    updated_at: str = ""
    completed_at: str = ""
    step_index: int = 0
    step_id: str = ""
    period: str = ""
    abandoned_at: str = ""  # set when the user gave the run up: it then counts for nothing
    snapshot: dict[str, Any] | None = None  # the scorecard as it stood when completed
    answers: dict[str, Answer] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    # Weighted ratings of named reviewers, reviewer -> question id -> rating, each kept apart
    # (see domain/reviewers.py); a run without any reads as {}.
    ratings_by: dict[str, dict[str, Answer]] = field(default_factory=dict)
    # What the partner reported through the review pack, kept apart from our own answers
    # (see domain/reported.py); a run without any reads as {}.
    reported: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        """Whether the run was finished."""
        return bool(self.completed_at)

    @property
    def abandoned(self) -> bool:
        """Whether the run was given up."""
        return bool(self.abandoned_at)


def resume_index(playbook: Playbook, run: Run) -> int:
    """The step to reopen a run on: the one it was on, found by id if the playbook changed."""
    for index, step in enumerate(playbook.steps):
        if run.step_id and step.id == run.step_id:
            return index
    return max(0, min(run.step_index, len(playbook.steps) - 1))


def check_key(step: Step, item_id: str) -> str:
    """The key a ticked checklist item is stored under."""
    return f"{step.id}/{item_id}"


@dataclass(frozen=True)
class StepProgress:
    """How far one step got."""

    step: Step
    checked: int
    checklist_total: int
    answered: int
    question_total: int
    missing_required: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """How far a run got, step by step and overall."""

    steps: tuple[StepProgress, ...]

    @property
    def checked(self) -> int:
        return sum(s.checked for s in self.steps)

    @property
    def checklist_total(self) -> int:
        return sum(s.checklist_total for s in self.steps)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.steps)

    @property
    def question_total(self) -> int:
        return sum(s.question_total for s in self.steps)

    @property
    def checklist_percent(self) -> int:
        """Checklist completion as a whole percentage (100 when there is nothing to tick)."""
        if not self.checklist_total:
            return 100
        return round(100 * self.checked / self.checklist_total)

    def first_missing(self) -> tuple[int, str] | None:
        """The step index and question id of the first required question left blank."""
        for index, step in enumerate(self.steps):
            if step.missing_required:
                return index, step.missing_required[0]
        return None


def _answered(run: Run, question: Question) -> bool:
    """Answered in the run, or, for a weighted rating, rated by any named reviewer."""
    if is_answered(run.answers.get(question.id)):
        return True
    return question.scored and any(
        is_answered(own.get(question.id)) for own in run.ratings_by.values()
    )


def progress(playbook: Playbook, run: Run) -> Progress:
    """Count ticks and answers of ``run`` against what ``playbook`` asks for now."""
    rows = []
    for step in playbook.steps:
        checked = sum(1 for item in step.checklist if check_key(step, item.id) in run.checked)
        answered = sum(1 for q in step.questions if _answered(run, q))
        missing = tuple(q.id for q in step.questions if q.required and not _answered(run, q))
        rows.append(
            StepProgress(step, checked, len(step.checklist), answered, len(step.questions), missing)
        )
    return Progress(tuple(rows))


def latest_runs(runs: list[Run]) -> dict[str, Run]:
    """Per playbook id, the run to show: the newest open one, else the newest completed one.

    ``runs`` must be oldest first.
    """
    latest: dict[str, Run] = {}
    for run in runs:
        shown = latest.get(run.playbook_id)
        if shown is None or not run.completed or shown.completed:
            latest[run.playbook_id] = run
    return latest
