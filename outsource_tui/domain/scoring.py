"""Scorecards: KPI attainment against the SLA, weighted ratings, one score, service credits.

Everything is read through what the playbooks declare (fed tables and weighted ratings),
never through question ids. Missing data stays missing: it is shown, not scored as zero.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.settings import Thresholds
from outsource_tui.domain.vendor import name_key

GREEN, AMBER, RED, MISSING = "green", "amber", "red", "missing"
HIGHER, LOWER = "higher is better", "lower is better"
DEFAULT_KPI_SHARE = 50.0


@dataclass(frozen=True)
class KpiTarget:
    """One KPI as agreed in the SLA."""

    kpi: str
    target: float
    direction: str = HIGHER
    weight: float = 1.0
    unit: str = ""
    credit: float = 0.0
    bonus: float = 0.0


@dataclass(frozen=True)
class KpiLine:
    """One KPI in a scorecard: target, actual, how far it got, and its colour."""

    target: KpiTarget
    actual: float | None
    attainment: float | None
    status: str


@dataclass(frozen=True)
class RatingLine:
    """One weighted rating in a scorecard."""

    question_id: str
    prompt: str
    weight: float
    rating: int | None

    @property
    def score(self) -> float | None:
        """The rating on a 0-100 scale."""
        if self.rating is None:
            return None
        return 100 * (self.rating - RATING_MIN) / (RATING_MAX - RATING_MIN)


@dataclass(frozen=True)
class Scorecard:
    """A vendor's results for one review period."""

    period: str
    kpis: tuple[KpiLine, ...] = ()
    ratings: tuple[RatingLine, ...] = ()
    kpi_score: float | None = None
    rating_score: float | None = None
    overall: float | None = None
    status: str = MISSING
    credit_percent: float = 0.0
    bonus_percent: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, as kept with a completed review."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """Rebuild a stored scorecard."""
        kpis = tuple(
            KpiLine(
                target=KpiTarget(**line["target"]),
                actual=line.get("actual"),
                attainment=line.get("attainment"),
                status=line.get("status", MISSING),
            )
            for line in data.get("kpis", [])
        )
        ratings = tuple(RatingLine(**line) for line in data.get("ratings", []))
        simple = {
            k: data[k]
            for k in (
                "period",
                "kpi_score",
                "rating_score",
                "overall",
                "status",
                "credit_percent",
                "bonus_percent",
            )
            if k in data
        }
        return cls(kpis=kpis, ratings=ratings, notes=tuple(data.get("notes", ())), **simple)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _rows(playbook: Playbook, run: Run, feed: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for question in playbook.fed_tables(feed):
        value = run.answers.get(question.id)
        if isinstance(value, list):
            rows.extend(r for r in value if isinstance(r, dict))
    return rows


def kpi_targets(playbook: Playbook, run: Run) -> list[KpiTarget]:
    """The KPIs agreed in an SLA run (rows of its kpi-targets tables)."""
    targets = []
    for row in _rows(playbook, run, "kpi-targets"):
        name, target = row.get("kpi"), _number(row.get("target"))
        if not isinstance(name, str) or not name.strip() or target is None:
            continue
        direction = row.get("direction")
        targets.append(
            KpiTarget(
                kpi=name.strip(),
                target=target,
                direction=direction if direction in (HIGHER, LOWER) else HIGHER,
                weight=max(0.0, _number(row.get("weight")) or 0.0),
                unit=str(row.get("unit") or ""),
                credit=_number(row.get("credit")) or 0.0,
                bonus=_number(row.get("bonus")) or 0.0,
            )
        )
    return targets


def kpi_actuals(playbook: Playbook, run: Run) -> dict[str, float | None]:
    """The results entered in a review run, by KPI name (case and spacing ignored)."""
    actuals: dict[str, float | None] = {}
    for row in _rows(playbook, run, "kpi-actuals"):
        name = row.get("kpi")
        if isinstance(name, str) and name.strip():
            actuals[name_key(name)] = _number(row.get("actual"))
    return actuals


def attainment(target: float, actual: float, direction: str) -> float | None:
    """How far ``actual`` reached ``target``: 1.0 means exactly met, above 1.0 beat it.

    For lower-is-better KPIs the ratio is inverted; a zero actual then beats any target.
    A target of zero or below (a net score, say) is measured by the distance from it instead.
    """
    if target <= 0:
        gap = (actual - target) if direction != LOWER else (target - actual)
        scale = max(abs(target), 1.0)
        return 1.0 if gap >= 0 else max(0.0, 1.0 + gap / scale)
    if direction == LOWER:
        if actual <= 0:
            return 2.0
        return target / actual
    return actual / target


def kpi_status(value: float | None, thresholds: Thresholds) -> str:
    """Green when the target is met, amber when close, red otherwise; missing without data."""
    if value is None:
        return MISSING
    if value >= thresholds.kpi_green:
        return GREEN
    return AMBER if value >= thresholds.kpi_amber else RED


def score_status(score: float | None, thresholds: Thresholds) -> str:
    """The colour of an overall 0-100 score."""
    if score is None:
        return MISSING
    if score >= thresholds.score_green:
        return GREEN
    return AMBER if score >= thresholds.score_amber else RED


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """The mean of (value, weight) pairs; equal weights when every weight is zero."""
    if not pairs:
        return None
    total = sum(w for _, w in pairs)
    if total <= 0:
        return sum(v for v, _ in pairs) / len(pairs)
    return sum(v * w for v, w in pairs) / total


def rating_lines(
    playbook: Playbook, run: Run, weights: dict[str, float] | None = None
) -> list[RatingLine]:
    """The weighted ratings of a run; ``weights`` overrides the playbook's by question id."""
    lines = []
    for question in playbook.scored_questions():
        value = run.answers.get(question.id)
        rating = int(value) if isinstance(value, int) and not isinstance(value, bool) else None
        weight = (weights or {}).get(question.id, question.weight or 0.0)
        lines.append(RatingLine(question.id, question.prompt, weight, rating))
    return lines


def rating_score(lines: list[RatingLine]) -> float | None:
    """The weighted 0-100 score of the rated lines (unrated ones are left out)."""
    return weighted_mean([(line.score, line.weight) for line in lines if line.score is not None])


def compute_scorecard(
    period: str,
    review_playbook: Playbook,
    review_run: Run | None,
    targets: list[KpiTarget],
    thresholds: Thresholds,
) -> Scorecard:
    """A period's scorecard from the SLA's targets and that period's review run."""
    actuals = kpi_actuals(review_playbook, review_run) if review_run else {}
    lines = []
    credit = bonus = 0.0
    for target in targets:
        actual = actuals.get(name_key(target.kpi))
        reached = (
            attainment(target.target, actual, target.direction) if actual is not None else None
        )
        status = kpi_status(reached, thresholds)
        if reached is not None and reached < 1.0:  # the agreed level was missed
            credit += target.credit
        if reached is not None and reached > 1.0:
            bonus += target.bonus
        lines.append(KpiLine(target, actual, reached, status))
    kpi_part = weighted_mean(
        [
            (100 * min(line.attainment, 1.0), line.target.weight)
            for line in lines
            if line.attainment is not None
        ]
    )
    ratings = rating_lines(review_playbook, review_run) if review_run else []
    rating_part = rating_score(ratings)
    share = (
        review_playbook.kpi_share if review_playbook.kpi_share is not None else DEFAULT_KPI_SHARE
    )
    overall: float | None
    if kpi_part is not None and rating_part is not None:
        overall = (share * kpi_part + (100 - share) * rating_part) / 100
    else:
        overall = kpi_part if kpi_part is not None else rating_part
    notes = []
    if not targets:
        notes.append("No KPI targets yet: complete the SLA and KPIs playbook.")
    if review_run is None:
        notes.append(f"No review for {period} yet.")
    missing = [line.target.kpi for line in lines if line.status == MISSING]
    if missing and review_run is not None:
        notes.append("No result for: " + ", ".join(missing) + ".")
    return Scorecard(
        period=period,
        kpis=tuple(lines),
        ratings=tuple(ratings),
        kpi_score=kpi_part,
        rating_score=rating_part,
        overall=overall,
        status=score_status(overall, thresholds),
        credit_percent=credit,
        bonus_percent=bonus,
        notes=tuple(notes),
    )


def open_action_items(playbook: Playbook, run: Run) -> list[dict[str, Any]]:
    """Rows of a run's action-item tables whose status is not done or dropped."""
    return [
        row
        for row in _rows(playbook, run, "action-items")
        if str(row.get("status") or "open").strip().lower() not in ("done", "dropped")
    ]
