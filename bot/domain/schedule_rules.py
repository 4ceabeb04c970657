"""Scheduling rules built on recurrence: series, skip and move validation, merging, reminders.

Pure: the scheduling cog turns these answers into store rows and timers.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from bot.domain.recurrence import (
    Cadence,
    Occurrence,
    Schedule,
    _require_aware,
    current_slot,
    is_occurrence,
    local_instant,
    occurrences_after,
    occurrences_between,
    one_off,
    wall_time_exists,
)

# How far ahead a session may be put: a typo such as 9999 must get a sentence, and a
# date near the end of the calendar would overflow in UTC (9999-12-31 in New York).
MAX_AHEAD = timedelta(days=5 * 366)


def too_far(day: date, today: date) -> bool:
    """Whether a session date lies beyond :data:`MAX_AHEAD` of the group's local today."""
    return day.toordinal() - today.toordinal() > MAX_AHEAD.days


def validate_series(starts: date, until: date | None, today: date) -> str | None:
    """Why a new series may not start like this, as an error code; None if fine.

    Codes: ``starts_in_past`` (before the group's local today), ``too_far`` (more than
    :data:`MAX_AHEAD` away), ``until_before_starts``.
    """
    if starts < today:
        return "starts_in_past"
    if too_far(starts, today):
        return "too_far"
    if until is not None and until < starts:
        return "until_before_starts"
    return None


def series_start(cadence: Cadence, weekday: int, starts: date) -> date:
    """The date to store as a new series' first date: the first meeting day on or after
    the date the leader gave, for weekly and fortnightly series.

    Why: a fortnightly rule counts its weeks from the week of its first date, so
    "every other Tuesday from Wednesday 25 November" would first meet on 8 December,
    skipping the Tuesday the leader meant. Monthly rules count months, not weeks: kept.
    """
    if cadence is Cadence.MONTHLY:
        return starts
    return starts + timedelta(days=(weekday - starts.weekday()) % 7)


def meant_date(schedule: Schedule, day: date) -> date:
    """The original date a leader means by a date they typed for skip or move.

    A date the rule makes is itself. Otherwise, a session moved onto that date (and
    not skipped) is meant: `/schedule show` lists it there, so that is the date the
    leader reads and types. Anything else is returned unchanged (the caller refuses it).
    """
    if is_occurrence(schedule, day):
        return day
    for original in sorted(schedule.moves):
        slot = current_slot(schedule, original)
        if slot is not None and slot.start_utc.astimezone(schedule.tz).date() == day:
            return original
    return day


def validate_skip(
    schedule: Schedule, local_date: date, today: date, held: Collection[date] = frozenset()
) -> str | None:
    """Why a leader may not skip this date, as an error code; None if the skip is fine.

    Codes: ``not_an_occurrence``, ``in_the_past`` (before the group's local today),
    ``started`` (its session was started, perhaps early: ``held``), ``already_skipped``.
    """
    if not is_occurrence(schedule, local_date):
        return "not_an_occurrence"
    slot = current_slot(schedule, local_date)  # a session moved ahead is still ahead
    when = slot.start_utc.astimezone(schedule.tz).date() if slot is not None else local_date
    if when < today:
        return "in_the_past"
    if local_date in held:
        return "started"
    if local_date in schedule.skips:
        return "already_skipped"
    return None


def validate_move(
    schedule: Schedule,
    original_date: date,
    new_date: date,
    new_time: time,
    now_utc: datetime,
    onces: Sequence[Schedule] = (),
    held: Collection[date] = frozenset(),
) -> str | None:
    """Why a leader may not move this session, as an error code; None if fine.

    Codes: ``not_an_occurrence``, ``already_skipped``, ``in_the_past`` (the session
    already started, even early: ``held``, or the new start is not in the future),
    ``unchanged``, ``no_such_time`` (the clocks go forward over the new time that day),
    ``once_taken`` (a one-off is on the new date: one session per date, as for
    `/schedule once`), ``clash`` (the new slot overlaps another session of the series
    or a one-off), ``too_far``
    (the new date is more than :data:`MAX_AHEAD` away).
    """
    _require_aware(now_utc)
    if not is_occurrence(schedule, original_date):
        return "not_an_occurrence"
    slot = current_slot(schedule, original_date)
    if slot is None:
        return "already_skipped"
    if original_date in held:
        return "in_the_past"
    if new_time.tzinfo is not None:
        raise ValueError("local_time_must_be_wall_clock")
    today = now_utc.astimezone(schedule.tz).date()
    if new_date < today:  # before local_instant: year 1 east of UTC would overflow
        return "in_the_past"
    if too_far(new_date, today):
        return "too_far"
    if not wall_time_exists(schedule, new_date, new_time):
        return "no_such_time"
    new_start = local_instant(schedule, new_date, new_time)
    if slot.start_utc <= now_utc or new_start <= now_utc:
        return "in_the_past"
    if new_start == slot.start_utc:
        return "unchanged"
    if any(single.starts == new_date for single in onces):
        return "once_taken"
    new_end = new_start + schedule.duration
    # By time, not by date: a move to 23:30 can run into a one-off at 00:15.
    for series in (schedule, *onces):
        for other in occurrences_between(series, new_start - series.duration, new_end):
            if series is schedule and other.original_date == original_date:
                continue
            if other.start_utc < new_end and new_start < other.end_utc:
                return "clash"
    return None


def validate_once(
    day: date,
    at: time,
    duration_minutes: int,
    zone: str,
    now_utc: datetime,
    series: Schedule | None,
    onces: Sequence[Schedule],
) -> str | None:
    """Why a one-off session may not go here, as an error code; None if fine.

    Codes: ``in_the_past``; ``once_taken`` (a one-off already on that date: a second
    would replace it); ``series_day`` (the series has a session on that date, moved or
    not: sessions are known by their date, so a one-off there would be merged with it;
    the leader moves that session instead); ``clash`` (overlaps another session);
    ``too_far`` (more than :data:`MAX_AHEAD` away); ``no_such_time`` (the clocks go
    forward over that time that day: the session would silently start later than typed).
    A date the leader skipped from the series is free for a one-off.
    """
    single = one_off(day, at, duration_minutes, zone)
    today = now_utc.astimezone(single.tz).date()
    if day < today:  # before local_instant: year 1 east of UTC would overflow
        return "in_the_past"
    if too_far(day, today):
        return "too_far"
    if not wall_time_exists(single, day, at):
        return "no_such_time"
    start = local_instant(single, day, at)
    if start <= now_utc:
        return "in_the_past"
    if any(other.starts == day for other in onces):
        return "once_taken"
    if series is not None and current_slot(series, day) is not None:
        return "series_day"
    end = start + single.duration
    for other in ([series] if series is not None else []) + list(onces):
        for occ in occurrences_between(other, start - other.duration, end):
            if occ.start_utc < end and start < occ.end_utc:
                return "clash"
    return None


def first_gap_session(
    schedule: Schedule, after_utc: datetime, within: timedelta = timedelta(days=366)
) -> Occurrence | None:
    """The first session, within a year of the next one, whose local time the clocks
    skip that day (each of the zone's changes comes once a year).

    Why: by recurrence's DST rule it starts after the gap, later than the time the leader
    set; a whole series is not refused for one night a year, so the leader is told.
    """
    end: datetime | None = None
    for occ in occurrences_after(schedule, after_utc):
        end = end or occ.start_utc + within
        if occ.start_utc > end:
            return None
        if not occ.moved and not wall_time_exists(schedule, occ.original_date, schedule.local_time):
            return occ
    return None


def one_off_dates_of(series: Schedule, onces: Sequence[Schedule]) -> list[date]:
    """Dates a new series must skip for the one-offs already planned, in order.

    Sessions are known by their date, so the series would hide a one-off on its date;
    and a group's sessions never overlap, so a series session running into a one-off
    (Wednesday 23:30 and a one-off on Thursday 00:15) cannot be held either.
    Rule: the one-off the leader added keeps its date and time; the series skips.
    """
    taken = {single.starts for single in onces if is_occurrence(series, single.starts)}
    for single in onces:
        slot = current_slot(single, single.starts)
        if slot is None:
            continue
        for occ in occurrences_between(series, slot.start_utc - series.duration, slot.end_utc):
            if occ.start_utc < slot.end_utc and slot.start_utc < occ.end_utc:
                taken.add(occ.original_date)
    return sorted(taken)


def _keyed(
    index: int, schedule: Schedule, after_utc: datetime
) -> Iterator[tuple[tuple[datetime, int], Occurrence]]:
    for occ in occurrences_after(schedule, after_utc):
        yield (occ.start_utc, index), occ


def upcoming_across(
    schedules: list[Schedule],
    after_utc: datetime,
    count: int,
    held: Collection[date] = frozenset(),
) -> list[tuple[int, Occurrence]]:
    """The next ``count`` sessions of several series (a group's series plus one-offs).

    Returns ``(index of the schedule, occurrence)`` pairs in start order.  ``held``:
    original dates whose session already took place or is taking place (a leader may
    start up to 2 h early); they are not ahead any more, however far their start is.
    """
    if count <= 0:
        return []
    streams = [_keyed(i, s, after_utc) for i, s in enumerate(schedules)]
    out: list[tuple[int, Occurrence]] = []
    for key, occ in heapq.merge(*streams, key=lambda pair: pair[0]):
        if occ.original_date in held:
            continue
        out.append((key[1], occ))
        if len(out) >= count:
            break
    return out


def next_across(
    schedules: list[Schedule], after_utc: datetime, held: Collection[date] = frozenset()
) -> tuple[int, Occurrence] | None:
    """The first session of several series starting strictly after ``after_utc``, not held."""
    found = upcoming_across(schedules, after_utc, 1, held)
    return found[0] if found else None


PLAN_LIMIT = 10  # sessions planned at once at most (a long reminder lead, a weekly group)


def to_plan(
    schedules: list[Schedule],
    now_utc: datetime,
    held: Collection[date],
    ahead: timedelta | None,
    replan_at: datetime | None,
    with_next: bool = True,
    limit: int = PLAN_LIMIT,
) -> list[Occurrence]:
    """The sessions to plan now: the next one, and every later one that must exist
    ``ahead`` of its start (its first reminder, the early start) before the plan is next
    looked at.

    Why: a group's plan advances at the end of its earliest planned session
    (``replan_at``, None if none is planned yet). A one-off on Wednesday 10:00 after a
    Tuesday 19:00 session would only be planned then, when its 24 h reminder (Tuesday
    10:00) is already past and so never sent; a second session the same day could not
    be started early. ``with_next`` is False while a session is due but not started:
    the next one is planned at its end, unless it is needed sooner. At most ``limit``.
    """
    _require_aware(now_utc)
    out: list[Occurrence] = []
    horizon = replan_at
    streams = [_keyed(i, s, now_utc) for i, s in enumerate(schedules)]
    first = True
    for _, occ in heapq.merge(*streams, key=lambda pair: pair[0]):
        if occ.original_date in held:
            continue
        if len(out) >= limit:
            break
        if first and with_next:
            out.append(occ)
            horizon = occ.end_utc if horizon is None else min(horizon, occ.end_utc)
        elif ahead is None or horizon is None or occ.start_utc - ahead > horizon:
            break  # later sessions start later still: the next replan plans them in time
        else:
            out.append(occ)
        first = False
    return out


def lead_minutes(group_value: str | None, default: list[int]) -> list[int]:
    """Reminder lead times, largest first: the group's ``'1440,60'`` text or the default.

    A malformed or empty group value falls back to the default (it is leader-set
    configuration, not input to reject at reminder time).
    """
    values: list[int] = []
    if group_value:
        try:
            values = [int(part) for part in group_value.split(",") if part.strip()]
        except ValueError:
            values = []
    values = [v for v in values if 0 < v <= 14 * 24 * 60]
    return sorted(set(values or default), reverse=True)


def reminder_plan(
    start_utc: datetime, leads: list[int], now_utc: datetime
) -> list[tuple[int, datetime]]:
    """``(lead minutes, due instant)`` for every reminder still ahead, earliest first.

    Rule: a reminder whose time has already passed when the session is planned
    (a session set up at short notice) is not sent late; the later ones still are.
    """
    _require_aware(start_utc)
    _require_aware(now_utc)
    plan = [(lead, start_utc - timedelta(minutes=lead)) for lead in set(leads)]
    return sorted(((lead, due) for lead, due in plan if due > now_utc), key=lambda p: p[1])


def still_ahead(start_utc: datetime, now_utc: datetime) -> bool:
    """Whether a reminder (or a quorum warning) about a meeting may still go out.

    Rule: once its start has passed it would tell people a meeting is coming that has
    begun, or was never started: late (a retry, a restart), it says nothing.
    """
    _require_aware(start_utc)
    _require_aware(now_utc)
    return now_utc < start_utc


def roster(
    member_ids: list[int], answers: Mapping[int, str]
) -> tuple[list[int], list[int], list[int]]:
    """Split current members into (yes, no, not answered); answers of ex-members are ignored."""
    yes = [m for m in member_ids if answers.get(m) == "yes"]
    no = [m for m in member_ids if answers.get(m) == "no"]
    silent = [m for m in member_ids if m not in answers]
    return yes, no, silent
