"""Two writers: another instance's change to a vendor survives an edit made from an older view,
and a writer that stops while it holds the data directory blocks nobody for long."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.vendor import FieldError, VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.store import Store

HOLDER = """
import sys, time
from pathlib import Path
from outsource_tui.store import Store
store = Store(Path(sys.argv[1]))
with store._lock.hold():
    print("holding", flush=True)
    time.sleep(600)
"""


def draft_of(store: Store, vendor_id: str) -> VendorDraft:
    return store.get_vendor(vendor_id).draft()


def test_an_edit_from_an_older_view_keeps_what_another_instance_changed(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(
        VendorDraft(name="Acme", service="support", contract_start="2026-01-01")
    )
    shown = draft_of(store, vendor.id)  # the form opens
    # Meanwhile the command line moves the contract start.
    assert main(["vendor", "contract", "Acme", "--months", "24", "--start", "2026-03-01"]) == 0
    # Only the service was changed in the form.
    edited = VendorDraft(**{**shown.__dict__, "service": "customer support"})
    after = store.edit_vendor(vendor.id, edited, shown=shown)
    assert after.service == "customer support"
    assert after.contract_start == "2026-03-01"
    assert after.contract["initial_months"] == 24


def test_an_edit_that_changes_nothing_writes_nothing(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme", service="support"))
    shown = draft_of(store, vendor.id)
    store.edit_vendor(vendor.id, VendorDraft(**{**shown.__dict__, "service": "other"}))
    before = store.index_path.read_bytes()
    assert store.edit_vendor(vendor.id, shown, shown=shown).service == "other"
    assert store.index_path.read_bytes() == before


def test_terms_saved_from_an_older_view_keep_another_instances_terms(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme", contract_start="2026-01-01"))
    terms = {"initial_months": 12, "renewal": "automatic", "notice_days": 30}
    store.set_contract(vendor.id, "2026-01-01", terms)
    shown_start, shown_terms = "2026-01-01", dict(store.get_vendor(vendor.id).contract)
    assert (
        main(
            ["vendor", "contract", "Acme", "--months", "36", "--notice-days", "90"]
            + ["--start", "2026-01-01"]
        )
        == 0
    )
    # ctrl+s on the terms form without an edit: nothing goes back.
    after = store.set_contract(
        vendor.id, shown_start, dict(shown_terms), shown=(shown_start, shown_terms)
    )
    assert after.contract["initial_months"] == 36 and after.contract["notice_days"] == 90
    # Changing one term changes that one only.
    changed = {**shown_terms, "lead_days": 45}
    after = store.set_contract(vendor.id, shown_start, changed, shown=(shown_start, shown_terms))
    assert after.contract["lead_days"] == 45
    assert after.contract["initial_months"] == 36 and after.contract["notice_days"] == 90


def test_a_merged_edit_is_checked_as_a_whole(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    store.add_vendor(VendorDraft(name="Beta"))
    shown = draft_of(store, vendor.id)
    with pytest.raises(FieldError):
        store.edit_vendor(vendor.id, VendorDraft(**{**shown.__dict__, "name": "beta"}), shown=shown)
    assert store.get_vendor(vendor.id).name == "Acme"


@pytest.fixture
def stopped_holder(data_dir: Path):
    """Another process that took the data directory's lock and was then stopped."""
    Store(data_dir).add_vendor(VendorDraft(name="Acme"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    os.kill(holder.pid, signal.SIGSTOP)
    yield holder
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()


@pytest.mark.timeout(60)
def test_a_stopped_lock_holder_gives_a_one_line_error_after_a_bounded_wait(
    data_dir: Path, stopped_holder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_LOCK_WAIT", "0.5")
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        Store(data_dir).add_vendor(VendorDraft(name="Beta"))
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert f"pid {stopped_holder.pid}" in message and "\n" not in message
    assert [v.name for v in Store(data_dir).list_vendors()] == ["Acme"]  # reading still works


@pytest.mark.timeout(60)
def test_the_command_line_stops_waiting_and_says_who_holds_the_lock(
    data_dir: Path, stopped_holder
) -> None:
    env = {**os.environ, "OUTSOURCE_TUI_DATA_DIR": str(data_dir), "OUTSOURCE_TUI_LOCK_WAIT": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "outsource_tui", "vendor", "add", "Beta"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert time.monotonic() - started < 15
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pid {stopped_holder.pid}" in lines[0]
    assert "Traceback" not in done.stderr


def test_the_default_wait_is_a_few_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    from outsource_tui.store.atomic import lock_wait_seconds

    monkeypatch.delenv("OUTSOURCE_TUI_LOCK_WAIT", raising=False)
    assert 1 <= lock_wait_seconds() <= 10
    monkeypatch.setenv("OUTSOURCE_TUI_LOCK_WAIT", "nonsense")
    assert 1 <= lock_wait_seconds() <= 10
