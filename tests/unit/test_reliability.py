"""No answer lost: kills mid-save, two writers at once, old and foreign files, failing disks."""

from __future__ import annotations

import json
import os
import random
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
for i in range(20):
    store.add_vendor(VendorDraft(name=f"{tag} vendor {i}"))
    store.save_answer(vendor_id, run_id, f"{tag}-{i}", i)
    store.set_checked(vendor_id, run_id, {f"step/{tag}-{i}"})
"""


def child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


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
    path = store.vendor_path(vendor_id)
    for round_number in range(12):
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SAVER,
                str(data_dir),
                vendor_id,
                run_id,
                str(round_number * 100_000),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        time.sleep(rng.uniform(0.3, 0.8))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        acknowledged |= {int(line) for line in out.split()}
        data = read_json(path)  # parses after every kill: never a half-written file
        assert data is not None
        assert not [
            p for p in path.parent.iterdir() if p.name != path.name and not p.name.endswith(".tmp")
        ]
    Store(data_dir).save_answer(vendor_id, run_id, "after", 1)  # clears what a kill left
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    answers = Store(data_dir).get_run(vendor_id, run_id).answers
    assert len(acknowledged) > 12  # the children did get saves in before they died
    missing = [n for n in acknowledged if answers.get(f"q{n}") != n]
    assert missing == []


def test_two_processes_writing_at_once_lose_nothing(data_dir: Path, started) -> None:
    _, vendor_id, run_id = started
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), tag, vendor_id, run_id],
            env=child_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("left", "right")
    ]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    store = Store(data_dir)
    names = [v.name for v in store.list_vendors()]
    expected = {f"{tag} vendor {i}" for tag in ("left", "right") for i in range(20)} | {"Acme"}
    assert sorted(names) == sorted(expected)  # every one, none twice
    run = store.get_run(vendor_id, run_id)
    assert set(run.answers) == {f"{tag}-{i}" for tag in ("left", "right") for i in range(20)}
    assert run.checked == {f"step/{tag}-{i}" for tag in ("left", "right") for i in range(20)}


def test_an_older_store_is_migrated_after_a_backup(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    path = store.vendor_path(vendor_id)
    data = json.loads(path.read_text())
    data["_meta"] = {"1": {"schema": 1}}
    for doc in data["runs"].values():  # as schema 1 wrote them
        for key in ("period", "step_id", "snapshot"):
            doc.pop(key, None)
    old_text = json.dumps(data)
    path.write_text(old_text)

    run = Store(data_dir).get_run(vendor_id, run_id)
    assert run.period == "" and run.snapshot is None
    upgraded = json.loads(path.read_text())
    assert list(upgraded["_meta"].values()) == [{"schema": SCHEMA_VERSION}]
    assert all("period" in doc for doc in upgraded["runs"].values())
    backups = list((data_dir / "backups").glob("*-schema1/vendors/acme.json"))
    assert len(backups) == 1
    assert backups[0].read_text() == old_text


def test_a_newer_store_is_refused_and_kept(data_dir: Path, started) -> None:
    store, vendor_id, _ = started
    path = store.vendor_path(vendor_id)
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
    for name in ("index.json", "vendors/acme.json", "settings.toml"):
        assert (folder / name).read_bytes() == (data_dir / name).read_bytes()


def test_a_read_only_directory_names_the_problem_and_keeps_the_data(
    data_dir: Path, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana")
    path = store.vendor_path(vendor_id)
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
    path = store.vendor_path(vendor_id)
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
    assert sorted(p.name for p in path.parent.iterdir()) == ["acme.json"]


def test_store_files_hold_one_record_per_line(data_dir: Path, started) -> None:
    store, vendor_id, run_id = started
    store.save_answer(vendor_id, run_id, "sponsor", "Dana [x]")
    text = store.vendor_path(vendor_id).read_text()
    assert json.loads(text)["_meta"] == {"1": {"schema": SCHEMA_VERSION}}
    answer_lines = [line for line in text.splitlines() if '"question_id": "sponsor"' in line]
    assert len(answer_lines) == 1 and '"value": "Dana [x]"' in answer_lines[0]
