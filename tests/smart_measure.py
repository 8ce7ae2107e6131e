"""How often the SMART checker agrees with hand labels, per criterion and per labelled set.

Run with ``python -m tests.smart_measure`` (add ``--wrong`` to list the goals it gets wrong).

The sets, in ``tests/unit``:

- ``smart_goals.tsv``: the goals the checker was written against (regression set);
- ``smart_heldout.tsv``: goals quoted from public pages (HR, sales, IT operations, public
  sector, health, fundraising), labelled before the checker was generalised;
- ``smart_heldout2.tsv``: a second set quoted from other pages (schools, factories,
  restaurants, marketing, housing and health plans, software teams, gyms), kept out of sight
  while the checker was changed.

Each line is ``goal``, then ``specific``, ``measurable`` and ``time_bound`` as 1 or 0; the
held-out sets add the ``source`` page of the quote. The labels follow the rules of the SMART
goals playbook, read as:

- specific: the goal names what should change or be delivered (a thing someone can count,
  read off a report or point to: volunteers, market share, fuel use, a certification, an
  ERP system). Only abstract words (quality, performance, efficiency, productivity,
  collaboration, culture, presence, skills) are not specific, with or without a number.
- measurable: a number, or a number word such as zero, half or double, says how much of
  that named thing: a level, a change, a count, a share, an amount of money, "from X to Y".
  Dates, version or line numbers, and a number that only sizes the means ("a 30-minute
  programme") do not count, nor does a number tied only to an abstract word.
- time-bound: the goal as a whole has a deadline or a bounded span: a date, a month, a
  quarter, a year, "by spring", "within 6 months", "this year", "by the end of the
  Parliament". A frequency ("every month", "per year", "on Mondays"), a start with no end
  ("starting from 2024"), a comparison ("than last year") and a window each item must meet
  ("within 48 hours", "within 2 working days of a request") do not.

This is not part of the test suite; ``tests/unit/test_smart*.py`` holds the floors.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from outsource_tui.domain.smart import analyse_goal

UNIT = Path(__file__).with_name("unit")
SETS = {
    "tuned": UNIT / "smart_goals.tsv",
    "held-out 1": UNIT / "smart_heldout.tsv",
    "held-out 2": UNIT / "smart_heldout2.tsv",
}
SCORED = ("specific", "measurable", "time_bound")


@dataclass(frozen=True)
class LabelledGoal:
    """One goal with its hand labels, and the line of the file it came from."""

    text: str
    labels: dict[str, bool]
    line: int
    source: str = ""


@dataclass
class Score:
    """Agreements per criterion on one set, with the goals it got wrong."""

    total: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    wrong: dict[str, list[LabelledGoal]] = field(
        default_factory=lambda: {name: [] for name in SCORED}
    )

    def share(self, name: str) -> float:
        return self.right[name] / self.total if self.total else 0.0


def load_labelled(path: Path) -> list[LabelledGoal]:
    """The goals of one tsv file; a malformed line raises ValueError naming FILE:LINE."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if header[:4] != ["goal", *SCORED] or header[4:] not in ([], ["source"]):
        raise ValueError(f"{path.name}:1: unexpected header {header}")
    goals = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header) or any(cell not in ("0", "1") for cell in cells[1:4]):
            expected = "a goal, three 0/1 labels" + (" and a source" if len(header) == 5 else "")
            raise ValueError(f"{path.name}:{number}: expected {expected}")
        labels = {name: cell == "1" for name, cell in zip(SCORED, cells[1:4], strict=True)}
        source = cells[4] if len(cells) == 5 else ""
        goals.append(LabelledGoal(cells[0], labels, number, source))
    return goals


def score(goals: list[LabelledGoal]) -> Score:
    """Compare the checker's verdicts with the labels."""
    result = Score(total=len(goals))
    for goal in goals:
        report = analyse_goal(goal.text)
        for name in SCORED:
            if getattr(report, name).ok is goal.labels[name]:
                result.right[name] += 1
            else:
                result.wrong[name].append(goal)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.smart_measure")
    parser.add_argument("--wrong", action="store_true", help="list the goals it gets wrong")
    parser.add_argument(
        "--set", choices=list(SETS), action="append", help="only this set (may be repeated)"
    )
    args = parser.parse_args(argv)
    print(f"{'set':<12} {'goals':>5}  " + "  ".join(f"{name:>17}" for name in SCORED))
    for label, path in SETS.items():
        if args.set and label not in args.set:
            continue
        if not path.exists():
            print(f"{label:<12} (no {path.name})")
            continue
        result = score(load_labelled(path))
        cells = [
            f"{result.right[name]:>3}/{result.total:<3} {result.share(name):>6.1%}"
            for name in SCORED
        ]
        print(f"{label:<12} {result.total:>5}  " + "  ".join(f"{c:>17}" for c in cells))
        if args.wrong:
            for name in SCORED:
                for goal in result.wrong[name]:
                    said = "no" if goal.labels[name] else "yes"
                    print(f"    {path.name}:{goal.line} {name}: said {said}: {goal.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
