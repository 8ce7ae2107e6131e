"""Several reviewers: who is rating, each reviewer's own ratings, their median and spread.

A weighted rating (a scored question) is given by each reviewer on their own. A reviewer
with no name is the single reviewer of earlier versions: their rating is the run's answer,
as before. A named reviewer's ratings are kept beside the answers, per reviewer, and never
overwrite another's. The scorecard and the candidate comparison take the median of every
rating given, and flag a criterion whose ratings are far apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from outsource_tui.domain.answers import Answer
from outsource_tui.domain.labels import rated
from outsource_tui.domain.playbook import Playbook, Question
from outsource_tui.errors import ValidationError

if TYPE_CHECKING:
    from outsource_tui.domain.run import Run
    from outsource_tui.domain.scoring import RatingLine

NAME_MAX = 40  # characters in a reviewer's name
DISCUSS_SPREAD = 2  # ratings this many points apart (or more) are to be talked over
FLAG = "⚑"
UNNAMED = "(no name)"  # how the reviewer who set no name is shown beside named ones

RatingsBy = dict[str, dict[str, Answer]]  # reviewer -> question id -> rating


def check_name(text: str) -> str:
    """A reviewer's name as kept: trimmed, one line of at most ``NAME_MAX`` characters."""
    import unicodedata  # only when a name is given

    name = " ".join(text.split())
    if not name:
        raise ValidationError("a reviewer's name cannot be blank")
    if len(name) > NAME_MAX:
        raise ValidationError(f"a reviewer's name is at most {NAME_MAX} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError("a reviewer's name cannot hold control characters")
    return name


def name_key(name: str) -> str:
    """What makes two spellings the same reviewer: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def stored_name(names: Iterable[object], name: str) -> str:
    """The spelling ``name`` is already kept under among ``names``, else ``name`` itself."""
    key = name_key(name)
    for known in names:
        if isinstance(known, str) and name_key(known) == key:
            return known
    return name


def is_rating(question: Question) -> bool:
    """Whether each reviewer gives this answer on their own: a weighted rating."""
    return question.scored


def rating_value(value: object) -> int | None:
    """A stored rating as a number to count, or ``None`` for no (or a damaged) rating."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def own_ratings(run: Run, reviewer: str) -> dict[str, Answer]:
    """The ratings ``reviewer`` gave in ``run``, by question id (none for no name)."""
    if not reviewer:
        return {}
    return dict(run.ratings_by.get(stored_name(run.ratings_by, reviewer), {}))


def own_view(playbook: Playbook, run: Run, reviewer: str) -> dict[str, Answer]:
    """The run's answers as ``reviewer`` sees them: every weighted rating is their own.

    With no name, the answers as stored, as in earlier versions.
    """
    if not reviewer:
        return run.answers
    own = own_ratings(run, reviewer)
    shown = dict(run.answers)
    for question in playbook.scored_questions():
        if question.id in own:
            shown[question.id] = own[question.id]
        else:
            shown.pop(question.id, None)
    return shown


def set_rating(ratings_by: RatingsBy, reviewer: str, question_id: str, value: Answer) -> None:
    """Keep (or, with ``None``, drop) one reviewer's rating in ``ratings_by``, in place."""
    name = stored_name(ratings_by, reviewer)
    if value is None:
        own = ratings_by.get(name, {})
        own.pop(question_id, None)
        if not own:
            ratings_by.pop(name, None)
        return
    ratings_by.setdefault(name, {})[question_id] = value


def ratings_given(run: Run, question_id: str) -> dict[str, int]:
    """Every rating given for one question, by reviewer; ``""`` is the reviewer with no name."""
    given: dict[str, int] = {}
    unnamed = rating_value(run.answers.get(question_id))
    if unnamed is not None:
        given[""] = unnamed
    for reviewer, ratings in run.ratings_by.items():
        value = rating_value(ratings.get(question_id))
        if value is not None:
            given[reviewer] = value
    return given


def median(values: list[int]) -> float | None:
    """The middle rating (the mean of the two middle ones for an even count); whole
    medians come back as ``int``, so a single rating is shown exactly as given."""
    if not values:
        return None
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    pair = ordered[half - 1] + ordered[half]
    return pair // 2 if pair % 2 == 0 else pair / 2


def spread(values: list[int]) -> int:
    """How many points separate the highest rating from the lowest (0 for one rating)."""
    return max(values) - min(values) if values else 0


def is_rating_median(value: float) -> bool:
    """Whether ``value`` can be a median of whole ratings: whole or a half."""
    return float(2 * value).is_integer()


# -- words: the scorecard screen, the CLI, the reports and the comparison all say it so ------


def rating_as(playbook: Playbook, reviewer: str) -> str:
    """' · rating as Ana' for a named reviewer of a playbook with weighted ratings."""
    if reviewer and playbook.scored_questions():
        return f" · rating as {reviewer}"
    return ""


def rater_line(reviewer: str) -> str:
    """Beside a step's ratings: whose they are, and what is made of them."""
    return (
        f"Rating as {reviewer}: these ratings are yours alone; the scorecard takes the "
        "median of every reviewer's."
    )


def reviewer_label(name: str) -> str:
    """A reviewer as shown beside others."""
    return name or UNNAMED


def several(line: RatingLine) -> bool:
    """Whether more than one reviewer rated this criterion (only then are counts shown)."""
    return line.raters > 1


def raters_text(line: RatingLine) -> str:
    """'3 reviewers'."""
    return f"{line.raters} reviewer" + ("" if line.raters == 1 else "s")


def discuss_words(gap: int) -> str:
    """'discuss: ratings differ by 3' when ratings are ``gap`` points apart and that is
    enough to talk over, else ''."""
    return f"discuss: ratings differ by {gap}" if gap >= DISCUSS_SPREAD else ""


def discuss_text(line: RatingLine) -> str:
    """``discuss_words`` for one criterion of a scorecard or a comparison."""
    return discuss_words(line.spread)


def spread_text(line: RatingLine) -> str:
    """The spread, with the flag and its words when the ratings are far apart."""
    if line.discuss:
        return f"{line.spread} {FLAG} {discuss_text(line)}"
    return str(line.spread)


def spread_mark(line: RatingLine) -> str:
    """The spread in a narrow column: '3 ⚑' when the ratings are far apart (the words go
    beside the table)."""
    return f"{line.spread} {FLAG}" if line.discuss else str(line.spread)


def by_text(line: RatingLine) -> str:
    """'Ana 2, Ben 5, Cy 4': who gave which rating."""
    return ", ".join(f"{reviewer_label(name)} {value}" for name, value in line.by_reviewer.items())


def median_text(line: RatingLine) -> str:
    """'median of 3 reviewers, spread 3 ⚑ discuss: ratings differ by 3 (Ana 2, Ben 5, Cy 4)',
    or '' when a single reviewer rated."""
    if not several(line):
        return ""
    return f"median of {raters_text(line)}, spread {spread_text(line)} ({by_text(line)})"


CELL_LEGEND = (
    f"Rated by several: the median (how many rated, spread from lowest to highest); {FLAG} to "
    "discuss."
)


def cell_text(line: RatingLine) -> str:
    """A rating in a narrow cell: '3.5 (2, spread 3 ⚑)' with several reviewers, read with
    ``CELL_LEGEND``; a single rating as everywhere, '4 / 5'."""
    if not several(line):
        return rated(line.rating)
    median_shown = "—" if line.rating is None else f"{line.rating:g}"
    return f"{median_shown} ({line.raters}, spread {spread_mark(line)})"


def answer_text(run: Run, question_id: str) -> str:
    """A weighted rating in a run's summary, once a named reviewer has rated it:
    'Ana 2, Ben 5, Cy 4; median 4 (discuss: ratings differ by 3)'; else ''."""
    given = ratings_given(run, question_id)
    if not any(name for name in given):  # no named reviewer rated it: shown as before
        return ""
    values = list(given.values())
    text = ", ".join(f"{reviewer_label(name)} {value}" for name, value in given.items())
    text += f"; median {rated(median(values))}"
    words = discuss_words(spread(values))
    return text + (f" ({FLAG} {words})" if words else "")


def to_discuss(lines: tuple[RatingLine, ...] | list[RatingLine]) -> list[RatingLine]:
    """The criteria whose ratings differ by ``DISCUSS_SPREAD`` points or more."""
    return [line for line in lines if line.discuss]
