"""`playbook check` for the validation keys: integer, exclusive and the timezone type, and
the bundled playbooks that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.domain.parser import PlaybookError, parse_playbook_file, parse_playbook_text
from outsource_tui.domain.playbook import Playbook, QuestionType

PLAYBOOK_DIR = Path(__file__).resolve().parents[2] / "playbooks"

# Lines 1 to 14; the question's keys in ``body`` start on line 15 (its id), then 16, 17...
TOP = """\
# Small

```playbook
id = "small"
summary = "A small playbook."
cadence = "once"
```

## Only step

- [ ] Done

```questions
[[question]]
"""


def book(*body: str, extra: str = "") -> str:
    return TOP + "\n".join(body) + "\n" + extra + "```\n"


def parse(*body: str, extra: str = "") -> Playbook:
    return parse_playbook_text(book(*body, extra=extra), "x.md")


def problems(*body: str, extra: str = "") -> list[str]:
    with pytest.raises(PlaybookError) as info:
        parse_playbook_text(book(*body, extra=extra), "x.md")
    return [str(p) for p in info.value.problems]


# -- integer ------------------------------------------------------------------------------


def test_integer_is_read_on_a_number_question() -> None:
    playbook = parse('id = "people"', 'type = "number"', 'prompt = "People"', "integer = true")
    question = playbook.questions_by_id["people"]
    assert question.integer is True


def test_a_number_question_without_integer_takes_fractions() -> None:
    playbook = parse('id = "hours"', 'type = "number"', 'prompt = "Hours"')
    assert playbook.questions_by_id["hours"].integer is False


def test_integer_on_a_text_question_is_refused_at_its_line() -> None:
    assert problems('id = "name"', 'type = "text"', 'prompt = "Name"', "integer = true") == [
        "x.md:18: question 'name': integer only applies to number questions"
    ]


def test_integer_must_be_true_or_false() -> None:
    assert problems('id = "n"', 'type = "number"', 'prompt = "N"', 'integer = "yes"') == [
        "x.md:18: question 'n': integer must be true or false"
    ]


def test_integer_with_a_fractional_bound_is_refused() -> None:
    assert problems(
        'id = "n"', 'type = "number"', 'prompt = "N"', "min = 0.5", "integer = true"
    ) == ["x.md:18: question 'n': min must be a whole number, as integer = true"]


def test_integer_on_a_table_column() -> None:
    column = '\n[[question.column]]\nid = "level"\ntype = "number"\nlabel = "L"\ninteger = true\n'
    playbook = parse('id = "path"', 'type = "table"', 'prompt = "Path"', extra=column)
    assert playbook.questions_by_id["path"].columns[0].integer is True


def test_integer_on_a_text_column_is_refused_at_its_line() -> None:
    # the question's keys are on lines 15-17, the column's header on 19, its integer key on 23
    column = '\n[[question.column]]\nid = "who"\ntype = "text"\nlabel = "Who"\ninteger = true\n'
    assert problems('id = "path"', 'type = "table"', 'prompt = "Path"', extra=column) == [
        "x.md:23: column 'who' of table 'path': integer only applies to number questions"
    ]


# -- exclusive ----------------------------------------------------------------------------

OPTIONS = 'options = ["Tools", "Processes", "None"]'


def test_exclusive_is_read_on_a_multi_choice() -> None:
    playbook = parse(
        'id = "training"', 'type = "multi-choice"', 'prompt = "T"', OPTIONS, 'exclusive = ["None"]'
    )
    assert playbook.questions_by_id["training"].exclusive == ("None",)


def test_an_exclusive_entry_that_is_not_an_option_is_refused_at_its_line() -> None:
    assert problems(
        'id = "training"', 'type = "multi-choice"', 'prompt = "T"', OPTIONS, 'exclusive = ["Nope"]'
    ) == [
        "x.md:19: question 'training': exclusive names 'Nope', which is not one of its options "
        '("Tools", "Processes", "None")'
    ]


def test_exclusive_must_be_a_list_of_texts() -> None:
    assert problems(
        'id = "training"', 'type = "multi-choice"', 'prompt = "T"', OPTIONS, 'exclusive = "None"'
    ) == [
        "x.md:19: question 'training': exclusive is a list of its options, "
        'such as exclusive = ["None"]'
    ]


def test_exclusive_on_a_choice_is_refused_at_its_line() -> None:
    assert problems(
        'id = "pick"', 'type = "choice"', 'prompt = "P"', OPTIONS, 'exclusive = ["None"]'
    ) == ["x.md:19: question 'pick': exclusive only applies to multi-choice questions"]


# -- timezone -----------------------------------------------------------------------------


def test_the_timezone_type_is_known() -> None:
    playbook = parse('id = "zone"', 'type = "timezone"', 'prompt = "Partner\'s time zone"')
    assert playbook.questions_by_id["zone"].type is QuestionType.TIMEZONE


def test_a_timezone_question_cannot_take_number_keys() -> None:
    assert problems('id = "zone"', 'type = "timezone"', 'prompt = "Zone"', "integer = true") == [
        "x.md:18: question 'zone': integer only applies to number questions"
    ]


# -- the bundled playbooks ----------------------------------------------------------------


def bundled(name: str) -> Playbook:
    return parse_playbook_file(PLAYBOOK_DIR / name)


def test_escalation_levels_are_whole_numbers() -> None:
    table = bundled("communication.md").questions_by_id["escalation"]
    (level,) = [c for c in table.columns if c.id == "level"]
    assert level.integer is True


def test_counts_in_the_bundled_playbooks_are_whole_numbers() -> None:
    assert bundled("sla-kpis.md").questions_by_id["report_due_days"].integer is True
    assert bundled("onboarding.md").questions_by_id["handover_sessions"].integer is True


def test_none_style_options_are_exclusive() -> None:
    onboarding = bundled("onboarding.md").questions_by_id
    assert onboarding["training_needed"].exclusive == ("None",)
    assert onboarding["tools"].exclusive == ("Email only",)
    remedies = bundled("sla-kpis.md").questions_by_id["repeated_miss_remedies"]
    assert remedies.exclusive == ("None agreed",)


def test_the_partners_time_zone_is_a_timezone_question() -> None:
    zone = bundled("cultural-fit.md").questions_by_id["their_time_zone"]
    assert zone.type is QuestionType.TIMEZONE


def test_the_readme_documents_the_new_keys_and_type() -> None:
    readme = (PLAYBOOK_DIR / "README.md").read_text(encoding="utf-8")
    for text in ("| `integer` |", "| `exclusive` |", "| `timezone` |", "`120,000`", "`90%`"):
        assert text in readme, text


def test_remind_and_after_are_for_date_questions_naming_a_date_question() -> None:
    import textwrap

    from outsource_tui.domain.parser import PlaybookError, parse_playbook_text

    text = textwrap.dedent(
        """\
        # Dates

        ```playbook
        id = "dates"
        summary = "Two dates."
        cadence = "once"
        ```

        ## One

        ```questions
        [[question]]
        id = "start"
        type = "text"
        prompt = "Start"
        remind = "Start"

        [[question]]
        id = "next"
        type = "date"
        prompt = "Next"
        after = "nowhere"
        ```
        """
    )
    try:
        parse_playbook_text(text, "d.md")
    except PlaybookError as exc:
        lines = [f"{p.line}: {p.message}" for p in exc.problems]
    else:  # pragma: no cover - the test fails here
        lines = []
    assert lines == [
        "16: question 'start': remind only applies to date questions",
        "18: question 'next': after = 'nowhere' names no date question of this playbook",
    ]
