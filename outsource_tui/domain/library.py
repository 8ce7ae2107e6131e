"""Find the playbooks: the bundled ones, then the user's, a user file overriding a bundled id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from outsource_tui.domain.parser import PlaybookError, Problem, parse_playbook_file
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.playbook_files import bundled_playbook_dir, playbook_files

__all__ = ["Library", "bundled_playbook_dir", "load_library", "playbook_files"]


@dataclass
class Library:
    """The playbooks on offer, in a stable order, and the files that were skipped and why."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)

    def get(self, playbook_id: str) -> Playbook | None:
        """The playbook with this id, if there is one."""
        return self.playbooks.get(playbook_id)

    def __iter__(self) -> Iterator[Playbook]:
        return iter(self.playbooks.values())

    def __len__(self) -> int:
        return len(self.playbooks)


# The order a vendor relationship goes through; other playbooks follow alphabetically.
LIFECYCLE_ORDER = (
    "objectives",
    "partner-selection",
    "smart-goals",
    "sla-kpis",
    "communication",
    "cultural-fit",
    "onboarding",
    "quarterly-review",
    "exit-transition",
)


def _order(playbook: Playbook) -> tuple[int, str]:
    try:
        return (LIFECYCLE_ORDER.index(playbook.id), playbook.id)
    except ValueError:
        return (len(LIFECYCLE_ORDER), playbook.id)


def load_library(user_dirs: Iterable[Path] = (), bundled_dir: Path | None = None) -> Library:
    """Load the bundled playbooks, then each user directory in turn; later ids override earlier.

    A file with problems is skipped and its problems recorded; the rest still load.
    """
    found: dict[str, Playbook] = {}
    skipped: list[Problem] = []
    sources = [(bundled_dir or bundled_playbook_dir(), "bundled")]
    sources += [(Path(d), "user") for d in user_dirs]
    for directory, source in sources:
        seen_here: dict[str, Path] = {}
        for path in playbook_files(directory):
            try:
                playbook = parse_playbook_file(path, source=source)
            except PlaybookError as exc:
                skipped.extend(exc.problems)
                continue
            if playbook.id in seen_here:
                skipped.append(
                    Problem(
                        str(path),
                        0,
                        f"playbook id '{playbook.id}' is already used by {seen_here[playbook.id]}",
                    )
                )
                continue
            seen_here[playbook.id] = path
            found[playbook.id] = playbook
    ordered = dict(sorted(((p.id, p) for p in found.values()), key=lambda kv: _order(kv[1])))
    return Library(ordered, skipped)
