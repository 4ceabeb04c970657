"""The scheduling rules added for the shell: series/once validation, merging, reminders, roster."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.recurrence import Cadence, Schedule, build_rrule, one_off
from bot.domain.schedule_rules import (
    first_gap_session,
    lead_minutes,
    meant_date,
    next_across,
    one_off_dates_of,
    reminder_plan,
    roster,
    series_start,
    still_ahead,
    to_plan,
    upcoming_across,
    validate_move,
    validate_once,
    validate_series,
    validate_skip,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def tuesdays(zone: str = "Europe/London") -> Schedule:
    return Schedule(
        rrule=build_rrule(Cadence.WEEKLY, 1),
        local_time=time(19, 0),
        starts=date(2026, 11, 1),
        until=None,
        duration_minutes=90,
        zone=zone,
    )


def test_validate_series() -> None:
    today = date(2026, 11, 23)
    assert validate_series(today, None, today) is None
    assert validate_series(date(2026, 11, 22), None, today) == "starts_in_past"
    assert validate_series(today, date(2026, 11, 22), today) == "until_before_starts"
    assert validate_series(today, today, today) is None


def test_validate_once_past_and_clash() -> None:
    series = tuesdays()
    zone = "Europe/London"
    assert validate_once(date(2026, 11, 20), time(10), 60, zone, NOW, None, []) == "in_the_past"
    # Wednesday 25 Nov 18:00 for 90 minutes does not clash; overlapping a one-off does.
    single = one_off(date(2026, 11, 25), time(18), 90, zone)
    assert validate_once(date(2026, 11, 26), time(0), 60, zone, NOW, series, [single]) is None
    late = one_off(date(2026, 11, 24), time(23), 120, zone)
    assert validate_once(date(2026, 11, 25), time(0), 60, zone, NOW, None, [late]) == "clash"


def test_validate_once_refuses_a_date_already_used() -> None:
    zone = "Europe/London"
    single = one_off(date(2026, 12, 3), time(9), 60, zone)
    assert validate_once(date(2026, 12, 3), time(19), 60, zone, NOW, None, [single]) == (
        "once_taken"
    )
    series = tuesdays()
    assert validate_once(date(2026, 11, 24), time(8), 60, zone, NOW, series, []) == "series_day"
    moved = replace(series, moves={date(2026, 12, 1): (date(2026, 12, 3), time(19))})
    assert validate_once(date(2026, 12, 1), time(8), 60, zone, NOW, moved, []) == "series_day"
    skipped = replace(series, skips=frozenset({date(2026, 11, 24)}))
    assert validate_once(date(2026, 11, 24), time(8), 60, zone, NOW, skipped, []) is None


def test_one_off_dates_of_a_new_series() -> None:
    onces = [
        one_off(date(2026, 12, 8), time(10, 0), 90, "Europe/London"),  # a Tuesday
        one_off(date(2026, 12, 1), time(19, 0), 90, "Europe/London"),  # a Tuesday
        one_off(date(2026, 12, 3), time(19, 0), 90, "Europe/London"),  # a Thursday
        one_off(date(2026, 10, 27), time(19, 0), 90, "Europe/London"),  # before starts
    ]
    assert one_off_dates_of(tuesdays(), onces) == [date(2026, 12, 1), date(2026, 12, 8)]
    ended = replace(tuesdays(), until=date(2026, 12, 5))
    assert one_off_dates_of(ended, onces) == [date(2026, 12, 1)]
    assert one_off_dates_of(tuesdays(), []) == []


def test_upcoming_across_merges_series_and_one_offs_in_order() -> None:
    single = one_off(date(2026, 11, 26), time(10), 60, "Europe/London")
    found = upcoming_across([tuesdays(), single], NOW, 3)
    assert [i for i, _ in found] == [0, 1, 0]
    assert [o.start_utc for _, o in found] == [
        datetime(2026, 11, 24, 19, tzinfo=UTC),
        datetime(2026, 11, 26, 10, tzinfo=UTC),
        datetime(2026, 12, 1, 19, tzinfo=UTC),
    ]
    assert next_across([], NOW) is None
    assert next_across([single], datetime(2026, 12, 1, tzinfo=UTC)) is None


def test_held_dates_are_not_ahead_any_more() -> None:
    """A session started early (still in the future by the clock) is not next again."""
    single = one_off(date(2026, 11, 26), time(10), 60, "Europe/London")
    held = {date(2026, 11, 24), date(2026, 11, 26)}
    found = upcoming_across([tuesdays(), single], NOW, 2, held)
    assert [o.original_date for _, o in found] == [date(2026, 12, 1), date(2026, 12, 8)]
    (index, occ) = next_across([tuesdays(), single], NOW, {date(2026, 11, 24)}) or ()
    assert (index, occ.original_date) == (1, date(2026, 11, 26))
    assert next_across([single], NOW, {date(2026, 11, 26)}) is None


def test_dates_at_the_ends_of_the_calendar_get_a_code_not_an_overflow() -> None:
    """9999-12-31 23:00 in New York and 0001-01-01 in Kolkata are outside UTC's range."""
    ny, kolkata = "America/New_York", "Asia/Kolkata"
    last, first = date(9999, 12, 31), date(1, 1, 1)
    assert validate_once(last, time(23), 60, ny, NOW, None, []) == "too_far"
    assert validate_once(first, time(0, 30), 60, kolkata, NOW, None, []) == "in_the_past"
    assert validate_move(tuesdays(ny), date(2026, 11, 24), last, time(23), NOW) == "too_far"
    assert validate_move(tuesdays(kolkata), date(2026, 11, 24), first, time(0), NOW) == (
        "in_the_past"
    )
    today = date(2026, 11, 23)
    assert validate_series(date(9999, 12, 24), None, today) == "too_far"
    assert validate_series(today + timedelta(days=5 * 366), None, today) is None
    assert validate_series(today + timedelta(days=5 * 366 + 1), None, today) == "too_far"


def test_a_started_session_is_neither_skipped_nor_moved() -> None:
    """Started early (held), a session still ahead by the clock is under way all the same."""
    tuesday, today = date(2026, 11, 24), date(2026, 11, 24)
    early = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
    assert validate_skip(tuesdays(), tuesday, today) is None
    assert validate_skip(tuesdays(), tuesday, today, {tuesday}) == "started"
    thursday = date(2026, 11, 26)
    assert validate_move(tuesdays(), tuesday, thursday, time(18), early) is None
    assert validate_move(tuesdays(), tuesday, thursday, time(18), early, (), {tuesday}) == (
        "in_the_past"
    )


def test_a_series_starts_on_its_first_meeting_day() -> None:
    """Fortnightly counts weeks from the first date: it must be a meeting day."""
    wednesday, tuesday = date(2026, 11, 25), date(2026, 12, 1)
    assert series_start(Cadence.FORTNIGHTLY, 1, wednesday) == tuesday
    assert series_start(Cadence.WEEKLY, 1, wednesday) == tuesday
    assert series_start(Cadence.FORTNIGHTLY, 1, tuesday) == tuesday
    assert series_start(Cadence.FORTNIGHTLY, 2, wednesday) == wednesday
    assert series_start(Cadence.MONTHLY, 1, wednesday) == wednesday
    every_other = replace(
        tuesdays(),
        rrule=build_rrule(Cadence.FORTNIGHTLY, 1),
        starts=series_start(Cadence.FORTNIGHTLY, 1, wednesday),
    )
    found = upcoming_across([every_other], NOW, 2)
    assert [o.original_date for _, o in found] == [tuesday, date(2026, 12, 15)]


def test_a_moved_session_is_meant_by_its_new_date() -> None:
    moved = replace(tuesdays(), moves={date(2026, 11, 17): (date(2026, 11, 26), time(18, 30))})
    assert meant_date(moved, date(2026, 11, 26)) == date(2026, 11, 17)
    assert meant_date(moved, date(2026, 11, 24)) == date(2026, 11, 24)  # the rule's own
    assert meant_date(moved, date(2026, 11, 25)) == date(2026, 11, 25)  # nothing there
    skipped = replace(moved, skips=frozenset({date(2026, 11, 17)}))
    assert meant_date(skipped, date(2026, 11, 26)) == date(2026, 11, 26)
    # Moved from last week to this Thursday: still ahead, so it may be skipped.
    today = date(2026, 11, 23)
    assert validate_skip(moved, date(2026, 11, 17), today) is None
    assert validate_skip(tuesdays(), date(2026, 11, 17), today) == "in_the_past"


def test_lead_minutes_group_override_and_fallback() -> None:
    assert lead_minutes(None, [60, 1440]) == [1440, 60]
    assert lead_minutes("30, 120", [1440]) == [120, 30]
    assert lead_minutes("soon", [1440, 60]) == [1440, 60]
    assert lead_minutes("0,-5", [60]) == [60]


def test_reminder_plan_skips_reminders_already_late() -> None:
    start = NOW + timedelta(minutes=90)
    assert reminder_plan(start, [1440, 60], NOW) == [(60, start - timedelta(minutes=60))]
    far = NOW + timedelta(days=3)
    assert [lead for lead, _ in reminder_plan(far, [60, 1440], NOW)] == [1440, 60]
    with pytest.raises(ValueError):
        reminder_plan(far.replace(tzinfo=None), [60], NOW)


@given(
    offset=st.integers(min_value=-3000, max_value=30000),
    leads=st.lists(st.integers(min_value=1, max_value=20160), min_size=1, max_size=4),
)
def test_reminder_plan_properties(offset: int, leads: list[int]) -> None:
    start = NOW + timedelta(minutes=offset)
    plan = reminder_plan(start, leads, NOW)
    dues = [due for _, due in plan]
    assert dues == sorted(dues)
    assert all(NOW < due < start for due in dues)
    assert {lead for lead, _ in plan} == {
        lead for lead in leads if start - timedelta(minutes=lead) > NOW
    }


def test_roster_ignores_ex_members() -> None:
    yes, no, silent = roster([1, 2, 3, 4], {1: "yes", 2: "no", 9: "yes"})
    assert (yes, no, silent) == ([1], [2], [3, 4])


def test_a_move_is_checked_against_one_offs_by_time_not_by_date() -> None:
    """23:30 for 90 minutes runs into a one-off at 00:15 the next day."""
    after_midnight = one_off(date(2026, 11, 26), time(0, 15), 90, "Europe/London")
    tuesday, wednesday = date(2026, 11, 24), date(2026, 11, 25)
    moved = validate_move(tuesdays(), tuesday, wednesday, time(23, 30), NOW, [after_midnight])
    assert moved == "clash"
    assert validate_move(tuesdays(), tuesday, wednesday, time(22), NOW, [after_midnight]) is None


def test_a_session_is_planned_early_enough_for_its_first_reminder() -> None:
    """The plan advances at the end of the earliest planned session: a later session
    whose first reminder falls due before that is planned now, not after."""
    series = tuesdays()
    wednesday = one_off(date(2026, 11, 25), time(10), 90, "Europe/London")
    day = timedelta(hours=24)
    planned = to_plan([series, wednesday], NOW, (), day, None)
    assert [o.original_date for o in planned] == [date(2026, 11, 24), date(2026, 11, 25)]
    assert [o.original_date for o in to_plan([series], NOW, (), day, None)] == [date(2026, 11, 24)]
    # Tuesday's session is due (not started): Wednesday's reminder comes before its end.
    tuesday_end = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    during = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    due = to_plan([series, wednesday], during, (), day, tuesday_end, with_next=False)
    assert [o.original_date for o in due] == [date(2026, 11, 25)]
    assert to_plan([series], during, (), day, tuesday_end, with_next=False) == []
    assert to_plan([series, wednesday], during, (), None, tuesday_end, with_next=False) == []


def test_a_new_series_skips_a_date_that_would_overlap_a_one_off() -> None:
    """Tuesdays at 23:30 for 90 minutes run into a one-off on Wednesday at 00:00."""
    late = replace(tuesdays(), local_time=time(23, 30))
    after_midnight = one_off(date(2026, 11, 25), time(0), 60, "Europe/London")
    assert one_off_dates_of(late, [after_midnight]) == [date(2026, 11, 24)]
    assert one_off_dates_of(tuesdays(), [after_midnight]) == []


def test_to_plan_plans_at_most_its_limit() -> None:
    """A reminder lead longer than many gaps (a 60-day lead, a weekly group) stays bounded."""
    planned = to_plan([tuesdays()], NOW, (), timedelta(days=60), None, limit=4)
    assert len(planned) == 4
    assert len(to_plan([tuesdays()], NOW, (), timedelta(days=60), None)) == 9  # under 10


def test_first_gap_session_looks_a_year_from_the_first_session() -> None:
    sundays = Schedule(
        rrule=build_rrule(Cadence.WEEKLY, 6),
        local_time=time(1, 30),
        starts=date(2028, 12, 3),  # two years ahead of NOW
        until=None,
        duration_minutes=90,
        zone="Europe/London",
    )
    found = first_gap_session(sundays, NOW)
    assert found is not None and found.original_date == date(2029, 3, 25)
    assert found.start_utc == datetime(2029, 3, 25, 1, 30, tzinfo=UTC)  # 02:30 BST
    assert first_gap_session(replace(sundays, local_time=time(2, 30)), NOW) is None
    assert first_gap_session(tuesdays(), NOW) is None


def test_a_reminder_goes_out_only_while_its_meeting_is_ahead() -> None:
    start = NOW + timedelta(minutes=15)
    assert still_ahead(start, NOW)
    assert still_ahead(start, start - timedelta(seconds=1))
    assert not still_ahead(start, start)
    assert not still_ahead(start, start + timedelta(minutes=6))
    with pytest.raises(ValueError):
        still_ahead(start.replace(tzinfo=None), NOW)
