"""Where a screen asks to go next. Screens post these; the app opens the screen asked for.

So screens never import each other: the app alone knows which screen shows what.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message


class OpenVendor(Message):
    """Show one vendor: its facts and its playbooks."""

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id


class OpenPlaybook(Message):
    """Open a playbook for a vendor: resume it, show it finished, or start it.

    A recurring playbook asks for its review period first unless ``period`` is given.
    ``fresh`` starts a finished one-off playbook again; ``replace`` takes the place of the
    screen that asked.
    """

    def __init__(
        self,
        vendor_id: str,
        playbook_id: str,
        *,
        period: str | None = None,
        fresh: bool = False,
        replace: bool = False,
    ) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.playbook_id = playbook_id
        self.period = period
        self.fresh = fresh
        self.replace = replace


class EditRun(Message):
    """Reopen a run (a finished one too) to change its answers."""

    def __init__(self, vendor_id: str, playbook_id: str, run_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.playbook_id = playbook_id
        self.run_id = run_id


class RunFinished(Message):
    """A run was completed: show its summary in place of the runner."""

    def __init__(self, vendor_id: str, playbook_id: str, run_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.playbook_id = playbook_id
        self.run_id = run_id


class OpenScorecard(Message):
    """A vendor's scorecard, review period by review period."""

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id


class OpenComparison(Message):
    """Compare the candidates on the selection criteria."""


class EditVendor(Message):
    """The vendor form: a new vendor when ``vendor_id`` is None.

    ``done`` is called with the vendor's id once saved, or None when cancelled.
    """

    def __init__(
        self, vendor_id: str | None = None, done: Callable[[str | None], None] | None = None
    ) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.done = done


class EditContract(Message):
    """The contract-terms form of a vendor."""

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id


class ExportReport(Message):
    """Write a vendor's report (Markdown and HTML) for a review period, or the latest."""

    def __init__(self, vendor_id: str, period: str | None = None) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.period = period


class ExportPack(Message):
    """Write a vendor's review pack for the partner, for a period asked for first."""

    def __init__(self, vendor_id: str) -> None:
        super().__init__()
        self.vendor_id = vendor_id


class ImportPack(Message):
    """Read the partner's filled-in review pack into a review: the file is asked for and
    what it would change shown before anything is saved; ``done`` gets whether it was."""

    def __init__(self, vendor_id: str, period: str, done: Callable[[bool | None], None]) -> None:
        super().__init__()
        self.vendor_id = vendor_id
        self.period = period
        self.done = done


class OpenDueList(Message):
    """Everything due across the portfolio, by date."""


class OpenSpend(Message):
    """Spend against performance: the active vendors placed by fee and by score."""


class Confirm(Message):
    """Ask a yes-or-no question over the screen; ``done`` gets the answer."""

    def __init__(
        self,
        question: str,
        yes: str,
        no: str,
        done: Callable[[bool | None], None],
        *,
        safe_default: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.done = done
        self.safe_default = safe_default  # "no" has focus: yes would lose something
