"""Working hours in two time zones, and when they overlap.

Everything is worked out on real UTC instants, so a daylight-saving change in
either zone, north or south of the equator, counts from the very day it happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from outsource_tui.domain.vendor import check_timezone
from outsource_tui.errors import ValidationError

SHORT_OVERLAP_MINUTES = 120
"""An overlap under this many minutes a day is too short to run a relationship on."""

SLOT_GRID_MINUTES = 30
"""Suggested meetings start on this grid (the half hour) where the overlap allows."""

# Zone offsets run from UTC-12 to UTC+14 and a shift lasts at most 25 hours (a
# clock going back), so a day of theirs more than three days away cannot touch ours.
_NEIGHBOUR_DAYS = 3

_HOURS = re.compile(
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?:(?P<half>[ap])\.?\s*m\.?)?",
    re.ASCII | re.IGNORECASE,
)

Window = tuple[datetime, datetime]
"""A stretch of time from its first instant up to (not including) its last."""


def parse_hours(text: str) -> time:
    """A time of day typed as ``9``, ``09:00``, ``17:30``, ``5pm`` or ``5:30 pm``."""
    match = _HOURS.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise _not_a_time(text)
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise _not_a_time(text)
        hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise _not_a_time(text)
    return time(hour, minute)


def _not_a_time(text: object) -> ValidationError:
    shown = " ".join(str(text).split())
    if len(shown) > 20:
        shown = shown[:20] + "…"
    return ValidationError(f"'{shown}' is not a time of day: write it like 9, 09:00, 17:30 or 5pm")


def _zone(name: str) -> ZoneInfo:
    checked = check_timezone(name)
    if not checked:
        raise ValidationError("a time zone is needed: use an IANA name such as Europe/Berlin")
    return ZoneInfo(checked)


@dataclass(frozen=True)
class WorkingHours:
    """One party's working day: a local start and end time in an IANA zone.

    An end at or before the start is a shift that runs past midnight into the
    next day (22:00-06:00); a start equal to the end is a shift of a full day.
    """

    zone: str
    start: time
    end: time

    def __post_init__(self) -> None:
        _zone(self.zone)
        object.__setattr__(self, "zone", self.zone.strip())
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ValidationError(
                    f"the {name} of working hours must be a local time of day such as 09:00"
                )

    @classmethod
    def parse(cls, zone: str, start: str, end: str) -> WorkingHours:
        """Working hours from typed text, e.g. ``("Asia/Manila", "9", "6pm")``."""
        return cls(zone, parse_hours(start), parse_hours(end))

    @property
    def overnight(self) -> bool:
        """Whether the shift ends on the day after it starts."""
        return self.end <= self.start

    def span(self, day: date) -> Window:
        """The working day that starts on ``day`` in this zone, as UTC instants.

        A local time the clock skips when it goes forward is read as the moment
        after the jump; a time that happens twice when it goes back, as the first.
        """
        tz = ZoneInfo(self.zone)
        last_day = day + timedelta(days=1) if self.overnight else day
        begin = datetime.combine(day, self.start, tzinfo=tz).astimezone(UTC)
        finish = datetime.combine(last_day, self.end, tzinfo=tz).astimezone(UTC)
        return begin, max(begin, finish)


@dataclass(frozen=True)
class Overlap:
    """When both parties are at work during our working day on ``day``.

    ``windows`` are UTC instants in time order; ``minutes`` is their total length.
    """

    day: date
    minutes: int
    windows: tuple[Window, ...]

    @property
    def hours(self) -> float:
        """The overlap in hours, e.g. 2.5."""
        return self.minutes / 60

    @property
    def is_short(self) -> bool:
        """Whether the overlap is under ``SHORT_OVERLAP_MINUTES`` (none at all counts)."""
        return self.minutes < SHORT_OVERLAP_MINUTES

    def in_zone(self, zone: str) -> tuple[Window, ...]:
        """The windows as wall-clock times in ``zone`` (an IANA name)."""
        tz = _zone(zone)
        return tuple(
            (begin.astimezone(tz), finish.astimezone(tz)) for begin, finish in self.windows
        )


def overlap_on(
    day: date, ours: WorkingHours, theirs: WorkingHours, *, weekdays_only: bool = False
) -> Overlap:
    """Our working day that starts on ``day`` (in our zone), and when they are at work in it.

    Their working days are taken on their own calendar: when theirs is the
    same date as ours, that is the day that counts, but with a zone across the
    date line their next (or previous) day is the one that overlaps ours, and
    that is counted too. Swapping the parties finds the same windows, listed
    under the other party's dates.

    With ``weekdays_only`` a Saturday or Sunday, of ours or of theirs, has no overlap.
    """
    if weekdays_only and _is_weekend(day):
        return Overlap(day, 0, ())
    our_begin, our_end = ours.span(day)
    pieces: list[Window] = []
    for shift in range(-_NEIGHBOUR_DAYS, _NEIGHBOUR_DAYS + 1):
        their_day = day + timedelta(days=shift)
        if weekdays_only and _is_weekend(their_day):
            continue
        their_begin, their_end = theirs.span(their_day)
        begin, finish = max(our_begin, their_begin), min(our_end, their_end)
        if begin < finish:
            pieces.append((begin, finish))
    windows = _merge(pieces)
    total = sum((finish - begin for begin, finish in windows), timedelta())
    return Overlap(day, total // timedelta(minutes=1), windows)


def overlap_week(
    start: date, ours: WorkingHours, theirs: WorkingHours, weekdays_only: bool = True
) -> list[Overlap]:
    """The overlap for each of the seven days from ``start``.

    With ``weekdays_only`` our Saturday and Sunday are left out of the list, and
    their Saturday and Sunday do not count towards our other days.
    """
    days = (start + timedelta(days=n) for n in range(7))
    return [
        overlap_on(day, ours, theirs, weekdays_only=weekdays_only)
        for day in days
        if not (weekdays_only and _is_weekend(day))
    ]


def suggest_slots(
    overlap: Overlap, length_minutes: int = 30, count: int = 3, *, zone: str = "UTC"
) -> list[Window]:
    """Up to ``count`` back-to-back meeting slots inside the overlap, in UTC.

    Slots start from the beginning of the overlap, moved on to the next half
    hour (on the clock of ``zone``) when the slot still fits there. A slot never
    leaves the overlap, so there are none when it is shorter than the meeting.
    """
    if isinstance(length_minutes, bool) or not isinstance(length_minutes, int):
        raise ValidationError("a meeting length is a whole number of minutes")
    if length_minutes < 1:
        raise ValidationError("a meeting must last at least one minute")
    if count < 0:
        raise ValidationError("the number of slots cannot be negative")
    tz = _zone(zone)
    length = timedelta(minutes=length_minutes)
    slots: list[Window] = []
    for begin, finish in overlap.windows:
        at = begin
        while len(slots) < count:
            on_grid = _next_on_grid(at, tz)
            if on_grid + length <= finish:
                at = on_grid
            elif at + length > finish:
                break
            slots.append((at, at + length))
            at += length
    return slots


def _next_on_grid(at: datetime, tz: ZoneInfo) -> datetime:
    local = at.astimezone(tz)
    past = timedelta(
        minutes=local.minute % SLOT_GRID_MINUTES,
        seconds=local.second,
        microseconds=local.microsecond,
    )
    return at if not past else at + timedelta(minutes=SLOT_GRID_MINUTES) - past


def _merge(pieces: list[Window]) -> tuple[Window, ...]:
    merged: list[Window] = []
    for begin, finish in sorted(pieces):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return tuple(merged)


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5
