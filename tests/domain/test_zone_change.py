"""A group's new time zone: which sessions follow the wall clock and which keep their instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain.recurrence import Cadence, Schedule, build_rrule, current_slot, one_off
from bot.domain.zone_change import date_taken, in_zone, pins

THURSDAY = date(2026, 11, 26)  # Perth +08:00, Sydney +11:00 (summer time)


def _series(zone: str = "Australia/Perth") -> Schedule:
    return Schedule(
        rrule=build_rrule(Cadence.WEEKLY, 3),
        local_time=time(19),
        starts=date(2026, 11, 5),
        until=None,
        duration_minutes=90,
        zone=zone,
    )


def _at(hour: int, minute: int = 0, day: date = THURSDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def test_the_series_keeps_its_wall_clock_in_the_new_zone() -> None:
    moved = current_slot(in_zone(_series(), "Australia/Sydney"), THURSDAY)
    assert moved is not None
    assert moved.start_utc == _at(8)  # 19:00 in Sydney, not 19:00 in Perth (11:00 UTC)


def test_sessions_both_ahead_are_not_pinned() -> None:
    assert pins(_series(), [], "Australia/Sydney", _at(7)) == []  # 08:00 UTC still ahead
    # West: every instant gets later, nothing falls into the past.
    assert pins(_series("Australia/Sydney"), [], "Australia/Perth", _at(7, 59)) == []


def test_a_session_the_new_zone_would_put_in_the_past_keeps_its_instant() -> None:
    found = pins(_series(), [], "Australia/Sydney", _at(10))  # 18:00 in Perth
    assert [(p.original_date, p.day, p.at, p.one_off) for p in found] == [
        (THURSDAY, THURSDAY, time(22), False)  # 11:00 UTC is 22:00 in Sydney
    ]
    assert found[0].start_utc == _at(11)


def test_a_session_due_now_keeps_its_instant_and_a_started_one_is_left_alone() -> None:
    due = pins(_series("Australia/Sydney"), [], "Australia/Perth", _at(8, 30))
    assert [(p.day, p.at) for p in due] == [(THURSDAY, time(16))]  # 08:00 UTC in Perth
    held = frozenset({THURSDAY})
    assert pins(_series("Australia/Sydney"), [], "Australia/Perth", _at(8, 30), held) == []


def test_a_zone_with_the_same_offset_that_day_pins_nothing() -> None:
    series = in_zone(_series(), "Europe/London")  # 19:00 London is 19:00 UTC in November
    assert pins(series, [], "Europe/Dublin", _at(19, 30)) == []  # due now, but the same


def test_an_ended_session_is_not_pinned() -> None:
    assert pins(_series(), [], "Australia/Sydney", _at(12, 31)) == []


def test_a_one_off_pinned_across_midnight_takes_the_new_local_date() -> None:
    single = one_off(THURSDAY, time(23), 60, "Australia/Perth")  # 15:00 UTC
    found = pins(None, [single], "Australia/Sydney", _at(14))
    assert [(p.original_date, p.day, p.at, p.one_off) for p in found] == [
        (THURSDAY, THURSDAY + timedelta(days=1), time(2), True)
    ]


def test_a_pin_read_back_in_the_new_zone_is_the_same_instant() -> None:
    for zone in ("Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"):
        found = pins(_series("Pacific/Kiritimati"), [], zone, _at(5, 30))  # 19:00 there
        assert len(found) == 1, zone
        for pin in found:
            back = datetime.combine(pin.day, pin.at, tzinfo=in_zone(_series(), zone).tz)
            assert back.astimezone(UTC) == pin.start_utc, zone


def test_a_kept_one_off_on_a_date_that_has_a_session_is_a_clash() -> None:
    """Wednesday 23:00 in Perth is Thursday 02:00 in Sydney, where the series meets."""
    wednesday = THURSDAY - timedelta(days=1)
    single = one_off(wednesday, time(23), 90, "Australia/Perth")
    now = _at(14, day=wednesday)
    kept = pins(_series(), [single], "Australia/Sydney", now)
    assert [(p.original_date, p.day) for p in kept] == [(wednesday, THURSDAY)]
    assert date_taken(_series(), [single], kept, "Australia/Sydney") == kept[0]
    other = one_off(THURSDAY, time(10), 90, "Australia/Perth")
    assert date_taken(None, [single, other], kept, "Australia/Sydney") == kept[0]
    assert date_taken(None, [single], kept, "Australia/Sydney") is None
