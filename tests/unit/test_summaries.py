"""The dashboard's kept summaries: current after every change, rebuilt when stale or damaged,
never hiding a vendor, and agreeing with what the run files say."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.paths import user_playbook_dir
from outsource_tui.services import Clock, Services
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def services(data_dir: Path, library: Library, today: date = TODAY) -> Services:
    return Services(Store(data_dir), library, clock=Clock(today))


@pytest.fixture
def sample(data_dir: Path, library: Library) -> Services:
    write_demo(Store(data_dir), library, vendors=12, years=2, seed=7, today=TODAY)
    return services(data_dir, library)


def rows(board) -> dict[str, tuple]:
    return {o.vendor.name: rows_of(o) for o in board.overviews}


def test_the_kept_summaries_show_what_the_run_files_say(sample: Services) -> None:
    # The full read, from the run files, against the board from kept summaries.
    full = sample.portfolio().overviews()
    sample.refresh_board()  # keeps them
    board = sample.board()
    assert not board.pending
    assert [o.vendor.name for o in board.overviews] == [o.vendor.name for o in full]
    assert rows(board) == {o.vendor.name: rows_of(o) for o in full}
    assert any(o.overall is not None for o in full) and any(o.actions for o in full)


def test_the_dashboard_due_panel_lists_what_due_lists(sample: Services) -> None:
    sample.refresh_board()
    assert sample.board().due(30) == sample.portfolio().due(30)
    assert sample.board().due(3650) == sample.portfolio().due(3650)
    assert sample.portfolio().due(30)  # the sample has something due


def test_a_new_day_needs_no_rebuild_and_moves_what_is_overdue(
    data_dir: Path, library: Library
) -> None:
    write_demo(Store(data_dir), library, vendors=12, years=2, seed=7, today=TODAY)
    services(data_dir, library).refresh_board()
    later = date(2027, 3, 1)
    board = services(data_dir, library, later).board()
    assert not board.pending
    full = services(data_dir, library, later).portfolio()
    assert board.due(30) == full.due(30)
    assert rows(board) == {o.vendor.name: rows_of(o) for o in full.overviews()}


def rows_of(o) -> tuple:
    return (o.overall, o.score_status, o.trend, o.next_review, o.actions, o.contract, o.problem)


def test_no_summaries_at_first_marks_every_vendor_pending_then_keeps_them(
    sample: Services, data_dir: Path
) -> None:
    board = sample.board()
    assert len(board.pending) == 12 and len(board.overviews) == 12
    sample.refresh_board()
    assert (data_dir / "summaries.json").is_file()
    assert not sample.board().pending


def test_a_save_makes_only_that_vendor_stale_and_only_its_runs_are_read(
    sample: Services, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample.refresh_board()
    store = sample.store
    vendor = next(v for v in store.list_vendors() if v.status == "active")
    playbook = library.get("objectives")
    assert playbook is not None
    run = store.start_run(vendor.id, playbook)
    store.save_answer(vendor.id, run.id, "problem", "Tickets wait two days")

    assert [v.name for v in sample.board().pending] == [vendor.name]
    read: list[str] = []
    runs = Store.runs

    def counting(self: Store, vendor_id: str, **kwargs: object) -> list:
        read.append(vendor_id)
        return runs(self, vendor_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "runs", counting)
    board = sample.refresh_board()
    assert set(read) == {vendor.id}
    shown = next(o for o in board.overviews if o.vendor.id == vendor.id)
    assert any(d.kind == "playbook" for d in shown.summary.dates)  # the run left half done
    assert not sample.board().pending


def test_a_vendor_edit_makes_its_summary_stale(sample: Services) -> None:
    sample.refresh_board()
    vendor = sample.store.list_vendors()[0]
    sample.store.set_status(vendor.id, "ended")
    assert [v.id for v in sample.board().pending] == [vendor.id]
    board = sample.refresh_board()
    ended = next(o for o in board.overviews if o.vendor.id == vendor.id)
    assert ended.next_review is None  # an ended vendor owes no review


def test_a_run_file_edited_in_place_is_caught_by_the_full_check(
    sample: Services, data_dir: Path
) -> None:
    sample.refresh_board()
    vendor = next(o.vendor for o in sample.board().overviews if o.overall is not None)
    folder = data_dir / "vendors" / vendor.id
    stamp = folder.stat().st_mtime_ns
    path = next(folder.glob("*.json"))
    path.write_text("{ not json", encoding="utf-8")  # in place: the folder does not change
    os.utime(folder, ns=(stamp, stamp))
    board = sample.refresh_board()
    damaged = next(o for o in board.overviews if o.vendor.id == vendor.id)
    assert str(path) in damaged.problem
    assert len(board.overviews) == 12  # the others are all still listed


@pytest.mark.parametrize(
    "damage",
    ["", "{ not json", "[]", '{"summaries": 3}', '{"summaries": {"x": 1}}'],
)
def test_a_damaged_summaries_file_is_rebuilt_and_hides_no_vendor(
    sample: Services, data_dir: Path, damage: str
) -> None:
    sample.refresh_board()
    expected = rows(sample.board())
    (data_dir / "summaries.json").write_text(damage, encoding="utf-8")
    board = sample.board()
    assert len(board.overviews) == 12
    assert rows(sample.refresh_board()) == expected
    assert not sample.board().pending


def test_a_damaged_entry_is_worked_out_again(sample: Services, data_dir: Path) -> None:
    sample.refresh_board()
    expected = rows(sample.board())
    path = data_dir / "summaries.json"
    kept = json.loads(path.read_text(encoding="utf-8"))
    vendor_id = next(iter(kept["summaries"]))
    kept["summaries"][vendor_id]["summary"]["trend"] = "x"
    path.write_text(json.dumps(kept), encoding="utf-8")
    board = sample.board()
    assert [v.id for v in board.pending] == [vendor_id]
    assert rows(sample.refresh_board()) == expected


def test_a_second_instance_saving_keeps_the_first_ones_summaries_correct(
    sample: Services, data_dir: Path, library: Library
) -> None:
    sample.refresh_board()
    other = services(data_dir, library)
    vendor = other.store.add_vendor(VendorDraft(name="Late Arrival", status="candidate"))
    board = sample.board()
    assert "Late Arrival" in [v.name for v in board.pending]
    assert "Late Arrival" in rows(sample.refresh_board())
    other.store.set_status(vendor.id, "onboarding")
    refreshed = sample.refresh_board()
    late = next(o for o in refreshed.overviews if o.vendor.id == vendor.id)
    assert late.vendor.status == "onboarding" and late.next_review is not None


def test_a_changed_playbook_makes_every_summary_stale(data_dir: Path, library: Library) -> None:
    store = Store(data_dir)
    write_demo(store, library, vendors=12, years=2, seed=7, today=TODAY)
    dirs = [user_playbook_dir(data_dir)]

    def from_files() -> Services:
        return Services(
            Store(data_dir), lambda: load_library(dirs), clock=Clock(TODAY), playbook_dirs=dirs
        )

    from_files().refresh_board()
    assert not from_files().board().pending
    dirs[0].mkdir(parents=True, exist_ok=True)
    bundled = next(p.path for p in library if p.id == "objectives")
    assert bundled is not None
    (dirs[0] / "objectives.md").write_text(bundled.read_text(encoding="utf-8") + "\n")
    assert len(from_files().board().pending) == 12


def test_an_empty_store_keeps_no_summaries(data_dir: Path, library: Library) -> None:
    empty = services(data_dir, library)
    board = empty.refresh_board()
    assert board.store_empty and not board.overviews
    assert not (data_dir / "summaries.json").exists()


def test_a_playbook_changed_while_the_app_runs_is_not_kept_as_current(
    data_dir: Path, library: Library
) -> None:
    # The app read the playbooks at start; a file changes; the summaries the app works out
    # with what it read must not be kept as if made with the new file.
    write_demo(Store(data_dir), library, vendors=12, years=2, seed=7, today=TODAY)
    dirs = [user_playbook_dir(data_dir)]

    def from_files() -> Services:
        return Services(
            Store(data_dir), lambda: load_library(dirs), clock=Clock(TODAY), playbook_dirs=dirs
        )

    running = from_files()
    running.refresh_board()
    dirs[0].mkdir(parents=True, exist_ok=True)
    bundled = next(p.path for p in library if p.id == "quarterly-review")
    assert bundled is not None
    text = bundled.read_text(encoding="utf-8").replace('cadence = "quarterly"', 'cadence = "once"')
    (dirs[0] / "quarterly-review.md").write_text(text, encoding="utf-8")
    running.refresh_board()  # still with the playbooks it read at start
    restarted = from_files()
    assert len(restarted.board().pending) == 12  # not trusted: made with the old playbook
    board = restarted.refresh_board()
    assert board.due(30) == restarted.portfolio().due(30)
    assert not any(o.next_review for o in board.overviews)  # no recurring review any more


def test_a_loader_without_directories_works_from_the_loaded_playbooks(
    data_dir: Path, library: Library
) -> None:
    write_demo(Store(data_dir), library, vendors=3, years=1, seed=7, today=TODAY)
    lazy = Services(Store(data_dir), load_library, clock=Clock(TODAY))
    assert len(lazy.refresh_board().overviews) == 3
    assert not Services(Store(data_dir), load_library, clock=Clock(TODAY)).board().pending
