"""What a change of a group's time zone moves: the wall clock stays, the instants follow.

A group that meets "Thursdays 19:00" keeps meeting at 19:00, now in its new zone. Its
series, skips, moves and one-offs are stored as local wall-clock values, so every
session ahead simply gets its new UTC instant from them. Two kinds of session keep
their instant instead (they are pinned: stored as a move to that same instant's local
date and time in the new zone):

- one due now (its start has passed and it has not ended): members may be in the lobby;
- one whose new instant would already have passed (a zone further east, changed just
  before the meeting): it would otherwise silently disappear.

A session a leader has started (a held date) is never planned again, so nothing here
touches it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.recurrence import Schedule, current_slot, occurrences_between

# No two zones are more than 26 h apart: no session further ahead can fall into the past.
_REACH = timedelta(hours=27)


@dataclass(frozen=True, slots=True)
class Pin:
    """A session that keeps its instant: its local date and time in the new zone."""

    original_date: date
    one_off: bool
    day: date
    at: time
    start_utc: datetime


def in_zone(schedule: Schedule, zone: str) -> Schedule:
    """The same wall-clock schedule read in another zone."""
    return dataclasses.replace(schedule, zone=zone)


def pins(
    series: Schedule | None,
    onces: Sequence[Schedule],
    new_zone: str,
    now: datetime,
    held: frozenset[date] = frozenset(),
) -> list[Pin]:
    """The sessions that keep their instant when the group moves to ``new_zone``.

    ``series`` and ``onces`` are read in the old zone; ``held`` are the dates already
    started (left alone). In start order.
    """
    tz = ZoneInfo(new_zone)
    out: list[Pin] = []
    kinds = ([(series, False)] if series is not None else []) + [(o, True) for o in onces]
    for schedule, single in kinds:
        lower = now - schedule.duration
        for occ in occurrences_between(schedule, lower, now + _REACH):
            if occ.end_utc <= now or occ.original_date in held:
                continue
            moved = current_slot(in_zone(schedule, new_zone), occ.original_date)
            if moved is not None and moved.start_utc == occ.start_utc:
                continue  # the same offset that day: nothing moves
            if occ.start_utc > now and moved is not None and moved.start_utc > now:
                continue  # both ahead: it follows the wall clock
            local = occ.start_utc.astimezone(tz)
            out.append(
                Pin(
                    original_date=occ.original_date,
                    one_off=single,
                    day=local.date(),
                    at=local.time().replace(tzinfo=None, second=0, microsecond=0),
                    start_utc=occ.start_utc,
                )
            )
    out.sort(key=lambda pin: pin.start_utc)
    return out


def date_taken(
    series: Schedule | None, onces: Sequence[Schedule], kept: Sequence[Pin], new_zone: str
) -> Pin | None:
    """A one-off kept at its instant whose local date in ``new_zone`` already has a session.

    Why: a date holds one session (a one-off is stored by its date, and a series date
    comes before a one-off of that date), so such a one-off would be lost or refused by
    the store. The change waits until that session is over, or one of the two moves.
    """
    moved = {p.original_date: p.day for p in kept if p.one_off}
    dates = [moved.get(o.starts, o.starts) for o in onces]
    new_series = in_zone(series, new_zone) if series is not None else None
    for pin in kept:
        if not pin.one_off or pin.day == pin.original_date:
            continue
        if dates.count(pin.day) > 1:
            return pin
        if new_series is not None and current_slot(new_series, pin.day) is not None:
            return pin
    return None
