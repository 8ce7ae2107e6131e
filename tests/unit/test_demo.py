"""The sample portfolio: reproducible, varied, written only into an empty directory."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from outsource_tui.cli import build_parser, main
from outsource_tui.domain.library import Library, load_library
from outsource_tui.domain.run import Run
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import VendorDraft, VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.services.demo import build_portfolio, write_demo
from outsource_tui.services.portfolio import Portfolio
from outsource_tui.store import Store

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-11-24")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def cli_defaults() -> tuple[int, int, int]:
    args = build_parser().parse_args(["demo"])
    return args.vendors, args.years, args.seed


@pytest.fixture(scope="module")
def default_portfolio(
    library: Library, cli_defaults: tuple[int, int, int]
) -> list[tuple[VendorDraft, list[Run]]]:
    vendors, years, seed = cli_defaults
    return build_portfolio(library, vendors, years, seed, TODAY)


def content(entries: list[tuple[VendorDraft, list[Run]]]) -> list[Any]:
    """What a portfolio says, leaving out run ids."""
    return [
        (
            draft,
            [
                (r.playbook_id, r.period, r.completed, r.answers, sorted(r.checked), r.snapshot)
                for r in runs
            ],
        )
        for draft, runs in entries
    ]


def reviews(runs: list[Run]) -> list[Run]:
    return sorted((r for r in runs if r.playbook_id == "quarterly-review"), key=lambda r: r.period)


def snapshot_files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- build_portfolio ----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_portfolio(library: Library) -> None:
    first = build_portfolio(library, 12, 2, 7, TODAY)
    second = build_portfolio(library, 12, 2, 7, TODAY)
    assert content(first) == content(second)
    assert sum(len(runs) for _, runs in first) > 12


def test_another_seed_gives_another_portfolio(library: Library) -> None:
    first = build_portfolio(library, 12, 2, 7, TODAY)
    other = build_portfolio(library, 12, 2, 8, TODAY)
    assert content(first) != content(other)
    assert [d.name for d, _ in first] != [d.name for d, _ in other]


def test_the_cli_default_size_shows_every_status(
    default_portfolio: list[tuple[VendorDraft, list[Run]]], cli_defaults: tuple[int, int, int]
) -> None:
    assert cli_defaults == (12, 2, 7)
    assert len(default_portfolio) == 12
    statuses = Counter(draft.status for draft, _ in default_portfolio)
    assert set(statuses) == {s.value for s in VendorStatus}
    # three candidates for one engagement, one each of the passing states, the rest active:
    # 12 - 3 - 4 = 5
    assert statuses == {
        "candidate": 3,
        "onboarding": 1,
        "on-hold": 1,
        "exiting": 1,
        "ended": 1,
        "active": 5,
    }
    assert len({draft.name for draft, _ in default_portfolio}) == 12


def test_candidates_have_a_rated_selection_and_no_reviews(
    default_portfolio: list[tuple[VendorDraft, list[Run]]], library: Library
) -> None:
    selection = library.get("partner-selection")
    assert selection is not None
    scored = [q.id for q in selection.scored_questions()]
    candidates = [runs for draft, runs in default_portfolio if draft.status == "candidate"]
    assert len(candidates) == 3
    for runs in candidates:
        assert [r.playbook_id for r in runs] == ["partner-selection"]
        assert all(1 <= runs[0].answers[qid] <= 5 for qid in scored)  # type: ignore[operator]


def test_some_vendors_trend_up_and_some_down(
    default_portfolio: list[tuple[VendorDraft, list[Run]]],
) -> None:
    changes = []
    for _, runs in default_portfolio:
        reviewed = reviews(runs)
        if len(reviewed) >= 2:
            first, last = reviewed[0].snapshot, reviewed[-1].snapshot
            assert first is not None and last is not None
            changes.append(last["overall"] - first["overall"])
    assert any(change > 10 for change in changes)
    assert any(change < -10 for change in changes)


def test_every_review_has_a_period_and_its_scorecard(
    default_portfolio: list[tuple[VendorDraft, list[Run]]],
) -> None:
    for _, runs in default_portfolio:
        for run in reviews(runs):
            assert run.completed and run.period
            assert run.snapshot is not None and run.snapshot["period"] == run.period
            # every review is done before today
            assert run.completed_at[:10] < TODAY.isoformat()


# -- write_demo ---------------------------------------------------------------------------


def test_write_demo_fills_an_empty_directory(data_dir: Path, library: Library) -> None:
    store = Store(data_dir)
    count = write_demo(store, library, vendors=12, years=2, seed=7, today=TODAY)
    assert count == 12
    names = sorted(d.name for d, _ in build_portfolio(library, 12, 2, 7, TODAY))
    assert sorted(v.name for v in store.list_vendors()) == names


def test_the_written_demo_has_overdue_actions_and_reviews(data_dir: Path, library: Library) -> None:
    store = Store(data_dir)
    write_demo(store, library, vendors=12, years=2, seed=7, today=TODAY)
    overviews = Portfolio(store, library, Settings(), on=TODAY).overviews()
    assert any(item.overdue for row in overviews for item in row.actions)
    assert any(row.overdue_actions for row in overviews)
    # and at least one vendor is behind on reviews, so it leads the dashboard
    assert overviews[0].next_review is not None and overviews[0].next_review.overdue


def test_write_demo_refuses_a_directory_with_a_vendor(data_dir: Path, library: Library) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Already Here"))
    before = snapshot_files(data_dir)
    with pytest.raises(UserError) as refused:
        write_demo(store, library, vendors=5, years=2, seed=3, today=TODAY)
    assert str(refused.value) == (
        f"{data_dir} is not empty: the sample portfolio goes into an empty directory"
    )
    assert snapshot_files(data_dir) == before
    assert [v.name for v in store.list_vendors()] == ["Already Here"]


def test_write_demo_refuses_a_directory_with_other_files(data_dir: Path, library: Library) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UserError, match="is not empty"):
        write_demo(Store(data_dir), library, vendors=5, years=2, seed=3, today=TODAY)
    assert snapshot_files(data_dir) == {"notes.txt": b"mine\n"}


def test_write_demo_accepts_a_directory_with_only_settings(
    data_dir: Path, library: Library
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.toml").write_text("[scorecard]\nscore_green = 85\n", encoding="utf-8")
    assert write_demo(Store(data_dir), library, vendors=3, years=1, seed=1, today=TODAY) == 3
    assert (data_dir / "settings.toml").read_text(encoding="utf-8") == (
        "[scorecard]\nscore_green = 85\n"
    )


@pytest.mark.parametrize(("vendors", "years"), [(0, 2), (5, 0), (-1, 1)])
def test_write_demo_needs_at_least_one_vendor_and_year(
    data_dir: Path, library: Library, vendors: int, years: int
) -> None:
    store = Store(data_dir)
    with pytest.raises(
        UserError, match="--vendors must be from 1 to 5000 and --years from 1 to 50"
    ):
        write_demo(store, library, vendors=vendors, years=years, seed=3, today=TODAY)
    assert store.list_vendors() == []
    assert not (data_dir / "vendors").exists()


# -- the command line ---------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_command_writes_the_vendors_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "sample"
    argv = ("--vendors", "5", "--years", "2", "--seed", "3", "--data-dir", str(target))
    code, out, err = run_cli(capsys, "demo", *argv)
    assert (code, err) == (0, "")
    assert f"Wrote a sample portfolio of 5 vendors to {target}." in out

    code, out, err = run_cli(capsys, "vendor", "list", "--json", "--data-dir", str(target))
    assert (code, err) == (0, "")
    vendors = json.loads(out)
    assert len(vendors) == 5
    # a small portfolio still shows active vendors first: three active, then candidates
    assert Counter(v["status"] for v in vendors) == {"active": 3, "candidate": 2}


def test_demo_command_into_a_non_empty_directory_fails_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "sample"
    assert run_cli(capsys, "vendor", "add", "Mine", "--data-dir", str(target))[0] == 0
    before = snapshot_files(target)
    code, out, err = run_cli(capsys, "demo", "--vendors", "5", "--data-dir", str(target))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith("outsource-tui: error: ")
    assert "is not empty" in err
    assert snapshot_files(target) == before


def test_demo_command_refuses_zero_vendors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_cli(capsys, "demo", "--vendors", "0", "--data-dir", str(tmp_path / "d"))
    assert (code, out) == (1, "")
    assert (
        err == "outsource-tui: error: --vendors must be from 1 to 5000 and --years from 1 to 50\n"
    )
