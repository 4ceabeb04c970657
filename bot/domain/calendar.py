"""Export a group's schedule as an iCalendar file members can subscribe to.

Why: members keep their own diaries; an .ics with the real recurrence (not a
list of instances) lets their calendar follow DST the same way the bot does.
Kept apart from ``recurrence`` so that only this module needs ``icalendar``.

Shape: one master VEVENT (DTSTART with TZID on the first real occurrence,
DURATION, RRULE, EXDATE for skips), one VEVENT per move with the same UID and
a RECURRENCE-ID naming the original instance, and the VTIMEZONE definitions.
EXDATE and RECURRENCE-ID carry the nominal local time of the original
instance, which is how RFC 5545 clients match instances, including on a day
whose local time does not exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, vRecur

from bot.domain.recurrence import Schedule, current_slot, first_date, is_occurrence

__all__ = ["series_uid", "to_ics"]

_PRODID = "-//balint-bot//schedule//EN"


def series_uid(schedule: Schedule, group_name: str, uid_domain: str = "balint-bot") -> str:
    """A UID stable across exports of the same series, so re-imports update in place."""
    key = "|".join(
        (
            group_name,
            schedule.zone,
            schedule.rrule,
            schedule.starts.isoformat(),
            schedule.local_time.isoformat(),
        )
    )
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@{uid_domain}"


def _rrule(schedule: Schedule) -> vRecur:
    """The stored RRULE with UNTIL rewritten as the UTC end of the last local date."""
    parts = [
        part
        for part in schedule.rrule.removeprefix("RRULE:").split(";")
        if not part.upper().startswith("UNTIL=")
    ]
    recur = vRecur.from_ical(";".join(parts))
    if schedule.last_date is not None:
        end_of_day = datetime.combine(schedule.last_date, time(23, 59, 59), tzinfo=schedule.tz)
        recur["UNTIL"] = [end_of_day.astimezone(UTC)]
    return recur


def _local(schedule: Schedule, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=schedule.tz)


def to_ics(
    schedules: Schedule | Sequence[Schedule],
    group_name: str,
    lobby_url: str | None,
    uid_domain: str = "balint-bot",
    *,
    stamp: datetime | None = None,
) -> bytes:
    """Serialise a group's series and one-off sessions, each with its own UID.

    ``stamp`` (DTSTAMP) defaults to each schedule's first start, so the output is
    a pure function of its inputs.
    """
    items = [schedules] if isinstance(schedules, Schedule) else list(schedules)
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", group_name)
    spans: list[date] = []
    for schedule in items:
        spans += _add_schedule(cal, schedule, group_name, lobby_url, uid_domain, stamp)
    if spans:
        cal.add_missing_timezones(
            first_date=date(min(spans).year - 1, 1, 1),
            last_date=date(max(spans).year + 2, 1, 1),
        )
    else:
        cal.add_missing_timezones()
    return cal.to_ical()


def _add_schedule(
    cal: Calendar,
    schedule: Schedule,
    group_name: str,
    lobby_url: str | None,
    uid_domain: str,
    stamp: datetime | None,
) -> list[date]:
    """The master VEVENT (RRULE, EXDATEs) and one override per move; returns dates spanned."""
    first = first_date(schedule)
    if first is None:
        return []
    uid = series_uid(schedule, group_name, uid_domain)
    dtstamp = (stamp or _local(schedule, first, schedule.local_time)).astimezone(UTC)
    duration = timedelta(minutes=schedule.duration_minutes)

    def base_event() -> Event:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", dtstamp)
        event.add("summary", group_name)
        event.add("duration", duration)
        if lobby_url:
            event.add("location", lobby_url)
            event.add("url", lobby_url)
        return event

    master = base_event()
    master.add("dtstart", _local(schedule, first, schedule.local_time))
    master.add("rrule", _rrule(schedule))
    skipped = sorted(d for d in schedule.skips if is_occurrence(schedule, d))
    if skipped:
        master.add("exdate", [_local(schedule, d, schedule.local_time) for d in skipped])
    cal.add_component(master)

    for original in sorted(schedule.moves):
        slot = current_slot(schedule, original)
        if slot is None or not slot.moved:
            continue
        new_day, new_time = schedule.moves[original]
        override = base_event()
        override.add("recurrence-id", _local(schedule, original, schedule.local_time))
        override.add("dtstart", _local(schedule, new_day, new_time))
        cal.add_component(override)

    last = schedule.last_date or (first + timedelta(days=10 * 366))
    return [first, last, *(target[0] for target in schedule.moves.values())]
