"""Reading Markdown playbooks, and reporting what is wrong with them and where."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

from outsource_tui.domain.parser import (
    PlaybookError,
    Problem,
    parse_playbook_file,
    parse_playbook_text,
    slugify,
)
from outsource_tui.domain.playbook import Cadence, Playbook, QuestionType
from outsource_tui.errors import UserError

PLAYBOOK_DIR = Path(__file__).resolve().parents[2] / "playbooks"

# Seven lines: a valid title and playbook block; whatever follows starts on line 8.
HEAD = dedent(
    """\
    # Small

    ```playbook
    id = "small"
    summary = "A small playbook."
    cadence = "once"
    ```
    """
)


def parse(text: str) -> Playbook:
    return parse_playbook_text(dedent(text), "x.md")


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(PlaybookError) as info:
        parse_playbook_text(dedent(text), "x.md")
    return info.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def has_problem(problems: list[Problem], line: int, fragment: str) -> bool:
    return any(p.line == line and fragment in p.message for p in problems)


def question_block(*body: str) -> str:
    """A one-step playbook with one question: header on line 14, id on 15, ``body`` from 16."""
    return (
        HEAD
        + dedent(
            """\

            ## Step

            - [ ] Do it

            ```questions
            [[question]]
            id = "a"
            """
        )
        + "".join(line + "\n" for line in body)
        + "```\n"
    )


def readme_example() -> str:
    readme = (PLAYBOOK_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A complete small example", 1)[1]
    match = re.search(r"^````markdown\n(.*?)^````$", section, re.DOTALL | re.MULTILINE)
    assert match is not None, "no ````markdown block under 'A complete small example'"
    return match.group(1)


# The bundled playbooks


def test_objectives_playbook_parses():
    playbook = parse_playbook_file(PLAYBOOK_DIR / "objectives.md")
    assert playbook.id == "objectives"
    assert playbook.title == "Define objectives and scope"
    assert playbook.cadence is Cadence.ONCE
    assert playbook.version == "2"
    assert playbook.summary.startswith("Write down why you are outsourcing")
    assert [step.title for step in playbook.steps] == [
        "Why outsource",
        "Scope: in and out",
        "Deliverables and desired outcomes",
        "Roles and responsibilities",
        "Constraints, dependencies and budget",
    ]
    assert [len(step.checklist) for step in playbook.steps] == [2, 3, 2, 3, 3]
    assert [len(step.questions) for step in playbook.steps] == [3, 3, 3, 3, 4]
    assert playbook.checklist_total == 13
    assert playbook.question_count == 16
    assert playbook.path == PLAYBOOK_DIR / "objectives.md"
    assert playbook.source == "bundled"


def test_onboarding_playbook_parses():
    playbook = parse_playbook_file(PLAYBOOK_DIR / "onboarding.md")
    assert playbook.id == "onboarding"
    assert playbook.title == "Onboard a new vendor"
    assert playbook.cadence is Cadence.ONCE
    assert [step.id for step in playbook.steps] == [
        "kickoff",
        "access-and-tools",
        "knowledge-transfer",
        "training-and-support-for-your-own-team",
        "first-deliverable",
        "30-60-and-90-day-check-ins",
    ]
    assert [len(step.checklist) for step in playbook.steps] == [4, 4, 3, 3, 3, 4]
    assert [len(step.questions) for step in playbook.steps] == [3, 2, 2, 2, 3, 2]
    assert playbook.checklist_total == 21
    assert playbook.question_count == 14


def test_bundled_checklist_items_and_questions_are_read():
    playbook = parse_playbook_file(PLAYBOOK_DIR / "objectives.md")
    first = playbook.steps[0]
    assert [item.text for item in first.checklist] == [
        "Named the business problem this engagement solves",
        "Agreed the main reason with the budget holder",
    ]
    assert first.checklist[0].id == "named-the-business-problem-this-engagement-solves"
    assert [q.id for q in first.questions] == ["problem", "main_driver", "sponsor"]
    driver = playbook.questions_by_id["main_driver"]
    assert driver.type is QuestionType.CHOICE
    assert driver.required is True
    assert driver.options == (
        "Lower cost",
        "Skills we lack",
        "Speed or capacity",
        "Focus on core work",
        "Round-the-clock coverage",
    )
    budget = playbook.questions_by_id["annual_budget"]
    assert (budget.type, budget.min, budget.max, budget.unit) == (
        QuestionType.NUMBER,
        0.0,
        None,
        "EUR",
    )
    assert playbook.questions_by_id["problem"].help == (
        "One or two sentences a partner could read and understand."
    )


def test_bundled_question_lines_point_at_their_headers():
    path = PLAYBOOK_DIR / "onboarding.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    playbook = parse_playbook_file(path)
    for question in playbook.questions_by_id.values():
        assert lines[question.line - 1] == "[[question]]"
        assert lines[question.line] == f'id = "{question.id}"'
    for step in playbook.steps:
        assert lines[step.line - 1] == f"## {step.title}"
        for item in step.checklist:
            assert lines[item.line - 1] == f"- [ ] {item.text}"


def test_bundled_guidance_leaves_out_checklist_and_questions():
    playbook = parse_playbook_file(PLAYBOOK_DIR / "objectives.md")
    guidance = playbook.steps[0].guidance
    assert guidance.startswith("Be honest about the main reason.")
    assert guidance.endswith("different measures of success.")
    for step in playbook.steps:
        assert "- [ ]" not in step.guidance
        assert "```" not in step.guidance
        assert "[[question]]" not in step.guidance
        assert "prompt =" not in step.guidance
        assert step.guidance


def test_bundled_intro_is_the_text_before_the_first_step():
    playbook = parse_playbook_file(PLAYBOOK_DIR / "onboarding.md")
    assert playbook.intro == (
        "The first three months set the tone of the whole relationship. Run this playbook "
        "from the\nday the contract is signed; come back to it at each check-in."
    )


def test_bundled_question_ids_are_unique_within_each_playbook():
    for name in ("objectives.md", "onboarding.md"):
        playbook = parse_playbook_file(PLAYBOOK_DIR / name)
        ids = [q.id for step in playbook.steps for q in step.questions]
        assert len(ids) == len(set(ids)) == len(playbook.questions_by_id)


def test_digest_is_stable_for_the_same_text():
    text = (PLAYBOOK_DIR / "objectives.md").read_text(encoding="utf-8")
    first = parse_playbook_text(text, "a.md")
    second = parse_playbook_text(text, "b.md")
    assert first.digest == second.digest
    assert re.fullmatch(r"[0-9a-f]{16}", first.digest)
    assert parse_playbook_file(PLAYBOOK_DIR / "objectives.md").digest == first.digest


def test_digest_changes_when_the_text_changes():
    text = (PLAYBOOK_DIR / "objectives.md").read_text(encoding="utf-8")
    changed = text.replace("Be honest about", "Be frank about")
    assert changed != text
    assert parse_playbook_text(changed).digest != parse_playbook_text(text).digest


# The example in playbooks/README.md


def test_readme_example_parses():
    playbook = parse_playbook_text(readme_example(), "README.md")
    assert playbook.id == "invoice-check"
    assert playbook.title == "Monthly invoice check"
    assert playbook.cadence is Cadence.ONCE
    assert playbook.intro == "Run this when the invoice arrives, before you approve it."
    assert [step.title for step in playbook.steps] == [
        "Compare the invoice with the work",
        "Decide",
    ]
    assert [step.id for step in playbook.steps] == ["compare-the-invoice-with-the-work", "decide"]
    assert [len(step.checklist) for step in playbook.steps] == [2, 1]
    assert [[q.id for q in step.questions] for step in playbook.steps] == [
        ["invoice_total", "invoice_date", "matches"],
        ["approved", "accuracy", "follow_ups", "issues", "notes", "approver", "billing_zone"],
    ]


def test_readme_example_uses_every_question_type():
    playbook = parse_playbook_text(readme_example(), "README.md")
    types = {q.type for q in playbook.questions_by_id.values()}
    assert types == set(QuestionType)
    assert len(QuestionType) == 10


def test_readme_example_number_question_has_min_and_unit():
    total = parse_playbook_text(readme_example()).questions_by_id["invoice_total"]
    assert total.type is QuestionType.NUMBER
    assert total.min == 0
    assert total.max is None
    assert total.unit == "EUR"
    assert total.required is True


def test_readme_example_choices_have_their_options():
    questions = parse_playbook_text(readme_example()).questions_by_id
    assert questions["matches"].type is QuestionType.CHOICE
    assert questions["matches"].options == ("Yes", "Small differences", "No")
    assert questions["issues"].type is QuestionType.MULTI_CHOICE
    assert questions["issues"].options == ("Wrong rate", "Hours not worked", "Missing credit note")
    assert questions["approver"].options == ()
    assert questions["accuracy"].required is False


def test_readme_example_guidance():
    steps = parse_playbook_text(readme_example()).steps
    assert steps[0].guidance == (
        "Look at the hours or units billed and compare them with the tickets or deliveries you saw."
    )
    assert steps[1].guidance == ""


# Checklists and guidance


def test_ticked_task_item_is_a_checklist_item_and_ordinary_bullets_stay_in_guidance():
    playbook = parse(
        HEAD
        + dedent(
            """\

            ## Step

            Read this first.

            - An ordinary bullet
            - [ ] Open task
            - [x] Ticked task
            - [X] Upper-case tick
            - Another bullet

            Closing words.
            """
        )
    )
    step = playbook.steps[0]
    assert [item.text for item in step.checklist] == [
        "Open task",
        "Ticked task",
        "Upper-case tick",
    ]
    assert [item.line for item in step.checklist] == [14, 15, 16]
    assert step.guidance == (
        "Read this first.\n\n- An ordinary bullet\n- Another bullet\n\nClosing words."
    )


def test_checklist_item_ids_are_unique_slugs_within_a_step():
    playbook = parse(
        HEAD
        + dedent(
            """\

            ## First

            - [ ] Call the vendor!
            - [ ] Call the vendor
            - [ ] call  THE vendor
            - [ ] ???

            ## Second

            - [ ] Call the vendor
            """
        )
    )
    first, second = playbook.steps
    assert [item.id for item in first.checklist] == [
        "call-the-vendor",
        "call-the-vendor-2",
        "call-the-vendor-3",
        "item",
    ]
    assert [item.id for item in second.checklist] == ["call-the-vendor"]


def test_task_item_over_several_lines_is_one_item():
    playbook = parse(
        HEAD
        + dedent(
            """\

            ## Step

            - [ ] Matched billed hours
              against the   time report
            """
        )
    )
    assert [item.text for item in playbook.steps[0].checklist] == [
        "Matched billed hours against the time report"
    ]
    assert playbook.steps[0].guidance == ""


def test_steps_with_the_same_title_get_unique_ids():
    playbook = parse(HEAD + "\n## Review\n\n- [ ] One\n\n## Review\n\n- [ ] Two\n")
    assert [step.id for step in playbook.steps] == ["review", "review-2"]
    assert [step.line for step in playbook.steps] == [9, 13]


def test_other_code_blocks_stay_in_guidance():
    playbook = parse(HEAD + "\n## Step\n\n```sh\nmake report\n```\n\n- [ ] Ran it\n")
    assert playbook.steps[0].guidance == "```sh\nmake report\n```"


def test_version_is_optional_and_intro_may_be_empty():
    playbook = parse(HEAD + "\n## Step\n\n- [ ] Do it\n")
    assert playbook.version == ""
    assert playbook.intro == ""
    assert playbook.path is None


@pytest.mark.parametrize("cadence", ["once", "quarterly", "annual"])
def test_each_cadence_is_accepted(cadence):
    text = HEAD.replace('cadence = "once"', f'cadence = "{cadence}"') + "\n## S\n\n- [ ] x\n"
    assert parse(text).cadence is Cadence(cadence)


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Kickoff", "kickoff"), ("30, 60 and 90-day check-ins", "30-60-and-90-day-check-ins")],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


# Problems: where and what


def test_problem_str_shows_path_line_and_message():
    assert str(Problem("x.md", 12, "something is wrong")) == "x.md:12: something is wrong"
    assert str(Problem("x.md", 0, "no such file")) == "x.md: no such file"


def test_playbook_error_is_a_user_error_showing_the_first_problem():
    error = PlaybookError([Problem("x.md", 3, "first"), Problem("x.md", 9, "second")])
    assert isinstance(error, UserError)
    assert str(error) == "x.md:3: first"


def test_invalid_toml_in_questions_points_at_the_line_in_the_file():
    problem = only_problem(
        HEAD
        + dedent(
            """\

            ## Step

            - [ ] Do it

            ```questions
            [[question]]
            id = "a"
            type = "text"
            prompt = Who?
            ```
            """
        )
    )
    assert problem.line == 17
    assert problem.message.startswith("the questions block is not valid TOML: Invalid value")
    assert "at line" not in problem.message
    assert str(problem) == f"x.md:17: {problem.message}"


def test_toml_error_at_the_end_of_a_block_points_at_its_closing_fence():
    problem = only_problem(question_block('type = "text"', 'prompt = """Who?'))
    assert problem.line == 18
    assert problem.message == "the questions block is not valid TOML: Unterminated string"


def test_invalid_toml_in_playbook_block_points_at_the_line_in_the_file():
    problem = only_problem(
        """\
        # Small

        ```playbook
        id = "small"
        summary = "A small playbook."
        cadence = once
        ```

        ## Step

        - [ ] Do it
        """
    )
    assert problem.line == 6
    assert problem.message.startswith("the playbook block is not valid TOML")


def test_unknown_question_type_points_at_the_type_key():
    problem = only_problem(
        HEAD
        + dedent(
            """\

            ## Step

            - [ ] Do it

            ```questions
            [[question]]
            id = "a"
            prompt = "Who?"
            type = "txt"
            ```
            """
        )
    )
    assert problem.line == 17
    assert "question 'a' has unknown type 'txt'" in problem.message
    assert "text, long-text, number, date, choice, multi-choice, yes-no, rating" in problem.message
    assert str(problem).startswith("x.md:17: question 'a' has unknown type")


def test_duplicate_question_id_across_steps_points_at_the_second():
    problem = only_problem(
        HEAD
        + dedent(
            """\

            ## One

            ```questions
            [[question]]
            id = "owner"
            type = "text"
            prompt = "Who owns it?"
            ```

            ## Two

            ```questions
            [[question]]
            id = "other"
            type = "text"
            prompt = "Anything else?"

            [[question]]
            id = "owner"
            type = "text"
            prompt = "Who owns it now?"
            ```
            """
        )
    )
    assert problem.line == 26
    assert problem.message == "duplicate question id 'owner' (first declared at line 12)"
    assert str(problem) == "x.md:26: duplicate question id 'owner' (first declared at line 12)"


def test_duplicate_question_id_within_a_step():
    problem = only_problem(
        question_block(
            'type = "text"',
            'prompt = "Who?"',
            "",
            "[[question]]",
            'id = "a"',
            'type = "text"',
            'prompt = "Again?"',
        )
    )
    assert problem.line == 19
    assert problem.message == "duplicate question id 'a' (first declared at line 14)"


def test_question_lines_ignore_headers_inside_multiline_strings():
    problem = only_problem(
        question_block(
            'type = "text"',
            'prompt = "Who?"',
            'help = """',
            "[[question]]",
            '"""',
            "",
            "[[question]]",
            'id = "b"',
            'type = "choice"',
            'prompt = "Pick"',
            'options = ["Only"]',
        )
    )
    assert problem.message.startswith("question 'b' (choice) needs options")
    assert problem.line == 26


def test_missing_title():
    problem = only_problem(
        """\
        Some words.

        ```playbook
        id = "small"
        summary = "A small playbook."
        cadence = "once"
        ```

        ## Step

        - [ ] Do it
        """
    )
    assert problem.line == 1
    assert "missing title" in problem.message
    assert str(problem).startswith("x.md:1: missing title")


def test_empty_title_is_reported():
    problems = problems_of(HEAD.replace("# Small", "#") + "\n## Step\n\n- [ ] Do it\n")
    assert [p.line for p in problems] == [1]


def test_missing_playbook_block():
    problem = only_problem(
        """\
        # Small

        Intro.

        ## Step

        - [ ] Do it
        """
    )
    assert problem.line == 2
    assert "missing playbook block" in problem.message


def test_unknown_cadence_points_at_the_cadence_key():
    problem = only_problem(HEAD.replace('"once"', '"monthly"') + "\n## Step\n\n- [ ] Do it\n")
    assert problem.line == 6
    assert problem.message == "unknown cadence 'monthly': use once, quarterly or annual"
    assert str(problem) == "x.md:6: unknown cadence 'monthly': use once, quarterly or annual"


def test_missing_id_and_summary_are_both_reported_at_the_block():
    problems = problems_of(
        """\
        # Small

        ```playbook
        cadence = "once"
        ```

        ## Step

        - [ ] Do it
        """
    )
    assert [p.line for p in problems] == [3, 3]
    assert "the playbook block has no id" in problems[0].message
    assert "the playbook block has no summary" in problems[1].message


def test_missing_cadence_is_reported_at_the_block():
    text = HEAD.replace('cadence = "once"\n', "") + "\n## Step\n\n- [ ] Do it\n"
    problem = only_problem(text)
    assert problem.line == 3
    assert "has no cadence" in problem.message


def test_invalid_playbook_id():
    problem = only_problem(HEAD.replace('"small"', '"Small One"') + "\n## Step\n\n- [ ] Do it\n")
    assert problem.line == 4
    assert "playbook id 'Small One' must be lower-case" in problem.message


def test_unknown_key_in_playbook_block():
    text = HEAD.replace('cadence = "once"', 'cadence = "once"\nowner = "me"')
    problem = only_problem(text + "\n## Step\n\n- [ ] Do it\n")
    assert problem.line == 7
    assert "unknown key 'owner' in playbook block" in problem.message


def test_unknown_key_in_question_points_at_the_typo():
    problems = problems_of(
        HEAD
        + dedent(
            """\

            ## Step

            - [ ] Do it

            ```questions
            [[question]]
            id = "a"
            tpye = "text"
            prompt = "Who?"
            ```
            """
        )
    )
    assert has_problem(problems, 16, "unknown key 'tpye' in question")
    assert (
        "known keys: after, check, column, exclusive, fact, feeds, help, id, integer, max, "
        "min, options, prompt, remind, required, risks, role, type, unit, weight"
        in (problems[1].message)
    )
    assert has_problem(problems, 14, "question 'a' has no type")
    assert [p.line for p in problems] == [14, 16]


def test_choice_without_options_points_at_the_question():
    problem = only_problem(question_block('type = "choice"', 'prompt = "Pick"'))
    assert problem.line == 14
    assert "question 'a' (choice) needs options: a list of at least two texts" in problem.message


def test_choice_with_one_option_points_at_the_options():
    problem = only_problem(
        question_block('type = "multi-choice"', 'prompt = "Pick"', 'options = ["Only"]')
    )
    assert problem.line == 18
    assert "(multi-choice) needs options" in problem.message


def test_choice_with_blank_option_is_refused():
    problem = only_problem(
        question_block('type = "choice"', 'prompt = "Pick"', 'options = ["A", " "]')
    )
    assert problem.line == 18
    assert "needs options" in problem.message


def test_choice_with_duplicated_options_is_refused():
    problem = only_problem(
        question_block('type = "choice"', 'options = ["Yes", "No", "yes "]', 'prompt = "Pick"')
    )
    assert problem.line == 17
    assert problem.message == "question 'a' lists the same option twice"


def test_options_on_a_non_choice_question_are_refused():
    problem = only_problem(
        question_block('type = "text"', 'prompt = "Pick"', 'options = ["A", "B"]')
    )
    assert problem.line == 18
    assert "options only apply to choice and multi-choice" in problem.message


def test_min_greater_than_max_points_at_max():
    problem = only_problem(
        question_block('type = "number"', 'prompt = "How many?"', "min = 10", "max = 5")
    )
    assert problem.line == 19
    assert problem.message == "question 'a': max is below min"


def test_min_on_a_non_number_question_is_refused():
    problem = only_problem(question_block('type = "rating"', "min = 2", 'prompt = "How good?"'))
    assert problem.line == 17
    assert problem.message == "question 'a': min only applies to number questions"


def test_min_must_be_a_number():
    problem = only_problem(question_block('type = "number"', 'min = "0"', 'prompt = "How many?"'))
    assert problem.line == 17
    assert problem.message == "question 'a': min must be a number"


def test_unit_on_a_non_number_question_is_refused():
    problem = only_problem(question_block('type = "text"', 'prompt = "Who?"', 'unit = "EUR"'))
    assert problem.line == 18
    assert "unit is text and only applies to number questions" in problem.message


def test_question_without_prompt():
    problem = only_problem(question_block('type = "text"'))
    assert problem.line == 14
    assert "question 'a' needs a prompt" in problem.message


def test_required_must_be_true_or_false():
    problem = only_problem(question_block('type = "text"', 'prompt = "Who?"', 'required = "yes"'))
    assert problem.line == 18
    assert "required must be true or false" in problem.message


def test_invalid_question_id_points_at_the_id():
    text = question_block('type = "text"', 'prompt = "Who?"').replace('id = "a"', 'id = "Who Is"')
    problem = only_problem(text)
    assert problem.line == 15
    assert "question id 'Who Is' must be lower-case" in problem.message


def test_question_without_id_points_at_its_header():
    text = question_block('type = "text"', 'prompt = "Who?"').replace('id = "a"\n', "")
    problem = only_problem(text)
    assert problem.line == 14
    assert problem.message == "question has no id"


def test_questions_block_without_questions():
    problems = problems_of(HEAD + '\n## Step\n\n- [ ] Do it\n\n```questions\nid = "a"\n```\n')
    assert has_problem(problems, 14, "unknown table 'id' in questions block")
    assert has_problem(problems, 13, "the questions block declares no [[question]]")


def test_questions_block_before_the_first_step():
    problems = problems_of(
        HEAD
        + dedent(
            """\

            ```questions
            [[question]]
            id = "a"
            type = "text"
            prompt = "Who?"
            ```

            ## Step

            - [ ] Do it
            """
        )
    )
    assert len(problems) == 1
    assert problems[0].line == 9
    assert "a questions block must sit inside a step" in problems[0].message


def test_step_with_neither_checklist_nor_questions():
    problem = only_problem(HEAD + "\n## Empty step\n\nJust prose.\n\n## Real\n\n- [ ] Do it\n")
    assert problem.line == 9
    assert problem.message == "step 'Empty step' has neither checklist items nor questions"


def test_no_steps_at_all():
    problem = only_problem(HEAD + "\nJust an intro.\n")
    assert problem.line == 9
    assert "no steps" in problem.message


def test_second_title():
    problem = only_problem(HEAD + "\n# Another title\n\n## Step\n\n- [ ] Do it\n")
    assert problem.line == 9
    assert "a second '# ' title ('Another title')" in problem.message


def test_title_after_the_first_step():
    problems = problems_of(
        """\
        ```playbook
        id = "small"
        summary = "A small playbook."
        cadence = "once"
        ```

        ## Step

        - [ ] Do it

        # Late title
        """
    )
    assert has_problem(problems, 1, "missing title")
    assert has_problem(problems, 11, "the '# ' title must come before the first step")


def test_second_playbook_block():
    problem = only_problem(HEAD + '\n```playbook\nid = "again"\n```\n\n## Step\n\n- [ ] Do it\n')
    assert problem.line == 9
    assert "a second playbook block" in problem.message


def test_playbook_block_after_the_first_step():
    problems = problems_of(
        """\
        # Small

        ## Step

        - [ ] Do it

        ```playbook
        id = "small"
        summary = "A small playbook."
        cadence = "once"
        ```
        """
    )
    assert has_problem(problems, 7, "the playbook block must come before the first step")
    assert has_problem(problems, 2, "missing playbook block")


def test_empty_file():
    problems = problems_of("")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (1, "missing title"),
        (1, "missing playbook block"),
        (1, "no steps"),
    ]


def test_every_problem_is_reported_sorted_by_line():
    problems = problems_of(
        """\
        # Broken

        ```playbook
        id = "broken"
        cadence = "weekly"
        ```

        ## Nothing here

        Only words.

        ## Questions

        ```questions
        [[question]]
        id = "size"
        type = "number"
        prompt = "How big?"
        min = 5
        max = 1

        [[question]]
        id = "pick"
        type = "choice"
        prompt = "Pick one"
        options = ["A"]

        [[question]]
        id = "size"
        type = "text"
        prompt = "Size again"
        ```

        # Second title
        """
    )
    expected = [
        (3, "the playbook block has no summary"),
        (5, "unknown cadence 'weekly'"),
        (8, "step 'Nothing here' has neither checklist items nor questions"),
        (20, "question 'size': max is below min"),
        (26, "question 'pick' (choice) needs options"),
        (34, "a second '# ' title ('Second title')"),
    ]
    assert len(problems) == len(expected), [str(p) for p in problems]
    for problem, (line, fragment) in zip(problems, expected, strict=True):
        assert problem.line == line
        assert fragment in problem.message
    assert all(str(p).startswith(f"x.md:{p.line}: ") for p in problems)


def test_problems_in_playbook_block_and_questions_are_both_reported():
    problems = problems_of(
        HEAD.replace('"once"', '"never"')
        + dedent(
            """\

            ## Step

            - [ ] Do it

            ```questions
            [[question]]
            id = "a"
            type = "bogus"
            prompt = "Who?"
            ```
            """
        )
    )
    assert [p.line for p in problems] == [6, 16]
    assert problems[0].message.startswith("unknown cadence 'never'")
    assert problems[1].message.startswith("question 'a' has unknown type 'bogus'")


# Reading files


def test_parse_playbook_file_reads_a_file(tmp_path):
    path = tmp_path / "mine.md"
    path.write_text(HEAD + "\n## Step\n\n- [ ] Do it\n", encoding="utf-8")
    playbook = parse_playbook_file(path, source="user")
    assert playbook.id == "small"
    assert playbook.path == path
    assert playbook.source == "user"


def test_parse_playbook_file_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + "\n## Step\n\n- [ ] Do it\n").encode("utf-8"))
    assert parse_playbook_file(path).title == "Small"


def test_parse_playbook_file_reports_its_path_in_problems(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(HEAD.replace('"once"', '"daily"') + "\n## Step\n\n- [ ] Do it\n")
    with pytest.raises(PlaybookError) as info:
        parse_playbook_file(path)
    assert str(info.value) == f"{path}:6: unknown cadence 'daily': use once, quarterly or annual"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.md"
    with pytest.raises(PlaybookError) as info:
        parse_playbook_file(path)
    assert info.value.problems == [Problem(str(path), 0, "no such file")]
    assert str(info.value) == f"{path}: no such file"


def test_directory_is_not_a_playbook(tmp_path):
    with pytest.raises(PlaybookError) as info:
        parse_playbook_file(tmp_path)
    assert info.value.problems == [Problem(str(tmp_path), 0, "is a directory, not a playbook file")]
    assert str(info.value) == f"{tmp_path}: is a directory, not a playbook file"


def test_non_utf8_file_names_the_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("# Title\n\nCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(PlaybookError) as info:
        parse_playbook_file(path)
    assert info.value.problems == [Problem(str(path), 3, "not UTF-8 text")]
    assert str(info.value) == f"{path}:3: not UTF-8 text"


def test_nested_task_items_are_checklist_items_and_nested_notes_stay_in_guidance() -> None:
    playbook = parse(
        HEAD
        + "\n## Prepare\n\n"
        + "- [ ] Book the kickoff\n"
        + "  - [ ] Send the agenda\n"
        + "  - ask for the partner's org chart\n"
    )
    step = playbook.steps[0]
    assert [item.text for item in step.checklist] == ["Book the kickoff", "Send the agenda"]
    assert "ask for the partner's org chart" in step.guidance
    assert "Book the kickoff" not in step.guidance


@pytest.mark.parametrize("bound", ["nan", "inf"])
def test_a_bound_that_is_not_a_finite_number_is_refused(bound: str) -> None:
    problem = only_problem(
        question_block('type = "number"', 'prompt = "How many?"', f"min = {bound}")
    )
    assert problem.line == 18
    assert "min must be a number" in problem.message
