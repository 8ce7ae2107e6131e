"""Run and index fields edited by hand: each damaged file is named, the rest stays usable."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.scoring import Scorecard
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store, UnknownVendor
from outsource_tui.store.store import STALE_TEMP_SECONDS

TODAY = date(2026, 11, 24)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY.isoformat())
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=4, years=1, seed=3, today=TODAY)
    return store


def reviewed_run(store: Store) -> tuple[str, str, Path]:
    """A vendor with a completed review kept with its scorecard: (name, vendor id, run file)."""
    for vendor in store.list_vendors():
        for run in store.runs(vendor.id):
            if run.playbook_id == "quarterly-review" and run.completed and run.snapshot:
                return vendor.name, vendor.id, store.run_path(vendor.id, run.id)
    raise AssertionError("the sample has no completed review")


def edit_run(path: Path, change: Callable[[dict[str, Any]], None]) -> bytes:
    """Change the run record in a run file as a hand edit would; returns the new bytes."""
    data = json.loads(path.read_text())
    change(data["runs"]["1"])
    path.write_text(json.dumps(data))
    return path.read_bytes()


def set_in(record: dict[str, Any], *keys: Any, value: Any) -> None:
    for key in keys[:-1]:
        record = record[key]
    record[keys[-1]] = value


# -- 3: a damaged scorecard snapshot ---------------------------------------------------------

DAMAGED_SNAPSHOTS = {
    "kpis are text": lambda r: set_in(r, "snapshot", value={"kpis": "x"}),
    "kpis are text, the rest kept": lambda r: set_in(r, "snapshot", "kpis", value="x"),
    "overall is text": lambda r: set_in(r, "snapshot", "overall", value="x"),
    "overall is not finite": lambda r: set_in(r, "snapshot", "overall", value=float("nan")),
    "a target is text": lambda r: set_in(r, "snapshot", "kpis", 0, "target", "target", value="9"),
    "a target is a list": lambda r: set_in(r, "snapshot", "kpis", 0, "target", value=[]),
    "a kpi line is a number": lambda r: set_in(r, "snapshot", "kpis", 0, value=3),
    "a rating is text": lambda r: set_in(r, "snapshot", "ratings", 0, "rating", value="4"),
    "a rating line lost a field": lambda r: r["snapshot"]["ratings"][0].pop("prompt"),
    "notes are a number": lambda r: set_in(r, "snapshot", "notes", value=5),
    "credit is a bool": lambda r: set_in(r, "snapshot", "credit_percent", value=True),
    "the snapshot is text": lambda r: set_in(r, "snapshot", value="x"),
}


@pytest.mark.parametrize("change", DAMAGED_SNAPSHOTS.values(), ids=DAMAGED_SNAPSHOTS.keys())
def test_a_damaged_snapshot_hides_one_vendor_from_the_portfolio_csv(
    demo: Store, capsys: pytest.CaptureFixture[str], change: Callable[[dict[str, Any]], None]
) -> None:
    name, _, path = reviewed_run(demo)
    everyone = {v.name for v in demo.list_vendors()}
    damaged = edit_run(path, change)

    code, out, err = run(capsys, "report", "--all", "--format", "csv")
    assert code == 1
    assert {row["vendor"] for row in csv.DictReader(io.StringIO(out))} == everyone - {name}
    assert err.startswith(f"outsource-tui: error: {path}: the run's scorecard snapshot is damaged")
    assert err.count("\n") == 1 and "internal error" not in err
    assert path.read_bytes() == damaged


@pytest.mark.parametrize("command", ["scorecard", "report"])
def test_a_damaged_snapshot_is_named_by_the_vendor_commands(
    demo: Store, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    name, _, path = reviewed_run(demo)
    damaged = edit_run(path, DAMAGED_SNAPSHOTS["kpis are text"])
    code, out, err = run(capsys, command, name)
    assert (code, out) == (1, "")
    assert err == (
        f"outsource-tui: error: {path}: the run's scorecard snapshot is damaged "
        "(the scorecard has no 'period'); left untouched\n"
    )
    assert path.read_bytes() == damaged


def test_the_reason_names_the_damaged_field(demo: Store) -> None:
    _, vendor_id, path = reviewed_run(demo)
    edit_run(path, DAMAGED_SNAPSHOTS["a rating is text"])
    with pytest.raises(StoreError) as caught:
        demo.runs(vendor_id)
    assert str(caught.value) == (
        f"{path}: the run's scorecard snapshot is damaged ('rating' in a rating line is not "
        "a whole number or null); left untouched"
    )


def test_snapshots_as_written_still_read(demo: Store) -> None:
    """Every snapshot the sample wrote reads back as the scorecard it was, and so do the
    old shapes: no snapshot, an empty one, one kept before caps existed."""
    for vendor in demo.list_vendors():
        for stored in demo.runs(vendor.id):
            if stored.snapshot:
                card = Scorecard.from_dict(stored.snapshot)
                assert json.loads(json.dumps(card.to_dict())) == stored.snapshot
    _, vendor_id, path = reviewed_run(demo)
    for old in (None, {}, {"period": "2025-Q4", "credit_percent": 7, "status": "amber"}):
        edit_run(path, lambda r, old=old: set_in(r, "snapshot", value=old))
        assert [r.snapshot for r in demo.runs(vendor_id) if r.id == path.stem] == [old]


# -- 4: a period that is no period ---------------------------------------------------------


def quarterly_run_of(store: Store, period: str) -> tuple[str, Path]:
    for vendor in store.list_vendors():
        for stored in store.runs(vendor.id):
            if stored.period == period:
                return vendor.name, store.run_path(vendor.id, stored.id)
    raise AssertionError(f"no run for {period}")


@pytest.mark.parametrize(
    "argv", [["due", "--within", "400d"], ["calendar", "--within", "400d", "-o", "{tmp}/x.ics"]]
)
def test_a_malformed_period_hides_one_vendor_from_due_and_calendar(
    demo: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 0
    before = capsys.readouterr().out
    name, path = quarterly_run_of(demo, "2026-Q3")
    damaged = edit_run(path, lambda r: set_in(r, "period", value="Q3 2026"))

    code, out, err = run(capsys, *argv)
    assert code == 1
    assert err == (
        f"outsource-tui: error: {path}: the run's period 'Q3 2026' is damaged "
        "(write it like 2026-Q3 or 2026); left untouched\n"
    )
    if argv[0] == "due":
        others = [line for line in before.splitlines()[1:] if name not in line]
        assert len(others) > 3 and all(line in out.splitlines() for line in others)
    else:
        assert out.startswith("Wrote ") and before.startswith("Wrote ")
        assert "BEGIN:VEVENT" in (tmp_path / "x.ics").read_text()
    assert path.read_bytes() == damaged


@pytest.mark.parametrize("period", ["Q3 2026", "2026-Q5", "26-Q3", "2026-Q3-extra", 2026, None])
def test_the_run_reader_refuses_a_period_of_no_known_shape(demo: Store, period: object) -> None:
    _, path = quarterly_run_of(demo, "2026-Q3")
    vendor_id = path.parent.name
    edit_run(path, lambda r: set_in(r, "period", value=period))
    shown = f" {period!r}" if isinstance(period, str) else ""
    with pytest.raises(StoreError) as caught:
        demo.runs(vendor_id)
    assert str(caught.value) == (
        f"{path}: the run's period{shown} is damaged (write it like 2026-Q3 or 2026); "
        "left untouched"
    )


def test_the_run_reader_takes_each_period_shape(demo: Store) -> None:
    _, path = quarterly_run_of(demo, "2026-Q3")
    vendor_id, run_id = path.parent.name, path.stem
    for written, read in (("2026-q3", "2026-Q3"), (" 2026 ", "2026"), ("", "")):
        edit_run(path, lambda r, written=written: set_in(r, "period", value=written))
        assert demo.get_run(vendor_id, run_id).period == read


# -- 6: vendor ids from the index ----------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["../../x", "/tmp/x", "..", "a/b", "a\\b", ".hidden", ""])
def test_a_vendor_id_that_could_leave_the_data_dir_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_id: str
) -> None:
    bad_id = bad_id.replace("/tmp", str(tmp_path))
    assert run(capsys, "vendor", "add", "Acme")[0] == 0
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    data["vendors"]["1"]["id"] = bad_id
    index.write_text(json.dumps(data))
    damaged = index.read_bytes()
    before = sorted(tmp_path.rglob("*"))

    for argv in (["vendor", "list"], ["due"], ["report", "Acme"], ["vendor", "add", "Other"]):
        code, out, err = run(capsys, *argv)
        assert code == 1, argv
        assert err.startswith(f"outsource-tui: error: {index}: ")
        if bad_id:
            assert f"vendor 'Acme' has a damaged id {bad_id!r}" in err
        else:  # as before: an empty id was refused already
            assert "a vendor record has a damaged 'id'" in err
    store = Store(data_dir)
    with pytest.raises(StoreError):
        store.list_vendors()
    playbook = load_library().get("objectives")
    assert playbook is not None
    with pytest.raises((StoreError, UnknownVendor)):  # a save would build a path from the id
        store.start_run(bad_id, playbook)
    assert index.read_bytes() == damaged
    assert sorted(tmp_path.rglob("*")) == before  # nothing written anywhere


@pytest.mark.parametrize("bad_id", ["../../x", "/tmp/x", "a/b", ".."])
def test_no_path_is_built_from_a_malformed_vendor_id(data_dir: Path, bad_id: str) -> None:
    store = Store(data_dir)
    with pytest.raises(UnknownVendor):
        store.vendor_dir(bad_id)
    with pytest.raises(UnknownVendor):
        store.runs(bad_id)


def test_vendor_ids_of_older_versions_still_read(data_dir: Path) -> None:
    """Before ids were ASCII, a name kept its letters: 'Café Zürich' became 'café-zürich'."""
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Café Zürich"))
    index = data_dir / "index.json"
    index.write_text(index.read_text().replace(f'"{vendor.id}"', '"café-zürich"'))
    assert [v.id for v in store.list_vendors()] == ["café-zürich"]
    assert store.runs("café-zürich") == []


def test_a_run_naming_a_malformed_vendor_id_is_refused(demo: Store) -> None:
    _, vendor_id, path = reviewed_run(demo)
    edit_run(path, lambda r: set_in(r, "vendor_id", value="../../x"))
    with pytest.raises(StoreError) as caught:
        demo.runs(vendor_id)
    assert str(caught.value) == f"{path}: the run's vendor id is damaged; left untouched"


# -- temporary files left by saves that were killed ----------------------------------------


def left_behind(path: Path, seconds_ago: float) -> Path:
    """A temporary file as a killed save leaves it, last written ``seconds_ago``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("half a save")
    then = time.time() - seconds_ago
    os.utime(path, (then, then))
    return path


def test_the_first_write_removes_old_temporary_files_of_every_store_file(demo: Store) -> None:
    data_dir = demo.data_dir
    _, vendor_id, path = reviewed_run(demo)
    other = next(v.id for v in demo.list_vendors() if v.id != vendor_id)
    run_file = next(demo.vendor_dir(other).glob("*.json"))
    old = STALE_TEMP_SECONDS + 60
    stale = [
        left_behind(data_dir / ".index.json.abcd1234.tmp", old),
        left_behind(run_file.with_name(f".{run_file.name}.k_3x9zq0.tmp"), old),
        left_behind(data_dir / "vendors" / f".{other}.json.a1b2c3d4.tmp", old),  # schema 2
    ]
    kept = [
        left_behind(run_file.with_name(f".{run_file.name}.fresh123.tmp"), 10),  # under way?
        left_behind(data_dir / ".settings.toml.abcd1234.tmp", old),  # not a store file
        left_behind(data_dir / "notes.tmp", old),
        left_behind(run_file.with_name(f"{run_file.name}.abcd1234.tmp"), old),  # not our name
        left_behind(run_file.with_name(f".{run_file.name}.abc.tmp"), old),
        left_behind(data_dir / "backups" / ".index.json.abcd1234.tmp", old),
    ]

    store = Store(data_dir)  # a new session: opening and reading removes nothing
    store.list_vendors()
    store.runs(other)
    assert all(file.exists() for file in stale + kept)

    store.set_step(vendor_id, path.stem, 1)  # its first write, to another vendor's run
    assert [file for file in stale if file.exists()] == []
    assert all(file.exists() for file in kept)
    assert demo.runs(other)  # the store files themselves are untouched


def test_the_clean_up_runs_once_a_session(demo: Store) -> None:
    _, vendor_id, path = reviewed_run(demo)
    store = Store(demo.data_dir)
    store.set_step(vendor_id, path.stem, 1)
    later = left_behind(demo.data_dir / ".index.json.abcd1234.tmp", STALE_TEMP_SECONDS + 60)
    store.set_step(vendor_id, path.stem, 2)
    assert later.exists()  # left for the next session: saves cost the same however many
    Store(demo.data_dir).set_step(vendor_id, path.stem, 0)
    assert not later.exists()
