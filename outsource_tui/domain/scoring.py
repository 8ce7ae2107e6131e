"""Scorecards: KPI attainment against the SLA, weighted ratings, one score, service credits.

Everything is read through what the playbooks declare (fed tables and weighted ratings),
never through question ids. Missing data stays missing: it is shown, not scored as zero.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from outsource_tui.domain import reviewers
from outsource_tui.domain.playbook import RATING_MAX, RATING_MIN, Playbook
from outsource_tui.domain.reported import reported_actuals
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
    credit: float = 0.0  # % of the monthly fee owed when the target is missed
    bonus: float = 0.0
    # A second tier: below (or, lower being better, above) ``floor`` the credit is
    # ``floor_credit`` instead of ``credit``.
    floor: float | None = None
    floor_credit: float = 0.0
    critical: bool = False  # a miss keeps the vendor off green whatever the rest says

    def credit_for(self, actual: float) -> float:
        """The credit owed (% of the monthly fee) for a missed period with ``actual``."""
        if self.floor is not None and self.floor_credit:
            beyond = actual > self.floor if self.direction == LOWER else actual < self.floor
            if beyond:
                return self.floor_credit
        return self.credit


@dataclass(frozen=True)
class SlaTerms:
    """The money side of an SLA: the fee credits are a share of, and their cap.

    Credits are percentages of one monthly fee; a review period's credits together are
    capped at ``credit_cap`` percent when one was agreed. With ``earn_back``, a credit
    is waived when the same KPI meets its target in the next period.
    """

    monthly_fee: float | None = None
    currency: str = ""
    credit_cap: float | None = None
    earn_back: bool = False

    def money(self, percent: float) -> float | None:
        """``percent`` of the monthly fee, when the fee is known."""
        return None if self.monthly_fee is None else self.monthly_fee * percent / 100


@dataclass(frozen=True)
class KpiLine:
    """One KPI in a scorecard: target, actual, how far it got, and its colour."""

    target: KpiTarget
    actual: float | None
    attainment: float | None
    status: str
    reported: bool = False  # the partner's own figure, standing in where we have none


@dataclass(frozen=True)
class RatingLine:
    """One weighted rating in a scorecard.

    ``rating`` is the median of every reviewer's rating (the one rating, with a single
    reviewer); ``by_reviewer`` holds each reviewer's own, ``""`` being the reviewer with no
    name, and stays empty when that reviewer is the only one, as in earlier versions.
    """

    question_id: str
    prompt: str
    weight: float
    rating: float | None
    by_reviewer: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def raters(self) -> int:
        """How many reviewers gave a rating."""
        if self.by_reviewer:
            return len(self.by_reviewer)
        return 0 if self.rating is None else 1

    @property
    def spread(self) -> int:
        """The highest rating less the lowest (0 with fewer than two reviewers)."""
        return reviewers.spread(list(self.by_reviewer.values()))

    @property
    def discuss(self) -> bool:
        """Whether the reviewers' ratings are far enough apart to talk over."""
        return self.spread >= reviewers.DISCUSS_SPREAD

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
    credit_percent: float = 0.0  # owed for this period, after the cap
    bonus_percent: float = 0.0
    notes: tuple[str, ...] = field(default=())
    credit_uncapped_percent: float = 0.0  # what the missed KPIs add up to before the cap
    credit_cap_percent: float | None = None
    earned_back_percent: float = 0.0  # last period's credits waived by this period's results
    monthly_fee: float | None = None
    currency: str = ""

    @property
    def capped(self) -> bool:
        """Whether the cap took some of this period's credits away."""
        return self.credit_uncapped_percent > self.credit_percent

    def amount(self, percent: float) -> float | None:
        """``percent`` of the monthly fee in money, when the fee is known."""
        return None if self.monthly_fee is None else self.monthly_fee * percent / 100

    @property
    def credit_amount(self) -> float | None:
        return self.amount(self.credit_percent)

    @property
    def bonus_amount(self) -> float | None:
        return self.amount(self.bonus_percent)

    @property
    def earned_back_amount(self) -> float | None:
        return self.amount(self.earned_back_percent)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, as kept with a completed review."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """Rebuild a stored scorecard; raises ``ValueError`` naming the first damaged field.

        Every field's type is checked first (see ``check_snapshot``), so a snapshot edited by
        hand is refused where it is read, not later by whatever shows it.
        """
        check_snapshot(data)
        return cls.from_checked(data)

    @classmethod
    def from_checked(cls, data: dict[str, Any]) -> Scorecard:
        """Rebuild a scorecard that ``check_snapshot`` accepted already: the snapshot of a run
        read from the store, which checks each one as it reads the run's file."""
        kpis = tuple(
            KpiLine(
                target=KpiTarget(**line["target"]),
                actual=line.get("actual"),
                attainment=line.get("attainment"),
                status=line.get("status", MISSING),
                reported=line.get("reported", False),
            )
            for line in data.get("kpis", ())
        )
        ratings = tuple(
            RatingLine(**{**line, "by_reviewer": dict(line.get("by_reviewer") or {})})
            for line in data.get("ratings", ())
        )
        simple = {k: data[k] for k in _SCORECARD_SIMPLE if k in data}
        # A snapshot kept before caps were applied owed exactly what its KPIs added up to.
        simple.setdefault("credit_uncapped_percent", simple.get("credit_percent", 0.0))
        return cls(kpis=kpis, ratings=ratings, notes=tuple(data.get("notes", ())), **simple)


# -- checking a stored scorecard ------------------------------------------------------------
# Each field allows some types (tested by identity: a bool is no number here) and a float must
# be finite. Cheap on purpose: every completed review's snapshot is checked as its run is read.

_Kind = tuple[frozenset[type], str]

_NONE: type = type(None)
_TEXT: _Kind = (frozenset({str}), "text")
_NUMBER: _Kind = (frozenset({int, float}), "a number")
_NUMBER_OR_NONE: _Kind = (frozenset({int, float, _NONE}), "a number or null")
_WHOLE_OR_NONE: _Kind = (frozenset({int, _NONE}), "a whole number or null")
_FLAG: _Kind = (frozenset({bool}), "true or false")
_LIST: _Kind = (frozenset({list, tuple}), "a list")
_RECORD: _Kind = (frozenset({dict}), "a record")

_TARGET_FIELDS: dict[str, _Kind] = {
    "kpi": _TEXT,
    "target": _NUMBER,
    "direction": _TEXT,
    "weight": _NUMBER,
    "unit": _TEXT,
    "credit": _NUMBER,
    "bonus": _NUMBER,
    "floor": _NUMBER_OR_NONE,
    "floor_credit": _NUMBER,
    "critical": _FLAG,
}
_KPI_LINE_FIELDS: dict[str, _Kind] = {
    "target": _RECORD,
    "actual": _NUMBER_OR_NONE,
    "attainment": _NUMBER_OR_NONE,
    "status": _TEXT,
    "reported": _FLAG,
}
_RATING_FIELDS: dict[str, _Kind] = {
    "question_id": _TEXT,
    "prompt": _TEXT,
    "weight": _NUMBER,
    # A median of several reviewers' ratings may be a half; see ``_check_rating``.
    "rating": (frozenset({int, float, _NONE}), _WHOLE_OR_NONE[1]),
    "by_reviewer": _RECORD,
}
_RATING_REQUIRED = ("question_id", "prompt", "weight", "rating")  # the rest have defaults
_SCORECARD_FIELDS: dict[str, _Kind] = {
    "period": _TEXT,
    "kpis": _LIST,
    "ratings": _LIST,
    "kpi_score": _NUMBER_OR_NONE,
    "rating_score": _NUMBER_OR_NONE,
    "overall": _NUMBER_OR_NONE,
    "status": _TEXT,
    "credit_percent": _NUMBER,
    "bonus_percent": _NUMBER,
    "notes": _LIST,
    "credit_uncapped_percent": _NUMBER,
    "credit_cap_percent": _NUMBER_OR_NONE,
    "earned_back_percent": _NUMBER,
    "monthly_fee": _NUMBER_OR_NONE,
    "currency": _TEXT,
}
_SCORECARD_SIMPLE = tuple(k for k in _SCORECARD_FIELDS if k not in ("kpis", "ratings", "notes"))


def _check_record(
    data: object,
    fields: dict[str, _Kind],
    what: str,
    required: tuple[str, ...],
    *,
    closed: bool = True,
) -> dict[str, Any]:
    """``data`` as a record whose known fields have their types; ``closed``: no other fields."""
    if type(data) is not dict:
        raise ValueError(f"{what} is not a record")
    for key in required:
        if key not in data:
            raise ValueError(f"{what} has no '{key}'")
    for key, value in data.items():
        kind = fields.get(key)
        if kind is None:
            if closed:
                raise ValueError(f"{what} has an unknown field {key!r}")
            continue
        found = type(value)
        if found not in kind[0]:
            raise ValueError(f"'{key}' in {what} is not {kind[1]}")
        if found is float and not math.isfinite(value):
            raise ValueError(f"'{key}' in {what} is not a finite number")
    return data


def check_snapshot(data: object) -> None:
    """Raise ``ValueError`` saying what is wrong if ``data`` is not a stored scorecard.

    Fields a later version may add at the top level are let through, as ``from_dict``
    ignores them; inside KPI and rating lines every field must be known.
    """
    card = _check_record(data, _SCORECARD_FIELDS, "the scorecard", ("period",), closed=False)
    for line in card.get("kpis", ()):
        kpi = _check_record(line, _KPI_LINE_FIELDS, "a KPI line", ("target",))
        _check_record(kpi["target"], _TARGET_FIELDS, "a KPI target", ("kpi", "target"))
    for line in card.get("ratings", ()):
        _check_rating(_check_record(line, _RATING_FIELDS, "a rating line", _RATING_REQUIRED))
    for note in card.get("notes", ()):
        if type(note) is not str:
            raise ValueError("a note in the scorecard is not text")


def _check_rating(line: dict[str, Any]) -> None:
    """A rating line's median is whole or a half, and each reviewer's rating is whole."""
    rating = line["rating"]
    if type(rating) is float and not reviewers.is_rating_median(rating):
        raise ValueError("'rating' in a rating line is not a whole number or a median of them")
    for name, value in line.get("by_reviewer", {}).items():
        if type(name) is not str or type(value) is not int:
            raise ValueError("a reviewer's rating in a rating line is not a whole number")


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
                floor=_number(row.get("floor")),
                floor_credit=_number(row.get("floor_credit")) or 0.0,
                critical=row.get("critical") is True,
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
    """The weighted ratings of a run; ``weights`` overrides the playbook's by question id.

    Each line's rating is the median of every reviewer's (see ``domain/reviewers.py``): the
    one place it is worked out, for scorecards and the candidate comparison alike.
    """
    lines = []
    for question in playbook.scored_questions():
        given = reviewers.ratings_given(run, question.id)
        rating = reviewers.median(list(given.values()))
        weight = (weights or {}).get(question.id, question.weight or 0.0)
        by = {} if list(given) == [""] else given  # one reviewer with no name: as before
        lines.append(RatingLine(question.id, question.prompt, weight, rating, by))
    return lines


def rating_score(lines: list[RatingLine]) -> float | None:
    """The weighted 0-100 score of the rated lines (unrated ones are left out)."""
    return weighted_mean([(line.score, line.weight) for line in lines if line.score is not None])


def standing_actual(
    target: KpiTarget, ours: dict[str, float | None], theirs: dict[str, float]
) -> tuple[float | None, bool]:
    """The KPI's figure for the period: ours, always first; where we have none, the one
    the partner reported in the review pack (then True: it is theirs)."""
    actual = ours.get(name_key(target.kpi))
    if actual is None and name_key(target.kpi) in theirs:
        return theirs[name_key(target.kpi)], True
    return actual, False


def compute_scorecard(
    period: str,
    review_playbook: Playbook,
    review_run: Run | None,
    targets: list[KpiTarget],
    thresholds: Thresholds,
    terms: SlaTerms | None = None,
    previous: Scorecard | None = None,
) -> Scorecard:
    """A period's scorecard from the SLA's targets and that period's review run.

    ``terms`` bring the monthly fee, the credit cap and earn-back; ``previous`` is the
    scorecard of the period before, whose credits this period can earn back.
    """
    terms = terms or SlaTerms()
    actuals = kpi_actuals(review_playbook, review_run) if review_run else {}
    theirs = reported_actuals(review_run) if review_run else {}  # from the review pack
    lines = []
    credit = bonus = 0.0
    for target in targets:
        actual, reported = standing_actual(target, actuals, theirs)
        reached = (
            attainment(target.target, actual, target.direction) if actual is not None else None
        )
        status = kpi_status(reached, thresholds)
        if actual is not None and reached is not None and reached < 1.0:  # missed
            credit += target.credit_for(actual)
        if reached is not None and reached > 1.0:
            bonus += target.bonus
        lines.append(KpiLine(target, actual, reached, status, reported))
    owed = credit if terms.credit_cap is None else min(credit, terms.credit_cap)
    earned_back = _earned_back(lines, previous) if terms.earn_back else 0.0
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
    partner = [line.target.kpi for line in lines if line.reported]
    if partner:
        notes.append(f"Reported by the partner, with no figure of ours: {', '.join(partner)}.")
    status = score_status(overall, thresholds)
    measured = [line for line in lines if line.attainment is not None]
    missed = [line for line in measured if line.attainment is not None and line.attainment < 1.0]
    critical = [line.target.kpi for line in missed if line.target.critical]
    if status == GREEN and critical:
        status = AMBER
        notes.append(f"Not on track: the critical KPI {', '.join(critical)} missed its target.")
    elif status == GREEN and measured and len(missed) == len(measured):
        status = AMBER
        notes.append("Not on track: every KPI missed its target.")
    if owed < credit:
        notes.append(
            f"Credits capped at {_percent(owed)} of the monthly fee "
            f"(the missed KPIs add up to {_percent(credit)})."
        )
    return Scorecard(
        period=period,
        kpis=tuple(lines),
        ratings=tuple(ratings),
        kpi_score=kpi_part,
        rating_score=rating_part,
        overall=overall,
        status=status,
        credit_percent=owed,
        bonus_percent=bonus,
        notes=tuple(notes),
        credit_uncapped_percent=credit,
        credit_cap_percent=terms.credit_cap,
        earned_back_percent=earned_back,
        monthly_fee=terms.monthly_fee,
        currency=terms.currency,
    )


def _percent(value: float) -> str:
    return f"{value:g} %"


def _earned_back(lines: list[KpiLine], previous: Scorecard | None) -> float:
    """Last period's credits waived because their KPIs meet the target in this one.

    Never more than what last period actually owed after its cap.
    """
    if previous is None or not previous.credit_percent:
        return 0.0
    met_now = {
        name_key(line.target.kpi)
        for line in lines
        if line.attainment is not None and line.attainment >= 1.0
    }
    waived = sum(
        line.target.credit_for(line.actual)
        for line in previous.kpis
        if line.actual is not None
        and line.attainment is not None
        and line.attainment < 1.0
        and name_key(line.target.kpi) in met_now
    )
    return min(waived, previous.credit_percent)


def open_action_items(playbook: Playbook, run: Run) -> list[dict[str, Any]]:
    """Rows of a run's action-item tables whose status is not done or dropped."""
    return [
        row
        for row in _rows(playbook, run, "action-items")
        if str(row.get("status") or "open").strip().lower() not in ("done", "dropped")
    ]
