"""The contract clock: month arithmetic, term chaining and notice deadlines, checked by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from outsource_tui.domain.contract import (
    ContractState,
    ContractTerms,
    Renewal,
    add_months,
    clock,
)
from outsource_tui.errors import ValidationError

# add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 11, 15), 14, date(2028, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_add_months_off_the_calendar_is_refused() -> None:
    with pytest.raises(ValidationError):
        add_months(date(9999, 6, 1), 12)


# term chaining


def test_monthly_terms_from_31_january_do_not_drift_to_the_28th() -> None:
    terms = ContractTerms(date(2024, 1, 31), 1, Renewal.AUTOMATIC, renewal_months=1)
    starts = [terms.term_start(n) for n in range(1, 8)]
    assert starts == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),  # not 29 March, as adding a month to 29 Feb would give
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
        date(2024, 7, 31),
    ]
    # 15 May 2025 is 15 months on: term 16 runs from 30 April to 30 May 2025.
    seen = clock(terms, date(2025, 5, 15))
    assert seen.term_number == 16
    assert (seen.term_start, seen.term_end) == (date(2025, 4, 30), date(2025, 5, 30))
    assert seen.next_renewal == date(2025, 5, 31)


def test_yearly_terms_from_29_february_come_back_to_the_29th_in_leap_years() -> None:
    terms = ContractTerms(date(2020, 2, 29), 12, Renewal.AUTOMATIC)
    # Terms start 28 Feb in 2021-2023 and again on 29 Feb 2024.
    assert [terms.term_start(n) for n in range(1, 7)] == [
        date(2020, 2, 29),
        date(2021, 2, 28),
        date(2022, 2, 28),
        date(2023, 2, 28),
        date(2024, 2, 29),
        date(2025, 2, 28),
    ]
    on_the_28th = clock(terms, date(2024, 2, 28))
    assert on_the_28th.term_number == 4
    assert on_the_28th.term_end == date(2024, 2, 28)
    assert clock(terms, date(2024, 2, 29)).term_number == 5


def test_a_yearly_auto_renewal_seen_five_years_later() -> None:
    # Started 1 Mar 2021, 12 months, renewing for 12 months, 90 days' notice.
    # Terms: 2021-03-01, 2022-03-01, ..., 2026-03-01: on 15 Mar 2026 we are in term 6,
    # which ends on 28 Feb 2027. 90 days before 28 Feb 2027: 29 Jan (30 days),
    # 30 Dec (60), 30 Nov 2026 (90). Decide 30 days before that: 31 Oct 2026.
    # From 15 Mar to 31 Oct: 16 + 30 + 31 + 30 + 31 + 31 + 30 + 31 = 230 days.
    terms = ContractTerms(date(2021, 3, 1), 12, Renewal.AUTOMATIC, notice_days=90)
    seen = clock(terms, date(2026, 3, 15))
    assert seen.term_number == 6
    assert seen.term_start == date(2026, 3, 1)
    assert seen.term_end == date(2027, 2, 28)
    assert seen.last_notice_day == date(2026, 11, 30)
    assert seen.decide_by == date(2026, 10, 31)
    assert seen.days_to_decide == 230
    assert seen.state is ContractState.RUNNING
    assert seen.next_renewal == date(2027, 3, 1)
    assert seen.notice_opens is None
    assert (seen.next_exit_date, seen.next_exit_notice_day) == (
        date(2027, 2, 28),
        date(2026, 11, 30),
    )


def test_a_long_chain_of_short_terms_is_exact() -> None:
    # 3-month initial term, then 6-month renewals, from 31 Aug 2000. 31 Aug 2030 is
    # 360 months on: 3 + 59 * 6 = 357, 3 + 60 * 6 = 363, so term 61 started 31 May 2030
    # and term 62 starts 363 months on, in November, which has 30 days: on the 30th.
    terms = ContractTerms(date(2000, 8, 31), 3, Renewal.AUTOMATIC, renewal_months=6)
    seen = clock(terms, date(2030, 8, 31))
    assert seen.term_number == 61
    assert seen.term_start == date(2030, 5, 31)
    assert seen.term_end == date(2030, 11, 29)
    assert terms.term_start(63) == date(2031, 5, 31)


# the deadlines


YEAR_FROM_JAN_2024 = ContractTerms(date(2024, 1, 1), 12, Renewal.AUTOMATIC, notice_days=90)


def test_a_missed_notice_means_another_term_and_says_when_the_next_exit_is() -> None:
    # Term 1 ends 31 Dec 2024. 90 days before: 1 Dec (30), 1 Nov (60), 2 Oct (90).
    # Decide by 2 Sep. On 15 Oct the notice day has gone: the contract renews on
    # 1 Jan 2025; the next way out is the end of 2025, with notice by 2 Oct 2025.
    seen = clock(YEAR_FROM_JAN_2024, date(2024, 10, 15))
    assert seen.state is ContractState.MISSED
    assert seen.last_notice_day == date(2024, 10, 2)
    assert seen.decide_by == date(2024, 9, 2)
    assert seen.days_to_decide == -43  # 2 Sep to 2 Oct is 30 days, then 13 more
    assert seen.next_renewal == date(2025, 1, 1)
    assert seen.next_exit_date == date(2025, 12, 31)
    assert seen.next_exit_notice_day == date(2025, 10, 2)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2023, 12, 1), ContractState.RUNNING),  # before the contract starts
        (date(2024, 9, 1), ContractState.RUNNING),
        (date(2024, 9, 2), ContractState.DECIDE_NOW),  # decide-by day itself
        (date(2024, 10, 2), ContractState.DECIDE_NOW),  # last notice day itself
        (date(2024, 10, 3), ContractState.MISSED),
        (date(2024, 12, 31), ContractState.MISSED),
        (date(2025, 1, 1), ContractState.RUNNING),  # a new term, a new clock
    ],
)
def test_the_state_changes_on_the_right_days(today: date, state: ContractState) -> None:
    assert clock(YEAR_FROM_JAN_2024, today).state is state


def test_before_the_start_the_first_term_is_shown() -> None:
    seen = clock(YEAR_FROM_JAN_2024, date(2023, 12, 1))
    assert (seen.term_number, seen.term_start, seen.term_end) == (
        1,
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


WINDOWED = ContractTerms(
    date(2024, 1, 1),
    12,
    Renewal.AUTOMATIC,
    notice_days=90,
    window_earliest_days=180,
    window_latest_days=90,
)


def test_a_notice_window_not_yet_open() -> None:
    # Term ends 31 Dec 2024. 180 days before: Jul has 27 days left after the 4th,
    # then 31 + 30 + 31 + 30 + 31 = 153: 27 + 153 = 180, so the window opens 4 Jul.
    # It closes 2 Oct (90 days before); decide by 2 Sep.
    seen = clock(WINDOWED, date(2024, 6, 1))
    assert seen.notice_opens == date(2024, 7, 4)
    assert seen.last_notice_day == date(2024, 10, 2)
    assert seen.decide_by == date(2024, 9, 2)
    assert seen.state is ContractState.RUNNING
    assert not seen.in_notice_window(date(2024, 6, 1))
    assert not seen.in_notice_window(date(2024, 7, 3))
    assert seen.in_notice_window(date(2024, 7, 4))
    assert seen.in_notice_window(date(2024, 10, 2))
    assert not seen.in_notice_window(date(2024, 10, 3))


def test_a_lead_time_longer_than_the_window_says_wait_for_it_to_open() -> None:
    # The window is 4 Jul - 2 Oct (90 days); 120 days to decide puts decide-by at
    # 4 Jun (2 Oct back 30 days four times: 2 Sep, 3 Aug, 4 Jul, 4 Jun).
    terms = ContractTerms(
        date(2024, 1, 1),
        12,
        Renewal.AUTOMATIC,
        notice_days=90,
        window_earliest_days=180,
        lead_days=120,
    )
    assert clock(terms, date(2024, 6, 3)).state is ContractState.RUNNING
    waiting = clock(terms, date(2024, 6, 20))
    assert waiting.decide_by == date(2024, 6, 4)
    assert waiting.state is ContractState.NOTICE_WINDOW_NOT_OPEN
    assert waiting.days_to_decide == -16
    assert clock(terms, date(2024, 7, 4)).state is ContractState.DECIDE_NOW


def test_manual_renewal_ends_unless_renewed() -> None:
    # 1 Apr 2025 for 12 months: ends 31 Mar 2026. 60 days before: 1 Mar (30),
    # then February 2026 has 28 days: 1 Feb (58), 30 Jan (60). Decide by 31 Dec 2025.
    terms = ContractTerms(date(2025, 4, 1), 12, Renewal.MANUAL, notice_days=60)
    deciding = clock(terms, date(2026, 1, 10))
    assert deciding.state is ContractState.DECIDE_NOW
    assert deciding.last_notice_day == date(2026, 1, 30)
    assert deciding.decide_by == date(2025, 12, 31)
    assert deciding.next_renewal == date(2026, 4, 1)  # only if a renewal is agreed
    assert deciding.next_exit_date == date(2026, 3, 31)
    assert deciding.next_exit_notice_day is None  # it stops by itself
    assert clock(terms, date(2026, 2, 15)).state is ContractState.MISSED
    ended = clock(terms, date(2026, 4, 1))
    assert ended.state is ContractState.ENDED
    assert ended.term_number == 1  # a manual renewal is not assumed to have happened
    assert ended.next_renewal is None
    assert ended.next_exit_date is None


def test_no_renewal_runs_to_its_end_and_then_ends() -> None:
    # 15 Jun 2023 for 6 months: the last day is 14 Dec 2023.
    terms = ContractTerms(date(2023, 6, 15), 6, Renewal.NONE)
    running = clock(terms, date(2023, 7, 1))
    assert running.state is ContractState.RUNNING
    assert running.term_end == date(2023, 12, 14)
    assert running.last_notice_day == date(2023, 12, 14)  # no notice period
    assert running.decide_by == date(2023, 11, 14)
    assert running.next_renewal is None
    assert running.next_exit_date == date(2023, 12, 14)
    assert clock(terms, date(2023, 12, 14)).state is ContractState.DECIDE_NOW
    ended = clock(terms, date(2024, 1, 1))
    assert ended.state is ContractState.ENDED
    assert ended.next_renewal is None
    assert ended.next_exit_date is None


def test_a_notice_period_longer_than_a_term_skips_to_the_first_exit_still_possible() -> None:
    # Monthly terms from 1 Jan 2026 with 45 days' notice. On 1 Feb 2026 (term 2,
    # ending 28 Feb) the last notice day was 14 Jan: missed. Term 3 ends 31 Mar with
    # notice by 14 Feb: still possible.
    terms = ContractTerms(date(2026, 1, 1), 1, Renewal.AUTOMATIC, renewal_months=1, notice_days=45)
    seen = clock(terms, date(2026, 2, 1))
    assert seen.term_number == 2
    assert seen.last_notice_day == date(2026, 1, 14)
    assert seen.state is ContractState.MISSED
    assert (seen.next_exit_date, seen.next_exit_notice_day) == (
        date(2026, 3, 31),
        date(2026, 2, 14),
    )


def test_renewal_can_be_given_as_text() -> None:
    terms = ContractTerms(date(2026, 1, 1), 12, " Automatic ")  # type: ignore[arg-type]
    assert terms.renewal is Renewal.AUTOMATIC


# refused terms


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"initial_months": 0}, "the first term must be at least one month"),
        ({"renewal_months": 0}, "a renewal term must be at least one month"),
        ({"notice_days": -1}, "the notice period cannot be a negative number of days"),
        ({"lead_days": -5}, "the time needed to decide cannot be a negative number of days"),
        ({"window_earliest_days": -1}, "the earliest notice cannot be a negative number"),
        ({"window_latest_days": -1}, "the latest notice cannot be a negative number"),
        (
            {"window_earliest_days": 30, "window_latest_days": 60},
            "the notice window opens 30 days before the end, after it closes (60 days before)",
        ),
        (
            {"notice_days": 90, "window_earliest_days": 60},
            "the notice window opens 60 days before the end, after it closes (90 days before)",
        ),
        ({"notice_days": 90, "window_latest_days": 60}, "inside the 90-day notice period"),
        ({"notice_days": 10**6}, "the notice period can be at most 36600 days"),
        ({"initial_months": 1.5}, "the first term must be a whole number"),
        ({"notice_days": True}, "the notice period must be a whole number"),
        ({"renewal": "sometimes"}, "unknown renewal 'sometimes': use one of none, automatic"),
        ({"start": datetime(2026, 1, 1, 9)}, "a contract start must be a date"),
        ({"start": "2026-01-01"}, "a contract start must be a date"),
        ({"initial_months": 10**6}, "off the calendar"),
    ],
)
def test_invalid_terms_are_refused(kwargs: dict, message: str) -> None:
    fields = {"start": date(2026, 1, 1), "initial_months": 12, "renewal": Renewal.AUTOMATIC}
    with pytest.raises(ValidationError) as refused:
        ContractTerms(**(fields | kwargs))
    assert message in str(refused.value)


def test_today_must_be_a_date() -> None:
    with pytest.raises(ValidationError):
        clock(YEAR_FROM_JAN_2024, datetime(2024, 5, 1, 12))  # type: ignore[arg-type]


# the ends of the calendar: 0001-01-01 to 9999-12-31

YEAR_ONE = date(1, 1, 1)


def _2000_years_back(day: date | None) -> tuple[int, int, int] | None:
    return None if day is None else (day.year - 2000, day.month, day.day)


def _as_tuple(day: date | None) -> tuple[int, int, int] | None:
    return None if day is None else (day.year, day.month, day.day)


@pytest.mark.parametrize("renewal", list(Renewal))
@pytest.mark.parametrize("start", [YEAR_ONE, date(1, 1, 31), date(1, 12, 31), date(2, 2, 28)])
@pytest.mark.parametrize(
    "periods",
    [
        {"initial_months": 1, "renewal_months": 1, "notice_days": 30},
        {"initial_months": 1, "notice_days": 0, "lead_days": 400},
        {"initial_months": 12, "notice_days": 90, "window_earliest_days": 180},
        {"initial_months": 12, "notice_days": 400},
        {"initial_months": 36, "renewal_months": 1, "notice_days": 45, "lead_days": 90},
    ],
)
def test_a_contract_from_year_one_is_refused_or_worked_out_exactly(
    renewal: Renewal, start: date, periods: dict
) -> None:
    # The calendar repeats every 400 years, so the same contract 2000 years later is the
    # reference: same weekdays, same leap days, and every deadline is on the calendar.
    later = ContractTerms(start.replace(year=start.year + 2000), renewal=renewal, **periods)
    try:
        terms = ContractTerms(start, renewal=renewal, **periods)
    except ValidationError as refused:
        assert "before 0001-01-01 where the calendar begins" in str(refused)
        seen_later = clock(later, later.start)
        earliest = min(seen_later.decide_by, seen_later.notice_opens or date.max)
        assert _2000_years_back(earliest) < (1, 1, 1)  # type: ignore[operator]
        return
    for today in (YEAR_ONE, date(1, 2, 15), date(1, 11, 1), date(2, 6, 1), date(30, 3, 1)):
        seen = clock(terms, today)
        expected = clock(later, today.replace(year=today.year + 2000))
        assert seen.state is expected.state
        assert seen.term_number == expected.term_number
        for name in ("term_start", "term_end", "last_notice_day", "decide_by", "notice_opens"):
            assert _as_tuple(getattr(seen, name)) == _2000_years_back(getattr(expected, name)), name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"initial_months": 1, "notice_days": 60},
            "the last notice day of the first term would be 60 days before 0001-01-31,"
            " before 0001-01-01 where the calendar begins: check the start date",
        ),
        ({"initial_months": 12, "lead_days": 400}, "the first decide-by date would be 400 days"),
        ({"initial_months": 1, "window_earliest_days": 31}, "the notice window of the first"),
        ({"initial_months": 1, "renewal": Renewal.NONE, "lead_days": 31}, "before 0001-01-01"),
        ({"initial_months": 1, "renewal": Renewal.MANUAL, "lead_days": 31}, "before 0001-01-01"),
    ],
)
def test_deadlines_before_year_one_are_refused_when_the_terms_are_set(
    kwargs: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ContractTerms(**({"start": YEAR_ONE, "renewal": Renewal.AUTOMATIC} | kwargs))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_first_day_of_the_calendar_is_a_deadline_like_any_other() -> None:
    # 1 Jan to 31 Jan of year 1: 30 days before the end is the very first day.
    terms = ContractTerms(YEAR_ONE, 1, Renewal.NONE, notice_days=30, lead_days=0)
    seen = clock(terms, YEAR_ONE)
    assert (seen.last_notice_day, seen.decide_by) == (YEAR_ONE, YEAR_ONE)
    assert seen.state is ContractState.DECIDE_NOW
    assert clock(terms, date(2026, 3, 1)).state is ContractState.ENDED


@pytest.mark.parametrize(
    ("start", "renewal_months", "message"),
    [
        (date(9998, 6, 1), 12, "a 12-month renewal from 9999-06-01 runs past 9999-12-31"),
        (date(2026, 1, 1), 10**6, "a 1000000-month renewal from 2027-01-01 runs past 9999-12-31"),
        (date(2026, 1, 1), 10**30, "runs past 9999-12-31, the end of the calendar"),
    ],
)
def test_an_automatic_renewal_past_9999_is_refused_when_the_terms_are_set(
    start: date, renewal_months: int, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ContractTerms(start, 12, Renewal.AUTOMATIC, renewal_months=renewal_months)
    assert message in str(refused.value)
    # Without automatic renewal only the first term is ever worked out.
    ContractTerms(start, 12, Renewal.MANUAL, renewal_months=renewal_months)


def test_near_9999_the_clock_says_the_calendar_has_ended_or_leaves_the_exit_out() -> None:
    # Terms from 1 Jan 9997: term 3 would end on the day before 1 Jan 10000.
    terms = ContractTerms(date(9997, 1, 1), 12, Renewal.AUTOMATIC, notice_days=90)
    running = clock(terms, date(9998, 6, 1))
    assert (running.term_number, running.term_end) == (2, date(9998, 12, 31))
    assert running.next_exit_date == date(9998, 12, 31)
    # Notice for term 2 missed: it renews, and the next exit would be past the calendar.
    missed = clock(terms, date(9998, 11, 1))
    assert missed.state is ContractState.MISSED
    assert missed.next_renewal == date(9999, 1, 1)
    assert (missed.next_exit_date, missed.next_exit_notice_day) == (None, None)
    with pytest.raises(ValidationError) as refused:
        clock(terms, date(9999, 6, 1))
    assert str(refused.value) == (
        "term 4 of the contract would start after 9999-12-31, the end of the calendar"
    )
