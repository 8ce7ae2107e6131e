"""Working-hour overlap between you and a vendor, in words, for the vendor and cultural-fit screens.

Hours come from the playbook answers that declare an hours role, else from settings.toml
([me] timezone, hours_start, hours_end), else 09:00-17:00; your zone falls back to the
system's. Nothing here imports Textual.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.timezones import (
    Overlap,
    WorkingHours,
    overlap_on,
    parse_hours,
    suggest_slots,
)
from outsource_tui.domain.vendor import Vendor, check_timezone
from outsource_tui.errors import ValidationError

DEFAULT_START, DEFAULT_END = "09:00", "17:00"


def own_zone(settings: Settings) -> str:
    """Your IANA zone: from settings, else $TZ, else the system's, else UTC."""
    for candidate in (settings.timezone, os.environ.get("TZ", "").lstrip(":")):
        if candidate:
            try:
                return check_timezone(candidate)
            except ValidationError:
                continue
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            return check_timezone(target.split("zoneinfo/", 1)[1])
    except (OSError, ValidationError):
        pass
    return "UTC"


def _answer(playbook: Playbook | None, run: Run | None, role: str) -> str:
    if playbook is None or run is None:
        return ""
    question = playbook.question_with_role(role)
    value = run.answers.get(question.id) if question else None
    return value if isinstance(value, str) else ""


def hours_pair(
    vendor: Vendor, settings: Settings, playbook: Playbook | None = None, run: Run | None = None
) -> tuple[WorkingHours, WorkingHours]:
    """Your working hours and the vendor's, as declared; raises ValidationError if unusable."""
    if not vendor.timezone:
        raise ValidationError("the vendor has no time zone: add one to see the overlap")
    ours = WorkingHours(
        own_zone(settings),
        parse_hours(_answer(playbook, run, "our-hours-start") or settings.hours_start),
        parse_hours(_answer(playbook, run, "our-hours-end") or settings.hours_end),
    )
    theirs = WorkingHours(
        vendor.timezone,
        parse_hours(_answer(playbook, run, "their-hours-start") or DEFAULT_START),
        parse_hours(_answer(playbook, run, "their-hours-end") or DEFAULT_END),
    )
    return ours, theirs


def _describe(overlap: Overlap, zone: str, label: str) -> str:
    if not overlap.minutes:
        return f"{label}: no overlap at all"
    windows = ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in overlap.in_zone(zone))
    flag = " (under 2 hours)" if overlap.is_short else ""
    return f"{label}: {overlap.hours:.1f} h{flag}, {windows} your time"


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def overlap_lines(
    vendor: Vendor,
    settings: Settings,
    today: date,
    playbook: Playbook | None = None,
    run: Run | None = None,
) -> list[str]:
    """A few lines: the overlap this week and in a month (DST can change it), and slots."""
    try:
        ours, theirs = hours_pair(vendor, settings, playbook, run)
    except ValidationError as exc:
        return [f"Working-hour overlap: {exc}"]
    first = _next_weekday(today)
    later = _next_weekday(today + timedelta(days=30))
    now = overlap_on(first, ours, theirs)
    month = overlap_on(later, ours, theirs)
    lines = [
        f"You: {ours.zone} {ours.start:%H:%M}-{ours.end:%H:%M} · "
        f"{vendor.name}: {theirs.zone} {theirs.start:%H:%M}-{theirs.end:%H:%M} (their time)",
        _describe(now, ours.zone, f"Overlap on {first:%a %d %b}"),
        _describe(month, ours.zone, f"Overlap on {later:%a %d %b}"),
    ]
    slots = suggest_slots(now, 30, 3, zone=ours.zone)
    if slots:
        zone = ZoneInfo(ours.zone)
        shown = ", ".join(f"{start.astimezone(zone):%H:%M}" for start, _ in slots)
        lines.append(f"Meeting slots (30 min, your time): {shown}")
    elif now.is_short:
        lines.append("Less than two shared hours: agree a rota, or shift one side's hours.")
    needed = _needed_hours(playbook, run)
    shortest = min(now.hours, month.hours)
    if needed is not None and shortest < needed:
        lines.append(
            f"Not enough: the work needs {needed:g} shared hours a day, and there are only "
            f"{shortest:.1f}. Shift one side's hours or agree a rota."
        )
    return lines


def _needed_hours(playbook: Playbook | None, run: Run | None) -> float | None:
    """The shared hours a day the work needs, as agreed in the playbook (fact overlap-needed)."""
    if playbook is None or run is None:
        return None
    question = playbook.question_with_role("overlap-needed")
    value = run.answers.get(question.id) if question else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
