"""Schedules, their overrides, and the planned session of the next occurrence.

A group's series is one `schedules` row (local wall-clock values only); skips
and moves are `schedule_overrides` rows keyed by the occurrence's original
local date; one-off sessions are override rows of kind 'once'.  The NEXT
occurrence is materialised as a `sessions` row with status 'planned' (a row
planned earlier stays while its session is still ahead: cogs/_schedule_plan.py).
The facilitation capability picks that row up on /session start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.recurrence import Schedule, one_off
from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row

PLANNED, CANCELLED = "planned", "cancelled"


@dataclass(frozen=True, slots=True)
class Planned:
    """A planned (not yet started) session row: ids and times only."""

    id: int
    group_id: int
    occurrence_date: date
    scheduled_start: datetime
    scheduled_end: datetime
    status: str
    event_id: int | None


@dataclass(frozen=True, slots=True)
class GroupSchedules:
    """Everything stored about when a group meets."""

    series: Schedule | None
    onces: tuple[Schedule, ...]

    @property
    def all(self) -> list[Schedule]:
        return ([self.series] if self.series else []) + list(self.onces)


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _time(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _planned(row: Row) -> Planned:
    return Planned(
        id=row["id"],
        group_id=row["group_id"],
        occurrence_date=date.fromisoformat(row["occurrence_date"]),
        scheduled_start=from_epoch(row["scheduled_start"]),  # type: ignore[arg-type]
        scheduled_end=from_epoch(row["scheduled_end"]),  # type: ignore[arg-type]
        status=row["status"],
        event_id=row["event_id"],
    )


# -- series and overrides --------------------------------------------------------------


async def set_series(db: Database, group_id: int, schedule: Schedule, now: datetime) -> None:
    """Replace the group's series; its old skips and moves go with it (one-offs stay)."""
    await db.execute(
        "DELETE FROM schedule_overrides WHERE group_id = ? AND kind IN ('skip', 'move')",
        (group_id,),
    )
    await db.execute(
        "INSERT INTO schedules (group_id, rrule, local_time, starts, until, duration_minutes, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET "
        "rrule = excluded.rrule, local_time = excluded.local_time, starts = excluded.starts, "
        "until = excluded.until, duration_minutes = excluded.duration_minutes, "
        "created_at = excluded.created_at",
        (
            group_id,
            schedule.rrule,
            _hhmm(schedule.local_time),
            schedule.starts.isoformat(),
            schedule.until.isoformat() if schedule.until else None,
            schedule.duration_minutes,
            to_epoch(now),
        ),
    )


async def add_once(db: Database, group_id: int, single: Schedule) -> None:
    await db.execute(
        "INSERT INTO schedule_overrides (group_id, original_date, kind, new_date, new_time, "
        "duration_minutes) VALUES (?, ?, 'once', ?, ?, ?) ON CONFLICT "
        "(group_id, original_date, kind) DO UPDATE SET new_time = excluded.new_time, "
        "duration_minutes = excluded.duration_minutes",
        (
            group_id,
            single.starts.isoformat(),
            single.starts.isoformat(),
            _hhmm(single.local_time),
            single.duration_minutes,
        ),
    )


async def add_skip(db: Database, group_id: int, original: date) -> None:
    await db.execute(
        "INSERT INTO schedule_overrides (group_id, original_date, kind) VALUES (?, ?, 'skip') "
        "ON CONFLICT (group_id, original_date, kind) DO NOTHING",
        (group_id, original.isoformat()),
    )


async def remove_once(db: Database, group_id: int, day: date) -> bool:
    return bool(
        await db.rowcount(
            "DELETE FROM schedule_overrides WHERE group_id = ? AND original_date = ? "
            "AND kind = 'once'",
            (group_id, day.isoformat()),
        )
    )


async def add_move(
    db: Database, group_id: int, original: date, new_date: date, new_time: time
) -> None:
    await db.execute(
        "INSERT INTO schedule_overrides (group_id, original_date, kind, new_date, new_time) "
        "VALUES (?, ?, 'move', ?, ?) ON CONFLICT (group_id, original_date, kind) DO UPDATE SET "
        "new_date = excluded.new_date, new_time = excluded.new_time",
        (group_id, original.isoformat(), new_date.isoformat(), _hhmm(new_time)),
    )


async def pin_once(db: Database, group_id: int, original: date, day: date, at: time) -> None:
    """A one-off keeps its instant in a new zone (bot/domain/zone_change.py): its local
    date and time there; its planned row follows a new date, so the two still match."""
    await db.execute(
        "UPDATE schedule_overrides SET original_date = ?, new_date = ?, new_time = ? "
        "WHERE group_id = ? AND original_date = ? AND kind = 'once'",
        (day.isoformat(), day.isoformat(), _hhmm(at), group_id, original.isoformat()),
    )
    await db.execute(
        "UPDATE sessions SET occurrence_date = ? WHERE group_id = ? AND occurrence_date = ? "
        "AND status = ?",
        (day.isoformat(), group_id, original.isoformat(), PLANNED),
    )


async def clear(db: Database, group_id: int) -> None:
    await db.execute("DELETE FROM schedule_overrides WHERE group_id = ?", (group_id,))
    await db.execute("DELETE FROM schedules WHERE group_id = ?", (group_id,))


async def load(db: Database, group_id: int, zone: str) -> GroupSchedules:
    """The group's series (with its skips and moves) and one-offs, as domain values."""
    row = await db.fetchone("SELECT * FROM schedules WHERE group_id = ?", (group_id,))
    overrides = await db.fetchall(
        "SELECT * FROM schedule_overrides WHERE group_id = ? ORDER BY original_date", (group_id,)
    )
    skips = {date.fromisoformat(o["original_date"]) for o in overrides if o["kind"] == "skip"}
    moves = {
        date.fromisoformat(o["original_date"]): (
            date.fromisoformat(o["new_date"]),
            _time(o["new_time"]),
        )
        for o in overrides
        if o["kind"] == "move"
    }
    onces = tuple(
        one_off(
            date.fromisoformat(o["new_date"]), _time(o["new_time"]), o["duration_minutes"], zone
        )
        for o in overrides
        if o["kind"] == "once"
    )
    series = None
    if row is not None:
        series = Schedule(
            rrule=row["rrule"],
            local_time=_time(row["local_time"]),
            starts=date.fromisoformat(row["starts"]),
            until=date.fromisoformat(row["until"]) if row["until"] else None,
            duration_minutes=row["duration_minutes"],
            zone=zone,
            skips=frozenset(skips),
            moves=moves,
        )
    return GroupSchedules(series=series, onces=onces)


async def groups_with_schedules(db: Database) -> list[int]:
    """Active groups that have a series or a one-off: what start-up reconciles."""
    rows = await db.fetchall(
        "SELECT g.id FROM groups g WHERE g.archived_at IS NULL AND ("
        "EXISTS (SELECT 1 FROM schedules s WHERE s.group_id = g.id) OR "
        "EXISTS (SELECT 1 FROM schedule_overrides o WHERE o.group_id = g.id AND o.kind = 'once'))"
    )
    return [row["id"] for row in rows]


# -- planned sessions (rows of the sessions table with status 'planned') -------------------


async def insert_planned(
    db: Database, group_id: int, occurrence_date: date, start: datetime, end: datetime
) -> int:
    return await db.execute(
        "INSERT INTO sessions (group_id, occurrence_date, scheduled_start, scheduled_end, status) "
        "VALUES (?, ?, ?, ?, ?)",
        (group_id, occurrence_date.isoformat(), to_epoch(start), to_epoch(end), PLANNED),
    )


async def insert_planned_many(
    db: Database, rows: Iterable[tuple[int, date, datetime, datetime]]
) -> None:
    """Bulk insert (benchmarks, imports); call inside a transaction."""
    await db.executemany(
        "INSERT INTO sessions (group_id, occurrence_date, scheduled_start, scheduled_end, status) "
        "VALUES (?, ?, ?, ?, 'planned')",
        [(g, d.isoformat(), to_epoch(s), to_epoch(e)) for g, d, s, e in rows],
    )


async def planned_for_group(
    db: Database, group_id: int, *, ending_after: datetime | None = None
) -> list[Planned]:
    """Planned rows of a group; with ``ending_after``, only those not over by then.

    A planned session nobody started stays 'planned' after its end (it did not
    take place, but it was not cancelled either); the next one is planned anyway.
    Scheduled rows only: an ad-hoc start's row is 'planned' until it is live, with
    no occurrence date, and belongs to no schedule.
    """
    after = to_epoch(ending_after) if ending_after is not None else -1
    rows = await db.fetchall(
        "SELECT * FROM sessions WHERE group_id = ? AND status = ? AND scheduled_end > ? "
        "AND occurrence_date IS NOT NULL ORDER BY scheduled_start",
        (group_id, PLANNED, after),
    )
    return [_planned(row) for row in rows]


async def held_dates(db: Database, group_id: int) -> frozenset[date]:
    """Occurrence dates whose session was started (live or ended): never planned again.

    A leader may start a planned session up to 2 h early; until its scheduled start it
    is still "next" by the clock, and planning it again would make a second row and a
    second Discord event for one meeting.
    """
    rows = await db.fetchall(
        "SELECT DISTINCT occurrence_date FROM sessions WHERE group_id = ? "
        "AND occurrence_date IS NOT NULL AND status NOT IN (?, ?)",
        (group_id, PLANNED, CANCELLED),
    )
    return frozenset(date.fromisoformat(row["occurrence_date"]) for row in rows)


async def get_session(db: Database, session_id: int) -> Planned | None:
    """Any scheduled session row (planned or not) by id; None for ad-hoc sessions."""
    row = await db.fetchone(
        "SELECT * FROM sessions WHERE id = ? AND occurrence_date IS NOT NULL", (session_id,)
    )
    return _planned(row) if row else None


async def by_occurrence(db: Database, group_id: int, occurrence_date: date) -> Planned | None:
    """The latest session row for an occurrence date (for /schedule roster DATE)."""
    row = await db.fetchone(
        "SELECT * FROM sessions WHERE group_id = ? AND occurrence_date = ? AND status != ? "
        "ORDER BY id DESC LIMIT 1",
        (group_id, occurrence_date.isoformat(), CANCELLED),
    )
    return _planned(row) if row else None


async def starting_between(
    db: Database, group_id: int, lower: datetime, upper: datetime
) -> Planned | None:
    """The latest scheduled row starting in [lower, upper) (a moved session by its new date).

    Ad-hoc sessions have no occurrence date and no roster: they are not one.
    """
    row = await db.fetchone(
        "SELECT * FROM sessions WHERE group_id = ? AND scheduled_start >= ? "
        "AND scheduled_start < ? AND status != ? AND occurrence_date IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        (group_id, to_epoch(lower), to_epoch(upper), CANCELLED),
    )
    return _planned(row) if row else None


async def reschedule_planned(db: Database, session_id: int, start: datetime, end: datetime) -> None:
    await db.execute(
        "UPDATE sessions SET scheduled_start = ?, scheduled_end = ? WHERE id = ? AND status = ?",
        (to_epoch(start), to_epoch(end), session_id, PLANNED),
    )


async def cancel_planned(db: Database, session_id: int) -> bool:
    return bool(
        await db.rowcount(
            "UPDATE sessions SET status = ? WHERE id = ? AND status = ?",
            (CANCELLED, session_id, PLANNED),
        )
    )


async def stale_events(db: Database) -> list[Planned]:
    """Scheduled rows holding a Discord event id they should not: cancelled ones (a crash
    came between cancelling the row and deleting its event: _schedule_plan.cancel_session)
    and planned ones of groups with events turned off (a crash before their event was
    deleted: _schedule_plan.drop_event)."""
    rows = await db.fetchall(
        "SELECT s.* FROM sessions s JOIN groups g ON g.id = s.group_id "
        "WHERE s.event_id IS NOT NULL AND s.occurrence_date IS NOT NULL "
        "AND (s.status = ? OR (s.status = ? AND g.events_enabled = 0)) ORDER BY s.id",
        (CANCELLED, PLANNED),
    )
    return [_planned(row) for row in rows]


async def set_event(db: Database, session_id: int, event_id: int | None) -> None:
    await db.execute("UPDATE sessions SET event_id = ? WHERE id = ?", (event_id, session_id))


async def holds_event(db: Database, event_id: int) -> bool:
    """Whether a session row holds this Discord event (one to move, or to delete yet)."""
    row = await db.fetchone("SELECT 1 FROM sessions WHERE event_id = ? LIMIT 1", (event_id,))
    return row is not None
