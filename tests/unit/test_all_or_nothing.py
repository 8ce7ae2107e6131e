"""A backup or the sample portfolio is made whole or not at all: a failure part-way leaves
nothing behind that looks complete, and the next try works."""

from __future__ import annotations

import errno
import shutil
from datetime import date
from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError, UserError
from outsource_tui.services.demo import write_demo
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_backup_cut_short_leaves_no_backup(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir)
    write_demo(store, load_library(), vendors=3, years=1, seed=1, today=TODAY)
    with monkeypatch.context() as m:
        m.setattr(shutil, "copytree", disk_full)
        with pytest.raises(StoreError) as caught:
            store.backup()
    assert "No space left" in str(caught.value) and "\n" not in str(caught.value)
    assert list((data_dir / "backups").iterdir()) == []
    done = store.backup()  # room again: a whole one
    assert (done / "index.json").is_file() and (done / "vendors").is_dir()
    assert not any(p.name.endswith(".incomplete") for p in (data_dir / "backups").iterdir())


def test_a_sample_cut_short_leaves_nothing_and_can_be_written_again(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir)
    library = load_library()
    calls = 0
    real = Store._write_run

    def failing(self: Store, *args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls > 20:
            raise StoreError("cannot save: No space left on device")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(Store, "_write_run", failing)
        with pytest.raises(UserError):
            write_demo(store, library, vendors=6, years=2, seed=1, today=TODAY)
    assert calls > 20
    assert store.list_vendors() == []
    assert not any((data_dir / "vendors").iterdir())  # no run file of a vendor never listed
    assert write_demo(store, library, vendors=6, years=2, seed=1, today=TODAY) == 6


def test_an_import_refused_part_way_keeps_the_vendors_already_there(data_dir: Path) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))
    with pytest.raises(UserError):
        store.import_portfolio([(VendorDraft(name="Beta"), []), (VendorDraft(name="acme"), [])])
    assert [v.name for v in store.list_vendors()] == ["Acme"]
