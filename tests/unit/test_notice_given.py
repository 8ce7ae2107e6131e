"""Notice given reaches the contract clock, `due`, the calendar and the dashboard's words."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.contract import ContractState, clock_phrase
from outsource_tui.domain.vendor import FieldError, VendorDraft, contract_clock
from outsource_tui.store import Store

TERMS = {"initial_months": 12, "renewal": "automatic", "renewal_months": 12, "notice_days": 60}


@pytest.fixture
def kestrel(data_dir: Path) -> Store:
    # Term 2 runs 2026-01-23 to 2027-01-22; its last notice day is 60 days before the end.
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Kestrel Labs", contract_start="2025-01-23"))
    store.set_contract("kestrel-labs", "2025-01-23", TERMS)
    return store


def due(capsys: pytest.CaptureFixture[str], today: str) -> list[tuple[str, str, str]]:
    """The contract's dates in `due` (the review reminders are left out here)."""
    assert main(["due", "--json", "--today", today, "--within", "90d"]) == 0
    items = json.loads(capsys.readouterr().out)
    return [(i["date"], i["kind"], i["what"]) for i in items if i["kind"] != "review"]


def test_without_notice_the_window_is_missed(
    kestrel: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    state = contract_clock(kestrel.get_vendor("kestrel-labs"), date(2026, 12, 1))
    assert state is not None and state.state is ContractState.MISSED
    assert state.last_notice_day == date(2026, 11, 23)
    kinds = [kind for _, kind, _ in due(capsys, "2026-12-01")]
    assert kinds == ["notice-missed"]


def test_notice_in_time_ends_the_contract_with_this_term(
    kestrel: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    kestrel.set_vendor_facts("kestrel-labs", {"notice_given": "2026-09-22"})
    state = contract_clock(kestrel.get_vendor("kestrel-labs"), date(2026, 12, 1))
    assert state is not None
    assert state.state is ContractState.NOTICE_GIVEN
    assert state.ends_on == date(2027, 1, 22)
    assert state.next_renewal is None
    assert clock_phrase(state) == "notice given 2026-09-22: the contract ends 2027-01-22"
    assert due(capsys, "2026-12-01") == [
        ("2027-01-22", "contract-end", "contract ends 2027-01-22 (notice given 2026-09-22)")
    ]


def test_late_notice_ends_the_contract_a_term_later(kestrel: Store) -> None:
    kestrel.set_vendor_facts("kestrel-labs", {"notice_given": "2026-11-30"})  # a week late
    state = contract_clock(kestrel.get_vendor("kestrel-labs"), date(2026, 12, 1))
    assert state is not None and state.ends_on == date(2028, 1, 22)


def test_after_the_last_day_the_contract_has_ended(kestrel: Store) -> None:
    kestrel.set_vendor_facts("kestrel-labs", {"notice_given": "2026-09-22"})
    state = contract_clock(kestrel.get_vendor("kestrel-labs"), date(2027, 2, 1))
    assert state is not None and state.state is ContractState.ENDED
    assert clock_phrase(state) == "ended 2027-01-22"


def test_notice_before_the_contract_starts_is_refused(kestrel: Store) -> None:
    with pytest.raises(FieldError, match="before the contract starts"):
        kestrel.set_vendor_facts("kestrel-labs", {"notice_given": "2024-12-31"})
    assert kestrel.get_vendor("kestrel-labs").notice_given == ""


def test_a_vendor_fact_change_leaves_the_other_fields_alone(kestrel: Store) -> None:
    kestrel.set_vendor_facts("kestrel-labs", {"timezone": "Europe/Lisbon"})
    vendor = kestrel.get_vendor("kestrel-labs")
    assert (vendor.timezone, vendor.contract_start, vendor.contract) == (
        "Europe/Lisbon",
        "2025-01-23",
        TERMS,
    )
    with pytest.raises(FieldError):
        kestrel.set_vendor_facts("kestrel-labs", {"timezone": "Mars/Olympus"})
    assert kestrel.get_vendor("kestrel-labs").timezone == "Europe/Lisbon"
