"""Where ``-o`` writes, and how the store writes through links: refused with one line, or
written in place of a link's target, never a device or folder replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.store import Store


@pytest.fixture
def acme(data_dir: Path) -> str:
    Store(data_dir).add_vendor(VendorDraft(name="Acme", contract_start="2026-01-01"))
    return "Acme"


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    return err[0]


def test_a_missing_folder_is_refused_not_made(
    acme: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "x.ics"
    assert main(["calendar", "-o", str(target)]) == 1
    assert "there is no folder" in one_error(capsys)
    assert not target.parent.exists()


@pytest.mark.parametrize("command", [["calendar"], ["report", "Acme", "--format", "md"]])
def test_a_folder_is_refused(
    acme: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([*command, "-o", str(tmp_path)]) == 1
    assert "is a folder" in one_error(capsys)
    assert tmp_path.is_dir()


@pytest.mark.parametrize("command", [["calendar"], ["report", "Acme", "--format", "md"]])
def test_an_empty_name_is_refused(
    acme: str, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main([*command, "-o", ""]) == 1
    assert "-o needs a file name" in one_error(capsys)


@pytest.mark.parametrize("command", [["calendar"], ["report", "Acme", "--format", "md"]])
def test_a_dash_writes_to_the_terminal(
    acme: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*command, "-o", "-"]) == 0
    assert not (tmp_path / "-").exists()
    out = capsys.readouterr().out
    assert "BEGIN:VCALENDAR" in out or "Acme" in out


def test_a_pipe_through_a_link_is_refused_in_one_line(
    acme: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.md"
    link.symlink_to(fifo)
    assert main(["report", "Acme", "--format", "md", "-o", str(link)]) == 1
    assert "not a regular file" in one_error(capsys)


def test_a_device_is_left_alone(acme: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = os.stat("/dev/null")
    assert main(["calendar", "-o", "/dev/null"]) == 1
    assert "not a regular file" in one_error(capsys)
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


def test_a_symlink_is_followed_and_kept(acme: str, tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["report", "Acme", "--format", "md", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Acme" in target.read_text()


def test_a_symlinked_index_keeps_its_link(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))
    elsewhere = tmp_path / "kept" / "index.json"
    elsewhere.parent.mkdir()
    store.index_path.rename(elsewhere)
    store.index_path.symlink_to(elsewhere)
    Store(data_dir).add_vendor(VendorDraft(name="Beta"))
    assert store.index_path.is_symlink()
    assert "Beta" in elsewhere.read_text()
    assert [v.name for v in Store(data_dir).list_vendors()] == ["Acme", "Beta"]
