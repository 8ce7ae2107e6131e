"""No answer lost: kills mid-save, two writers at once, old and foreign files, failing disks."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.store import SCHEMA_VERSION, Store
from outsource_tui.store.atomic import read_json

SAVER = """
import sys
from pathlib import Path
from outsource_tui.store import Store
store = Store(Path(sys.argv[1]))
vendor_id, run_id, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
while True:
    store.save_answer(vendor_id, run_id, f"q{n}", n)
    print(n, flush=True)  # printed only once the save has returned
    n += 1
"""

WRITER = """
import sys
from pathlib import Path
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store
store = Store(Path(sys.argv[1]))
tag, vendor_id, run_id = sys.argv[2], sys.argv[3], sys.argv[4]
print("ready", flush=True)
sys.stdin.readline()  # wait for the go, so both writers start at the same moment
for i in range(20):
    store.add_vendor(VendorDraft(name=f"{tag} vendor {i}"))
    store.save_answer(vendor_id, run_id, f"{tag}-{i}", i)
    store.set_checked(vendor_id, run_id, {f"step/{tag}-{i}"})
"""


def child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


DEADLINE = 60.0  # seconds a child gets to start up and write what is waited for


def read_lines(child: subprocess.Popen, count: int, *, timeout: float = DEADLINE) -> bytes:
    """What ``child`` printed, read as it comes until it holds ``count`` whole lines.

    Fails (and kills the child) if the child exits first or the deadline passes: the wait is
    on what the child has done, never on how long that usually takes.
    """
    assert child.stdout is not None
    fd = child.stdout.fileno()
    out = b""
    end = time.monotonic() + timeout
    while (got := out.count(b"\n")) < count:
        left = end - time.monotonic()
        if left <= 0:
            child.kill()
            child.communicate(timeout=30)
            pytest.fail(f"{got} of {count} lines from the child in {timeout:.0f} s")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:  # the pipe closed: the child died on its own
                _, err = child.communicate(timeout=30)
                pytest.fail(f"the child exited with {child.returncode} too early: {err!r}")
            out += chunk
    return out


def whole_lines(out: bytes) -> list[str]:
    """The lines the child finished printing; a line cut short by the kill is left out."""
    return [line.decode() for line in out.split(b"\n")[:-1]]


@pytest.fixture
def started(data_dir: Path):
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, load_library().get("objectives"))
    return store, vendor.id, run.id


def test_a_kill_at_any_moment_loses_no_saved_answer(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    rng = random.Random(5)
    acknowledged: set[int] = set()
    path = store.run_path(vendor_id, run_id)
    for round_number in range(12):
        first = round_number * 100_000
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(data_dir), vendor_id, run_id, str(first)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            env=child_env(),
        )
        wanted = rng.randint(1, 120)
        out = read_lines(child, wanted)  # the child has acknowledged at least this many saves
        # It is saving the next one now. Not a wait for saves: this only moves the kill to a
        # random point of that save (a save takes a few milliseconds).
        time.sleep(rng.uniform(0, 0.005))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        acks = [int(line) for line in whole_lines(out + rest)]
        assert len(acks) >= wanted
        assert acks == list(range(first, first + len(acks)))  # in order, none skipped
        acknowledged |= set(acks)
        data = read_json(path)  # parses after every kill: never a half-written file
        assert data is not None
        assert not [
            p for p in path.parent.iterdir() if p.name != path.name and not p.name.endswith(".tmp")
        ]
    Store(data_dir).save_answer(vendor_id, run_id, "after", 1)  # clears what a kill left
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    answers = Store(data_dir).get_run(vendor_id, run_id).answers
    missing = [n for n in acknowledged if answers.get(f"q{n}") != n]
    assert missing == []


def test_two_processes_writing_at_once_lose_nothing(data_dir: Path, started) -> None:
    _, vendor_id, run_id = started
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), tag, vendor_id, run_id],
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        for tag in ("left", "right")
    ]
    for child in children:  # both started up: neither can finish before the other begins
        assert whole_lines(read_lines(child, 1)) == ["ready"]
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    store = Store(data_dir)
    names = [v.name for v in store.list_vendors()]
    expected = {f"{tag} vendor {i}" for tag in ("left", "right") for i in range(20)} | {"Acme"}
    assert sorted(names) == sorted(expected)  # every one, none twice
    run = store.get_run(vendor_id, run_id)
    assert set(run.answers) == {f"{tag}-{i}" for tag in ("left", "right") for i in range(20)}
    assert run.checked == {f"step/{tag}-{i}" for tag in ("left", "right") for i in range(20)}


def to_old_layout(data_dir: Path, schema: int) -> None:
    """Rewrite a data directory as schema 1 or 2 left it: one file per vendor, every run in it."""
    for folder in sorted(p for p in (data_dir / "vendors").iterdir() if p.is_dir()):
        files = [json.loads(p.read_text()) for p in folder.glob("*.json")]
        files.sort(key=lambda data: next(iter(data["runs"].values()))["seq"])
        runs, answers = {}, {}
        for data in files:
            doc = dict(next(iter(data["runs"].values())))
            del doc["seq"]
            if schema == 1:
                for key in ("period", "step_id", "snapshot"):
                    doc.pop(key, None)
            runs[str(len(runs) + 1)] = doc
            for answer in data["answers"].values():
                answers[str(len(answers) + 1)] = answer
        legacy = {"_meta": {"1": {"schema": schema}}, "runs": runs, "answers": answers}
        (data_dir / "vendors" / f"{folder.name}.json").write_text(json.dumps(legacy))
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    index = json.loads((data_dir / "index.json").read_text())
    index["_meta"] = {"1": {"schema": schema}}
    (data_dir / "index.json").write_text(json.dumps(index))


@pytest.mark.parametrize("schema", [1, 2])
def test_an_older_store_is_split_into_run_files_after_a_backup(
    data_dir: Path, started, schema: int
) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    second = store.start_run(vendor_id, load_library().get("sla-kpis"))
    store.set_checked(vendor_id, second.id, {"agree/draft"})
    before = store.runs(vendor_id)
    saved_at = json.loads(store.run_path(vendor_id, run_id).read_text())["answers"]["1"]
    to_old_layout(data_dir, schema)
    old_index = (data_dir / "index.json").read_text()
    old_vendor = (data_dir / "vendors" / "acme.json").read_text()

    after = Store(data_dir).list_vendors()  # opening the index upgrades the directory
    assert [v.id for v in after] == [vendor_id]
    assert not (data_dir / "vendors" / "acme.json").exists()
    runs = Store(data_dir).runs(vendor_id)
    assert [r.id for r in runs] == [run_id, second.id]  # the order of the old file is kept
    assert runs[0].answers == before[0].answers and runs[1].checked == {"agree/draft"}
    if schema == 2:
        assert runs == before
    upgraded = json.loads(Store(data_dir).run_path(vendor_id, run_id).read_text())
    assert upgraded["answers"]["1"] == saved_at  # when each answer was given survives
    assert json.loads((data_dir / "index.json").read_text())["_meta"] == {
        "1": {"schema": SCHEMA_VERSION}
    }
    (backup,) = (data_dir / "backups").glob(f"*-schema{schema}")
    assert (backup / "index.json").read_text() == old_index
    assert (backup / "vendors" / "acme.json").read_text() == old_vendor


def test_an_upgrade_cut_short_is_finished_next_time_without_doubles(
    data_dir: Path, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, vendor_id, run_id = started
    other = store.add_vendor(VendorDraft(name="Bolt"))
    for name in ("sla-kpis", "communication"):
        store.start_run(other.id, load_library().get(name))
    before = {v: store.runs(v) for v in (vendor_id, other.id)}
    to_old_layout(data_dir, 2)

    import outsource_tui.store.store as store_module

    real_write = store_module.write_json_atomic
    calls = []

    def dies_on_the_second_run_file(path, data, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise StoreError(f"cannot save {path}: No space left on device")
        real_write(path, data, **kwargs)

    monkeypatch.setattr(store_module, "write_json_atomic", dies_on_the_second_run_file)
    with pytest.raises(StoreError, match="No space left on device.*a copy of the old files"):
        Store(data_dir).list_vendors()
    monkeypatch.undo()
    assert json.loads((data_dir / "index.json").read_text())["_meta"]["1"]["schema"] == 2

    store = Store(data_dir)
    assert {v: store.runs(v) for v in (vendor_id, other.id)} == before
    assert list((data_dir / "vendors").glob("*.json")) == []


def test_a_damaged_old_vendor_file_stops_the_upgrade_and_is_kept(data_dir: Path, started) -> None:
    store, vendor_id, _ = started
    to_old_layout(data_dir, 2)
    path = data_dir / "vendors" / "acme.json"
    data = json.loads(path.read_text())
    del data["runs"]["1"]["playbook_id"]
    path.write_text(json.dumps(data))
    before = path.read_text()
    with pytest.raises(StoreError, match="acme.json: a run has no 'playbook_id'"):
        Store(data_dir).list_vendors()
    assert path.read_text() == before
    assert json.loads((data_dir / "index.json").read_text())["_meta"]["1"]["schema"] == 2


def test_an_old_vendor_file_put_back_later_is_split_on_first_read(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    to_old_layout(data_dir, 2)
    legacy = (data_dir / "vendors" / "acme.json").read_text()
    Store(data_dir).list_vendors()  # the directory is upgraded
    restored = json.loads(legacy)  # then someone restores the old file by hand
    restored["runs"]["1"]["id"] = "restored1"
    for answer in restored["answers"].values():
        answer["run_id"] = "restored1"
    (data_dir / "vendors" / "acme.json").write_text(json.dumps(restored))

    runs = Store(data_dir).runs(vendor_id)
    assert sorted(r.id for r in runs) == sorted([run_id, "restored1"])
    assert all(r.answers == {"sponsor": "Dana"} for r in runs)
    assert not (data_dir / "vendors" / "acme.json").exists()


def test_saving_an_answer_rewrites_only_its_own_run_file(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    others = [store.start_run(vendor_id, load_library().get("objectives")) for _ in range(3)]
    folder = store.vendor_dir(vendor_id)
    before = {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.iterdir()}
    index_before = (data_dir / "index.json").stat().st_ino
    store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    after = {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.iterdir()}
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [f"{run_id}.json"]
    assert (data_dir / "index.json").stat().st_ino == index_before
    assert [r.id for r in store.runs(vendor_id)] == [run_id] + [r.id for r in others]


def test_a_run_file_that_holds_another_run_is_named(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    path = store.run_path(vendor_id, run_id)
    path.rename(path.with_name("elsewhere.json"))
    with pytest.raises(StoreError, match="elsewhere.json does not hold the run 'elsewhere'"):
        store.runs(vendor_id)


@pytest.mark.parametrize("run_id", ["../index", "a/b", "", "x" * 80])
def test_a_run_id_that_is_not_one_of_ours_is_unknown(data_dir: Path, started, run_id) -> None:
    from outsource_tui.store.store import UnknownRun

    store, vendor_id, _ = started
    with pytest.raises(UnknownRun):
        store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    assert not (data_dir / "index.json.json").exists()


def test_a_newer_store_is_refused_and_kept(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    path = store.run_path(vendor_id, run_id)
    data = json.loads(path.read_text())
    data["_meta"] = {"1": {"schema": SCHEMA_VERSION + 1}}
    path.write_text(json.dumps(data))
    before = path.read_text()
    with pytest.raises(StoreError, match="newer outsource-tui"):
        Store(data_dir).runs(vendor_id)
    assert path.read_text() == before
    assert not (data_dir / "backups").exists()


def test_backup_copies_every_store_file(
    data_dir: Path, started, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / "settings.toml").write_text("[scorecard]\nkpi_amber = 0.8\n")
    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    folder = Path(out.strip().removeprefix("Backed up to "))
    assert folder.parent == data_dir / "backups"
    run_file = next((data_dir / "vendors" / "acme").glob("*.json")).relative_to(data_dir)
    for name in ("index.json", str(run_file), "settings.toml"):
        assert (folder / name).read_bytes() == (data_dir / name).read_bytes()


def test_a_read_only_directory_names_the_problem_and_keeps_the_data(
    data_dir: Path, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    path = store.run_path(vendor_id, run_id)
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(StoreError) as failed:
        store.save_answer(vendor_id, run_id, "sponsor", "Somebody")
    assert str(failed.value) == f"cannot save {path}: Permission denied"
    assert path.read_bytes() == before


def test_a_full_disk_on_write_keeps_the_old_file(
    data_dir: Path, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, vendor_id, run_id = started
    path = store.run_path(vendor_id, run_id)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    with pytest.raises(StoreError, match="No space left on device"):
        store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_store_files_hold_one_record_per_line(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana [x]")
    text = store.run_path(vendor_id, run_id).read_text()
    assert json.loads(text)["_meta"] == {"1": {"schema": SCHEMA_VERSION}}
    answer_lines = [line for line in text.splitlines() if '"question_id": "sponsor"' in line]
    assert len(answer_lines) == 1 and '"value": "Dana [x]"' in answer_lines[0]
