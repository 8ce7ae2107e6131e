"""The bundled library: the nine lifecycle playbooks, each complete and valid."""

from __future__ import annotations

import pytest

from outsource_tui.domain.library import LIFECYCLE_ORDER, bundled_playbook_dir, load_library
from outsource_tui.domain.parser import parse_playbook_file
from outsource_tui.domain.playbook import Cadence, QuestionType

NINE = (
    "objectives",
    "partner-selection",
    "smart-goals",
    "sla-kpis",
    "communication",
    "cultural-fit",
    "onboarding",
    "quarterly-review",
    "exit-transition",
)


def test_the_nine_lifecycle_playbooks_ship_in_order() -> None:
    library = load_library()
    assert library.skipped == []
    assert [p.id for p in library][:9] == list(NINE)
    assert tuple(LIFECYCLE_ORDER) == NINE


@pytest.mark.parametrize("playbook_id", NINE)
def test_each_playbook_has_steps_checklists_and_questions(playbook_id: str) -> None:
    playbook = parse_playbook_file(bundled_playbook_dir() / f"{playbook_id}.md")
    assert playbook.id == playbook_id
    assert 4 <= len(playbook.steps) <= 8
    assert playbook.summary and playbook.intro
    for step in playbook.steps:
        assert step.guidance, f"{playbook_id}: step '{step.title}' has no guidance"
        assert step.checklist, f"{playbook_id}: step '{step.title}' has no checklist"
        assert step.questions, f"{playbook_id}: step '{step.title}' has no questions"
    assert any(q.required for q in playbook.questions_by_id.values())


def test_cadences() -> None:
    library = load_library()
    assert library.get("quarterly-review").cadence is Cadence.QUARTERLY
    assert {p.cadence for p in library if p.id != "quarterly-review"} == {Cadence.ONCE}


def test_scores_are_declared_in_the_playbooks() -> None:
    library = load_library()
    selection = library.get("partner-selection").scored_questions()
    assert {q.id for q in selection} >= {
        "experience",
        "expertise",
        "industry_knowledge",
        "cultural_fit",
        "technology",
        "infrastructure",
        "security",
        "capacity",
        "price",
    }
    assert all(q.type is QuestionType.RATING and q.weight > 0 for q in selection)
    review = library.get("quarterly-review")
    assert [q.id for q in review.scored_questions()]  # qualitative ratings carry weights
    assert [q.id for q in review.fed_tables("kpi-actuals")] == ["kpi_results"]
    assert [q.id for q in review.fed_tables("action-items")] == ["action_items"]
    assert [q.id for q in library.get("sla-kpis").fed_tables("kpi-targets")] == ["kpis"]


def test_every_question_type_is_used_somewhere() -> None:
    used = {q.type for p in load_library() for q in p.questions_by_id.values()}
    assert used == set(QuestionType)
