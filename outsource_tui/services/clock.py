"""Today's date, in one place."""

from __future__ import annotations

from datetime import date

from outsource_tui.domain.periods import today as system_today


class Clock:
    """The day everything is worked out for: fixed (tests, ``--today``) or the system's.

    The system's day honours ``$OUTSOURCE_TUI_TODAY`` for reproducible runs.
    """

    def __init__(self, fixed: date | None = None) -> None:
        self.fixed = fixed

    def today(self) -> date:
        return self.fixed if self.fixed is not None else system_today()
