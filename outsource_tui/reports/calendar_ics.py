"""What is due, as an iCalendar file (RFC 5545) that any calendar program imports.

Each event's UID names what it is about (vendor, kind, and the term, period or action), not
its date, so importing a newer file moves an event instead of adding a second one.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from outsource_tui.services.portfolio import DueItem

PRODID = "-//outsource-tui//contract clock//EN"


def escape_text(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def uid_for(item: DueItem) -> str:
    """A UID that stays the same for the same obligation across exports."""
    if item.kind in ("decide", "notice", "notice-missed", "contract-end"):
        subject = f"{item.kind}"
    elif item.kind == "review":
        subject = f"review-{item.text}"
    else:
        subject = f"{item.kind}-{item.text}"
    digest = hashlib.sha256(f"{item.vendor_id}|{subject}".encode()).hexdigest()[:20]
    return f"{item.vendor_id}-{item.kind}-{digest}@outsource-tui"


SUMMARY = {
    "decide": "Decide on {vendor}",
    "notice": "Last day for notice: {vendor}",
    "notice-missed": "Notice window missed: {vendor}",
    "contract-end": "Contract ends: {vendor}",
    "contract-terms": "Check the contract terms: {vendor}",
    "review": "Review due: {vendor}",
    "action": "Action due: {vendor}",
    "playbook": "Unfinished playbook: {vendor}",
    "reminder": "Reminder: {vendor}",
}


def to_ics(items: list[DueItem], stamp: date) -> str:
    """An iCalendar document with one all-day event per item."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    used: dict[str, int] = {}
    for item in items:
        summary = SUMMARY.get(item.kind, "{vendor}").format(vendor=item.vendor_name)
        # Two obligations worded alike (the same action twice, say) are still two events:
        # the second and later get a number, in date order, so each keeps its own UID.
        uid = uid_for(item)
        used[uid] = used.get(uid, 0) + 1
        if used[uid] > 1:
            uid = uid.replace("@", f"-{used[uid]}@", 1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{item.when:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.when + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(item.text)}",
            f"CATEGORIES:{escape_text(item.kind)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
