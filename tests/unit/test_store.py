"""The store: round trips, resume, atomic writes, schema version, broken files, two writers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import FieldError, VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.store import SCHEMA_VERSION, Store, UnknownVendor, atomic


@pytest.fixture
def objectives():
    playbook = load_library().get("objectives")
    assert playbook is not None
    return playbook


def test_nothing_is_created_until_the_first_save(data_dir: Path) -> None:
    store = Store(data_dir)
    assert store.list_vendors() == []
    store.check()
    assert not data_dir.exists()


def test_vendor_round_trip_keeps_every_field(data_dir: Path) -> None:
    store = Store(data_dir)
    added = store.add_vendor(
        VendorDraft(
            name="  Northwind   Support ",
            service="first-line support",
            status="onboarding",
            timezone="Asia/Manila",
            contract_start="2026-01-01",
            contract_end="2027-12-31",
            contact="Ana <ana@example.com>",
        )
    )
    again = Store(data_dir).get_vendor(added.id)
    assert again == added
    assert again.name == "Northwind Support"
    assert (again.service, again.status, again.timezone) == (
        "first-line support",
        "onboarding",
        "Asia/Manila",
    )
    assert (again.contract_start, again.contract_end) == ("2026-01-01", "2027-12-31")
    assert again.contact == "Ana <ana@example.com>"


def test_names_are_unique_whatever_the_case(data_dir: Path) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme Logistics"))
    with pytest.raises(FieldError) as refused:
        store.add_vendor(VendorDraft(name="ACME  logistics"))
    assert refused.value.field == "name"
    assert "already exists" in str(refused.value)
    assert [v.name for v in store.list_vendors()] == ["Acme Logistics"]


@pytest.mark.parametrize(
    ("draft", "field", "fragment"),
    [
        (VendorDraft(name="   "), "name", "needs a name"),
        (VendorDraft(name="X", timezone="Mars/Base"), "timezone", "unknown time zone"),
        (VendorDraft(name="X", timezone="asia/manila"), "timezone", "did you mean Asia/Manila"),
        (VendorDraft(name="X", status="great"), "status", "unknown status"),
        (VendorDraft(name="X", contract_start="2026-02-30"), "contract_start", "not a real"),
        (
            VendorDraft(name="X", contract_start="2026-05-01", contract_end="2026-01-01"),
            "contract_end",
            "cannot end before",
        ),
    ],
)
def test_bad_vendor_fields_are_refused_and_nothing_saved(
    data_dir: Path, draft: VendorDraft, field: str, fragment: str
) -> None:
    store = Store(data_dir)
    with pytest.raises(FieldError) as refused:
        store.add_vendor(draft)
    assert refused.value.field == field
    assert fragment in str(refused.value)
    assert store.list_vendors() == []


def test_vendor_ids_stay_unique_when_names_slug_alike(data_dir: Path) -> None:
    store = Store(data_dir)
    first = store.add_vendor(VendorDraft(name="A&B Services"))
    second = store.add_vendor(VendorDraft(name="A B Services"))
    assert first.id == "a-b-services"
    assert second.id == "a-b-services-2"
    assert store.find_vendor("a b services").id == second.id
    with pytest.raises(UnknownVendor):
        store.find_vendor("nobody")


def test_schema_version_is_in_every_file(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    for path in (data_dir / "index.json", data_dir / "vendors" / "acme" / f"{run.id}.json"):
        data = json.loads(path.read_text())
        assert list(data["_meta"].values()) == [{"schema": SCHEMA_VERSION}]


def test_a_run_resumes_with_answers_ticks_and_step(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    store.save_answer(vendor.id, run.id, "problem", "Backlog keeps growing")
    store.save_answer(vendor.id, run.id, "annual_budget", 120000)
    store.save_answer(vendor.id, run.id, "service_areas", ["Customer support"])
    store.save_answer(vendor.id, run.id, "problem", "Backlog grows by 200 tickets a week")
    store.set_checked(vendor.id, run.id, {"why-outsource/a", "scope-in-and-out/b"})
    store.set_step(vendor.id, run.id, 3)

    reopened = Store(data_dir)
    latest = reopened.latest_run(vendor.id, "objectives")
    assert latest is not None and latest.id == run.id
    assert latest.answers == {
        "problem": "Backlog grows by 200 tickets a week",
        "annual_budget": 120000,
        "service_areas": ["Customer support"],
    }
    assert latest.checked == {"why-outsource/a", "scope-in-and-out/b"}
    assert latest.step_index == 3
    assert latest.playbook_digest == objectives.digest
    assert not latest.completed


def test_clearing_an_answer_removes_it(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    store.save_answer(vendor.id, run.id, "sponsor", "Dana")
    store.save_answer(vendor.id, run.id, "sponsor", None)
    assert store.get_run(vendor.id, run.id).answers == {}


def test_completed_run_stays_and_a_new_one_is_preferred(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    first = store.start_run(vendor.id, objectives)
    store.complete_run(vendor.id, first.id)
    latest = store.latest_run(vendor.id, "objectives")
    assert latest is not None and latest.completed and latest.id == first.id
    second = store.start_run(vendor.id, objectives)
    latest = store.latest_run(vendor.id, "objectives")
    assert latest is not None and latest.id == second.id and not latest.completed
    assert [r.id for r in store.runs(vendor.id)] == [first.id, second.id]


def test_saving_an_answer_touches_only_that_runs_file(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    acme = store.add_vendor(VendorDraft(name="Acme"))
    other = store.add_vendor(VendorDraft(name="Other"))
    run = store.start_run(acme.id, objectives)
    other_run = store.start_run(other.id, objectives)
    index_before = (data_dir / "index.json").read_bytes()
    other_path = store.run_path(other.id, other_run.id)
    other_before = other_path.read_bytes()
    store.save_answer(acme.id, run.id, "sponsor", "Dana")
    assert (data_dir / "index.json").read_bytes() == index_before
    assert other_path.read_bytes() == other_before


def test_a_failed_replace_leaves_the_old_file_intact(
    data_dir: Path, objectives, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    store.save_answer(vendor.id, run.id, "sponsor", "Dana")
    path = data_dir / "vendors" / "acme" / f"{run.id}.json"
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(StoreError) as failed:
        store.save_answer(vendor.id, run.id, "sponsor", "Somebody else")
    assert "No space left on device" in str(failed.value)
    assert str(path) in str(failed.value)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
    monkeypatch.undo()
    assert Store(data_dir).get_run(vendor.id, run.id).answers == {"sponsor": "Dana"}


def test_a_failed_write_leaves_the_old_file_intact(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))
    before = (data_dir / "index.json").read_bytes()
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(StoreError):
        store.add_vendor(VendorDraft(name="Beta"))
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert (data_dir / "index.json").read_bytes() == before
    assert [v.name for v in store.list_vendors()] == ["Acme"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"_meta": {"1": {"schema": 1}}, "vendors": {', "is not valid JSON (line 1"),
        ("", "is empty"),
        ("[1, 2]", "expected a JSON object"),
        ('{"vendors": {}}', "has no schema version"),
        ('{"_meta": {"1": {"schema": 99}}}', "newer outsource-tui (schema 99"),
    ],
)
def test_a_broken_store_file_is_named_and_never_overwritten(
    data_dir: Path, content: str, fragment: str
) -> None:
    data_dir.mkdir(parents=True)
    index = data_dir / "index.json"
    index.write_text(content)
    store = Store(data_dir)
    for action in (store.check, store.list_vendors, lambda: store.add_vendor(VendorDraft("X"))):
        with pytest.raises(StoreError) as broken:
            action()
        assert str(index) in str(broken.value)
        assert fragment in str(broken.value)
    assert index.read_text() == content


def test_a_broken_vendor_file_is_found_by_check(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    path = data_dir / "vendors" / "acme" / f"{run.id}.json"
    path.write_text("{ not json")
    with pytest.raises(StoreError, match=f"acme/{run.id}.json is not valid JSON"):
        store.check()
    assert path.read_text() == "{ not json"


def test_a_run_record_with_missing_fields_is_reported(data_dir: Path, objectives) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    run = store.start_run(vendor.id, objectives)
    path = data_dir / "vendors" / "acme" / f"{run.id}.json"
    data = json.loads(path.read_text())
    del data["runs"]["1"]["playbook_id"]
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="a run has no 'playbook_id'"):
        store.runs(vendor.id)


def test_two_stores_on_one_directory_keep_each_others_writes(data_dir: Path, objectives) -> None:
    # Two app instances: each holds its own Store; interleaved saves must all survive.
    first, second = Store(data_dir), Store(data_dir)
    vendor = first.add_vendor(VendorDraft(name="Acme"))
    second.add_vendor(VendorDraft(name="Beta"))
    with pytest.raises(FieldError):
        first.add_vendor(VendorDraft(name="beta"))
    run = first.start_run(vendor.id, objectives)
    first.save_answer(vendor.id, run.id, "sponsor", "Dana")
    second.save_answer(vendor.id, run.id, "problem", "Slow replies")
    first.set_checked(vendor.id, run.id, {"why-outsource/x"})
    second.set_step(vendor.id, run.id, 2)
    final = Store(data_dir).get_run(vendor.id, run.id)
    assert final.answers == {"sponsor": "Dana", "problem": "Slow replies"}
    assert final.checked == {"why-outsource/x"}
    assert final.step_index == 2
    assert [v.name for v in Store(data_dir).list_vendors()] == ["Acme", "Beta"]
