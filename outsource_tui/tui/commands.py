"""The command palette's verbs: open a vendor by name, add one, compare, export, terms, due."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.message import Message

from outsource_tui.errors import UserError
from outsource_tui.tui import navigation as nav


def _highlight(matcher: Matcher, text: str) -> Content:
    """``text`` with the matched letters marked, never read as markup (a vendor's name may
    hold brackets or backslashes)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class VendorCommands(Provider):
    """What a vendor manager does, by name: type part of a vendor's name or of the verb."""

    async def startup(self) -> None:
        services = getattr(self.app, "services", None)
        # (what the palette shows, its help line, the message that does it: made when chosen)
        self.commands: list[tuple[str, str, Callable[[], Message]]] = [
            ("Add a vendor", "Name, service, status, time zone, dates", nav.EditVendor),
            ("Compare candidates", "Rank candidates on the criteria", nav.OpenComparison),
            ("Due list", "Decisions, notices, reviews and actions by date", nav.OpenDueList),
        ]
        if services is None:
            return
        try:
            vendors = services.store.list_vendors()  # the index only: one small file
        except UserError:
            return
        for vendor in vendors:
            name, vid = vendor.name, vendor.id
            # The palette reads help lines as markup: only the app's own words go there.
            about = f"Its facts and playbooks ({vendor.status})"
            self.commands += [
                (f"Open vendor: {name}", about, partial(nav.OpenVendor, vid)),
                (f"Scorecard: {name}", "KPIs, ratings and trend", partial(nav.OpenScorecard, vid)),
                (
                    f"Export report: {name}",
                    "Markdown and HTML files in the data directory",
                    partial(nav.ExportReport, vid),
                ),
                (
                    f"Contract terms: {name}",
                    "Renewal, notice period and window",
                    partial(nav.EditContract, vid),
                ),
                (
                    f"Edit vendor: {name}",
                    "Name, status, zone, dates, contact",
                    partial(nav.EditVendor, vid),
                ),
            ]

    def _go(self, make: Callable[[], Message]) -> Callable[[], object]:
        return lambda: self.app.post_message(make())

    async def discover(self) -> Hits:
        for text, help_text, message in self.commands[:3]:
            yield DiscoveryHit(Content(text), self._go(message), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, message in self.commands:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), self._go(message), help=help_text)
