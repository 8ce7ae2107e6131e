"""The vendor screen's playbook list: an OptionList whose enter key says what it does."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class PlaybookList(OptionList):
    """Options are playbooks keyed by id; enter opens the highlighted one."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            "Start / resume",
            id="open-playbook",
            tooltip="Start or resume the playbook; a finished one opens its summary",
            show=True,
        ),
    ]
