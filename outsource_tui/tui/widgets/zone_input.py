"""A time-zone field: any part of a zone's name suggests it, city names and case aside."""

from __future__ import annotations

from textual.suggester import Suggester
from textual.widgets import Input

from outsource_tui.domain.answers import matching_timezones
from outsource_tui.domain.vendor import known_timezones

ARROW = " → "  # between what was typed and the zone it suggests, when one is not the other's start


class ZoneSuggester(Suggester):
    """Suggests the best zone holding the typed text: as its completion when the zone starts
    with it (``Asia/Ma`` → ``Asia/Manila``), else after an arrow (``mani → Asia/Manila``)."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        found = matching_timezones(value, limit=1)
        if not found:
            return None
        zone = found[0]
        if zone.casefold().startswith(value.casefold()):
            return zone  # shown as the rest of what was typed; taken in the zone's own case
        return value + ARROW + zone


class ZoneInput(Input):
    """An Input for an IANA time zone; taking a suggestion (right arrow) puts the zone in."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, suggester=ZoneSuggester(), **kwargs)  # type: ignore[arg-type]

    def watch_value(self, value: str) -> None:
        if ARROW in value:  # a suggestion after an arrow was taken: keep only the zone
            self.value = value.rsplit(ARROW, 1)[1].strip()
            self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        # Enter on "mani → Asia/Manila" means the zone shown, as right arrow does: what was
        # typed is not a zone, so submitting it as typed would only be refused.
        suggestion = self._suggestion
        if suggestion and suggestion != self.value and not is_zone(self.value):
            self.value = suggestion.rsplit(ARROW, 1)[-1].strip()
            self.cursor_position = len(self.value)
        await super().action_submit()


def is_zone(text: str) -> bool:
    """Whether ``text`` already names a zone exactly."""
    return text.strip() in known_timezones()
