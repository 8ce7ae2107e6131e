"""`outsource-tui smart`, declared risks and hour roles in playbooks, overlap lines."""

from __future__ import annotations

import json
from datetime import date

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import Vendor
from outsource_tui.domain.working_hours import overlap_lines

from .test_parser import only_problem, parse, question_block


def test_smart_json_has_the_five_criteria(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["smart", "Improve support quality", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["specific", "measurable", "achievable", "relevant", "time_bound"]
    assert report["measurable"]["ok"] is False and report["time_bound"]["ok"] is False
    assert report["achievable"]["ok"] is None and report["achievable"]["why"]
    assert "by 20" in report["time_bound"]["suggestion"]


def test_smart_text_says_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["smart", "Resolve 95% of tickets within 8 hours by 2027-03-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["specific", "yes"]
    assert any(line.split()[:2] == ["time-bound", "yes"] for line in lines)


def test_risks_are_declared_per_answer() -> None:
    playbook = parse(
        question_block(
            'type = "choice"',
            'prompt = "Style"',
            'options = ["Direct", "Indirect"]',
            "",
            "[question.risks]",
            'Indirect = "Ask for written status."',
        )
    )
    assert playbook.questions_by_id["a"].risks == (("Indirect", "Ask for written status."),)


def test_a_risk_for_an_answer_that_does_not_exist_is_refused() -> None:
    problem = only_problem(
        question_block(
            'type = "choice"',
            'prompt = "Style"',
            'options = ["Direct", "Indirect"]',
            "",
            "[question.risks]",
            'Sideways = "?"',
        )
    )
    assert "risks names 'Sideways', which is not one of its answers" in problem.message


def test_smart_check_and_roles_only_where_they_fit() -> None:
    assert (
        'check = "smart"'
        in only_problem(
            question_block('type = "number"', 'prompt = "N"', 'check = "smart"')
        ).message
    )
    assert (
        "role must be one of"
        in only_problem(question_block('type = "text"', 'prompt = "T"', 'role = "lunch"')).message
    )


def test_the_bundled_playbooks_declare_goals_hours_and_risks() -> None:
    library = load_library()
    assert library.get("smart-goals").questions_by_id["goal"].check == "smart"
    fit = library.get("cultural-fit")
    for role in ("our-hours-start", "our-hours-end", "their-hours-start", "their-hours-end"):
        assert fit.question_with_role(role) is not None
    assert any(q.risks for q in fit.questions_by_id.values())


def test_overlap_lines_use_the_answers_and_change_with_daylight_saving() -> None:
    fit = load_library().get("cultural-fit")
    vendor = Vendor(id="x", name="Lisbon Desk", timezone="Europe/Lisbon")
    run = Run("r", "x", "cultural-fit", "", "", "")
    run.answers = {
        fit.question_with_role("their-hours-start").id: "09:00",
        fit.question_with_role("their-hours-end").id: "18:00",
    }
    me = Settings(timezone="America/New_York", hours_start="09:00", hours_end="17:00")
    # 2026-03-02: New York EST (UTC-5) 14-22 UTC, Lisbon WET (UTC+0) 09-18 UTC: 4 h, 09-13 NY.
    # 2026-04-01 (a month on): New York EDT 13-21 UTC, Lisbon WEST 08-17 UTC: 4 h, 09-13 NY.
    lines = overlap_lines(vendor, me, date(2026, 3, 2), fit, run)
    assert lines[1] == "Overlap on Mon 02 Mar: 4.0 h, 09:00-13:00 your time"
    # 2026-03-09: NY already on EDT (13-21 UTC), Lisbon still WET 09-18 UTC: 5 h.
    assert overlap_lines(vendor, me, date(2026, 3, 9), fit, run)[1] == (
        "Overlap on Mon 09 Mar: 5.0 h, 09:00-14:00 your time"
    )
    assert lines[-1].startswith("Meeting slots (30 min, your time): 09:00")


def test_no_zone_says_so() -> None:
    lines = overlap_lines(Vendor(id="x", name="X"), Settings(timezone="UTC"), date(2026, 3, 2))
    assert lines == [
        "Working-hour overlap: the vendor has no time zone: add one to see the overlap"
    ]
