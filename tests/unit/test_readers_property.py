"""Damaged store files, generated: a reader raises only the store's own one-line error,
names the file, and leaves it as it was; a damaged summaries file only costs a rebuild."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.services import Services
from outsource_tui.store import Store

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
RUN_FIELDS = [
    "id",
    "vendor_id",
    "playbook_id",
    "playbook_title",
    "started_at",
    "updated_at",
    "completed_at",
    "step_index",
    "step_id",
    "period",
    "seq",
    "checked",
    "snapshot",
]
VENDOR_FIELDS = ["id", "name", "status", "contract_start", "contract_end", "contract", "timezone"]
EXAMPLES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def library():
    return load_library()


def fresh_store(root: Path, library) -> tuple[Store, str, Path]:
    store = Store(root)
    vendor = store.add_vendor(VendorDraft(name="Acme", contract_start="2026-01-01"))
    playbook = library.get("quarterly-review")
    run = store.start_run(vendor.id, playbook, period="2026-Q1")
    store.save_answer(vendor.id, run.id, "kpi_results", [{"kpi": "Tickets", "actual": 3}])
    return store, vendor.id, store.run_path(vendor.id, run.id)


def assert_refused_cleanly(read, path: Path) -> None:
    before = path.read_bytes()
    try:
        read()
    except StoreError as exc:
        message = str(exc)
        assert str(path) in message and "\n" not in message
    assert path.read_bytes() == before


def mutate(data: dict[str, Any], table: str, field: str, value: object, delete: bool) -> None:
    for doc in data.get(table, {}).values():
        if delete:
            doc.pop(field, None)
        else:
            doc[field] = value


@EXAMPLES
@given(field=st.sampled_from(RUN_FIELDS), value=JSON, delete=st.booleans())
def test_a_run_file_with_a_damaged_field(tmp_path_factory, library, field, value, delete) -> None:
    store, vendor_id, path = fresh_store(tmp_path_factory.mktemp("store"), library)
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data, "runs", field, value, delete)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_refused_cleanly(lambda: store.runs(vendor_id), path)
    assert_refused_cleanly(lambda: Services(store, library).portfolio().due(30), path)


@EXAMPLES
@given(field=st.sampled_from(["run_id", "question_id", "value"]), value=JSON)
def test_a_run_file_with_a_damaged_answer(tmp_path_factory, library, field, value) -> None:
    store, vendor_id, path = fresh_store(tmp_path_factory.mktemp("store"), library)
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data, "answers", field, value, False)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_refused_cleanly(lambda: store.runs(vendor_id), path)


@EXAMPLES
@given(cut=st.integers(min_value=0, max_value=400), junk=st.binary(max_size=8))
def test_a_truncated_run_file(tmp_path_factory, library, cut, junk) -> None:
    store, vendor_id, path = fresh_store(tmp_path_factory.mktemp("store"), library)
    path.write_bytes(path.read_bytes()[:cut] + junk)
    assert_refused_cleanly(lambda: store.runs(vendor_id), path)


@EXAMPLES
@given(field=st.sampled_from(VENDOR_FIELDS), value=JSON, delete=st.booleans())
def test_an_index_with_a_damaged_vendor(tmp_path_factory, library, field, value, delete) -> None:
    store, _, _ = fresh_store(tmp_path_factory.mktemp("store"), library)
    data = json.loads(store.index_path.read_text(encoding="utf-8"))
    mutate(data, "vendors", field, value, delete)
    store.index_path.write_text(json.dumps(data), encoding="utf-8")
    assert_refused_cleanly(store.list_vendors, store.index_path)


@EXAMPLES
@given(value=JSON)
def test_a_damaged_summaries_file_costs_only_a_rebuild(tmp_path_factory, library, value) -> None:
    root = tmp_path_factory.mktemp("store")
    store, _, _ = fresh_store(root, library)
    services = Services(store, library)
    expected = services.refresh_board().overviews
    (root / "summaries.json").write_text(json.dumps(value), encoding="utf-8")
    assert [o.vendor.name for o in services.board().overviews] == ["Acme"]
    assert services.refresh_board().overviews == expected
