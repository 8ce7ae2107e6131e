"""A shared portfolio through git, for real: a bare repository and two clones in tmp_path.

Alice and Bob each change the same portfolio on their own computer, then sync, in both
orders. Nothing either of them did may be lost, the store must open cleanly afterwards,
and the answer both changed is shown with both values and settled by the user's choice.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.run import check_key
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.services import Services
from outsource_tui.store import Store
from outsource_tui.store.merge import CONFLICTS_FILE, Conflict, merge_texts, save_conflicts
from outsource_tui.store.merge import main as driver

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.timeout(180),
]

LIBRARY = load_library()
REVIEW = LIBRARY.get("quarterly-review")
ONBOARDING = LIBRARY.get("onboarding")
SLA = LIBRARY.get("sla-kpis")
assert REVIEW is not None and ONBOARDING is not None and SLA is not None
PREPARE = REVIEW.steps[0]
TICK_A = check_key(PREPARE, PREPARE.checklist[0].id)
TICK_B = check_key(PREPARE, PREPARE.checklist[1].id)


class Keyboard(io.StringIO):
    """Standard input with a terminal behind it (or not), holding what the user types."""

    def __init__(self, typed: str = "", *, tty: bool) -> None:
        super().__init__(typed)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty bare repository; git configured by nothing but this test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    return bare


def git(where: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def sync(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    person: str,
    data_dir: Path,
    *args: str,
    typed: str | None = None,
) -> tuple[int, str, str]:
    """``outsource-tui sync`` as ``person``; ``typed`` is what they type at a terminal
    (None: no terminal at all)."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", person)
        monkeypatch.setenv(f"GIT_{role}_EMAIL", f"{person.lower()}@example.com")
    monkeypatch.setattr(sys, "stdin", Keyboard(typed or "", tty=typed is not None))
    capsys.readouterr()
    # As typed: relative to where the user stands (the tests stand in tmp_path).
    code = main(["--data-dir", os.path.relpath(data_dir), "sync", *args])
    out, err = capsys.readouterr()
    return code, out, err


def commit_as(person: str, where: Path, *args: str) -> None:
    """A commit made with git by hand, as ``person``."""
    env = {**os.environ}
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = person, f"{person}@example.com"
    proc = subprocess.run(
        ["git", "-C", str(where), "commit", "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def draft(name: str, **fields: str) -> VendorDraft:
    return VendorDraft(name=name, service="support desk", timezone="Europe/Berlin", **fields)


def opens_cleanly(data_dir: Path) -> dict[str, object]:
    """Everything the store holds, read the way the app reads it; fails if anything is off."""
    store = Store(data_dir)
    store.check_index()
    store.check()
    found: dict[str, object] = {}
    for vendor in store.list_vendors():
        runs = store.runs(vendor.id, abandoned=True)
        for run in runs:
            assert store.get_run(vendor.id, run.id) == run
        found[vendor.name] = {
            "vendor": vendor,
            "runs": {
                run.id: (run.playbook_id, run.period, run.answers, sorted(run.checked))
                for run in runs
            },
        }
    for path in data_dir.rglob("*"):
        if ".git" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "<<<<<<<" not in text and ">>>>>>>" not in text, path
    return found


def shared_pair(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> tuple[Path, Path, str, str]:
    """Alice shares a portfolio of one vendor with a review; Bob joins it."""
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    store = Store(alice)
    acme = store.add_vendor(draft("Acme", contact="Ana"))
    review = store.start_run(
        acme.id, REVIEW, period="2026-Q3", answers={"attendees": "Ana, Ben", "praise": "fast"}
    )
    code, out, err = sync(monkeypatch, capsys, "Alice", alice, "--init", str(shared))
    assert (code, err) == (0, ""), err
    assert "Shared the portfolio: 1 vendor, 1 run" in out
    code, out, err = sync(monkeypatch, capsys, "Bob", bob, "--init", str(shared))
    assert (code, err) == (0, ""), err
    assert "Took the shared portfolio" in out
    assert opens_cleanly(bob) == opens_cleanly(alice)
    return alice, bob, acme.id, review.id


def alice_works(alice: Path, acme: str, review: str) -> str:
    store = Store(alice)
    store.add_vendor(draft("Bolt Logistics"))
    store.set_vendor_facts(acme, {"contact": "Ana Silva"})
    run = store.start_run(acme, ONBOARDING)
    store.save_answer(acme, run.id, "partner_lead", "Ana Silva")
    store.save_answer(acme, review, "concerns", "late reports")  # a new answer
    store.save_answer(acme, review, "praise", "fast and friendly")  # Bob changes it too
    store.set_checked(acme, review, {TICK_A})
    return run.id


def bob_works(bob: Path, acme: str, review: str) -> str:
    store = Store(bob)
    store.add_vendor(draft("Cargo Co"))
    store.set_status(acme, "on-hold")
    run = store.start_run(acme, SLA)
    store.save_answer(acme, run.id, "reporting_frequency", "Monthly")
    store.save_answer(acme, review, "meeting_date", "2026-10-05")  # a new answer
    store.save_answer(acme, review, "praise", "quick to answer")  # Alice changes it too
    store.set_checked(acme, review, {TICK_B})
    return run.id


# Both orders; the conflict settled once at a prompt, once with --take, for each side.
CASES = [
    ("alice-first", "prompt", "theirs"),
    ("alice-first", "take", "mine"),
    ("bob-first", "prompt", "mine"),
    ("bob-first", "take", "theirs"),
]


@pytest.mark.parametrize(("order", "how", "choice"), CASES)
def test_two_people_change_the_same_portfolio_and_nothing_is_lost(
    shared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    order: str,
    how: str,
    choice: str,
) -> None:
    alice, bob, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    onboarding = alice_works(alice, acme, review)
    sla = bob_works(bob, acme, review)
    people = {"Alice": alice, "Bob": bob}
    first, second = ("Alice", "Bob") if order == "alice-first" else ("Bob", "Alice")
    said = {"Alice": "'fast and friendly'", "Bob": "'quick to answer'"}

    code, out, err = sync(monkeypatch, capsys, first, people[first])
    assert (code, err) == (0, "")
    assert "from others" not in out and "Sent 1 change" in out

    # The second one has no terminal: the conflict is listed with both values, exit 1,
    # nothing sent, and the file keeps their own value meanwhile.
    code, out, err = sync(monkeypatch, capsys, second, people[second])
    assert code == 1
    assert "1 change from others:" in out
    assert "1 conflict to settle; nothing is sent until then" in err
    line = next(row for row in err.splitlines() if row.startswith("  1. "))
    assert "Acme: quarterly business review 2026-Q3, the answer to “What went well" in line
    assert f"mine {said[second]} ({second}), theirs {said[first]} ({first})" in line
    assert (people[second] / CONFLICTS_FILE).is_file()
    waiting = opens_cleanly(people[second])
    assert Store(people[second]).get_run(acme, review).answers["praise"] == said[second][1:-1]
    assert set(waiting) == {"Acme", "Bolt Logistics", "Cargo Co"}
    assert Store(people[first]).get_run(acme, review).answers["praise"] == said[first][1:-1]
    assert git(shared, "rev-parse", "main") == git(people[first], "rev-parse", "HEAD")

    if how == "prompt":
        typed = "x\n" + choice[0] + "\n"  # a key that means nothing is asked again
        code, out, err = sync(monkeypatch, capsys, second, people[second], typed=typed)
        assert out.count("Conflict 1: Acme: quarterly business review 2026-Q3") == 1
        assert f"mine   ({second}): {said[second]}" in out
        assert f"theirs ({first}): {said[first]}" in out
        assert out.count("Keep [m]ine or [t]heirs?") == 2
    else:
        code, out, err = sync(monkeypatch, capsys, second, people[second], "--take", f"1={choice}")
    assert (code, err) == (0, ""), err
    winner = second if choice == "mine" else first
    assert "Settled: Acme: quarterly business review 2026-Q3, the answer to" in out
    assert f"chose {winner}'s {said[winner]}" in out
    assert not (people[second] / CONFLICTS_FILE).exists()

    code, out, err = sync(monkeypatch, capsys, first, people[first])
    assert (code, err) == (0, ""), err
    assert "from others:" in out

    # Both sides now hold the same portfolio, with every change either of them made.
    mine, theirs = opens_cleanly(alice), opens_cleanly(bob)
    assert mine == theirs
    assert git(alice, "rev-parse", "HEAD") == git(bob, "rev-parse", "HEAD")
    for where in (alice, bob):
        assert git(where, "status", "--porcelain") == ""
        store = Store(where)
        vendor = store.find_vendor("Acme")
        assert (vendor.contact, vendor.status) == ("Ana Silva", "on-hold")
        assert {v.name for v in store.list_vendors()} == {"Acme", "Bolt Logistics", "Cargo Co"}
        runs = {run.id: run for run in store.runs(acme)}
        assert set(runs) == {review, onboarding, sla}
        assert runs[onboarding].answers == {"partner_lead": "Ana Silva"}
        assert runs[sla].answers == {"reporting_frequency": "Monthly"}
        assert runs[review].answers == {
            "attendees": "Ana, Ben",
            "concerns": "late reports",
            "meeting_date": "2026-10-05",
            "praise": said[winner][1:-1],
        }
        assert runs[review].checked == {TICK_A, TICK_B}


def test_commits_say_what_changed_and_sync_says_what_came_in(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    store = Store(alice)
    store.save_answer(acme, review, "concerns", "late reports")
    store.save_answer(acme, review, "meeting_date", "2026-10-05")
    store.save_answer(acme, review, "praise", None)  # cleared
    code, out, _ = sync(monkeypatch, capsys, "Alice", alice)
    assert code == 0
    assert "Committed here: Acme: quarterly business review 2026-Q3, 3 answers" in out
    store.add_vendor(draft("Bolt Logistics"))
    store.set_vendor_facts(acme, {"contact": "Ana Silva", "timezone": "Asia/Manila"})
    store.complete_run(acme, review)
    code, out, _ = sync(monkeypatch, capsys, "Alice", alice)
    assert code == 0
    assert git(alice, "log", "-1", "--format=%B").strip().splitlines() == [
        "Acme: contact and time zone changed; and 2 more changes",
        "",
        "Acme: contact and time zone changed",
        "Added vendor Bolt Logistics",
        "Acme: quarterly business review 2026-Q3, completed",
    ]
    code, out, _ = sync(monkeypatch, capsys, "Bob", bob)
    assert code == 0
    assert out.splitlines() == [
        "2 changes from others:",
        "  Acme: quarterly business review 2026-Q3, 3 answers (Alice)",
        "  Acme: contact and time zone changed; and 2 more changes (Alice)",
    ]
    code, out, _ = sync(monkeypatch, capsys, "Bob", bob)
    assert (code, out) == (0, f"Up to date with {shared}.\n")


def test_the_dashboard_works_out_again_what_a_sync_changed(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    Store(alice).add_vendor(draft("Quiet One"))
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    assert sync(monkeypatch, capsys, "Bob", bob)[0] == 0
    services = Services(Store(bob), LIBRARY)
    board = services.refresh_board()
    assert not board.pending and (bob / "summaries.json").is_file()
    assert [o.vendor.name for o in services.board().overviews if o.pending] == []

    Store(alice).complete_run(acme, review)
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    assert sync(monkeypatch, capsys, "Bob", bob)[0] == 0
    # The run that came in makes its vendor's kept summary stale; the other stays kept.
    assert [v.name for v in Services(Store(bob), LIBRARY).board().pending] == ["Acme"]
    fresh = Services(Store(bob), LIBRARY).refresh_board()
    assert not fresh.pending
    assert "summaries.json" not in git(bob, "ls-files")


def test_a_file_git_cannot_merge_keeps_this_side_and_sets_the_other_aside(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, _, _ = shared_pair(shared, tmp_path, monkeypatch, capsys)
    for where, words in ((alice, "Alice's"), (bob, "Bob's")):
        (where / "playbooks").mkdir()
        (where / "playbooks" / "house.md").write_text(f"# {words} playbook\n", encoding="utf-8")
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    code, _, err = sync(monkeypatch, capsys, "Bob", bob)
    assert code == 1
    assert "1. the file playbooks/house.md: mine the version of" in err
    assert (bob / "playbooks" / "house.md").read_text() == "# Bob's playbook\n"
    code, out, err = sync(monkeypatch, capsys, "Bob", bob, "--take", "theirs")
    assert (code, err) == (0, "")
    assert "Settled: the file playbooks/house.md: chose Alice's" in out
    assert (bob / "playbooks" / "house.md").read_text() == "# Alice's playbook\n"
    opens_cleanly(bob)


def test_a_take_for_no_waiting_conflict_is_refused(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, _, _, _ = shared_pair(shared, tmp_path, monkeypatch, capsys)
    code, _, err = sync(monkeypatch, capsys, "Alice", alice, "--take", "3=mine")
    assert (code, err) == (1, "outsource-tui: error: --take 3: no conflict 3 is waiting (none)\n")
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", str(alice), "sync", "--take", "yours"])
    assert usage.value.code == 2


# -- what goes wrong: one line each, and the store left as it was ---------------------------


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_without_git_one_line_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    Store(tmp_path / "data").add_vendor(draft("Acme"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    code, _, err = sync(monkeypatch, capsys, "Alice", tmp_path / "data")
    assert code == 1
    assert "sync needs the git command-line tool" in one_line(err)


def test_a_store_never_shared_is_told_how(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    Store(tmp_path / "data").add_vendor(draft("Acme"))
    code, _, err = sync(monkeypatch, capsys, "Alice", tmp_path / "data")
    assert code == 1
    assert "is not shared yet: run `outsource-tui sync --init URL`" in one_line(err)


def test_an_unreachable_remote_changes_nothing(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "data"
    Store(data).add_vendor(draft("Acme"))
    missing = tmp_path / "nowhere.git"
    code, _, err = sync(monkeypatch, capsys, "Alice", data, "--init", str(missing))
    assert code == 1
    line = one_line(err)
    assert f"cannot reach {missing}: '{missing}' does not appear to be a git repository" in line
    assert "repository exists" not in line  # the tail of git's advice, not its reason
    assert "check the address" in line and "nothing was changed" in line
    assert not (data / ".git").exists()
    assert list(opens_cleanly(data)) == ["Acme"]


def test_losing_the_remote_keeps_the_change_committed_here(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, _, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    shared.rename(tmp_path / "moved.git")
    Store(alice).save_answer(acme, review, "concerns", "late reports")
    code, _, err = sync(monkeypatch, capsys, "Alice", alice)
    assert code == 1
    line = one_line(err)
    assert f"cannot reach {shared}: '{shared}' does not appear to be a git repository" in line
    assert "repository exists" not in line and "remote set-url" in line
    assert "committed and goes with the next sync" in line
    assert git(alice, "log", "-1", "--format=%s").startswith("Acme: quarterly business review")
    assert Store(alice).get_run(acme, review).answers["concerns"] == "late reports"


def test_a_refused_push_is_one_line(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, _, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    hook = shared / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'read-only for now' >&2\nexit 1\n")
    hook.chmod(0o755)
    Store(alice).save_answer(acme, review, "concerns", "late reports")
    code, _, err = sync(monkeypatch, capsys, "Alice", alice)
    assert code == 1
    assert f"{shared} did not take what was sent" in one_line(err)
    opens_cleanly(alice)


def test_a_merge_left_unfinished_is_named_and_left_alone(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, _, _ = shared_pair(shared, tmp_path, monkeypatch, capsys)
    for where, words in ((alice, "a"), (bob, "b")):
        (where / "notes.txt").write_text(words + "\n")
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    git(bob, "add", "notes.txt")
    git(bob, "commit", "-qm", "notes")
    git(bob, "fetch", "-q")
    merge = subprocess.run(
        ["git", "-C", str(bob), "merge", "origin/main"], capture_output=True, timeout=60
    )
    assert merge.returncode != 0  # git left notes.txt with its markers: not a store file
    before = {p: p.read_bytes() for p in (bob / "vendors").rglob("*.json")}
    code, _, err = sync(monkeypatch, capsys, "Bob", bob)
    assert code == 1
    assert "has a merge left unfinished from before" in one_line(err)
    assert {p: p.read_bytes() for p in (bob / "vendors").rglob("*.json")} == before
    assert (bob / ".git" / "MERGE_HEAD").exists()


def test_an_unborn_branch_is_shared_on_first_sync(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    git(data, "init", "-q")
    git(data, "remote", "add", "origin", str(shared))
    code, out, err = sync(monkeypatch, capsys, "Alice", data)
    assert (code, err) == (0, "")
    assert "Committed here: Set up sharing" in out
    Store(data).add_vendor(draft("Acme"))
    code, out, err = sync(monkeypatch, capsys, "Alice", data)
    assert (code, err) == (0, "")
    assert "Committed here: Added vendor Acme" in out


def test_joining_with_a_store_of_your_own_merges_both_portfolios(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, _, _, _ = shared_pair(shared, tmp_path, monkeypatch, capsys)
    carol = tmp_path / "carol"
    Store(carol).add_vendor(draft("Delta Desk"))
    code, out, err = sync(monkeypatch, capsys, "Carol", carol, "--init", str(shared))
    assert (code, err) == (0, ""), err
    assert set(opens_cleanly(carol)) == {"Acme", "Delta Desk"}
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    assert set(opens_cleanly(alice)) == {"Acme", "Delta Desk"}


# -- the merge driver on its own ----------------------------------------------------------


def store_text(tables: dict[str, dict[str, dict[str, object]]]) -> str:
    return json.dumps({"_meta": {"1": {"schema": 3}}, **tables})


def test_records_are_matched_by_what_they_are_not_by_their_number() -> None:
    base = store_text({"vendors": {"1": {"id": "acme", "name": "Acme", "contact": ""}}})
    ours = store_text(
        {
            "vendors": {
                "1": {"id": "acme", "name": "Acme", "contact": "Ana"},
                "2": {"id": "bolt", "name": "Bolt"},
            }
        }
    )
    theirs = store_text(
        {
            "vendors": {
                "1": {"id": "acme", "name": "Acme", "contact": "", "status": "on-hold"},
                "2": {"id": "cargo", "name": "Cargo"},
            }
        }
    )
    text, conflicts = merge_texts(base, ours, theirs, "index.json")
    assert conflicts == []
    assert json.loads(text)["vendors"] == {
        "1": {"id": "acme", "name": "Acme", "contact": "Ana", "status": "on-hold"},
        "2": {"id": "bolt", "name": "Bolt"},
        "3": {"id": "cargo", "name": "Cargo"},
    }


def test_an_answer_changed_on_both_sides_keeps_ours_and_records_both() -> None:
    def answer(value: object, saved: str) -> dict[str, object]:
        return {"run_id": "r1", "question_id": "q", "value": value, "saved_at": saved}

    base = store_text({"answers": {"1": answer("x", "t1")}})
    ours = store_text({"answers": {"1": answer("mine", "t2")}})
    theirs = store_text({"answers": {"1": answer("theirs", "t3")}})
    text, conflicts = merge_texts(base, ours, theirs, "vendors/acme/r1.json")
    assert json.loads(text)["answers"] == {"1": answer("mine", "t3")}
    assert [(c.path, c.mine, c.theirs, c.kept) for c in conflicts] == [
        (["value"], {"value": "mine"}, {"value": "theirs"}, "mine")
    ]
    # Cleared on one side, changed on the other: the file keeps the changed answer.
    text, conflicts = merge_texts(base, store_text({"answers": {}}), theirs, "f.json")
    assert json.loads(text)["answers"] == {"1": answer("theirs", "t3")}
    assert [(c.path, c.mine, c.kept) for c in conflicts] == [([], None, "theirs")]


def test_the_driver_leaves_a_file_it_cannot_read_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {}
    for name, text in (("base", "{}"), ("ours", store_text({})), ("theirs", "{not json")):
        files[name] = tmp_path / name
        files[name].write_text(text)
    code = driver([str(files["base"]), str(files["ours"]), str(files["theirs"]), "index.json"])
    assert code == 1
    assert files["ours"].read_text() == store_text({})
    assert not (tmp_path / CONFLICTS_FILE).exists()


def test_someone_sending_first_is_taken_in_before_sending_again(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    Store(bob).add_vendor(draft("Cargo Co"))
    git(bob, "add", "-A")
    git(
        bob, "-c", "user.name=Bob", "-c", "user.email=b@x", "commit", "-qm", "Added vendor Cargo Co"
    )
    # Bob sends his change just as Alice's sync is sending hers: the first time only.
    hook = alice / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f"if [ ! -e '{tmp_path}/raced' ]; then touch '{tmp_path}/raced'; "
        f"git -C '{bob}' push -q origin main >&2; fi\n"
    )
    hook.chmod(0o755)
    Store(alice).save_answer(acme, review, "concerns", "late reports")
    code, out, err = sync(monkeypatch, capsys, "Alice", alice)
    assert (code, err) == (0, ""), err
    assert (tmp_path / "raced").exists()
    assert "1 change from others:\n  Added vendor Cargo Co (Bob)" in out
    assert git(shared, "rev-parse", "main") == git(alice, "rev-parse", "HEAD")
    assert set(opens_cleanly(alice)) == {"Acme", "Cargo Co"}


def test_a_work_tree_without_a_remote_is_told_how(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "data"
    Store(data).add_vendor(draft("Acme"))
    git(data, "init", "-q")
    code, _, err = sync(monkeypatch, capsys, "Alice", data)
    assert code == 1
    assert "has no remote to sync with: run `outsource-tui sync --init URL`" in one_line(err)
    assert "index.json" in git(data, "status", "--porcelain")  # nothing was committed


def test_two_reviewers_rating_one_run_on_two_computers_keep_both_ratings() -> None:
    def rating(reviewer: str, value: int) -> dict[str, object]:
        return {"run_id": "r1", "reviewer": reviewer, "question_id": "quality", "value": value}

    base = store_text({"ratings": {}})
    ours = store_text({"ratings": {"1": rating("Alice", 4)}})
    theirs = store_text({"ratings": {"1": rating("Bob", 2)}})
    text, conflicts = merge_texts(base, ours, theirs, "vendors/acme/r1.json")
    assert conflicts == []
    assert json.loads(text)["ratings"] == {"1": rating("Alice", 4), "2": rating("Bob", 2)}
    # One reviewer, spelt two ways, rating the same question two ways: a real conflict.
    text, conflicts = merge_texts(
        base, ours, store_text({"ratings": {"1": rating("alice", 5)}}), "f.json"
    )
    assert json.loads(text)["ratings"] == {"1": rating("Alice", 4)}
    assert [(c.path, c.mine, c.theirs) for c in conflicts] == [
        (["value"], {"value": 4}, {"value": 5})
    ]


def test_ticks_and_save_times_from_both_sides_are_never_conflicts() -> None:
    def run(checked: list[str], updated: str, step: int) -> dict[str, object]:
        return {"id": "r1", "checked": checked, "updated_at": updated, "step_index": step}

    base = store_text({"runs": {"1": run(["a", "b"], "2026-10-01T09:00:00+00:00", 0)}})
    ours = store_text({"runs": {"1": run(["a", "c"], "2026-10-02T09:00:00+00:00", 2)}})
    theirs = store_text({"runs": {"1": run(["a", "b", "d"], "2026-10-03T09:00:00+00:00", 4)}})
    text, conflicts = merge_texts(base, ours, theirs, "vendors/acme/r1.json")
    assert conflicts == []
    # b was unticked here, c ticked here, d ticked there; the later save; this side's step.
    assert json.loads(text)["runs"]["1"] == run(["a", "c", "d"], "2026-10-03T09:00:00+00:00", 2)


# -- joining with a store of one's own; choices that never drop records ----------------------


def test_with_no_common_version_every_record_of_both_sides_is_kept() -> None:
    def acme(contact: str, months: int) -> dict[str, object]:
        terms = {"initial_months": months, "renewal": "none"}
        return {"id": "acme", "name": "Acme", "contact": contact, "contract": terms}

    ours = store_text({"vendors": {"1": acme("Ana", 12), "2": {"id": "bolt", "name": "Bolt"}}})
    theirs = store_text({"vendors": {"1": acme("Ben", 24), "2": {"id": "cargo", "name": "C"}}})
    text, conflicts = merge_texts("", ours, theirs, "index.json")  # no common version
    assert json.loads(text)["vendors"] == {
        "1": acme("Ana", 12),
        "2": {"id": "bolt", "name": "Bolt"},
        "3": {"id": "cargo", "name": "C"},
    }
    assert [(c.record, c.path, c.mine, c.theirs) for c in conflicts] == [
        ('["acme"]', ["contact"], {"value": "Ana"}, {"value": "Ben"}),
        ('["acme"]', ["contract", "initial_months"], {"value": 12}, {"value": 24}),
    ]


def test_joining_from_a_store_of_your_own_loses_no_vendor_of_either(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    mine = Store(alice)
    acme = mine.add_vendor(draft("Acme", contact="Ana"))
    mine.set_contract(acme.id, "2026-01-01", {"initial_months": 12, "renewal": "none"})
    mine.add_vendor(draft("Only At Alice's"))
    review = mine.start_run(acme.id, REVIEW, period="2026-Q3", answers={"praise": "fast"})
    assert sync(monkeypatch, capsys, "Alice", alice, "--init", str(shared))[0] == 0
    theirs = Store(bob)
    assert theirs.add_vendor(draft("Acme", contact="Ben")).id == acme.id  # the same vendor
    theirs.set_contract(acme.id, "2026-01-01", {"initial_months": 24, "renewal": "none"})
    theirs.add_vendor(draft("Only At Bob's"))

    code, out, err = sync(monkeypatch, capsys, "Bob", bob, "--init", str(shared))
    assert code == 1
    assert "the version of" not in err
    conflicts = [row for row in err.splitlines() if row.startswith("  ")]
    assert conflicts == [
        "  1. Acme: contact: mine 'Ben' (Bob), theirs 'Ana' (Alice)",
        "  2. Acme: contract terms, the first term: mine 24 (Bob), theirs 12 (Alice)",
    ]
    everyone = {"Acme", "Only At Alice's", "Only At Bob's"}
    assert set(opens_cleanly(bob)) == everyone

    code, out, err = sync(monkeypatch, capsys, "Bob", bob, "--take", "1=mine", "--take", "2=theirs")
    assert (code, err) == (0, ""), err
    assert "Settled: Acme: contact: chose Bob's 'Ben'" in out
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    assert opens_cleanly(alice) == opens_cleanly(bob)
    for where in (alice, bob):
        store = Store(where)
        assert {v.name for v in store.list_vendors()} == everyone
        assert store.find_vendor("Acme").contact == "Ben"
        assert store.find_vendor("Acme").contract == {"initial_months": 12, "renewal": "none"}
        assert store.get_run(acme.id, review.id).answers == {"praise": "fast"}


def test_a_whole_store_file_set_aside_before_is_merged_record_by_record_whatever_is_chosen(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """An earlier version set a store file aside whole: choosing "mine" kept only this
    side's vendors. Now the choice can no longer drop what only the other side has."""
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    Store(alice).add_vendor(draft("Acme"))
    assert sync(monkeypatch, capsys, "Alice", alice, "--init", str(shared))[0] == 0
    Store(bob).add_vendor(draft("Bolt"))
    git(bob, "init", "-q", "-b", "main")
    git(bob, "remote", "add", "origin", str(shared))
    git(bob, "config", "branch.main.remote", "origin")
    git(bob, "config", "branch.main.merge", "refs/heads/main")
    git(bob, "add", "-A")
    commit_as("Bob", bob, "-m", "Shared the portfolio: 1 vendor, 0 runs")
    git(bob, "fetch", "-q", "origin")
    mine_commit = git(bob, "rev-parse", "HEAD").strip()
    theirs_commit = git(bob, "rev-parse", "origin/main").strip()
    merge = subprocess.run(
        ["git", "-C", str(bob), "merge", "--allow-unrelated-histories", "origin/main"],
        capture_output=True,
        timeout=60,
    )
    assert merge.returncode != 0  # index.json: added on both sides, merged as text
    git(bob, "checkout", "--ours", "index.json")
    git(bob, "add", "index.json")
    commit_as("Bob", bob, "-m", "Took in 1 change from Alice")
    save_conflicts(
        bob / CONFLICTS_FILE,
        [
            Conflict(
                file="index.json",
                table="",
                record="",
                ref={},
                path=[],
                mine={"commit": mine_commit},
                theirs={"commit": theirs_commit},
                mine_by="Bob",
                theirs_by="Alice",
                number=1,
            )
        ],
    )
    assert {v.name for v in Store(bob).list_vendors()} == {"Bolt"}

    code, out, err = sync(monkeypatch, capsys, "Bob", bob, "--take", "1=mine")
    assert (code, err) == (0, ""), err
    assert not (bob / CONFLICTS_FILE).exists()
    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    for where in (alice, bob):
        assert set(opens_cleanly(where)) == {"Acme", "Bolt"}


def test_a_store_file_that_cannot_be_merged_record_by_record_is_refused_not_offered(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, _, _ = shared_pair(shared, tmp_path, monkeypatch, capsys)
    index = json.loads((alice / "index.json").read_text(encoding="utf-8"))
    index["vendors"] = list(index["vendors"].values())  # not a table any more
    (alice / "index.json").write_text(json.dumps(index), encoding="utf-8")
    commit_as("Alice", alice, "-am", "Edited by hand")
    git(alice, "push", "-q", "origin", "main")
    Store(bob).add_vendor(draft("Cargo Co"))

    code, out, err = sync(monkeypatch, capsys, "Bob", bob)
    assert code == 1
    line = one_line(err)
    assert "index.json" in line and "cannot be merged record by record" in line
    assert "the table 'vendors' is damaged" in line and "Alice" in line
    assert not (bob / CONFLICTS_FILE).exists()
    assert not (bob / ".git" / "MERGE_HEAD").exists()
    assert set(opens_cleanly(bob)) == {"Acme", "Cargo Co"}
    assert git(shared, "rev-parse", "main") == git(alice, "rev-parse", "HEAD")


# -- a completed review's scorecard after a merge ------------------------------------------------


def rate(where: Path, reviewer: str, acme: str, review: str, value: int) -> None:
    services = Services(Store(where), LIBRARY, Settings(reviewer=reviewer))
    run = services.store.get_run(acme, review)
    assert REVIEW is not None
    assert services.runs().save_answers(REVIEW, run, {"quality_rating": value})


def test_a_review_completed_on_both_sides_keeps_a_scorecard_of_every_reviewer(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, bob, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    assert REVIEW is not None
    for where in (alice, bob):
        store = Store(where)
        store.save_answer(acme, review, "meeting_date", "2026-10-05")
        store.save_answer(acme, review, "decision", "Keep")
    rate(alice, "Alice", acme, review, 5)
    rate(alice, "Cleo", acme, review, 4)  # a second reviewer on Alice's computer
    rate(bob, "Bob", acme, review, 1)
    for where in (alice, bob):
        assert Services(Store(where), LIBRARY).runs().complete(REVIEW, review, acme).done

    assert sync(monkeypatch, capsys, "Alice", alice)[0] == 0
    code, out, err = sync(monkeypatch, capsys, "Bob", bob)
    assert (code, err) == (0, ""), err
    assert "Acme: 2026-Q3 scorecard worked out again with Alice's and Cleo's ratings" in out
    code, out, err = sync(monkeypatch, capsys, "Alice", alice)
    assert (code, err) == (0, ""), err
    for where in (alice, bob):
        card = Services(Store(where), LIBRARY).portfolio().scorecard(acme, "2026-Q3")
        assert card is not None
        quality = next(line for line in card.ratings if line.question_id == "quality_rating")
        assert quality.by_reviewer == {"Alice": 5, "Cleo": 4, "Bob": 1}
        assert quality.rating == 4
        assert git(where, "status", "--porcelain") == ""
    assert Store(alice).get_run(acme, review) == Store(bob).get_run(acme, review)


# -- settling with nothing to settle ------------------------------------------------------------


def test_a_take_with_nothing_to_settle_is_refused_and_nothing_is_done(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    alice, _, acme, review = shared_pair(shared, tmp_path, monkeypatch, capsys)
    Store(alice).save_answer(acme, review, "concerns", "late reports")
    head = git(alice, "rev-parse", "HEAD")
    for take in ("mine", "theirs"):
        code, out, err = sync(monkeypatch, capsys, "Alice", alice, "--take", take)
        assert (code, out) == (1, "")
        assert one_line(err) == "outsource-tui: error: nothing to settle: no conflict is waiting"
    assert git(alice, "rev-parse", "HEAD") == head  # nothing committed, nothing sent
