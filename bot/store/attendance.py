"""Attendance: one row per (session, member) with a status and where it came from.

Sessions are owned by facilitation; this module only reads the few columns
attendance needs (when a session took place and whether it ended).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row
from bot.store.session_refs import COLUMNS as _SESSION_COLUMNS
from bot.store.session_refs import SessionRef
from bot.store.session_refs import session_ref as _session


@dataclass(frozen=True, slots=True)
class Entry:
    session_id: int
    user_id: int
    status: str
    source: str
    marked_at: datetime


# When a session took place, as one sortable SQL expression.
_MOMENT = "COALESCE(started_at, scheduled_start, ended_at)"


def _entry(row: Row) -> Entry:
    return Entry(
        session_id=row["session_id"],
        user_id=row["user_id"],
        status=row["status"],
        source=row["source"],
        marked_at=from_epoch(row["marked_at"]),  # type: ignore[arg-type]
    )


async def session(db: Database, session_id: int) -> SessionRef | None:
    row = await db.fetchone(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
    return _session(row) if row else None


@dataclass(frozen=True, slots=True)
class PresenceFacts:
    """What a presence signal needs to know, read in one statement."""

    session: SessionRef
    in_group: bool  # a membership row exists (a former member's too)
    existing: Entry | None
    # A member of the group now (not a leader) while a go-round runs without them: added
    # (back) or no longer a leader since it began, or first seen now (rounds.owed_a_turn).
    round_without_them: bool = False


_PREFIXED = ", ".join(f"s.{c.strip()}" for c in _SESSION_COLUMNS.split(","))
# What a presence signal needs beside the session, for a statement that joins the user's
# membership as `m` and their entry as `a` (session_group.get_for reads them with a press).
PRESENCE_COLUMNS = (
    "a.user_id AS a_user, a.status AS a_status, a.source AS a_source, "
    "a.marked_at AS a_marked_at, "
    "(m.role = 'member' AND m.left_at IS NULL "
    " AND EXISTS (SELECT 1 FROM session_queue q WHERE q.session_id = s.id "
    "  AND q.kind = 'round') "
    " AND NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.session_id = s.id "
    "  AND q.kind = 'round' AND q.user_id = m.user_id)) AS round_without"
)
ENTRY_JOIN = "LEFT JOIN attendance a ON a.session_id = s.id AND a.user_id = ? "


def facts_of(
    session: SessionRef, user_id: int, in_group: bool, values: tuple[object, ...]
) -> PresenceFacts:
    """PresenceFacts from `PRESENCE_COLUMNS`' values, in order."""
    a_user, status, source, marked_at, round_without = values
    existing = None
    if a_user is not None:
        existing = Entry(
            session_id=session.id,
            user_id=user_id,
            status=status,  # type: ignore[arg-type]
            source=source,  # type: ignore[arg-type]
            marked_at=from_epoch(marked_at),  # type: ignore[arg-type]
        )
    return PresenceFacts(session, in_group, existing, bool(round_without))


async def presence_facts(db: Database, session_id: int, user_id: int) -> PresenceFacts | None:
    """The session, whether the user has a membership in its group, and their entry.

    One statement instead of three: presence signals come with nearly every interaction
    of a meeting, and the usual answer is "already present, nothing to write".
    """
    row = await db.fetchone(
        f"SELECT {_PREFIXED}, m.user_id AS m_user, {PRESENCE_COLUMNS} FROM sessions s "
        "LEFT JOIN memberships m ON m.group_id = s.group_id AND m.user_id = ? "
        f"{ENTRY_JOIN}WHERE s.id = ?",
        (user_id, user_id, session_id),
    )
    if row is None:
        return None
    values = tuple(row)
    return facts_of(_session(row), user_id, row["m_user"] is not None, values[-5:])


async def ended_sessions(
    db: Database,
    group_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    latest: int | None = None,
) -> list[SessionRef]:
    """Ended sessions of a group in time order; `latest` keeps only the last N."""
    sql = f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE group_id = ? AND status = 'ended'"
    params: list[object] = [group_id]
    if since is not None:
        sql += f" AND {_MOMENT} >= ?"
        params.append(to_epoch(since))
    if until is not None:
        sql += f" AND {_MOMENT} < ?"
        params.append(to_epoch(until))
    if latest is not None:
        rows = await db.fetchall(
            sql + f" ORDER BY {_MOMENT} DESC, id DESC LIMIT ?", (*params, latest)
        )
        rows.reverse()
    else:
        rows = await db.fetchall(sql + f" ORDER BY {_MOMENT}, id", params)
    return [_session(row) for row in rows]


async def live_session(db: Database, group_id: int) -> SessionRef | None:
    """The group's meeting running now, if any (attendance may be corrected during it)."""
    row = await db.fetchone(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE group_id = ? AND status = 'live' "
        "ORDER BY id DESC LIMIT 1",
        (group_id,),
    )
    return _session(row) if row else None


async def entry(db: Database, session_id: int, user_id: int) -> Entry | None:
    row = await db.fetchone(
        "SELECT * FROM attendance WHERE session_id = ? AND user_id = ?", (session_id, user_id)
    )
    return _entry(row) if row else None


async def put(
    db: Database, session_id: int, user_id: int, status: str, source: str, now: datetime
) -> None:
    """Insert or replace one member's entry for one session."""
    await db.execute(
        "INSERT INTO attendance (session_id, user_id, status, source, marked_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE SET "
        "status = excluded.status, source = excluded.source, marked_at = excluded.marked_at",
        (session_id, user_id, status, source, to_epoch(now)),
    )


async def put_if_unchanged(
    db: Database,
    session_id: int,
    user_id: int,
    status: str,
    source: str,
    now: datetime,
    expected: Entry | None,
) -> bool:
    """Write one entry only if it is still `expected` (None: no entry yet), in one statement;
    False if it changed since it was read (the caller decides again on what is there now)."""
    if expected is None:
        sql = (
            "INSERT INTO attendance (session_id, user_id, status, source, marked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO NOTHING"
        )
        return bool(await db.rowcount(sql, (session_id, user_id, status, source, to_epoch(now))))
    sql = (
        "UPDATE attendance SET status = ?, source = ?, marked_at = ? "
        "WHERE session_id = ? AND user_id = ? AND status = ? AND source = ? AND marked_at = ?"
    )
    old = (expected.status, expected.source, to_epoch(expected.marked_at))
    return bool(await db.rowcount(sql, (status, source, to_epoch(now), session_id, user_id, *old)))


async def for_session(db: Database, session_id: int) -> list[Entry]:
    rows = await db.fetchall(
        "SELECT * FROM attendance WHERE session_id = ? ORDER BY user_id", (session_id,)
    )
    return [_entry(row) for row in rows]


async def for_sessions(db: Database, session_ids: list[int]) -> list[Entry]:
    if not session_ids:
        return []
    marks = ", ".join("?" for _ in session_ids)
    rows = await db.fetchall(
        f"SELECT * FROM attendance WHERE session_id IN ({marks}) ORDER BY session_id, user_id",
        session_ids,
    )
    return [_entry(row) for row in rows]


async def complete(
    db: Database,
    session_id: int,
    leader_roles: tuple[str, ...],
    excused: tuple[str, str],
    absent: tuple[str, str],
    now: datetime,
) -> None:
    """At the end: who led the session, and an entry for each current member without one.

    Two statements whatever the group's size (the end used to write each member's row
    and each leader's by itself). Who led it is written once: a re-run of the end (after
    a restart) keeps the first record even if the group's leaders changed in between. A
    member who said no to the RSVP gets `excused`, anyone else `absent` (status, source:
    the domain's decisions); an entry already there (a signal, a leader's mark) is kept.
    """
    roles = ", ".join("?" for _ in leader_roles)
    await db.execute(
        "INSERT INTO session_leaders (session_id, user_id) "
        "SELECT s.id, m.user_id FROM sessions s JOIN memberships m ON m.group_id = s.group_id "
        f"WHERE s.id = ? AND m.left_at IS NULL AND m.role IN ({roles}) "
        "AND NOT EXISTS (SELECT 1 FROM session_leaders l WHERE l.session_id = s.id) "
        "ON CONFLICT (session_id, user_id) DO NOTHING",
        (session_id, *leader_roles),
    )
    await db.execute(
        "INSERT INTO attendance (session_id, user_id, status, source, marked_at) "
        "SELECT s.id, m.user_id, "
        "CASE WHEN r.user_id IS NULL THEN ? ELSE ? END, "
        "CASE WHEN r.user_id IS NULL THEN ? ELSE ? END, ? "
        "FROM sessions s JOIN memberships m ON m.group_id = s.group_id AND m.left_at IS NULL "
        "LEFT JOIN rsvps r ON r.session_id = s.id AND r.user_id = m.user_id AND r.answer = 'no' "
        "WHERE s.id = ? "
        "ON CONFLICT (session_id, user_id) DO NOTHING",
        (absent[0], excused[0], absent[1], excused[1], to_epoch(now), session_id),
    )


async def leaders_of(db: Database, session_ids: list[int]) -> dict[int, list[int]]:
    """The recorded leaders of each session; a session without a record is left out."""
    if not session_ids:
        return {}
    marks = ", ".join("?" for _ in session_ids)
    rows = await db.fetchall(
        f"SELECT session_id, user_id FROM session_leaders WHERE session_id IN ({marks}) "
        "ORDER BY session_id, user_id",
        session_ids,
    )
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["session_id"], []).append(row["user_id"])
    return found
