"""Kill saves at random moments and check that nothing confirmed is lost and nothing breaks.

Run with ``python -m tests.soak`` (``--kills N``, default 1,000). Not part of the test suite:
it takes minutes. A writer process makes mixed saves through the store (answers, ticks,
vendor edits, contract terms, completed runs), printing ``try`` before each and ``ok`` once
it has returned; it is SIGKILLed after a random few milliseconds, and a new one carries on.
At the end every store file must read back (``outsource-tui`` opens it), and every key must
hold the value of its last confirmed save, or of a save that was under way when the writer
was killed (it may or may not have landed). Prints kills, broken files and lost saves, and
exits 1 on any loss or break.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENDORS = 4

WRITER = r"""
import random, sys
from pathlib import Path
from outsource_tui.domain.library import load_library
from outsource_tui.store import Store

store = Store(Path(sys.argv[1]))
seq, seed = int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
playbook = load_library().get("objectives")
vendors = store.list_vendors()
# The run the answers and ticks go to: each vendor's first, never completed.
runs = {v.id: next(r for r in store.runs(v.id) if not r.completed).id for v in vendors}


def say(*words):
    print(*words, flush=True)


while True:
    seq += 1
    vendor = rng.choice(vendors)
    kind = rng.choice(["answer", "answer", "tick", "facts", "terms", "complete"])
    run_id = runs[vendor.id]
    if kind == "complete":
        key = f"complete/{vendor.id}"
        run = store.start_run(vendor.id, playbook)
        say("try", key, run.id)
        store.complete_run(vendor.id, run.id)
        say("ok", key, run.id, seq)
        continue
    if kind == "answer":
        question = f"q{rng.randrange(5)}"
        key, value = f"answer/{vendor.id}/{question}", seq
        say("try", key, value)
        store.save_answer(vendor.id, run_id, question, value)
    elif kind == "tick":
        item = f"scope/item{rng.randrange(4)}"
        key, value = f"tick/{vendor.id}/{item}", int(rng.random() < 0.5)
        say("try", key, value)
        store.set_checked(vendor.id, run_id, {item} if value else set(), set() if value else {item})
    elif kind == "facts":
        key, value = f"service/{vendor.id}", seq
        say("try", key, value)
        store.set_vendor_facts(vendor.id, {"service": f"service {value}"})
    else:
        key, value = f"notice/{vendor.id}", seq % 300
        say("try", key, value)
        terms = {"initial_months": 12, "renewal": "automatic", "notice_days": value}
        store.set_contract(vendor.id, "2026-01-01", terms)
    say("ok", key, value, seq)
"""


def stored(data_dir: Path) -> dict[str, object]:
    """What the store holds now for every key the writer uses."""
    from outsource_tui.store import Store

    store = Store(data_dir)
    found: dict[str, object] = {}
    for vendor in store.list_vendors():
        found[f"service/{vendor.id}"] = vendor.service.removeprefix("service ")
        found[f"notice/{vendor.id}"] = str(vendor.contract.get("notice_days", ""))
        for run in store.runs(vendor.id):
            if run.completed:
                found[f"completed/{run.id}"] = True
        run = next(r for r in store.runs(vendor.id) if not r.completed)
        for question, value in run.answers.items():
            found[f"answer/{vendor.id}/{question}"] = str(value)
        for item in ("scope/item0", "scope/item1", "scope/item2", "scope/item3"):
            found[f"tick/{vendor.id}/{item}"] = "1" if item in run.checked else "0"
    return found


def broken_files(data_dir: Path) -> list[str]:
    broken = []
    for path in sorted(data_dir.rglob("*.json")):
        if "backups" in path.parts:
            continue
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            broken.append(f"{path}: {exc}")
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from outsource_tui.domain.library import load_library
    from outsource_tui.domain.vendor import VendorDraft
    from outsource_tui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        store = Store(data_dir)
        playbook = load_library().get("objectives")
        assert playbook is not None
        for n in range(VENDORS):
            vendor = store.add_vendor(VendorDraft(name=f"Vendor {n}"))
            store.start_run(vendor.id, playbook)
        confirmed: dict[str, str] = {}  # key: the value of its last confirmed save
        pending: dict[str, set[str]] = {}  # key: values tried since, not confirmed
        completed: set[str] = set()
        seq, kills, saves = 0, 0, 0
        started = time.monotonic()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
        while kills < args.kills:
            writer = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WRITER,
                    str(data_dir),
                    str(seq),
                    str(rng.randrange(1 << 30)),
                ],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert writer.stdout is not None
            # Let it make a few saves, then kill it at a random moment.
            time.sleep(0.12 + rng.random() * 0.05)
            os.kill(writer.pid, signal.SIGKILL)
            out, _ = writer.communicate()
            kills += 1
            for line in out.splitlines():
                words = line.split()
                # A line cut short by the kill: a "try" not finished printing had not begun.
                if len(words) < 3 or (words[0] == "ok" and len(words) < 4):
                    continue
                if words[0] == "try":
                    key, value = words[1], words[2]
                    if key.startswith("complete/"):
                        continue  # a run completed or not: both are whole states
                    pending.setdefault(key, set()).add(value)
                elif words[0] == "ok" and len(words) == 4:
                    key, value = words[1], words[2]
                    seq = max(seq, int(words[3]))
                    saves += 1
                    if key.startswith("complete/"):
                        completed.add(value)
                        continue
                    confirmed[key] = value
                    pending[key] = set()
            seq += 1000  # a killed writer's unconfirmed numbers are never reused
            if kills % 100 == 0:
                print(f"{kills} kills, {saves} confirmed saves", flush=True)
        broken = broken_files(data_dir)
        lost = []
        if not broken:
            now = stored(data_dir)
            for key, value in confirmed.items():
                have = str(now.get(key, ""))
                if have != value and have not in pending.get(key, set()):
                    lost.append(f"{key}: saved {value}, found {have or 'nothing'}")
            lost += [f"completed run {r}: not completed" for r in completed
                     if not now.get(f"completed/{r}")]  # fmt: skip
        took = time.monotonic() - started
        print(
            f"{kills} kills in {took:.0f} s: {saves} confirmed saves, "
            f"{len(broken)} broken files, {len(lost)} lost saves"
        )
        for line in [*broken, *lost][:20]:
            print("  " + line)
        return 1 if broken or lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
