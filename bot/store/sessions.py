"""Sessions and their live state: phase, turns, acks (presenters: session_cases.py).

The store is the one source of truth of a live meeting: after a restart the
facilitation cog rebuilds the domain's `SessionState` from these rows alone.
Only ids, times, phases and counts are kept; never anything a member wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from bot.domain.phases import Phase, SessionState, TurnMode
from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database
from bot.store.groups import LEADER_ROLES
from bot.store.session_save import save_state as save_state  # callers' old name

PLANNED, LIVE, ENDED, CANCELLED = "planned", "live", "ended", "cancelled"

_COLUMNS = (
    "id, group_id, occurrence_date, scheduled_start, scheduled_end, status, started_at, "
    "ended_at, text_channel_id, voice_channel_id, status_message_id, frame_message_id, "
    "phase, phase_started_at, phase_deadline, applied_phase, turn_mode, floor_holder_id, "
    "cases_done, round_phase, round_index, purged_at, last_message_at, message_count, "
    "round_turn_minutes, turn_started_at"
)


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    group_id: int
    occurrence_date: str | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    text_channel_id: int | None
    voice_channel_id: int | None
    status_message_id: int | None
    frame_message_id: int | None
    phase: str | None
    phase_started_at: datetime | None
    phase_deadline: datetime | None
    applied_phase: str | None
    turn_mode: str
    floor_holder_id: int | None
    cases_done: int
    round_phase: str | None
    round_index: int | None
    purged_at: datetime | None
    last_message_at: datetime | None
    message_count: int
    round_turn_minutes: int | None
    turn_started_at: datetime | None

    @property
    def live(self) -> bool:
        return self.status == LIVE


def _session(row: Sequence[Any]) -> Session:
    """A row of `_COLUMNS`, by position (lookups by name cost three times as much)."""
    values = list(row)
    for index in _TIME_AT:
        values[index] = from_epoch(values[index])
    return Session(*values)


_FIELDS = tuple(f.name for f in fields(Session))
_TIMES = frozenset(f.name for f in fields(Session) if str(f.type).startswith("datetime"))
_TIME_AT = tuple(i for i, name in enumerate(_FIELDS) if name in _TIMES)
if tuple(c.strip() for c in _COLUMNS.split(",")) != _FIELDS:  # `_session` reads by position
    raise RuntimeError("sessions._COLUMNS must list Session's fields in order")


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else to_epoch(moment)


# --- finding sessions ---------------------------------------------------------


async def get(db: Database, session_id: int) -> Session | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
    return _session(row) if row else None


async def by_text_channel(db: Database, channel_id: int) -> Session | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM sessions WHERE text_channel_id = ?", (channel_id,)
    )
    return _session(row) if row else None


async def by_voice_channel(db: Database, channel_id: int) -> Session | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM sessions WHERE voice_channel_id = ?", (channel_id,)
    )
    return _session(row) if row else None


async def live_for_group(db: Database, group_id: int) -> Session | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM sessions WHERE group_id = ? AND status = ? ORDER BY id DESC",
        (group_id, LIVE),
    )
    return _session(row) if row else None


async def live(db: Database) -> list[Session]:
    rows = await db.fetchall(f"SELECT {_COLUMNS} FROM sessions WHERE status = ?", (LIVE,))
    return [_session(row) for row in rows]


async def ended_unpurged(db: Database) -> list[Session]:
    """Sessions whose channels may still hold what was said: ended, not yet purged."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM sessions WHERE status = ? AND purged_at IS NULL", (ENDED,)
    )
    return [_session(row) for row in rows]


async def planned_with_channels(db: Database) -> list[Session]:
    """Planned sessions with channels, and ad-hoc rows still planned: starts the process
    did not live to finish (an ad-hoc row is planned only while its start runs)."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM sessions WHERE status = ? AND (text_channel_id IS NOT NULL "
        "OR voice_channel_id IS NOT NULL OR occurrence_date IS NULL)",
        (PLANNED,),
    )
    return [_session(row) for row in rows]


async def planned_near(
    db: Database, group_id: int, now: datetime, window: timedelta
) -> Session | None:
    """The planned session of the group starting nearest to now, within `window`, not over.

    A planned session whose end has passed did not take place; starting it now would
    fire its end-of-session reminders at once, so a fresh ad-hoc session is better.
    Nearest, not earliest: with 10:00 (nobody came) and 12:00 planned, a start at 11:25
    is the 12:00 meeting begun early, not the 10:00 one with five minutes left.
    """
    moment = to_epoch(now)
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM sessions WHERE group_id = ? AND status = ? "
        "AND scheduled_start BETWEEN ? AND ? AND scheduled_end > ? "
        "ORDER BY ABS(scheduled_start - ?), scheduled_start",
        (group_id, PLANNED, to_epoch(now - window), to_epoch(now + window), moment, moment),
    )
    return _session(row) if row else None


async def planned_by_id(db: Database, group_id: int, session_id: int) -> Session | None:
    """This group's session if it is still planned (the lobby button names its session)."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM sessions WHERE id = ? AND group_id = ? AND status = ?",
        (session_id, group_id, PLANNED),
    )
    return _session(row) if row else None


# --- lifecycle ------------------------------------------------------------------


async def create_adhoc(
    db: Database, group_id: int, scheduled_start: datetime, scheduled_end: datetime
) -> int:
    """A session nobody scheduled: the leaders started one now."""
    return await db.execute(
        "INSERT INTO sessions (group_id, scheduled_start, scheduled_end, status) "
        "VALUES (?, ?, ?, ?)",
        (group_id, to_epoch(scheduled_start), to_epoch(scheduled_end), PLANNED),
    )


async def delete(db: Database, session_id: int) -> None:
    """Roll back an ad-hoc session whose start failed half-way."""
    await db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


async def back_to_planned(db: Database, was: Session) -> None:
    """Roll back a planned session whose start failed half-way: the row as it was, no state."""
    keep = ("status", "started_at", "text_channel_id", "voice_channel_id", "status_message_id")
    keep += ("frame_message_id", "phase", "phase_started_at", "phase_deadline", "applied_phase")
    keep += ("turn_mode", "floor_holder_id", "cases_done", "round_phase", "round_index")
    values = [_epoch(v) if k in _TIMES else v for k in keep for v in [getattr(was, k)]]
    async with db.transaction():
        await db.execute(
            f"UPDATE sessions SET {', '.join(f'{k} = ?' for k in keep)} WHERE id = ?",
            (*values, was.id),
        )
        for table in ("session_queue", "session_away"):
            await db.execute(f"DELETE FROM {table} WHERE session_id = ?", (was.id,))


async def set_channels(
    db: Database, session_id: int, *, text_channel_id: int | None, voice_channel_id: int | None
) -> None:
    await db.execute(
        "UPDATE sessions SET text_channel_id = ?, voice_channel_id = ? WHERE id = ?",
        (text_channel_id, voice_channel_id, session_id),
    )


async def set_messages(
    db: Database, session_id: int, *, frame_message_id: int, status_message_id: int
) -> None:
    await db.execute(
        "UPDATE sessions SET frame_message_id = ?, status_message_id = ? WHERE id = ?",
        (frame_message_id, status_message_id, session_id),
    )


async def set_status_message(db: Database, session_id: int, message_id: int) -> None:
    """A status message posted again (the first was deleted by hand)."""
    await db.execute(
        "UPDATE sessions SET status_message_id = ? WHERE id = ?", (message_id, session_id)
    )


async def mark_live(
    db: Database, session_id: int, now: datetime, scheduled_end: datetime | None
) -> None:
    await db.execute(
        "UPDATE sessions SET status = ?, started_at = ?, "
        "scheduled_end = COALESCE(scheduled_end, ?) WHERE id = ?",
        (LIVE, to_epoch(now), _epoch(scheduled_end), session_id),
    )


async def mark_ended(db: Database, session_id: int, now: datetime) -> bool:
    """live -> ended; True only for the one caller that ended it."""
    return bool(
        await db.rowcount(
            "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
            (ENDED, to_epoch(now), session_id, LIVE),
        )
    )


async def mark_purged(db: Database, session_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE sessions SET purged_at = ? WHERE id = ? AND purged_at IS NULL",
        (to_epoch(now), session_id),
    )


async def count_message(db: Database, session_id: int, now: datetime) -> None:
    """A message was posted: a count and a time, never the message."""
    await db.execute(
        "UPDATE sessions SET message_count = message_count + 1, last_message_at = ? WHERE id = ?",
        (to_epoch(now), session_id),
    )


async def set_round_turn(
    db: Database, session_id: int, minutes: int | None, turn_started_at: datetime | None
) -> None:
    await db.execute(
        "UPDATE sessions SET round_turn_minutes = ?, turn_started_at = ? WHERE id = ?",
        (minutes, _epoch(turn_started_at), session_id),
    )


# --- the live state ---------------------------------------------------------------


STATE_ROWS = (
    "SELECT 0 AS src, kind, user_id, position AS n FROM session_queue WHERE session_id = ? "
    "UNION ALL SELECT 1, NULL, user_id, since FROM session_away WHERE session_id = ? "
    "UNION ALL SELECT 2, NULL, presenter_id, position FROM cases "
    "WHERE session_id = ? AND ended_at IS NULL "
)
LEADER_ROWS = (
    "UNION ALL SELECT 3, NULL, user_id, NULL FROM memberships WHERE group_id = {group} "
    "AND left_at IS NULL AND role IN (?, ?) "
)


async def load_state(
    db: Database,
    session: Session,
    *,
    leaders: frozenset[int] | None = None,
    durations: Mapping[Phase, int],
    max_cases: int,
) -> SessionState:
    """Rebuild the domain's immutable state from the rows (the only source of truth).

    One statement reads the queue, the away list, the open case's presenter and (unless
    given) the group's current leaders (session_group.get_with_state reads the session
    and its group with them).
    """
    sql = STATE_ROWS
    params: tuple[object, ...] = (session.id, session.id, session.id)
    if leaders is None:
        sql += LEADER_ROWS.format(group="?")
        params += (session.group_id, *LEADER_ROLES)
    rows = await db.fetchall(sql + "ORDER BY 1, 2, 4", params)
    return state_of(
        session, [tuple(r) for r in rows], leaders=leaders, durations=durations, max_cases=max_cases
    )


def state_of(
    session: Session,
    rows: Sequence[Sequence[Any]],
    *,
    leaders: frozenset[int] | None = None,
    durations: Mapping[Phase, int],
    max_cases: int,
) -> SessionState:
    """The state from the session's row and the (src, kind, user_id, n) rows of
    `STATE_ROWS` (and `LEADER_ROWS` unless `leaders` is given), ordered by src, kind, n."""
    queue_rows = [r for r in rows if r[0] == 0]
    cases = [r for r in rows if r[0] == 2]
    if leaders is None:
        leaders = frozenset(r[2] for r in rows if r[0] == 3)
    presenter = cases[-1][2] if cases else None  # highest position: the open case
    started = session.phase_started_at or session.started_at
    assert started is not None, "a live session has a start time"
    return SessionState(
        session_id=session.id,
        phase=Phase(session.phase or Phase.CHECK_IN),
        phase_started_at=started,
        phase_deadline=session.phase_deadline,
        presenter_id=presenter,
        cases_done=session.cases_done,
        max_cases=max_cases,
        leaders=leaders,
        floor_holder=session.floor_holder_id,
        turn_mode=TurnMode(session.turn_mode),
        hand_queue=tuple(r[2] for r in queue_rows if r[1] == "hand"),
        round_order=tuple(r[2] for r in queue_rows if r[1] == "round"),
        round_index=session.round_index or 0,
        away={r[2]: from_epoch(r[3]) for r in rows if r[0] == 1},
        durations=durations,
    )


async def keep_held_zone(db: Database, group_id: int, zone: str) -> None:
    """The group leaves `zone`: its meetings held (or under way) keep it, so each keeps the
    date it was held on. Part of the zone change's transaction (cogs/_groups_timezone.py)."""
    await db.execute(
        "UPDATE sessions SET held_zone = ? WHERE group_id = ? AND held_zone IS NULL "
        "AND status IN (?, ?)",
        (zone, group_id, LIVE, ENDED),
    )
