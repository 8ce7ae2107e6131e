"""The command line: each subcommand, exit statuses, and one clear line for every mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outsource_tui import __version__
from outsource_tui.cli import main
from outsource_tui.store import Store

GOOD_PLAYBOOK = """# Invoice check

```playbook
id = "invoice-check"
summary = "Check an invoice."
cadence = "once"
```

## Compare

- [ ] Matched the hours
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"outsource-tui {__version__}"


def test_vendor_add_then_list_as_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(
        capsys,
        "vendor",
        "add",
        "Northwind [bold]Support[/",
        "--service",
        "support desk",
        "--status",
        "onboarding",
        "--timezone",
        "Asia/Manila",
    )
    assert (code, err) == (0, "")
    assert "Added vendor Northwind [bold]Support[/" in out
    code, out, err = run(capsys, "vendor", "list", "--json")
    assert code == 0
    vendors = json.loads(out)
    assert len(vendors) == 1
    assert {k: vendors[0][k] for k in ("name", "service", "status", "timezone")} == {
        "name": "Northwind [bold]Support[/",
        "service": "support desk",
        "status": "onboarding",
        "timezone": "Asia/Manila",
    }
    assert (data_dir / "index.json").exists()


def test_vendor_list_as_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "vendor", "list")
    assert code == 0 and "No vendors yet" in out
    run(capsys, "vendor", "add", "Acme", "--service", "logistics")
    code, out, _ = run(capsys, "vendor", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SERVICE", "STATUS", "TIME", "ZONE", "TERM", "ENDS"]
    assert lines[1].split() == ["Acme", "logistics", "active"]


def test_vendor_list_says_when_the_contract_ends_as_the_clock_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Typed end 2026-12-31 (the first term); notice given late on 2026-11-15, past the
    # 90-day window: the contract runs a term more, to 2027-12-31, as due and the report say.
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-12-01")
    run(capsys, "vendor", "add", "Acme", "--contract-start", "2025-01-01")
    run(capsys, "vendor", "contract", "Acme", "--months", "24", "--notice-days", "90")
    Store(os.environ["OUTSOURCE_TUI_DATA_DIR"]).set_vendor_facts(
        "acme", {"notice_given": "2026-11-15"}
    )
    code, out, _ = run(capsys, "vendor", "list")
    assert out.splitlines()[1].split()[-1] == "2027-12-31"
    code, out, _ = run(capsys, "report", "Acme")
    assert "| Contract now | notice given 2026-11-15: the contract ends 2027-12-31 |" in out


def test_data_dir_flag_wins_over_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert run(capsys, "vendor", "add", "Acme", "--data-dir", str(elsewhere))[0] == 0
    assert (elsewhere / "index.json").exists()
    assert not data_dir.exists()
    code, out, _ = run(capsys, "--data-dir", str(elsewhere), "vendor", "list", "--json")
    assert [v["name"] for v in json.loads(out)] == ["Acme"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["vendor", "add", "  "], "name: a vendor needs a name"),
        (["vendor", "add", "X", "--timezone", "Mars/Base"], "--timezone: unknown time zone"),
        (["vendor", "add", "X", "--status", "great"], "--status: unknown status 'great'"),
        (["vendor", "add", "X", "--contract-end", "2026-13-01"], "--contract-end: 2026-13-01"),
    ],
)
def test_bad_vendor_input_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("outsource-tui: error: ")
    assert fragment in err


def test_duplicate_vendor_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "vendor", "add", "Acme")
    code, _, err = run(capsys, "vendor", "add", "ACME")
    assert code == 1
    assert "a vendor named 'Acme' already exists" in err
    assert len(json.loads(run(capsys, "vendor", "list", "--json")[1])) == 1


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["vendor"], ["vendor", "fly"], ["nonsense"], ["vendor", "add"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
        assert "error:" in capsys.readouterr().err


def test_playbook_list_json_has_the_bundled_playbooks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "playbook", "list", "--json")
    assert code == 0 and err == ""
    items = {item["id"]: item for item in json.loads(out)}
    assert {"objectives", "onboarding"} <= set(items)
    assert items["objectives"]["title"] == "Define objectives and scope"
    assert items["objectives"]["cadence"] == "once"
    assert items["onboarding"]["source"] == "bundled"


def test_user_playbooks_load_and_override_by_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    own = data_dir / "playbooks"
    own.mkdir(parents=True)
    (own / "invoice.md").write_text(GOOD_PLAYBOOK)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "objectives.md").write_text(
        GOOD_PLAYBOOK.replace("invoice-check", "objectives").replace("Invoice check", "My scope")
    )
    (extra / "broken.md").write_text("## no title\n")
    code, out, err = run(capsys, "--playbooks", str(extra), "playbook", "list", "--json")
    assert code == 0
    items = {item["id"]: item for item in json.loads(out)}
    assert items["invoice-check"]["source"] == "user"
    assert items["objectives"]["title"] == "My scope"
    assert items["objectives"]["path"] == str(extra / "objectives.md")
    assert f"skipped {extra / 'broken.md'}:1: missing title" in err


def test_playbook_check_ok_and_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD_PLAYBOOK)
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD_PLAYBOOK.replace('cadence = "once"', 'cadence = "weekly"'))
    code, out, err = run(capsys, "playbook", "check", str(good))
    assert code == 0
    assert out.startswith(f"{good}: ok (invoice-check: 1 steps, 1 checklist items, 0 questions)")
    code, out, err = run(capsys, "playbook", "check", str(good), str(bad), str(tmp_path / "no.md"))
    assert code == 1
    assert f"{bad}:6: unknown cadence 'weekly': use once, quarterly or annual" in err
    assert f"{tmp_path / 'no.md'}: no such file" in err


def test_playbook_check_accepts_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = Path(__file__).resolve().parents[2] / "playbooks"
    code, out, err = run(capsys, "playbook", "check", str(bundled))
    assert (code, err) == (0, "")
    assert out.count(": ok (") == len(list(bundled.glob("*.md"))) - 1  # all but the README


def test_a_broken_store_is_named_and_kept(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "index.json").write_text("{oops")
    for argv in (["vendor", "list"], ["vendor", "add", "Acme"], []):
        code, _, err = run(capsys, *argv)
        assert code == 1
        assert f"{data_dir / 'index.json'} is not valid JSON" in err
        assert "Traceback" not in err
    assert (data_dir / "index.json").read_text() == "{oops"


def test_the_app_refuses_to_start_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    # Under pytest standard input is not a terminal.
    code, _, err = run(capsys)
    assert code == 1
    assert "needs a terminal" in err


def _installed_command() -> list[str]:
    script = Path(sys.executable).with_name("outsource-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "outsource_tui"]


def test_installed_command_finds_bundled_playbooks_from_anywhere(tmp_path: Path) -> None:
    result = subprocess.run(
        [*_installed_command(), "playbook", "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert {"objectives", "onboarding"} <= ids


def test_installed_command_errors_have_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "OUTSOURCE_TUI_DATA_DIR": str(tmp_path / "d")}
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "index.json").write_text("[")
    for argv, status in ((["vendor", "list"], 1), (["vendor", "frobnicate"], 2)):
        result = subprocess.run(
            [*_installed_command(), *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == status
        assert "Traceback" not in result.stderr
        assert "error:" in result.stderr


def test_subcommands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from outsource_tui.cli import main\n"
        "main(['vendor', 'list'])\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "OUTSOURCE_TUI_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_vendor_list_lines_up_names_with_wide_characters(
    data_dir, capsys: pytest.CaptureFixture[str]
) -> None:
    from outsource_tui.domain.vendor import VendorDraft
    from outsource_tui.store import Store

    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme", status="active"))
    store.add_vendor(VendorDraft(name="🚀 Rocket", status="active"))
    assert main(["vendor", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    acme = next(line for line in lines if line.startswith("Acme"))
    rocket = next(line for line in lines if line.startswith("🚀"))
    # The rocket takes two columns: its status starts one character earlier, in the same
    # terminal column (20: the 9-column name, two spaces, SERVICE and two spaces).
    assert acme.index("active") == 20
    assert rocket.index("active") == 19


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--all", "--format", "md"],
        ["report", "--all"],
        ["report", "--format", "html"],
    ],
)
def test_report_without_a_vendor_is_a_usage_error(
    data_dir, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "name a vendor, or use --all --format csv" in err
    assert "Traceback" not in err
