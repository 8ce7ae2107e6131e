"""The shared hours the work needs are checked against the real overlap."""

from __future__ import annotations

from datetime import date

from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import Vendor
from outsource_tui.domain.working_hours import overlap_lines

FIT = load_library().get("cultural-fit")
LISBON = Vendor("lisbon", "Lisbon Desk", timezone="Europe/Lisbon")
BERLIN = Settings(timezone="Europe/Berlin", hours_start="09:00", hours_end="17:00")


def fit_run(**answers: object) -> Run:
    return Run("r1", "lisbon", "cultural-fit", "", "", "", answers=dict(answers))  # type: ignore[arg-type]


def test_needing_more_shared_hours_than_there_are_is_said() -> None:
    # Berlin 09-17 and Lisbon 09-17 (their time, an hour behind) share 10:00-17:00 Berlin: 7 h.
    run = fit_run(their_hours_start="09:00", their_hours_end="17:00", overlap_hours_needed=8)
    lines = overlap_lines(LISBON, BERLIN, date(2026, 12, 1), FIT, run)
    assert "Overlap on Tue 01 Dec: 7.0 h, 10:00-17:00 your time" in lines
    assert lines[-1] == (
        "Not enough: the work needs 8 shared hours a day, and there are only 7.0. "
        "Shift one side's hours or agree a rota."
    )


def test_enough_shared_hours_says_nothing_more() -> None:
    run = fit_run(their_hours_start="09:00", their_hours_end="17:00", overlap_hours_needed=6)
    lines = overlap_lines(LISBON, BERLIN, date(2026, 12, 1), FIT, run)
    assert not any(line.startswith("Not enough") for line in lines)
