"""The facts of a relationship, each with one home, and the playbook questions that state them.

A question declares the fact it states with ``fact = "NAME"`` (``role`` is the older
spelling). The product then finds the fact without knowing any question's id:

- a **vendor fact** lives in the vendor record: answering the question writes the record, and
  opening the question shows the record's value, so the vendor form, the contract clock, the
  overlap panel, reports, ``due`` and the calendar all read the same value;
- an **agreed fact** lives in the answer itself, in the vendor's latest run of the playbook
  that asks it (a completed run if there is one), as the SLA's KPI targets do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from outsource_tui.domain.answers import Answer
from outsource_tui.domain.playbook import Playbook, Question, QuestionType
from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import Vendor

VENDOR, AGREED = "vendor", "agreed"
TEXT_TYPES = frozenset({QuestionType.TEXT})


@dataclass(frozen=True)
class Fact:
    """One fact of a relationship and where it lives."""

    name: str
    home: str  # VENDOR or AGREED
    types: frozenset[QuestionType]
    about: str
    field: str = ""  # the vendor record's field, for a vendor fact


def _fact(name: str, home: str, types: Iterable[QuestionType], about: str, field: str = "") -> Fact:
    return Fact(name, home, frozenset(types), about, field)


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        # In the vendor record.
        _fact(
            "partner-timezone",
            VENDOR,
            {QuestionType.TIMEZONE, QuestionType.TEXT},
            "the partner's time zone",
            "timezone",
        ),
        _fact("partner-contact", VENDOR, {QuestionType.TEXT}, "the partner's contact", "contact"),
        _fact(
            "contract-start", VENDOR, {QuestionType.DATE}, "the contract's start", "contract_start"
        ),
        _fact("contract-end", VENDOR, {QuestionType.DATE}, "the contract's end", "contract_end"),
        _fact(
            "notice-given", VENDOR, {QuestionType.DATE}, "the day notice was given", "notice_given"
        ),
        # Agreed in a playbook, kept with its answer.
        _fact("our-hours-start", AGREED, TEXT_TYPES, "when our working day starts"),
        _fact("our-hours-end", AGREED, TEXT_TYPES, "when our working day ends"),
        _fact("their-hours-start", AGREED, TEXT_TYPES, "when the partner's day starts"),
        _fact("their-hours-end", AGREED, TEXT_TYPES, "when the partner's day ends"),
        _fact("overlap-needed", AGREED, {QuestionType.NUMBER}, "shared hours the work needs"),
        _fact("contract-decision", AGREED, {QuestionType.CHOICE}, "renew, renegotiate or exit"),
        _fact("monthly-fee", AGREED, {QuestionType.NUMBER}, "the monthly fee"),
        _fact("currency", AGREED, {QuestionType.TEXT, QuestionType.CHOICE}, "the fee's currency"),
        _fact("credit-cap", AGREED, {QuestionType.NUMBER}, "the most a period's credits reach"),
        _fact("earn-back", AGREED, {QuestionType.YES_NO}, "whether a credit can be earned back"),
    )
}


def vendor_field(question: Question) -> str:
    """The vendor record's field a question states, or '' when it states none."""
    fact = FACTS.get(question.role)
    return fact.field if fact is not None and fact.home == VENDOR else ""


def vendor_value(question: Question, vendor: Vendor) -> Answer:
    """What the vendor record says for a vendor-fact question (None when blank)."""
    name = vendor_field(question)
    value = getattr(vendor, name, "") if name else ""
    return value or None


def with_vendor_facts(
    playbook: Playbook, answers: dict[str, Answer], vendor: Vendor
) -> dict[str, Answer]:
    """A run's answers with every vendor-fact question showing the record's value."""
    shown = dict(answers)
    for step in playbook.steps:
        for question in step.questions:
            if vendor_field(question):
                value = vendor_value(question, vendor)
                if value is None:
                    shown.pop(question.id, None)
                else:
                    shown[question.id] = value
    return shown


def agreed(playbooks: Iterable[Playbook], runs: list[Run], name: str) -> Answer:
    """An agreed fact: the answer in the latest run (completed first) of a playbook asking it."""
    for playbook in playbooks:
        question = playbook.question_with_role(name)
        if question is None:
            continue
        mine = [r for r in runs if r.playbook_id == playbook.id]
        done = [r for r in mine if r.completed]
        for run in reversed(done or mine):
            value = run.answers.get(question.id)
            if value is not None:
                return value
    return None
