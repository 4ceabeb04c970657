"""A session with its group's row, in one statement.

Every change of a meeting, every button press and every status edit needs both
rows; reading them together halves those reads.  Nothing is cached: the rows are
read fresh each time, as the store is the only source of truth.
"""

from __future__ import annotations

from dataclasses import fields

from bot.store.database import Database
from bot.store.groups import Group, group_of
from bot.store.sessions import _COLUMNS, Session, _session

_SESSION = tuple(c.strip() for c in _COLUMNS.split(","))
_GROUP = tuple(f.name for f in fields(Group))  # Group(**row) needs exactly these columns
_SELECT = ", ".join([*(f"s.{c}" for c in _SESSION), *(f"g.{c}" for c in _GROUP)])
_CUT = len(_SESSION)


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
