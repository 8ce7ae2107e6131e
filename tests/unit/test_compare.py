"""Candidate comparison: ranking by weighted ratings, what a weight change does, ties, gaps."""

from __future__ import annotations

import copy
from textwrap import dedent

import pytest

from outsource_tui.domain.compare import criteria, lead, order, rank
from outsource_tui.domain.parser import parse_playbook_text
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run

SELECTION_TEXT = dedent(
    """\
    # Tiny selection

    ```playbook
    id = "tiny-selection"
    summary = "Rate a candidate."
    cadence = "once"
    ```

    ## Rate

    ```questions
    [[question]]
    id = "price"
    type = "rating"
    prompt = "Price"
    weight = 50

    [[question]]
    id = "notes"
    type = "text"
    prompt = "Notes"

    [[question]]
    id = "quality"
    type = "rating"
    prompt = "Quality"
    weight = 30

    [[question]]
    id = "speed"
    type = "rating"
    prompt = "Speed"
    weight = 20
    ```
    """
)

# A rating r is worth 100 * (r - 1) / 4 points: 1 -> 0, 2 -> 25, 3 -> 50, 4 -> 75, 5 -> 100.
RATINGS = {
    "a": {"price": 5, "quality": 3, "speed": 2},
    "b": {"price": 2, "quality": 5, "speed": 5},
    "c": {"price": 3, "quality": 3, "speed": 3},
}
NAMES = {"a": "Atlas Labs", "b": "Bluepeak Digital", "c": "Cedar Works"}


@pytest.fixture(scope="module")
def selection() -> Playbook:
    return parse_playbook_text(SELECTION_TEXT, "tiny-selection.md")


def make_run(playbook: Playbook, vendor_id: str, answers: dict) -> Run:
    return Run(
        id=f"run-{vendor_id}",
        vendor_id=vendor_id,
        playbook_id=playbook.id,
        playbook_digest=playbook.digest,
        playbook_title=playbook.title,
        started_at="2026-11-01T09:00:00+00:00",
        completed_at="2026-11-02T09:00:00+00:00",
        answers=answers,
    )


def candidates(playbook: Playbook, ratings: dict[str, dict]) -> list[tuple[str, str, Run]]:
    return [
        (vendor_id, NAMES.get(vendor_id, vendor_id), make_run(playbook, vendor_id, answers))
        for vendor_id, answers in ratings.items()
    ]


def test_criteria_are_the_weighted_ratings_in_playbook_order(selection: Playbook) -> None:
    assert [(q.id, q.weight) for q in criteria(selection)] == [
        ("price", 50),
        ("quality", 30),
        ("speed", 20),
    ]


def test_the_playbook_weights_put_a_first(selection: Playbook) -> None:
    ranking = rank(selection, candidates(selection, RATINGS))
    assert order(ranking) == ["a", "b", "c"]
    # A: (100 * 50 + 50 * 30 + 25 * 20) / 100 = (5000 + 1500 + 500) / 100 = 70
    # B: (25 * 50 + 100 * 30 + 100 * 20) / 100 = (1250 + 3000 + 2000) / 100 = 62.5
    # C: (50 * 50 + 50 * 30 + 50 * 20) / 100 = 50
    assert [r.score for r in ranking] == pytest.approx([70.0, 62.5, 50.0])
    assert ranking[0].name == "Atlas Labs"
    assert [r.rated for r in ranking] == [3, 3, 3]
    # 70 - 62.5
    assert lead(ranking) == pytest.approx(7.5)


def test_weighting_quality_and_speed_over_price_puts_b_first(selection: Playbook) -> None:
    weights = {"price": 20, "quality": 40, "speed": 40}
    ranking = rank(selection, candidates(selection, RATINGS), weights)
    # A: (100 * 20 + 50 * 40 + 25 * 40) / 100 = (2000 + 2000 + 1000) / 100 = 50
    # B: (25 * 20 + 100 * 40 + 100 * 40) / 100 = (500 + 4000 + 4000) / 100 = 85
    # C: (50 * 20 + 50 * 40 + 50 * 40) / 100 = 50, tied with A: A comes first by name
    assert order(ranking) == ["b", "a", "c"]
    assert [r.score for r in ranking] == pytest.approx([85.0, 50.0, 50.0])
    # 85 - 50
    assert lead(ranking) == pytest.approx(35.0)
    assert [line.weight for line in ranking[0].lines] == [20, 40, 40]


def test_weights_not_given_keep_the_playbooks(selection: Playbook) -> None:
    ranking = rank(selection, candidates(selection, RATINGS), {"price": 10})
    # price 10, quality 30, speed 20 (total 60):
    # A: (100 * 10 + 50 * 30 + 25 * 20) / 60 = 3000 / 60 = 50
    # B: (25 * 10 + 100 * 30 + 100 * 20) / 60 = 5250 / 60 = 87.5
    # C: 50, tied with A
    assert order(ranking) == ["b", "a", "c"]
    assert [r.score for r in ranking] == pytest.approx([87.5, 50.0, 50.0])


def test_an_unrated_criterion_is_left_out_not_counted_as_zero(selection: Playbook) -> None:
    ratings = {**RATINGS, "d": {"price": 5, "speed": 1}}
    ranking = rank(selection, candidates(selection, ratings))
    scores = {r.vendor_id: r.score for r in ranking}
    # D on price and speed only: (100 * 50 + 0 * 20) / (50 + 20) = 5000 / 70 = 71.43;
    # with quality as zero it would be 5000 / 100 = 50, behind A's 70.
    assert scores["d"] == pytest.approx(5000 / 70)
    assert order(ranking) == ["d", "a", "b", "c"]
    assert next(r for r in ranking if r.vendor_id == "d").rated == 2
    # 71.43 - 70
    assert lead(ranking) == pytest.approx(5000 / 70 - 70)


def test_a_candidate_rated_on_nothing_comes_last(selection: Playbook) -> None:
    ratings = {"z": {"notes": "not rated yet"}, **RATINGS}
    ranking = rank(selection, candidates(selection, ratings))
    assert order(ranking) == ["a", "b", "c", "z"]
    assert ranking[-1].score is None and ranking[-1].rated == 0


def test_ties_are_broken_by_name_whatever_the_case(selection: Playbook) -> None:
    same = {"price": 4, "quality": 4, "speed": 4}
    runs = [
        ("v3", "charlie", make_run(selection, "v3", dict(same))),
        ("v2", "Beta", make_run(selection, "v2", dict(same))),
        ("v1", "alpha", make_run(selection, "v1", dict(same))),
    ]
    ranking = rank(selection, runs)
    # all three: 75 points; a plain string sort would put "Beta" before "alpha"
    assert [r.name for r in ranking] == ["alpha", "Beta", "charlie"]
    assert lead(ranking) == 0


def test_lead_needs_two_scored_candidates(selection: Playbook) -> None:
    ratings = {"a": RATINGS["a"], "z": {}}
    ranking = rank(selection, candidates(selection, ratings))
    assert lead(ranking) is None
    assert lead([]) is None


def test_ranking_with_other_weights_leaves_the_stored_ratings_alone(selection: Playbook) -> None:
    entries = candidates(selection, RATINGS)
    before = [copy.deepcopy(run.answers) for _, _, run in entries]
    weights = {"price": 0, "quality": 90, "speed": 10}
    rank(selection, entries, weights)
    assert [run.answers for _, _, run in entries] == before
    assert [q.weight for q in criteria(selection)] == [50, 30, 20]
    assert weights == {"price": 0, "quality": 90, "speed": 10}
    # and the playbook's own ranking is as before
    assert order(rank(selection, entries)) == ["a", "b", "c"]
