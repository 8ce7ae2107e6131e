"""`outsource-tui answers template | import | export`: answers as TOML files.

Every expected line is written out by hand; the commands are driven through ``main``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.services import Clock, Services
from outsource_tui.store import Store

BUNDLED = [
    "objectives",
    "partner-selection",
    "smart-goals",
    "sla-kpis",
    "communication",
    "cultural-fit",
    "onboarding",
    "quarterly-review",
    "exit-transition",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add_vendor(capsys: pytest.CaptureFixture[str], *extra: str) -> None:
    assert run(capsys, "vendor", "add", "Acme", *extra)[0] == 0


def write(tmp_path: Path, text: str, name: str = "answers.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def files_under(folder: Path) -> dict[Path, bytes]:
    """Every file of the store (the lock aside), with its bytes."""
    if not folder.is_dir():
        return {}
    return {
        p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"
    }


def services(data_dir: Path) -> Services:
    return Services(Store(data_dir), load_library(), clock=Clock())


def vendor_id(data_dir: Path) -> str:
    return Store(data_dir).find_vendor("Acme").id


# -- the template ------------------------------------------------------------------------


def test_the_bundled_playbooks_are_the_ones_listed_here() -> None:
    assert sorted(p.id for p in load_library()) == sorted(BUNDLED)


@pytest.mark.parametrize("playbook_id", BUNDLED)
def test_template_is_toml_with_every_question_and_imports_as_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, playbook_id: str
) -> None:
    code, out, err = run(capsys, "answers", "template", playbook_id)
    assert (code, err) == (0, "")
    document = tomllib.loads(out)
    playbook = load_library().get(playbook_id)
    assert playbook is not None
    assert set(document) == set(playbook.questions_by_id)
    for question in playbook.questions_by_id.values():
        value = document[question.id]
        if question.type == "table":
            assert value == [{column.id: "" for column in question.columns}]
        elif question.type == "multi-choice":
            assert value == []
        else:
            assert value == ""
        assert f"# {question.prompt}" in out
    add_vendor(capsys)
    before = files_under(data_dir)
    path = write(tmp_path, out)
    code, out, err = run(capsys, "answers", "import", "Acme", playbook_id, str(path))
    assert (code, out, err) == (0, f"{path}: no answers to import; nothing saved.\n", "")
    assert files_under(data_dir) == before  # no run started


def test_template_comments_give_prompt_type_required_options_range_and_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "answers", "template", "sla-kpis")
    assert code == 0
    assert (
        "# Report due how many working days after the period ends?\n"
        "# type: number (0 to 30, in days, whole numbers only)\n"
        'report_due_days = ""\n'
    ) in out
    assert (
        "# Remedies after repeated misses\n"
        '# type: multi-choice: a list of the options, such as ["A", "B"]\n'
        '# options: "Improvement plan", "Higher credits", "Senior review meeting", '
        '"Right to end the contract", "None agreed"\n'
        '# "None agreed" cannot be combined with other options\n'
        "repeated_miss_remedies = []\n"
    ) in out
    assert (
        "# Who signs off the SLA on our side?\n"
        "# type: text, in quotes; required\n"
        'signoff_ours = ""\n'
    ) in out
    assert (
        "# KPIs and targets\n"
        "# type: table: one [[kpis]] block per row; required\n"
        "[[kpis]]\n"
        "# KPI: text, in quotes; required\n"
        "# For example: first response time, tickets solved on first contact.\n"
        'kpi = ""\n'
        "# Unit: text, in quotes\n"
        "# %, hours, days, points...\n"
        'unit = ""\n'
        "# Target: number; required\n"
        'target = ""\n'
        "# Direction: choice: one of the options, in quotes; required\n"
        '# options: "higher is better", "lower is better"\n'
        'direction = ""\n'
        "# Weight: number (at least 0); required\n"
        'weight = ""\n'
        "# Credit %: number (0 to 100, in %)\n"
        "# Service credit owed when the level is missed, as % of the monthly fee.\n"
        'credit = ""\n'
    ) in out
    # The tables come after every other question: TOML puts later keys inside a row.
    assert out.index("[[kpis]]") > out.index("signoff_ours =")


def test_template_of_an_unknown_playbook_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "answers", "template", "sla")
    assert (code, out) == (1, "")
    assert err.startswith("outsource-tui: error: no playbook 'sla'; the playbooks are: ")
    assert err.count("\n") == 1


# -- import: refused, with the line and the reason; nothing saved --------------------------


def test_import_checks_each_answer_as_the_app_does_and_saves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    before = files_under(data_dir)
    path = write(
        tmp_path,
        "# onboarding, filled in by a script\n"
        'kickoff_date = "2026-02-30"\n'
        'partner_lead = "Maria Santos"\n'
        "handover_sessions = 2.5\n"
        'tools = ["Team chat", "Email only"]\n'
        'onboarding_health = "Great"\n'
        'first_quality = "4"\n'
        "team_redy = true\n"
        'first_due = "next week"\n'
        "\n"
        "team_ready = true\n",
    )
    code, out, err = run(capsys, "answers", "import", "Acme", "onboarding", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:2: kickoff_date: 2026-02-30 is not a real calendar date",
        f"{path}:4: handover_sessions: must be a whole number, such as 3",
        f"{path}:5: tools: 'Email only' cannot be combined with other choices",
        f"{path}:6: onboarding_health: 'Great' is not one of the options",
        f"{path}:7: first_quality: expected a whole number from 1 to 5, not text",
        f"{path}:8: team_redy: not a question of onboarding (did you mean team_ready?)",
        f"{path}:9: first_due: 'next week' is not a date: use YYYY-MM-DD, for example 2026-12-31",
    ]
    assert files_under(data_dir) == before
    assert Store(data_dir).runs(vendor_id(data_dir)) == []


def test_import_checks_every_row_and_cell_of_a_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        'reporting_frequency = "Monthly"\n'
        "report_due_days = 5\n"
        'monthly_fee = "12,000"\n'
        "\n"
        "[[kpis]]\n"
        'kpi = "First response"\n'
        "target = 4\n"
        'direction = "lower is better"\n'
        "weight = 2\n"
        "credit = 120\n"
        "\n"
        "[[kpis]]\n"
        'kpi = "Resolution"\n'
        "target = 8\n"
        "weight = 1\n"
        "\n"
        "[[kpis]]\n"
        'kpi = "CSAT"\n'
        "targte = 90\n"
        'direction = "higher is better"\n'
        "weight = 1\n"
        "\n"
        "[[kpis]]\n"
        'kpi = "Uptime"\n'
        "target = 99.9\n"
        'direction = "higher is better"\n'
        'weight = "high"\n',
    )
    code, out, err = run(capsys, "answers", "import", "Acme", "sla-kpis", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:3: monthly_fee: expected a number, not text",
        f"{path}:10: kpis: row 1: Credit %: must be at most 100 %",
        f"{path}:12: kpis: row 2: Direction is required",
        f"{path}:19: kpis: row 3: 'targte' is not a column of this table (did you mean target?)",
        f"{path}:27: kpis: row 4: Weight: expected a number, not text",
    ]
    assert not (data_dir / "vendors").exists() or Store(data_dir).runs(vendor_id(data_dir)) == []


def test_rows_written_inline_are_found_by_their_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        'working_language = "English"\n'
        "risks = [\n"
        '  { risk = "Holidays", likelihood = 2 },\n'
        '  { risk = "Language", likelihood = 9 },\n'
        "]\n",
    )
    code, _, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert code == 1
    assert err.splitlines() == [f"{path}:4: risks: row 2: Likelihood: rate from 1 to 5"]


def test_time_zones_and_times_of_day_are_checked_as_in_the_app(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        'their_time_zone = "manila"\n'
        'our_hours_start = "Asia/Manila"\n'
        'their_hours_start = "8am"\n'
        'their_hours_end = "UTC+08:00"\n'
        "overlap_hours_needed = 13\n",
    )
    code, _, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}:1: their_time_zone: unknown time zone 'manila': did you mean Asia/Manila?",
        f"{path}:2: our_hours_start: 'Asia/Manila' is a time zone: type a time of day, "
        "such as 09:00 or 5pm",
        f"{path}:4: their_hours_end: 'UTC+08:00' is a time zone: type a time of day, "
        "such as 09:00 or 5pm",
        f"{path}:5: overlap_hours_needed: must be at most 12 hours",
    ]


def test_lines_are_right_after_multi_line_text_that_looks_like_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        'style_notes = """\n'
        "overall_fit = 9\n"
        "[[risks]]\n"
        'risk = "not a row" \\\n'
        '"""\n'
        "legal_differences = '''\n"
        "holiday_cover_agreed = 1\n"
        "'''\n"
        "overall_fit = 9\n"
        "[[risks]]\n"
        'risk = "Holidays"\n'
        "likelihood = 0\n",
    )
    code, _, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}:9: overall_fit: rate from 1 to 5",
        f"{path}:12: risks: row 1: Likelihood: rate from 1 to 5",
    ]


def test_wrong_toml_types_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        "working_language = 42\n"
        'holiday_cover_agreed = "yes"\n'
        "overall_fit = 4.0\n"
        "next_fit_review = 2026-06-30T10:00:00\n"
        'communication_style = ["Direct"]\n'
        'risks = "Holidays"\n'
        "\n"
        "[legal_differences]\n"
        'text = "none"\n',
    )
    code, _, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}:1: working_language: expected text in quotes, not a whole number",
        f"{path}:2: holiday_cover_agreed: expected true or false, not text",
        f"{path}:3: overall_fit: expected a whole number from 1 to 5, not 4.0 (write 4)",
        f'{path}:4: next_fit_review: expected a date in quotes, such as "2026-12-31", '
        "not a date and time",
        f"{path}:5: communication_style: expected one of the options, in quotes, not a list",
        f"{path}:6: risks: expected rows, each a [[risks]] block, not text",
        f"{path}:8: legal_differences: expected text in quotes, not a table",
    ]


def test_a_toml_syntax_error_names_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    path = write(tmp_path, 'working_language = "English"\n\noverall_fit = = 4\n')
    code, out, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}:3: not valid TOML: ")
    assert err.count("\n") == 1
    assert Store(data_dir).runs(vendor_id(data_dir)) == []


def test_a_refused_import_leaves_an_existing_run_byte_for_byte(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    good = write(tmp_path, 'working_language = "English"\n', "good.toml")
    assert run(capsys, "answers", "import", "Acme", "cultural-fit", str(good))[0] == 0
    before = files_under(data_dir)
    bad = write(
        tmp_path,
        'their_time_zone = "Asia/Manila"\nworking_language = "Portuguese"\noverall_fit = 0\n',
        "bad.toml",
    )
    code, _, err = run(capsys, "answers", "import", "Acme", "cultural-fit", str(bad))
    assert (code, err) == (1, f"{bad}:3: overall_fit: rate from 1 to 5\n")
    assert files_under(data_dir) == before
    assert Store(data_dir).find_vendor("Acme").timezone == ""


def test_what_saving_refuses_is_found_before_anything_is_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    # The notice date is a vendor fact: the vendor record refuses one before the contract.
    add_vendor(capsys, "--contract-start", "2026-01-01")
    before = files_under(data_dir)
    path = write(
        tmp_path,
        'exit_reasons_detail = "Costs went up."\nnotice_given_date = "2025-06-30"\n',
    )
    code, out, err = run(capsys, "answers", "import", "Acme", "exit-transition", str(path))
    assert (code, out) == (1, "")
    assert err == (
        f"{path}:2: notice_given_date: notice cannot be given before the contract starts "
        "(2026-01-01)\n"
    )
    assert files_under(data_dir) == before
    assert Store(data_dir).find_vendor("Acme").notice_given == ""


def test_import_names_an_unknown_vendor_playbook_or_period_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_vendor(capsys)
    path = write(tmp_path, "")
    code, _, err = run(
        capsys, "answers", "import", "Acme", "onboarding", str(path), "--period", "2026-Q1"
    )
    assert (code, err) == (
        1,
        "outsource-tui: error: --period: 'onboarding' is walked once, not per period; "
        "leave --period out\n",
    )
    code, _, err = run(capsys, "answers", "import", "Nobody", "onboarding", str(path))
    assert code == 1 and err.startswith("outsource-tui: error: ") and err.count("\n") == 1
    code, _, err = run(
        capsys, "answers", "import", "Acme", "onboarding", str(tmp_path / "none.toml")
    )
    assert (code, err) == (
        1,
        f"outsource-tui: error: cannot read {tmp_path / 'none.toml'}: No such file or directory\n",
    )
    with pytest.raises(SystemExit) as usage:
        main(["answers", "import", "Acme"])
    assert usage.value.code == 2


# -- import: saved into the run the app opens ----------------------------------------------

ONBOARDING = (
    'kickoff_date = "2026-02-02"\n'
    'partner_lead = "  Maria   Santos "\n'
    "handover_sessions = 6.0\n"
    'tools = ["Team chat", "Ticketing system"]\n'
    "team_ready = true\n"
    'first_deliverable = "Runbook for the night shift"\n'
    'onboarding_health = "On track"\n'
)


def test_a_good_import_saves_into_the_run_in_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    svc = services(data_dir)
    vid = vendor_id(data_dir)
    playbook = svc.library.get("onboarding")
    assert playbook is not None
    opened = svc.runs().open(vid, playbook)  # as the app does when the playbook is opened
    svc.runs().save_answers(playbook, opened.run, {"kickoff_notes": "Went well."})
    path = write(tmp_path, ONBOARDING)
    code, out, err = run(capsys, "answers", "import", "Acme", "onboarding", str(path))
    assert (code, err) == (0, "")
    assert out == "saved 7 answers to onboarding for Acme (run resumed)\n"
    runs = Store(data_dir).runs(vid)
    assert [r.id for r in runs] == [opened.run.id]
    assert runs[0].answers == {
        "kickoff_notes": "Went well.",
        "kickoff_date": "2026-02-02",
        "partner_lead": "Maria Santos",
        "handover_sessions": 6,
        "tools": ["Ticketing system", "Team chat"],
        "team_ready": True,
        "first_deliverable": "Runbook for the night shift",
        "onboarding_health": "On track",
    }
    assert not runs[0].completed


def test_complete_completes_when_every_required_answer_is_there(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys, "--status", "onboarding")
    path = write(tmp_path, ONBOARDING)
    code, out, err = run(capsys, "answers", "import", "Acme", "onboarding", str(path), "--complete")
    assert (code, err) == (0, "")
    assert out == (
        "saved 7 answers to onboarding for Acme (run started)\ncompleted onboarding for Acme\n"
    )
    (done,) = Store(data_dir).runs(vendor_id(data_dir))
    assert done.completed


def test_complete_names_what_is_missing_and_keeps_the_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    path = write(tmp_path, 'kickoff_date = "2026-02-02"\nteam_ready = false\n')
    code, out, err = run(capsys, "answers", "import", "Acme", "onboarding", str(path), "--complete")
    assert code == 1
    assert out == "saved 2 answers to onboarding for Acme (run started)\n"
    assert err == (
        "outsource-tui: error: not completed: required answers are missing: "
        "partner_lead (step 1: Partner's lead for this engagement); "
        "first_deliverable (step 5: What is the first deliverable?); "
        "onboarding_health (step 6: How is onboarding going overall?)\n"
    )
    (kept,) = Store(data_dir).runs(vendor_id(data_dir))
    assert kept.answers == {"kickoff_date": "2026-02-02", "team_ready": False}
    assert not kept.completed


def test_a_finished_one_off_playbook_is_reopened_not_duplicated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    first = write(tmp_path, ONBOARDING, "first.toml")
    assert run(capsys, "answers", "import", "Acme", "onboarding", str(first), "--complete")[0] == 0
    (finished,) = Store(data_dir).runs(vendor_id(data_dir))
    second = write(tmp_path, 'onboarding_health = "Some concerns"\n', "second.toml")
    code, out, err = run(capsys, "answers", "import", "Acme", "onboarding", str(second))
    assert (code, err) == (0, "")
    assert out == ("saved 1 answer to onboarding for Acme (finished run reopened for edits)\n")
    (again,) = Store(data_dir).runs(vendor_id(data_dir))
    assert again.id == finished.id
    assert again.completed_at == finished.completed_at  # edited, as from the app's summary
    assert again.answers["onboarding_health"] == "Some concerns"


def test_a_review_goes_into_the_period_the_app_would_open(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", "2026-05-10")
    add_vendor(capsys)
    path = write(tmp_path, 'meeting_date = "2026-04-08"\ndecision = "Keep"\n')
    code, out, err = run(capsys, "answers", "import", "Acme", "quarterly-review", str(path))
    assert (code, err) == (0, "")
    assert out == "saved 2 answers to quarterly-review 2026-Q1 for Acme (run started)\n"
    more = write(tmp_path, "quality_rating = 4\n", "more.toml")
    code, out, _ = run(
        capsys, "answers", "import", "Acme", "quarterly-review", str(more), "--period", "2026-q1"
    )
    assert out == "saved 1 answer to quarterly-review 2026-Q1 for Acme (run resumed)\n"
    (review,) = Store(data_dir).runs(vendor_id(data_dir))
    assert review.period == "2026-Q1"
    assert review.answers == {"meeting_date": "2026-04-08", "decision": "Keep", "quality_rating": 4}


def test_the_partner_time_zone_answer_updates_the_vendor_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys, "--timezone", "Europe/Lisbon")
    path = write(
        tmp_path,
        'their_time_zone = "Asia/Manila"\ntheir_hours_start = "8am"\ntheir_hours_end = "5pm"\n',
    )
    code, out, _ = run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))
    assert (code, out) == (0, "saved 3 answers to cultural-fit for Acme (run started)\n")
    assert Store(data_dir).find_vendor("Acme").timezone == "Asia/Manila"
    (fit,) = Store(data_dir).runs(vendor_id(data_dir))
    assert fit.answers == {
        "their_time_zone": "Asia/Manila",
        "their_hours_start": "08:00",
        "their_hours_end": "17:00",
    }


def test_an_empty_value_never_clears_a_stored_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    first = write(tmp_path, 'working_language = "English"\nlanguage_level = 4\n', "a.toml")
    assert run(capsys, "answers", "import", "Acme", "cultural-fit", str(first))[0] == 0
    second = write(
        tmp_path, 'working_language = ""\nlanguage_level = 5\n[[risks]]\nrisk = ""\n', "b.toml"
    )
    code, out, _ = run(capsys, "answers", "import", "Acme", "cultural-fit", str(second))
    assert (code, out) == (0, "saved 1 answer to cultural-fit for Acme (run resumed)\n")
    (fit,) = Store(data_dir).runs(vendor_id(data_dir))
    assert fit.answers == {"working_language": "English", "language_level": 5}


# -- export --------------------------------------------------------------------------------


def test_export_writes_the_answered_questions_with_the_template_comments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    add_vendor(capsys)
    path = write(
        tmp_path,
        'their_hours_start = "8am"\n'
        "language_level = 4\n"
        'style_notes = """\nAsk for "status" daily.\nEscalate to C:\\\\ops."""\n'
        "[[risks]]\n"
        'risk = "Holidays"\n'
        "likelihood = 3\n"
        "[[risks]]\n"
        'risk = "Language"\n'
        'mitigation = "Training"\n',
    )
    assert run(capsys, "answers", "import", "Acme", "cultural-fit", str(path))[0] == 0
    code, out, err = run(capsys, "answers", "export", "Acme", "cultural-fit")
    assert (code, err) == (0, "")
    assert out == (
        '# Answers of Acme for the playbook "Check cultural fit" (cultural-fit).\n'
        "# Change what you need, then import it again with:\n"
        "#   outsource-tui answers import Acme cultural-fit FILE\n"
        '# A value left as "" (or [] for a list) is no answer: nothing is saved for it, and an\n'
        "# answer already stored stays as it is. A table row whose cells are all empty is "
        "skipped.\n"
        "# Numbers, ratings and yes/no go without quotes (42, 3.5, 4, true); text and dates in\n"
        "# quotes. Tables come last, one [[id]] block per row: TOML reads every key after such "
        "a\n"
        "# header as part of that row.\n"
        "\n"
        "# == Step 1 of 7: Time zones and working hours ==\n"
        "\n"
        "# Partner's working day starts at (their local time)\n"
        '# type: text: a time of day in quotes, such as "09:00" or "5pm"; required\n'
        "# HH:MM, 24-hour, as their clocks show it, for example 08:00. The overlap is worked "
        "out for you.\n"
        'their_hours_start = "08:00"\n'
        "\n"
        "# == Step 2 of 7: Language ==\n"
        "\n"
        "# How well does the partner's team work in that language? (1 = hard to follow, "
        "5 = fluent)\n"
        "# type: rating: a whole number from 1 to 5\n"
        "language_level = 4\n"
        "\n"
        "# == Step 3 of 7: Communication style and decisions ==\n"
        "\n"
        "# What should your team know about working with them?\n"
        '# type: long text, in quotes (several lines between """ and """)\n'
        "# For example: ask for status explicitly; changes need the account manager's "
        "approval.\n"
        'style_notes = """\n'
        'Ask for "status" daily.\n'
        'Escalate to C:\\\\ops."""\n'
        "\n"
        "# == Step 6 of 7: Risks and how to bridge them ==\n"
        "\n"
        "# Risks found and how you will bridge them\n"
        "# type: table: one [[risks]] block per row\n"
        "[[risks]]\n"
        "# Risk: text, in quotes; required\n"
        'risk = "Holidays"\n'
        "# Likelihood: rating: a whole number from 1 to 5\n"
        "# 1 = unlikely, 5 = almost certain.\n"
        "likelihood = 3\n"
        "# Mitigation: choice: one of the options, in quotes\n"
        '# options: "Training", "Translation", "Liaison person", "Process change", "Other"\n'
        'mitigation = ""\n'
        "# Owner: text, in quotes\n"
        'owner = ""\n'
        "\n"
        "[[risks]]\n"
        'risk = "Language"\n'
        'likelihood = ""\n'
        'mitigation = "Training"\n'
        'owner = ""\n'
    )
    target = tmp_path / "out" / "fit.toml"
    target.parent.mkdir()  # -o makes no folder: a missing one is refused (test_output_paths)
    code, out, err = run(capsys, "answers", "export", "Acme", "cultural-fit", "-o", str(target))
    assert (code, out, err) == (0, "", f"Wrote the answers to {target}.\n")
    assert (
        target.read_text(encoding="utf-8")
        == run(capsys, "answers", "export", "Acme", "cultural-fit")[1]
    )
    assert [p.name for p in target.parent.iterdir()] == ["fit.toml"]  # no temporary left


def test_export_of_a_run_not_begun_is_one_error_and_starts_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    add_vendor(capsys)
    code, out, err = run(capsys, "answers", "export", "Acme", "onboarding")
    assert (code, out) == (1, "")
    assert err == "outsource-tui: error: Acme has no run of onboarding yet\n"
    code, out, err = run(
        capsys, "answers", "export", "Acme", "quarterly-review", "--period", "2026-Q1"
    )
    assert err == (
        "outsource-tui: error: Acme has no run of quarterly-review 2026-Q1 yet "
        "(name another with --period)\n"
    )
    assert Store(data_dir).runs(vendor_id(data_dir)) == []
