"""Recurrence: local wall-clock time survives DST; skips, moves and UNTIL hold."""

from __future__ import annotations

import calendar as stdcal
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.recurrence import (
    Cadence,
    Schedule,
    build_rrule,
    is_occurrence,
    next_occurrence,
    occurrences,
    occurrences_between,
    one_off,
    wall_time_exists,
)
from bot.domain.schedule_rules import validate_move, validate_skip

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Adelaide",
]


def make(
    rrule: str,
    at: time = time(19, 0),
    starts: date = date(2026, 1, 1),
    zone: str = "Europe/London",
    until: date | None = None,
    skips: frozenset[date] = frozenset(),
    moves: dict[date, tuple[date, time]] | None = None,
) -> Schedule:
    return Schedule(rrule, at, starts, until, 90, zone, skips, moves or {})


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def exists(d: date, t: time, tz: ZoneInfo) -> bool:
    local = datetime.combine(d, t, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


def test_build_rrule() -> None:
    assert build_rrule(Cadence.WEEKLY, 1) == "FREQ=WEEKLY;BYDAY=TU"
    assert build_rrule(Cadence.FORTNIGHTLY, 1) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert build_rrule(Cadence.MONTHLY, 3, nth=-1) == "FREQ=MONTHLY;BYDAY=-1TH"
    assert build_rrule(Cadence.WEEKLY, 0, until=date(2026, 12, 1)).endswith("UNTIL=20261201")
    with pytest.raises(ValueError):
        build_rrule(Cadence.MONTHLY, 1)
    with pytest.raises(ValueError):
        build_rrule(Cadence.WEEKLY, 1, nth=2)
    with pytest.raises(ValueError):
        build_rrule(Cadence.WEEKLY, 7)


def test_bad_schedules_rejected() -> None:
    with pytest.raises(ValueError):
        make("FREQ=HOURLY")
    with pytest.raises(ValueError):
        make("FREQ=WEEKLY;BYHOUR=3")
    with pytest.raises(ValueError):
        make("BYDAY=TU")
    with pytest.raises(ValueError):
        make("FREQ=WEEKLY", zone="Mars/Olympus")
    with pytest.raises(ValueError):
        make("FREQ=WEEKLY", at=time(19, tzinfo=UTC))
    with pytest.raises(ValueError):
        occurrences(make("FREQ=WEEKLY"), datetime(2026, 1, 1), 1)  # noqa: DTZ001


def test_london_19_00_stays_local_across_dst() -> None:
    s = make(build_rrule(Cadence.WEEKLY, 1), starts=date(2026, 3, 1))
    occ = occurrences(s, utc(2026, 3, 1), 6)
    assert [o.start_utc.hour for o in occ] == [19, 19, 19, 19, 18, 18]  # BST from 29 March
    assert all(o.start_utc.astimezone(s.tz).time() == time(19) for o in occ)
    assert all(o.end_utc - o.start_utc == timedelta(minutes=90) for o in occ)


def test_nonexistent_time_shifts_forward_by_gap() -> None:
    s = make("FREQ=DAILY", at=time(2, 30), starts=date(2026, 3, 7), zone="America/New_York")
    day = occurrences(s, utc(2026, 3, 7), 3)
    assert day[1].original_date == date(2026, 3, 8)
    assert day[1].start_utc == utc(2026, 3, 8, 7, 30)  # 02:30 EST = 03:30 EDT
    assert day[1].start_utc.astimezone(s.tz).time() == time(3, 30)
    assert day[2].start_utc.astimezone(s.tz).time() == time(2, 30)


def test_ambiguous_time_takes_first_instant() -> None:
    s = make("FREQ=DAILY", at=time(1, 30), starts=date(2026, 11, 1), zone="America/New_York")
    first = occurrences(s, utc(2026, 10, 31), 1)[0]
    assert first.start_utc == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST


def test_skip_and_move() -> None:
    s = make(
        build_rrule(Cadence.WEEKLY, 1),
        starts=date(2026, 3, 1),
        skips=frozenset({date(2026, 3, 10)}),
        moves={date(2026, 3, 17): (date(2026, 3, 30), time(20, 0))},
    )
    occ = occurrences(s, utc(2026, 3, 1), 5)
    assert [o.original_date for o in occ] == [
        date(2026, 3, 3),
        date(2026, 3, 24),
        date(2026, 3, 17),
        date(2026, 3, 31),
        date(2026, 4, 7),
    ]
    moved = occ[2]
    assert moved.moved and moved.start_utc == utc(2026, 3, 30, 19, 0)  # 20:00 BST
    assert occurrences_between(s, utc(2026, 3, 30), utc(2026, 3, 31)) == [moved]


def test_skip_wins_over_move() -> None:
    d = date(2026, 3, 17)
    s = make("FREQ=WEEKLY;BYDAY=TU", skips=frozenset({d}), moves={d: (d, time(8))})
    assert all(o.original_date != d for o in occurrences(s, utc(2026, 3, 1), 10))


def test_until_and_count() -> None:
    s = make(build_rrule(Cadence.WEEKLY, 1, until=date(2026, 1, 20)))
    assert [o.original_date.day for o in occurrences(s, utc(2025, 12, 1), 10)] == [6, 13, 20]
    s = make("FREQ=WEEKLY;BYDAY=TU", until=date(2026, 1, 13))
    assert len(occurrences(s, utc(2025, 12, 1), 10)) == 2
    s = make("FREQ=WEEKLY;BYDAY=TU;COUNT=3", skips=frozenset({date(2026, 1, 13)}))
    assert len(occurrences(s, utc(2025, 12, 1), 10)) == 2
    assert next_occurrence(s, utc(2027, 1, 1)) is None


def test_one_off() -> None:
    s = one_off(date(2026, 6, 1), time(18, 30), 60, "Asia/Kolkata")
    assert [o.start_utc for o in occurrences(s, utc(2026, 1, 1), 5)] == [utc(2026, 6, 1, 13)]
    assert is_occurrence(s, date(2026, 6, 1)) and not is_occurrence(s, date(2026, 6, 2))


def test_next_occurrence_is_strictly_after_now() -> None:
    s = make("FREQ=WEEKLY;BYDAY=TU")
    first = next_occurrence(s, utc(2026, 1, 6, 18, 59))
    assert first is not None and first.original_date == date(2026, 1, 6)
    later = next_occurrence(s, first.start_utc)
    assert later is not None and later.original_date == date(2026, 1, 13)


def test_validate_skip() -> None:
    s = make("FREQ=WEEKLY;BYDAY=TU", skips=frozenset({date(2026, 2, 3)}))
    today = date(2026, 1, 20)
    assert validate_skip(s, date(2026, 1, 27), today) is None
    assert validate_skip(s, date(2026, 1, 28), today) == "not_an_occurrence"
    assert validate_skip(s, date(2026, 1, 13), today) == "in_the_past"
    assert validate_skip(s, date(2026, 2, 3), today) == "already_skipped"


def test_validate_move() -> None:
    s = make("FREQ=WEEKLY;BYDAY=TU", skips=frozenset({date(2026, 2, 3)}))
    now = utc(2026, 1, 20, 12)
    assert validate_move(s, date(2026, 1, 27), date(2026, 1, 29), time(19), now) is None
    assert validate_move(s, date(2026, 1, 28), date(2026, 1, 29), time(19), now) == (
        "not_an_occurrence"
    )
    assert validate_move(s, date(2026, 2, 3), date(2026, 2, 4), time(19), now) == (
        "already_skipped"
    )
    assert validate_move(s, date(2026, 1, 13), date(2026, 1, 29), time(19), now) == ("in_the_past")
    assert validate_move(s, date(2026, 1, 27), date(2026, 1, 19), time(19), now) == ("in_the_past")
    assert validate_move(s, date(2026, 1, 27), date(2026, 1, 27), time(19), now) == "unchanged"
    assert validate_move(s, date(2026, 1, 27), date(2026, 2, 10), time(20), now) == "clash"
    thursday = one_off(date(2026, 1, 29), time(9), 90, "Europe/London")
    moved = validate_move(s, date(2026, 1, 27), date(2026, 1, 29), time(19), now, [thursday])
    assert moved == "once_taken"  # one session per date, even at another hour


def _expected_wall(d: date, t: time, tz: ZoneInfo) -> datetime:
    """The stated rule, computed independently: shift by the gap if t does not exist."""
    naive_local = datetime.combine(d, t, tzinfo=tz)
    if exists(d, t, tz):
        return naive_local
    before = (naive_local - timedelta(hours=6)).utcoffset()
    after = (naive_local + timedelta(hours=6)).utcoffset()
    assert before is not None and after is not None
    return naive_local + (after - before)


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    cadence=st.sampled_from(list(Cadence)),
    weekday=st.integers(0, 6),
    nth=st.sampled_from([1, 2, 3, 4, -1]),
    starts=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    hour=st.one_of(st.integers(0, 23), st.integers(0, 3)),
    minute=st.sampled_from([0, 15, 30, 45]),
)
def test_properties_across_dst(
    zone: str, cadence: Cadence, weekday: int, nth: int, starts: date, hour: int, minute: int
) -> None:
    at = time(hour, minute)
    rule = build_rrule(cadence, weekday, nth if cadence is Cadence.MONTHLY else None)
    s = make(rule, at=at, starts=starts, zone=zone)
    tz = ZoneInfo(zone)
    occ = occurrences(s, datetime.combine(starts, time(0), tzinfo=UTC) - timedelta(days=2), 40)
    assert len(occ) == 40
    assert occ == sorted(occ, key=lambda o: o.start_utc)
    for o in occ:
        d = o.original_date
        assert d >= starts and d.weekday() == weekday and not o.moved
        wall = o.start_utc.astimezone(tz)
        expected = _expected_wall(d, at, tz)
        assert wall.replace(tzinfo=None, fold=0) == expected.replace(tzinfo=None, fold=0)
        if exists(d, at, tz):
            # Ambiguous times take the earlier instant (fold=0).
            other = datetime.combine(d, at, tzinfo=tz).replace(fold=1).astimezone(UTC)
            assert o.start_utc <= other
    gaps = [(b.original_date - a.original_date).days for a, b in zip(occ, occ[1:], strict=False)]
    if cadence is Cadence.WEEKLY:
        assert set(gaps) == {7}
    elif cadence is Cadence.FORTNIGHTLY:
        assert set(gaps) == {14}
    else:
        months = [(o.original_date.year * 12 + o.original_date.month) for o in occ]
        assert all(b - a == 1 for a, b in zip(months, months[1:], strict=False))
        for o in occ:
            d = o.original_date
            if nth > 0:
                assert (d.day - 1) // 7 + 1 == nth
            else:
                assert d.day + 7 > stdcal.monthrange(d.year, d.month)[1]


@settings(max_examples=80, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    skip_index=st.integers(0, 19),
    move_index=st.integers(0, 19),
    shift=st.integers(-3, 3),
    until_index=st.integers(5, 30),
)
def test_skip_move_until_properties(
    zone: str, skip_index: int, move_index: int, shift: int, until_index: int
) -> None:
    base = make("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", at=time(2, 30), zone=zone)
    after = utc(2025, 12, 25)
    plain = occurrences(base, after, 30)
    skip = plain[skip_index].original_date
    move_from = plain[move_index].original_date
    until = plain[until_index - 1].original_date
    target = (move_from + timedelta(days=shift), time(9, 0))
    s = make(
        base.rrule,
        at=base.local_time,
        zone=zone,
        until=until,
        skips=frozenset({skip}),
        moves={move_from: target},
    )
    got = occurrences(s, after, 50)
    originals = [o.original_date for o in got]
    assert skip not in originals
    assert all(d <= until for d in originals)
    expected = {o.original_date for o in plain[:until_index]} - {skip}
    assert set(originals) == expected
    for o in got:
        if o.original_date == move_from:
            assert o.moved
            assert o.start_utc == datetime.combine(*target, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        else:
            assert not o.moved


def test_wall_time_exists_only_for_times_the_clocks_do_not_skip() -> None:
    s = make("FREQ=DAILY", at=time(19), starts=date(2027, 1, 1), zone="Australia/Lord_Howe")
    assert not wall_time_exists(s, date(2027, 10, 3), time(2, 15))  # 02:00 -> 02:30
    assert wall_time_exists(s, date(2027, 10, 3), time(2, 30))
    assert wall_time_exists(s, date(2027, 4, 4), time(1, 45))  # happens twice: exists
    assert wall_time_exists(s, date(2027, 10, 4), time(2, 15))
