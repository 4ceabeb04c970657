"""A session with its group's row, in one statement.

Every change of a meeting, every button press and every status edit needs both
rows; reading them together halves those reads (a button press reads the caller's
membership with them).  A change also needs the state's rows
(queue, away list, open case, leaders): `get_with_state` reads all of it in one
statement.  Nothing is cached: the rows are read fresh each time, as the store is
the only source of truth.
"""

from __future__ import annotations

from dataclasses import fields

from bot.store.attendance import ENTRY_JOIN, PRESENCE_COLUMNS, PresenceFacts, facts_of
from bot.store.database import Database
from bot.store.groups import (
    LEADER_ROLES,
    MEMBERSHIP_COLUMNS,
    Group,
    Membership,
    group_of,
    membership_of,
)
from bot.store.session_refs import SessionRef
from bot.store.sessions import _COLUMNS, LEADER_ROWS, STATE_ROWS, Session, _session

_SESSION = tuple(c.strip() for c in _COLUMNS.split(","))
_GROUP = tuple(f.name for f in fields(Group))  # Group(**row) needs exactly these columns
_SELECT = ", ".join([*(f"s.{c}" for c in _SESSION), *(f"g.{c}" for c in _GROUP)])
_CUT = len(_SESSION)
_ROW_END = _CUT + len(_GROUP)


async def get(db: Database, session_id: int) -> tuple[Session, Group | None] | None:
    """The session and its group (None if the group's row is gone), or None."""
    row = await db.fetchone(
        f"SELECT {_SELECT} FROM sessions s LEFT JOIN groups g ON g.id = s.group_id WHERE s.id = ?",
        (session_id,),
    )
    if row is None:
        return None
    values = tuple(row)  # by position: the two rows share column names (id, group_id)
    session = _session(values[:_CUT])  # the session's columns are `_COLUMNS`, in order
    if values[_CUT] is None:  # g.id: no group row
        return session, None
    return session, group_of(_GROUP, values[_CUT:])


_WITH_CALLER = (
    f"SELECT {_SELECT}, {', '.join(f'm.{c}' for c in MEMBERSHIP_COLUMNS)}, s.held_zone, "
    f"{PRESENCE_COLUMNS} FROM sessions s "
    "LEFT JOIN groups g ON g.id = s.group_id "
    "LEFT JOIN memberships m ON m.group_id = s.group_id AND m.user_id = ? "
    f"{ENTRY_JOIN}WHERE s.id = ?"
)
_HELD_ZONE = _ROW_END + len(MEMBERSHIP_COLUMNS)


async def get_for(
    db: Database, session_id: int, user_id: int
) -> tuple[Session, Group | None, Membership | None, PresenceFacts] | None:
    """The session, its group, the user's membership in it (a former member's too) and
    what the user's presence signal needs (attendance.presence_facts), in one statement:
    a button press needs all of it for its access check and its presence signal."""
    row = await db.fetchone(_WITH_CALLER, (user_id, user_id, session_id))
    if row is None:
        return None
    values = tuple(row)
    session = _session(values[:_CUT])
    in_group = values[_ROW_END] is not None  # m.role: a membership row
    facts = facts_of(_ref(session, values[_HELD_ZONE]), user_id, in_group, values[-5:])
    if values[_CUT] is None:  # g.id: no group row
        return session, None, None, facts
    group = group_of(_GROUP, values[_CUT:_ROW_END])
    return session, group, membership_of(group.id, user_id, values[_ROW_END:_HELD_ZONE]), facts


def _ref(session: Session, held_zone: object) -> SessionRef:
    """The attendance view of a session read whole."""
    return SessionRef(
        id=session.id,
        group_id=session.group_id,
        status=session.status,
        scheduled_start=session.scheduled_start,
        scheduled_end=session.scheduled_end,
        started_at=session.started_at,
        ended_at=session.ended_at,
        text_channel_id=session.text_channel_id,
        phase=session.phase,
        held_zone=held_zone,  # type: ignore[arg-type]
    )


_WITH_STATE = (
    f"SELECT {_SELECT}, {', '.join(f'c.{c}' for c in MEMBERSHIP_COLUMNS)}, "
    "q.src, q.kind, q.user_id, q.n FROM sessions s "
    "LEFT JOIN groups g ON g.id = s.group_id "
    # The caller's row (none when no caller is given: `user_id = NULL` matches nothing).
    "LEFT JOIN memberships c ON c.group_id = s.group_id AND c.user_id = ? "
    f"LEFT JOIN ({STATE_ROWS}"
    f"{LEADER_ROWS.format(group='(SELECT group_id FROM sessions WHERE id = ?)')}) q ON 1 = 1 "
    "WHERE s.id = ? ORDER BY q.src, q.kind, q.n"
)
_STATE_AT = _ROW_END + len(MEMBERSHIP_COLUMNS)


async def get_with_state(
    db: Database, session_id: int, caller: int | None = None
) -> tuple[Session, Group | None, list[tuple[object, ...]], Membership | None] | None:
    """The session, its group, the rows of its state (`sessions.state_of` builds it) and
    the `caller`'s membership in the group (a former member's too; None without a caller),
    in one statement; None if there is no such session.

    Why the caller: a change that stores the presser's own id checks them again under the
    session's lock; read here, that check costs no statement of its own.
    """
    params = (caller, session_id, session_id, session_id, session_id, *LEADER_ROLES, session_id)
    rows = await db.fetchall(_WITH_STATE, params)
    if not rows:
        return None
    values = tuple(rows[0])
    session = _session(values[:_CUT])
    group = None if values[_CUT] is None else group_of(_GROUP, values[_CUT:_ROW_END])
    membership = None
    if group is not None and caller is not None:
        membership = membership_of(group.id, caller, values[_ROW_END:_STATE_AT])
    state = [tuple(r)[_STATE_AT:] for r in rows if r[_STATE_AT] is not None]
    return session, group, state, membership


_BY_CHANNEL = (
    f"SELECT {', '.join(f'g.{c}' for c in _GROUP)}, "
    f"{', '.join(f'm.{c}' for c in MEMBERSHIP_COLUMNS)}, "
    f"{', '.join(f's.{c}' for c in _SESSION)} FROM groups g "
    "LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = ? "
    "LEFT JOIN sessions s ON s.id = (SELECT MAX(l.id) FROM sessions l "
    "WHERE l.group_id = g.id AND l.status = 'live') "
    # `+guild_id`: a check only; the three channel indexes find the row (see by_channel).
    "WHERE +g.guild_id = ? AND (g.category_id IN (?, ?) OR g.lobby_channel_id IN (?, ?) "
    "OR g.leaders_channel_id IN (?, ?)) "
    "ORDER BY CASE WHEN ? IN (g.category_id, g.lobby_channel_id, g.leaders_channel_id) "
    "THEN 0 ELSE 1 END LIMIT 1"
)
_MEMBERSHIP_END = len(_GROUP) + len(MEMBERSHIP_COLUMNS)


async def by_channel_live(
    db: Database, guild_id: int, channel_id: int, category_id: int | None, user_id: int
) -> tuple[Group, Membership | None, Session | None] | None:
    """The group whose channel this is (else whose category it is in), the user's membership
    in it and its live session, in one statement: a session command needs all three before
    it answers (it used to read them one by one, and the group twice from a session channel).
    """
    parent = channel_id if category_id is None else category_id
    row = await db.fetchone(
        _BY_CHANNEL, (user_id, guild_id, *((channel_id, parent) * 3), channel_id)
    )
    if row is None:
        return None
    values = tuple(row)
    group = group_of(_GROUP, values[: len(_GROUP)])
    membership = membership_of(group.id, user_id, values[len(_GROUP) : _MEMBERSHIP_END])
    rest = values[_MEMBERSHIP_END:]
    return group, membership, None if rest[0] is None else _session(rest)
