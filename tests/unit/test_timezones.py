"""Working-hour overlap between two zones, checked against UTC arithmetic done by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from outsource_tui.domain.timezones import (
    SHORT_OVERLAP_MINUTES,
    Overlap,
    WorkingHours,
    overlap_on,
    overlap_week,
    parse_hours,
    suggest_slots,
)
from outsource_tui.errors import ValidationError


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(zone: str, start: str, end: str) -> WorkingHours:
    return WorkingHours.parse(zone, start, end)


MANILA = hours("Asia/Manila", "09:00", "18:00")
CHICAGO = hours("America/Chicago", "08:00", "17:00")
BERLIN = hours("Europe/Berlin", "09:00", "17:00")
LONDON = hours("Europe/London", "09:00", "17:00")
NEW_YORK = hours("America/New_York", "09:00", "17:00")
KOLKATA = hours("Asia/Kolkata", "09:00", "18:00")


# parse_hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", time(9, 0)),
        ("09", time(9, 0)),
        ("9:00", time(9, 0)),
        ("09:00", time(9, 0)),
        ("17:30", time(17, 30)),
        ("0", time(0, 0)),
        ("23:59", time(23, 59)),
        ("5pm", time(17, 0)),
        ("5:30 pm", time(17, 30)),
        ("5:30 PM", time(17, 30)),
        ("5 p.m.", time(17, 0)),
        ("9am", time(9, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:30 am", time(0, 30)),
        ("  08:15  ", time(8, 15)),
    ],
)
def test_hours_are_read_in_the_forms_people_type(text: str, expected: time) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "24", "24:00", "25", "9:60", "9:5", "13pm", "0am", "9 o'clock", "noon", "9:00:00"]
    + ["-1", "9.30", "٩", "9pmm", "x" * 500, "9\n00"],
)
def test_anything_else_is_refused_on_one_line(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_hours(text)
    message = str(refused.value)
    assert "is not a time of day" in message
    assert "\n" not in message
    assert len(message) < 100


# zones


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe", "", "   ", "Europe/Berlin" * 50])
def test_an_unknown_zone_is_refused(zone: str) -> None:
    with pytest.raises(ValidationError) as refused:
        WorkingHours(zone, time(9), time(17))
    assert "use an IANA name such as Europe/Berlin" in str(refused.value)


def test_the_unknown_zone_message_names_the_zone() -> None:
    with pytest.raises(ValidationError) as refused:
        WorkingHours("Europe", time(9), time(17))
    assert str(refused.value) == (
        "unknown time zone 'Europe': use an IANA name such as Europe/Berlin"
    )


def test_showing_windows_in_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValidationError):
        overlap_on(date(2026, 1, 14), MANILA, BERLIN).in_zone("Europe")


# plain overlaps, no daylight saving change nearby


def test_manila_and_chicago_office_hours_never_meet_in_january() -> None:
    # Wed 14 Jan 2026. Manila is UTC+8 all year: 09:00-18:00 = 01:00-10:00 UTC.
    # Chicago is on CST, UTC-6: 08:00-17:00 = 14:00-23:00 UTC.
    # Chicago ends at 23:00 UTC; Manila's next day starts at 01:00 UTC: no overlap.
    overlap = overlap_on(date(2026, 1, 14), MANILA, CHICAGO)
    assert overlap.minutes == 0
    assert overlap.windows == ()
    assert overlap.is_short
    assert suggest_slots(overlap) == []
    assert overlap_on(date(2026, 1, 14), CHICAGO, MANILA).minutes == 0


def test_manila_and_berlin_share_two_hours_in_winter_and_three_in_summer() -> None:
    # Winter, Wed 14 Jan 2026: Berlin CET (UTC+1) 09:00-17:00 = 08:00-16:00 UTC;
    # Manila 01:00-10:00 UTC. Overlap 08:00-10:00 UTC: Berlin 09-11, Manila 16-18.
    winter = overlap_on(date(2026, 1, 14), MANILA, BERLIN)
    assert winter.windows == ((utc(2026, 1, 14, 8), utc(2026, 1, 14, 10)),)
    assert winter.minutes == 120
    assert winter.hours == 2.0
    assert not winter.is_short  # exactly the threshold is enough
    ((begin, end),) = winter.in_zone("Europe/Berlin")
    assert (begin.hour, end.hour) == (9, 11)
    ((begin, end),) = winter.in_zone("Asia/Manila")
    assert (begin.hour, end.hour) == (16, 18)
    # Summer, Wed 15 Jul 2026: Berlin CEST (UTC+2) 09:00-17:00 = 07:00-15:00 UTC.
    # Overlap 07:00-10:00 UTC.
    summer = overlap_on(date(2026, 7, 15), MANILA, BERLIN)
    assert summer.windows == ((utc(2026, 7, 15, 7), utc(2026, 7, 15, 10)),)
    assert summer.minutes == 180


def test_windows_are_utc_aware() -> None:
    overlap = overlap_on(date(2026, 1, 14), MANILA, BERLIN)
    for begin, end in overlap.windows:
        assert begin.utcoffset() == timedelta(0)
        assert end.utcoffset() == timedelta(0)


def test_is_short_uses_the_threshold() -> None:
    day = date(2026, 1, 14)
    assert Overlap(day, SHORT_OVERLAP_MINUTES - 1, ()).is_short
    assert not Overlap(day, SHORT_OVERLAP_MINUTES, ()).is_short
    assert Overlap(day, 90, ()).hours == 1.5


# daylight saving, north


def test_london_and_new_york_around_the_march_2026_clock_changes() -> None:
    # Both 09:00-17:00. The US goes to summer time on Sun 8 Mar 2026 (02:00 local),
    # the UK on Sun 29 Mar 2026 (01:00 UTC).
    #   until 7 Mar:  London GMT 09-17 = 09-17 UTC; New York EST (UTC-5) = 14-22 UTC
    #                 -> overlap 14:00-17:00 UTC = 3 h
    #   8-28 Mar:     London still 09-17 UTC; New York EDT (UTC-4) = 13-21 UTC
    #                 -> overlap 13:00-17:00 UTC = 4 h
    #   from 29 Mar:  London BST (UTC+1) = 08-16 UTC; New York 13-21 UTC
    #                 -> overlap 13:00-16:00 UTC = 3 h
    week = overlap_week(date(2026, 3, 5), LONDON, NEW_YORK, weekdays_only=False)
    assert [(o.day.day, o.minutes) for o in week] == [
        (5, 180),
        (6, 180),
        (7, 180),
        (8, 240),  # the US change happens at 02:00, before anyone starts work
        (9, 240),
        (10, 240),
        (11, 240),
    ]
    assert week[0].windows == ((utc(2026, 3, 5, 14), utc(2026, 3, 5, 17)),)
    assert week[4].windows == ((utc(2026, 3, 9, 13), utc(2026, 3, 9, 17)),)

    week = overlap_week(date(2026, 3, 26), LONDON, NEW_YORK, weekdays_only=False)
    assert [(o.day.day, o.minutes) for o in week] == [
        (26, 240),
        (27, 240),
        (28, 240),
        (29, 180),
        (30, 180),
        (31, 180),
        (1, 180),
    ]
    assert week[4].windows == ((utc(2026, 3, 30, 13), utc(2026, 3, 30, 16)),)
    # In London the short weeks and the long ones both end at 17:00 local time.
    ((_, end),) = week[4].in_zone("Europe/London")
    assert end.hour == 17


def test_a_working_week_leaves_out_saturday_and_sunday() -> None:
    # Mon 2 Mar 2026 to Sun 8 Mar: five working days, all before the US change.
    week = overlap_week(date(2026, 3, 2), LONDON, NEW_YORK)
    assert [o.day for o in week] == [date(2026, 3, d) for d in range(2, 7)]
    assert {o.minutes for o in week} == {180}
    # Mon 9 Mar onwards: the gap is 4 hours, not 5.
    week = overlap_week(date(2026, 3, 9), LONDON, NEW_YORK)
    assert [o.minutes for o in week] == [240] * 5


# daylight saving, south


SYDNEY = hours("Australia/Sydney", "09:00", "18:00")
BERLIN_EARLY = hours("Europe/Berlin", "08:00", "17:00")


@pytest.mark.parametrize(
    ("day", "window", "minutes"),
    [
        # Jan: Sydney AEDT (UTC+11) 09-18 = 22:00 (day before)-07:00 UTC; Berlin CET
        # (UTC+1) 08-17 = 07:00-16:00 UTC. They touch at 07:00: nothing shared.
        (date(2026, 1, 14), None, 0),
        # 1 Apr: Berlin is on CEST (UTC+2) since 29 Mar, 06:00-15:00 UTC; Sydney is
        # still on AEDT until 5 Apr, until 07:00 UTC. Overlap 06:00-07:00 UTC.
        (date(2026, 4, 1), (6, 7), 60),
        # Jul: Sydney AEST (UTC+10) 09-18 = 23:00 (day before)-08:00 UTC; Berlin CEST
        # 06:00-15:00 UTC. Overlap 06:00-08:00 UTC.
        (date(2026, 7, 15), (6, 8), 120),
        # 14 Oct: Sydney back on AEDT since 4 Oct (until 07:00 UTC), Berlin on CEST
        # until 25 Oct (from 06:00 UTC). Overlap 06:00-07:00 UTC.
        (date(2026, 10, 14), (6, 7), 60),
        # 28 Oct: Berlin back on CET (from 07:00 UTC): nothing shared again.
        (date(2026, 10, 28), None, 0),
    ],
)
def test_sydney_and_berlin_move_their_clocks_in_opposite_seasons(
    day: date, window: tuple[int, int] | None, minutes: int
) -> None:
    overlap = overlap_on(day, BERLIN_EARLY, SYDNEY)
    assert overlap.minutes == minutes
    if window is None:
        assert overlap.windows == ()
    else:
        begin, end = window
        assert overlap.windows == (
            (utc(day.year, day.month, day.day, begin), utc(day.year, day.month, day.day, end)),
        )


def test_across_the_date_line_their_next_day_is_the_one_that_overlaps() -> None:
    # Mon 12 Jan 2026. Los Angeles PST (UTC-8) 09-17 = Mon 17:00 - Tue 01:00 UTC.
    # Sydney's Monday 09-17 AEDT (UTC+11) = Sun 22:00 - Mon 06:00 UTC: no overlap,
    # but Sydney's Tuesday = Mon 22:00 - Tue 06:00 UTC: overlap Mon 22:00 - Tue 01:00 UTC,
    # which is Monday 14:00-17:00 in Los Angeles and Tuesday 09:00-12:00 in Sydney.
    los_angeles = hours("America/Los_Angeles", "9", "5pm")
    sydney = hours("Australia/Sydney", "9", "5pm")
    overlap = overlap_on(date(2026, 1, 12), los_angeles, sydney)
    assert overlap.windows == ((utc(2026, 1, 12, 22), utc(2026, 1, 13, 1)),)
    assert overlap.minutes == 180
    ((begin, end),) = overlap.in_zone("America/Los_Angeles")
    assert (begin.day, begin.hour, end.hour) == (12, 14, 17)
    ((begin, end),) = overlap.in_zone("Australia/Sydney")
    assert (begin.day, begin.hour, end.hour) == (13, 9, 12)
    # Seen from Sydney, it is the same window on Sydney's Tuesday.
    assert overlap_on(date(2026, 1, 13), sydney, los_angeles).windows == overlap.windows
    # Los Angeles' Friday meets Sydney's Saturday, which is not a working day.
    friday = date(2026, 1, 16)
    assert overlap_on(friday, los_angeles, sydney).minutes == 180
    assert overlap_on(friday, los_angeles, sydney, weekdays_only=True).minutes == 0
    week = overlap_week(date(2026, 1, 12), los_angeles, sydney)
    assert [o.minutes for o in week] == [180, 180, 180, 180, 0]


# overnight shifts


def test_a_manila_night_shift_covers_the_chicago_day() -> None:
    # Wed 14 Jan 2026. Manila 22:00-07:00 (UTC+8) = Wed 14:00 - Wed 23:00 UTC.
    # Chicago 08:00-17:00 CST = 14:00-23:00 UTC. They coincide: 9 hours.
    night = hours("Asia/Manila", "10pm", "7am")
    assert night.overnight
    assert night.span(date(2026, 1, 14)) == (utc(2026, 1, 14, 14), utc(2026, 1, 14, 23))
    overlap = overlap_on(date(2026, 1, 14), CHICAGO, night)
    assert overlap.windows == ((utc(2026, 1, 14, 14), utc(2026, 1, 14, 23)),)
    assert overlap.minutes == 9 * 60
    # The same shift seen from Manila's side, on the date it starts.
    assert overlap_on(date(2026, 1, 14), night, CHICAGO).minutes == 9 * 60


def test_an_overnight_shift_over_a_clock_change_is_an_hour_shorter_or_longer() -> None:
    night = hours("America/New_York", "22:00", "06:00")
    # Sat 7 Mar 2026 22:00 EST (UTC-5) = Sun 03:00 UTC; Sun 06:00 EDT (UTC-4) = 10:00 UTC.
    begin, end = night.span(date(2026, 3, 7))
    assert (begin, end) == (utc(2026, 3, 8, 3), utc(2026, 3, 8, 10))
    # Sat 31 Oct 2026 22:00 EDT = Sun 02:00 UTC; Sun 06:00 EST = 11:00 UTC.
    begin, end = night.span(date(2026, 10, 31))
    assert end - begin == timedelta(hours=9)


def test_a_shift_ending_at_midnight_runs_to_the_end_of_its_day() -> None:
    evening = hours("Europe/London", "16:00", "00:00")
    assert evening.span(date(2026, 1, 14)) == (utc(2026, 1, 14, 16), utc(2026, 1, 15, 0))


def test_equal_start_and_end_is_a_full_day_and_days_join_up() -> None:
    # A round-the-clock desk meets all of our 8-hour day, as one window.
    desk = hours("Asia/Manila", "00:00", "00:00")
    assert desk.span(date(2026, 1, 14)) == (utc(2026, 1, 13, 16), utc(2026, 1, 14, 16))
    overlap = overlap_on(date(2026, 1, 14), LONDON, desk)
    assert overlap.windows == ((utc(2026, 1, 14, 9), utc(2026, 1, 14, 17)),)


# half-hour offsets


def test_kolkata_half_hour_offset() -> None:
    # Jan: Kolkata (UTC+5:30) 09:00-18:00 = 03:30-12:30 UTC; London GMT 09:00-17:00 UTC.
    # Overlap 09:00-12:30 UTC = 210 min: 14:30-18:00 in Kolkata.
    winter = overlap_on(date(2026, 1, 14), LONDON, KOLKATA)
    assert winter.windows == ((utc(2026, 1, 14, 9), utc(2026, 1, 14, 12, 30)),)
    assert winter.minutes == 210
    ((begin, end),) = winter.in_zone("Asia/Kolkata")
    assert (begin.time(), end.time()) == (time(14, 30), time(18, 0))
    # Jul: London BST 08:00-16:00 UTC -> overlap 08:00-12:30 UTC = 270 min.
    assert overlap_on(date(2026, 7, 15), LONDON, KOLKATA).minutes == 270
    # New York in Jan (14:00-22:00 UTC) never meets it.
    assert overlap_on(date(2026, 1, 14), NEW_YORK, KOLKATA).minutes == 0


# meeting slots


def test_slots_start_at_the_overlap_and_stay_inside() -> None:
    overlap = overlap_on(date(2026, 1, 14), MANILA, BERLIN)  # 08:00-10:00 UTC
    assert suggest_slots(overlap) == [
        (utc(2026, 1, 14, 8, 0), utc(2026, 1, 14, 8, 30)),
        (utc(2026, 1, 14, 8, 30), utc(2026, 1, 14, 9, 0)),
        (utc(2026, 1, 14, 9, 0), utc(2026, 1, 14, 9, 30)),
    ]
    assert suggest_slots(overlap, length_minutes=60, count=5) == [
        (utc(2026, 1, 14, 8), utc(2026, 1, 14, 9)),
        (utc(2026, 1, 14, 9), utc(2026, 1, 14, 10)),
    ]
    # A 45-minute meeting: the second starts on the next half hour, 09:00 not 08:45.
    assert suggest_slots(overlap, length_minutes=45, count=5) == [
        (utc(2026, 1, 14, 8, 0), utc(2026, 1, 14, 8, 45)),
        (utc(2026, 1, 14, 9, 0), utc(2026, 1, 14, 9, 45)),
    ]
    assert suggest_slots(overlap, length_minutes=120, count=3) == [
        (utc(2026, 1, 14, 8), utc(2026, 1, 14, 10)),
    ]
    assert suggest_slots(overlap, length_minutes=121) == []
    assert suggest_slots(overlap, count=0) == []


def test_slots_move_to_the_half_hour_when_the_overlap_starts_off_it() -> None:
    # London 08:45-17:00 GMT vs Kolkata 03:30-12:30 UTC: overlap 08:45-12:30 UTC.
    early = hours("Europe/London", "08:45", "17:00")
    overlap = overlap_on(date(2026, 1, 14), early, KOLKATA)
    assert overlap.windows == ((utc(2026, 1, 14, 8, 45), utc(2026, 1, 14, 12, 30)),)
    slots = suggest_slots(overlap)
    assert slots[0] == (utc(2026, 1, 14, 9, 0), utc(2026, 1, 14, 9, 30))
    assert [begin.minute for begin, _ in slots] == [0, 30, 0]


def test_a_slot_starts_off_the_half_hour_only_when_nothing_else_fits() -> None:
    day = date(2026, 1, 14)
    overlap = Overlap(day, 35, ((utc(2026, 1, 14, 12, 10), utc(2026, 1, 14, 12, 45)),))
    # 12:30 + 30 min would run past 12:45, so the slot starts where the overlap does.
    assert suggest_slots(overlap) == [(utc(2026, 1, 14, 12, 10), utc(2026, 1, 14, 12, 40))]


def test_slots_can_follow_the_half_hour_of_a_quarter_hour_zone() -> None:
    # Kathmandu is UTC+5:45: 09:00 UTC is 14:45 there, so its next half hour is 09:15 UTC.
    day = date(2026, 1, 14)
    overlap = Overlap(day, 120, ((utc(2026, 1, 14, 9), utc(2026, 1, 14, 11)),))
    slots = suggest_slots(overlap, count=2, zone="Asia/Kathmandu")
    assert slots == [
        (utc(2026, 1, 14, 9, 15), utc(2026, 1, 14, 9, 45)),
        (utc(2026, 1, 14, 9, 45), utc(2026, 1, 14, 10, 15)),
    ]


def test_slots_are_taken_from_each_window_in_turn() -> None:
    day = date(2026, 1, 14)
    windows = (
        (utc(2026, 1, 14, 8), utc(2026, 1, 14, 8, 30)),
        (utc(2026, 1, 14, 20), utc(2026, 1, 14, 21)),
    )
    overlap = Overlap(day, 90, windows)
    assert suggest_slots(overlap) == [
        (utc(2026, 1, 14, 8, 0), utc(2026, 1, 14, 8, 30)),
        (utc(2026, 1, 14, 20, 0), utc(2026, 1, 14, 20, 30)),
        (utc(2026, 1, 14, 20, 30), utc(2026, 1, 14, 21, 0)),
    ]


@pytest.mark.parametrize(("length", "count"), [(0, 3), (-30, 3), (30, -1)])
def test_a_meeting_needs_a_length_and_a_count(length: int, count: int) -> None:
    overlap = overlap_on(date(2026, 1, 14), MANILA, BERLIN)
    with pytest.raises(ValidationError):
        suggest_slots(overlap, length_minutes=length, count=count)
