"""A write reads the file as a reader would first: a file a reader refuses is never rewritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.store import Store


def damage_run(path: Path, change) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    text = json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return text


def set_field(name: str, value: object):
    def change(data: dict) -> None:
        for doc in data["runs"].values():
            doc[name] = value

    return change


def drop_field(name: str):
    def change(data: dict) -> None:
        for doc in data["runs"].values():
            doc.pop(name, None)

    return change


def null_question(data: dict) -> None:
    data.setdefault("answers", {})["99"] = {"run_id": "x", "question_id": None, "value": 1}


@pytest.mark.parametrize(
    "change",
    [
        set_field("step_index", "abc"),
        set_field("seq", "1"),
        set_field("checked", 5),
        set_field("checked", "abc"),
        drop_field("playbook_id"),
        null_question,
    ],
    ids=["step_index", "seq", "checked-number", "checked-text", "playbook_id", "question_id"],
)
@pytest.mark.parametrize("write", ["answer", "ticks", "step"])
def test_a_damaged_run_file_is_named_and_never_rewritten(
    data_dir: Path, change, write: str
) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    playbook = load_library().get("objectives")
    assert playbook is not None
    run = store.start_run(vendor.id, playbook)
    path = store.run_path(vendor.id, run.id)
    before = damage_run(path, change)
    with pytest.raises(StoreError) as caught:
        if write == "answer":
            store.save_answer(vendor.id, run.id, "problem", "x")
        elif write == "ticks":
            store.set_checked(vendor.id, run.id, "scope/one", True)
        else:
            store.set_step(vendor.id, run.id, 1)
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == before
    with pytest.raises(StoreError):
        store.runs(vendor.id)  # the reader refuses it the same way
