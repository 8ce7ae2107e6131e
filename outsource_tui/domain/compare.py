"""Candidate comparison: rank candidates by weighted ratings, and see what a weight change does."""

from __future__ import annotations

from dataclasses import dataclass

from outsource_tui.domain.playbook import Playbook, Question
from outsource_tui.domain.run import Run
from outsource_tui.domain.scoring import RatingLine, rating_lines, rating_score


@dataclass(frozen=True)
class Ranked:
    """One candidate's place in a comparison."""

    vendor_id: str
    name: str
    score: float | None
    lines: tuple[RatingLine, ...]

    @property
    def rated(self) -> int:
        """How many criteria this candidate was rated on."""
        return sum(1 for line in self.lines if line.rating is not None)

    @property
    def evaluators(self) -> list[str]:
        """Who rated this candidate, when several did ('' is the evaluator with no name)."""
        names: dict[str, None] = {}
        for line in self.lines:
            names.update(dict.fromkeys(line.by_reviewer))
        return list(names)


def criteria(playbook: Playbook) -> list[Question]:
    """The weighted criteria candidates are compared on, as the playbook declares them."""
    return playbook.scored_questions()


def rank(
    playbook: Playbook,
    candidates: list[tuple[str, str, Run]],
    weights: dict[str, float] | None = None,
) -> list[Ranked]:
    """Candidates (vendor id, name, selection run) best first; unscored ones last.

    ``weights`` replaces the playbook's weights by question id; stored ratings are untouched.
    With several evaluators, each criterion counts the median of their ratings (worked out
    in ``scoring.rating_lines``, as for a scorecard).
    Ties keep the order by name, so the ranking is stable.
    """
    ranked = []
    for vendor_id, name, run in candidates:
        lines = rating_lines(playbook, run, weights)
        ranked.append(Ranked(vendor_id, name, rating_score(lines), tuple(lines)))
    return sorted(
        ranked,
        key=lambda r: (r.score is None, -(r.score or 0.0), r.name.casefold()),
    )


def lead(ranking: list[Ranked]) -> float | None:
    """How many points the leader is ahead of the runner-up."""
    scored = [r.score for r in ranking if r.score is not None]
    if len(scored) < 2:
        return None
    return scored[0] - scored[1]


def order(ranking: list[Ranked]) -> list[str]:
    """The vendor ids in ranked order."""
    return [r.vendor_id for r in ranking]
