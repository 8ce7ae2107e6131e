"""Inputs that once slipped through: odd zones, huge bounds, damaged records, shifted steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.parser import parse_playbook_text
from outsource_tui.domain.run import Run, resume_index
from outsource_tui.domain.vendor import FieldError, VendorDraft, check_timezone
from outsource_tui.errors import StoreError, ValidationError
from outsource_tui.store import Store

from .test_parser import HEAD, problems_of, question_block


@pytest.mark.parametrize("zone", ["Europe", "America", "x" * 300, "../etc/passwd", "/"])
def test_a_zone_that_is_a_folder_or_nonsense_is_refused(zone: str) -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        check_timezone(zone)


def test_the_cli_names_the_flag_for_a_folder_zone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vendor", "add", "X", "--timezone", "America"]) == 1
    assert "--timezone: unknown time zone 'America'" in capsys.readouterr().err


def test_a_bound_too_large_for_a_number_is_a_problem_not_a_crash() -> None:
    problems = problems_of(question_block('type = "number"', 'prompt = "N"', "max = 1" + "0" * 400))
    assert [(p.line, "max must be a number" in p.message) for p in problems] == [(18, True)]


def test_an_indented_questions_block_is_reported_not_ignored() -> None:
    text = (
        HEAD
        + "\n## Step\n\n- [ ] Agree the budget\n\n"
        + '  ```questions\n  [[question]]\n  id = "a"\n  ```\n'
    )
    problems = problems_of(text)
    assert any(
        p.line == 13 and "questions block is indented inside a list" in p.message for p in problems
    )


def test_checklist_items_in_any_script_get_distinct_ids() -> None:
    playbook = parse_playbook_text(HEAD + "\n## 准备\n\n- [ ] 确认合同\n- [ ] 培训员工\n", "x.md")
    assert [item.id for item in playbook.steps[0].checklist] == ["确认合同", "培训员工"]
    assert playbook.steps[0].id == "准备"


def test_form_feeds_and_line_separators_do_not_shift_lines() -> None:
    text = (
        HEAD
        + "\n## Step\n\nA\fguide\u2028line.\n\n- [ ] Do it\n\n"
        + "```questions\n[[question]]\nid = 1\n```\n"
    )
    problems = problems_of(text)
    assert [p.line for p in problems] == [17]  # the bad id, counted as markdown-it counts
    playbook = parse_playbook_text(text.replace("id = 1", 'id = "a"\ntype = "text"\nprompt = "P"'))
    assert playbook.steps[0].guidance == "A\fguide\u2028line."


def test_vendor_ids_stay_ascii_for_file_names(data_dir: Path) -> None:
    store = Store(data_dir)
    assert store.add_vendor(VendorDraft(name="确认合同")).id == "vendor"
    assert store.add_vendor(VendorDraft(name="Café Ünïcode")).id == "caf-n-code"
    assert (data_dir / "vendors").exists() is False  # no vendor file until a run starts


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda v: v.update(name=123), "a vendor record has a damaged 'name'"),
        (lambda v: v.pop("id"), "a vendor record has no 'id'"),
        (lambda v: v.update(service=["x"]), "vendor 'Acme' has a damaged 'service'"),
    ],
)
def test_a_damaged_vendor_record_names_the_file(data_dir: Path, change, fragment: str) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    change(data["vendors"]["1"])
    index.write_text(json.dumps(data))
    with pytest.raises(StoreError) as broken:
        store.list_vendors()
    assert str(index) in str(broken.value) and fragment in str(broken.value)
    with pytest.raises(StoreError):
        store.add_vendor(VendorDraft(name="Beta"))
    assert json.loads(index.read_text()) == data


def test_a_record_that_is_not_an_object_names_the_file(data_dir: Path) -> None:
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))
    index = data_dir / "index.json"
    data = json.loads(index.read_text())
    data["vendors"]["1"] = "Acme"
    index.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="table 'vendors' is damaged"):
        store.list_vendors()


def test_ticks_from_two_instances_are_merged(data_dir: Path) -> None:
    first, second = Store(data_dir), Store(data_dir)
    vendor = first.add_vendor(VendorDraft(name="Acme"))
    run = first.start_run(vendor.id, load_library().get("objectives"))
    second.set_checked(vendor.id, run.id, {"scope/a"})
    assert first.set_checked(vendor.id, run.id, {"why/b"}) == {"scope/a", "why/b"}
    assert second.set_checked(vendor.id, run.id, set(), {"why/b"}) == {"scope/a"}
    assert Store(data_dir).get_run(vendor.id, run.id).checked == {"scope/a"}


def test_a_run_resumes_on_its_step_by_id_after_the_playbook_changes() -> None:
    playbook = load_library().get("objectives")
    run = Run("r", "v", "objectives", "", "", "", step_index=1, step_id="scope-in-and-out")
    assert resume_index(playbook, run) == 1
    run.step_index = 0  # a step was added above it since
    assert resume_index(playbook, run) == 1
    run.step_id = "gone"
    run.step_index = 99
    assert resume_index(playbook, run) == len(playbook.steps) - 1


def test_playbooks_flag_must_name_a_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--playbooks", str(tmp_path / "typo"), "playbook", "list"]) == 1
    assert f"--playbooks {tmp_path / 'typo'}: not a directory" in capsys.readouterr().err


def test_field_error_is_still_a_validation_error() -> None:
    assert issubclass(FieldError, ValidationError)
