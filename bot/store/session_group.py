"""A session with its group's row, in one statement.

Every change of a meeting, every button press and every status edit needs both
rows; reading them together halves those reads.  Nothing is cached: the rows are
read fresh each time, as the store is the only source of truth.
"""

from __future__ import annotations

from bot.store.database import Database
from bot.store.groups import Group, _group
from bot.store.sessions import _COLUMNS, Session, _session

_PREFIX = "s__"  # no column of groups starts with it
_SELECT = ", ".join(f"s.{c} AS {_PREFIX}{c}" for c in (c.strip() for c in _COLUMNS.split(",")))


async def get(db: Database, session_id: int) -> tuple[Session, Group | None] | None:
    """The session and its group (None if the group's row is gone), or None."""
    row = await db.fetchone(
        f"SELECT {_SELECT}, g.* FROM sessions s LEFT JOIN groups g ON g.id = s.group_id "
        "WHERE s.id = ?",
        (session_id,),
    )
    if row is None:
        return None
    cut = len(_PREFIX)
    session_data, group_data = {}, {}
    for key in row.keys():  # noqa: SIM118 - sqlite3.Row iterates values, not keys
        if key.startswith(_PREFIX):
            session_data[key[cut:]] = row[key]
        else:
            group_data[key] = row[key]
    group = _group(group_data) if group_data.get("id") is not None else None  # type: ignore[arg-type]
    return _session(session_data), group  # type: ignore[arg-type]
