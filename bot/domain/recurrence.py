"""Recurring session schedules, computed in the group's own time zone.

Why: a group meets at a fixed *local* time ("Tuesdays 19:00 in London"), so the
series is stored as local wall-clock values (RFC 5545 RRULE + HH:MM + first
local date + IANA zone) and every instant is derived from them.  Storing UTC
instants instead is what makes other bots' reminders drift by an hour at DST.

How: dateutil expands the RRULE over local *dates* only (carried as midnight
UTC, a zone without DST, so date arithmetic never sees a transition); each
date is then combined with the local time in the group's ``ZoneInfo`` and
converted to UTC.  Skips (EXDATE-like) remove an original date; moves
(RDATE + RECURRENCE-ID-like) replace an original date with another local date
and time.  A skip wins over a move of the same date.  ``UNTIL`` in the RRULE
and ``Schedule.until`` both name the last *local date* of the series; the
earlier of the two applies.  ``COUNT`` counts rule dates before skips.

DST rule (what ``zoneinfo`` does with ``fold=0``, which we rely on and test):

* A local time that does not exist (02:30 on a spring-forward day) is read
  with the UTC offset in force *before* the gap, so the instant lands after
  the gap: 02:30 becomes 03:30 for a one-hour gap (the wall time is shifted
  forward by the size of the gap).
* A local time that happens twice (01:30 on a fall-back day) takes the first
  occurrence, i.e. the earlier instant, still on daylight time.

A leader typing a single date and time (a one-off, a move) that does not exist is
asked for another (``wall_time_exists``, schedule_rules); a series keeps the rule above.

Durations are real elapsed minutes, so a session that spans a transition
still lasts ``duration_minutes``.

One-off sessions are schedules whose RRULE is ``FREQ=DAILY;COUNT=1``; build
them with :func:`one_off`.

Moves are given as ``(new_local_date, new_local_time)`` tuples, never as naive
datetimes, so that no naive ``datetime`` exists anywhere in the domain.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

__all__ = [
    "Cadence",
    "Occurrence",
    "Schedule",
    "build_rrule",
    "is_occurrence",
    "current_slot",
    "first_date",
    "local_instant",
    "local_today",
    "wall_time_exists",
    "next_occurrence",
    "occurrences",
    "occurrences_after",
    "occurrences_between",
    "one_off",
]

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALLOWED_FREQ = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
# Sub-day parts would create several sessions per day; a Balint group never needs them.
_FORBIDDEN_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART"})
_MAX_DURATION_MINUTES = 24 * 60


class Cadence(enum.StrEnum):
    """How often a group meets; the three rhythms Balint groups use."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


def build_rrule(
    cadence: Cadence, weekday: int, nth: int | None = None, until: date | None = None
) -> str:
    """Build the RRULE text for a cadence, so cogs never hand-write RFC 5545.

    ``weekday`` is 0=Monday..6=Sunday; ``nth`` (1..4, or -1 for the last) is
    required for monthly and forbidden otherwise; ``until`` is the last local date.
    """
    if not 0 <= weekday <= 6:
        raise ValueError("weekday_out_of_range")
    day = _WEEKDAYS[weekday]
    if cadence is Cadence.MONTHLY:
        if nth not in (1, 2, 3, 4, -1):
            raise ValueError("bad_nth")
        parts = ["FREQ=MONTHLY", f"BYDAY={nth}{day}"]
    else:
        if nth is not None:
            raise ValueError("nth_only_for_monthly")
        parts = ["FREQ=WEEKLY"]
        if cadence is Cadence.FORTNIGHTLY:
            parts.append("INTERVAL=2")
        parts.append(f"BYDAY={day}")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


def _carrier(d: date) -> datetime:
    """A local date carried as midnight UTC: a zone with no DST to trip over."""
    return datetime.combine(d, time(0), tzinfo=UTC)


def _parse_rule(text: str, starts: date) -> tuple[rrule, date | None]:
    """Validate the RRULE, split off UNTIL (a local date) and build the date rule."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body or "\n" in body or ":" in body:
        raise ValueError("bad_rrule")
    kept: list[str] = []
    until: date | None = None
    seen: set[str] = set()
    for part in body.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep or not value or key in seen:
            raise ValueError("bad_rrule")
        seen.add(key)
        if key in _FORBIDDEN_PARTS:
            raise ValueError("bad_rrule")
        if key == "FREQ" and value.upper() not in _ALLOWED_FREQ:
            raise ValueError("bad_rrule")
        if key == "UNTIL":
            try:
                until = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
            except ValueError as exc:
                raise ValueError("bad_rrule") from exc
            continue
        kept.append(f"{key}={value.strip()}")
    if "FREQ" not in seen:
        raise ValueError("bad_rrule")
    try:
        rule = rrulestr(";".join(kept), dtstart=_carrier(starts), cache=True)
    except (ValueError, TypeError) as exc:
        raise ValueError("bad_rrule") from exc
    if not isinstance(rule, rrule):
        raise ValueError("bad_rrule")
    return rule, until


@dataclass(frozen=True)
class Schedule:
    """A group's series of sessions as stored: local wall-clock values only."""

    rrule: str
    local_time: time
    starts: date
    until: date | None
    duration_minutes: int
    zone: str
    skips: frozenset[date] = frozenset()
    moves: Mapping[date, tuple[date, time]] = field(default_factory=lambda: MappingProxyType({}))
    _rule: rrule = field(init=False, repr=False, compare=False)
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _last: date | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Reject a schedule that could not be expanded, at the edge, not later."""
        if self.local_time.tzinfo is not None:
            raise ValueError("local_time_must_be_wall_clock")
        if not 0 < self.duration_minutes <= _MAX_DURATION_MINUTES:
            raise ValueError("bad_duration")
        if self.until is not None and self.until < self.starts:
            raise ValueError("until_before_start")
        for target in self.moves.values():
            if not (isinstance(target, tuple) and len(target) == 2):
                raise ValueError("bad_move")
            if target[1].tzinfo is not None:
                raise ValueError("local_time_must_be_wall_clock")
        try:
            tz = ZoneInfo(self.zone)
        except (ValueError, KeyError, OSError) as exc:
            raise ValueError("unknown_zone") from exc
        rule, rule_until = _parse_rule(self.rrule, self.starts)
        lasts = [d for d in (self.until, rule_until) if d is not None]
        object.__setattr__(self, "skips", frozenset(self.skips))
        object.__setattr__(self, "moves", MappingProxyType(dict(self.moves)))
        object.__setattr__(self, "_rule", rule)
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "_last", min(lasts) if lasts else None)

    @property
    def tz(self) -> ZoneInfo:
        """The group's zone as a tzinfo, parsed once."""
        return self._tz

    @property
    def last_date(self) -> date | None:
        """The last local date the rule may produce (earlier of both UNTILs)."""
        return self._last

    @property
    def duration(self) -> timedelta:
        """Elapsed length of one session."""
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Occurrence:
    """One session of a series: when it starts and ends, in UTC.

    ``original_date`` is the rule's local date; it identifies the session even
    after a move (like RECURRENCE-ID).
    """

    original_date: date
    start_utc: datetime
    end_utc: datetime
    moved: bool = False


def _order(occ: Occurrence) -> tuple[datetime, date]:
    return occ.start_utc, occ.original_date


def one_off(day: date, local_time: time, duration_minutes: int, zone: str) -> Schedule:
    """A single session, expressed as a one-date series so one code path serves both."""
    return Schedule(
        rrule="FREQ=DAILY;COUNT=1",
        local_time=local_time,
        starts=day,
        until=None,
        duration_minutes=duration_minutes,
        zone=zone,
    )


def local_instant(schedule: Schedule, day: date, local_time: time) -> datetime:
    """UTC instant of a local date and time, under the module's DST rule (fold=0)."""
    return datetime.combine(day, local_time, tzinfo=schedule.tz).astimezone(UTC)


def wall_time_exists(schedule: Schedule, day: date, local_time: time) -> bool:
    """Whether this wall-clock time happens on this day in the zone (not skipped by the
    clocks going forward); a leader typing one that does not gets asked for another."""
    back = local_instant(schedule, day, local_time).astimezone(schedule.tz)
    return (back.date(), back.time()) == (day, local_time)


def local_today(schedule: Schedule, now_utc: datetime) -> date:
    """The group's local date at ``now_utc``; what "today" means for skips."""
    _require_aware(now_utc)
    return now_utc.astimezone(schedule.tz).date()


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive_datetime")


def _make(schedule: Schedule, original: date, day: date, at: time, moved: bool) -> Occurrence:
    start = local_instant(schedule, day, at)
    return Occurrence(
        start_utc=start, original_date=original, end_utc=start + schedule.duration, moved=moved
    )


def is_occurrence(schedule: Schedule, local_date: date) -> bool:
    """Whether the rule itself produces this local date (before skips and moves)."""
    if local_date < schedule.starts:
        return False
    last = schedule.last_date
    if last is not None and local_date > last:
        return False
    carrier = _carrier(local_date)
    return schedule._rule.after(carrier, inc=True) == carrier


def first_date(schedule: Schedule) -> date | None:
    """The first local date the rule produces (None if it produces none)."""
    found = schedule._rule.after(_carrier(schedule.starts), inc=True)
    if found is None:
        return None
    day = found.date()
    last = schedule.last_date
    return None if last is not None and day > last else day


def _regular(schedule: Schedule, from_date: date) -> Iterator[Occurrence]:
    """Unmoved, unskipped occurrences in order, from a local date onwards."""
    last = schedule.last_date
    start = max(from_date, schedule.starts)
    for carrier in schedule._rule.xafter(_carrier(start), inc=True):
        day = carrier.date()
        if last is not None and day > last:
            return
        if day in schedule.skips or day in schedule.moves:
            continue
        yield _make(schedule, day, day, schedule.local_time, moved=False)


def _moved(schedule: Schedule) -> list[Occurrence]:
    """Moved occurrences whose original date is still a live occurrence, sorted."""
    out = [
        _make(schedule, original, target[0], target[1], moved=True)
        for original, target in schedule.moves.items()
        if original not in schedule.skips and is_occurrence(schedule, original)
    ]
    out.sort(key=_order)
    return out


def _stream(schedule: Schedule, lower_utc: datetime, inclusive: bool) -> Iterator[Occurrence]:
    """All occurrences starting after (or at) ``lower_utc``, in start order."""
    _require_aware(lower_utc)
    # Two days of slack: no zone is more than 26 h from UTC.
    from_date = lower_utc.astimezone(schedule.tz).date() - timedelta(days=2)
    merged = heapq.merge(_regular(schedule, from_date), _moved(schedule), key=_order)
    for occ in merged:
        if occ.start_utc > lower_utc or (inclusive and occ.start_utc == lower_utc):
            yield occ


def occurrences(schedule: Schedule, after_utc: datetime, count: int) -> list[Occurrence]:
    """The next ``count`` sessions starting strictly after ``after_utc``."""
    if count <= 0:
        return []
    out: list[Occurrence] = []
    for occ in _stream(schedule, after_utc, inclusive=False):
        out.append(occ)
        if len(out) >= count:
            break
    return out


def occurrences_after(schedule: Schedule, after_utc: datetime) -> Iterator[Occurrence]:
    """Sessions starting strictly after ``after_utc``, lazily, in start order."""
    return _stream(schedule, after_utc, inclusive=False)


def occurrences_between(
    schedule: Schedule, start_utc: datetime, end_utc: datetime
) -> list[Occurrence]:
    """Sessions starting in ``[start_utc, end_utc)``, e.g. to plan the clock's jobs."""
    _require_aware(end_utc)
    out: list[Occurrence] = []
    for occ in _stream(schedule, start_utc, inclusive=True):
        if occ.start_utc >= end_utc:
            break
        out.append(occ)
    return out


def next_occurrence(schedule: Schedule, now_utc: datetime) -> Occurrence | None:
    """The first session starting strictly after ``now_utc``, or None if the series ended."""
    found = occurrences(schedule, now_utc, 1)
    return found[0] if found else None


def current_slot(schedule: Schedule, original_date: date) -> Occurrence | None:
    """Where an original date's session currently is (moved or not), None if skipped."""
    if not is_occurrence(schedule, original_date) or original_date in schedule.skips:
        return None
    target = schedule.moves.get(original_date)
    if target is None:
        return _make(schedule, original_date, original_date, schedule.local_time, moved=False)
    return _make(schedule, original_date, target[0], target[1], moved=True)
