"""iCalendar export: the file, expanded independently, gives the same sessions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from bot.domain.calendar import series_uid, to_ics
from bot.domain.recurrence import Cadence, Schedule, build_rrule, occurrences


def _expand(ics: bytes, after: datetime, count: int) -> list[tuple[datetime, datetime]]:
    """Expand master + EXDATE + RECURRENCE-ID overrides with dateutil only."""
    cal = Calendar.from_ical(ics)
    events = list(cal.walk("VEVENT"))
    master = next(e for e in events if "RRULE" in e)
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert all(str(e["UID"]) == str(master["UID"]) for e in overrides)
    start = master.decoded("DTSTART")
    duration = master.decoded("DURATION")
    rules = rruleset()
    rules.rrule(rrulestr(master["RRULE"].to_ical().decode(), dtstart=start))
    exdates = master.get("EXDATE")
    if exdates is not None:
        for group in exdates if isinstance(exdates, list) else [exdates]:
            for value in group.dts:
                rules.exdate(value.dt)
    replaced = {e.decoded("RECURRENCE-ID").astimezone(UTC) for e in overrides}
    out = []
    for dt in rules:
        utc_start = dt.astimezone(UTC)
        if utc_start in replaced:
            continue
        out.append((utc_start, utc_start + duration))
        if len(out) > count + len(overrides) + 5:
            break
    for e in overrides:
        moved = e.decoded("DTSTART").astimezone(UTC)
        out.append((moved, moved + e.decoded("DURATION")))
    return sorted(x for x in out if x[0] > after)[:count]


def _schedule(**kw: object) -> Schedule:
    base: dict[str, object] = {
        "rrule": build_rrule(Cadence.WEEKLY, 1),
        "local_time": time(19, 0),
        "starts": date(2026, 2, 1),
        "until": None,
        "duration_minutes": 90,
        "zone": "Europe/London",
    }
    base.update(kw)
    return Schedule(**base)  # type: ignore[arg-type]


def _check(schedule: Schedule, count: int = 20) -> None:
    after = datetime(2026, 1, 1, tzinfo=UTC)
    ics = to_ics(schedule, "Tuesday group", "https://discord.com/channels/1/2")
    expected = [(o.start_utc, o.end_utc) for o in occurrences(schedule, after, count)]
    assert _expand(ics, after, count) == expected


def test_round_trip_with_skip_and_move_across_dst() -> None:
    schedule = _schedule(
        skips=frozenset({date(2026, 3, 10)}),
        moves={date(2026, 3, 24): (date(2026, 3, 30), time(20, 15))},
    )
    _check(schedule)
    text = to_ics(schedule, "Tuesday group", None).decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert "DTSTART;TZID=Europe/London:20260203T190000" in text
    assert "EXDATE;TZID=Europe/London:20260310T190000" in text
    assert "RECURRENCE-ID;TZID=Europe/London:20260324T190000" in text
    assert "DURATION:PT1H30M" in text


def test_round_trip_nonexistent_local_time_and_until() -> None:
    schedule = _schedule(
        rrule="FREQ=WEEKLY;BYDAY=SU;UNTIL=20261231",
        local_time=time(2, 30),
        zone="America/New_York",
        skips=frozenset({date(2026, 3, 1)}),
        moves={date(2026, 11, 1): (date(2026, 11, 1), time(1, 30))},
    )
    _check(schedule, count=60)


def test_round_trip_fortnightly_and_monthly() -> None:
    _check(_schedule(rrule=build_rrule(Cadence.FORTNIGHTLY, 3), zone="Australia/Sydney"))
    _check(
        _schedule(
            rrule=build_rrule(Cadence.MONTHLY, 2, nth=-1, until=date(2027, 6, 1)),
            zone="Australia/Adelaide",
        )
    )


def test_uid_is_stable_and_output_deterministic() -> None:
    schedule = _schedule()
    assert series_uid(schedule, "g") == series_uid(_schedule(), "g")
    assert series_uid(schedule, "g").endswith("@balint-bot")
    assert to_ics(schedule, "g", None) == to_ics(schedule, "g", None)
    stamped = to_ics(schedule, "g", None, stamp=datetime(2026, 1, 5, tzinfo=UTC))
    assert b"DTSTAMP:20260105T000000Z" in stamped


def test_empty_series_still_valid_calendar() -> None:
    schedule = _schedule(rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=1", skips=frozenset())
    assert b"BEGIN:VEVENT" in to_ics(schedule, "g", None)
    ended = _schedule(until=date(2026, 2, 2))
    cal = Calendar.from_ical(to_ics(ended, "g", None))
    assert list(cal.walk("VEVENT")) == []


def test_one_off_sessions_are_exported_beside_the_series() -> None:
    from bot.domain.recurrence import one_off

    series = _schedule()
    extra = one_off(date(2027, 1, 6), time(18, 30), 60, "Europe/London")
    cal = Calendar.from_ical(to_ics([series, extra], "Thursday group", None))
    events = [c for c in cal.walk("VEVENT")]
    assert len({str(e["uid"]) for e in events}) == 2
    starts = [
        e.decoded("dtstart")
        for e in events
        if str(e["uid"]) != series_uid(series, "Thursday group", "balint-bot")
    ]
    assert [s.astimezone(UTC) for s in starts] == [datetime(2027, 1, 6, 18, 30, tzinfo=UTC)]
