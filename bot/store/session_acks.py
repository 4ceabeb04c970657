"""Who read the confidentiality reminder in a session ("I've read it" on the frame).

Split from sessions.py: ids and times only, as the rest of a session's rows.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database


async def ack_counts(db: Database, session_id: int, group_id: int) -> tuple[int, int]:
    """(current members who acknowledged the reminder, current members) in one statement."""
    row = await db.fetchone(
        "SELECT COUNT(*) AS total, COUNT(a.user_id) AS done FROM memberships m "
        "LEFT JOIN session_acks a ON a.session_id = ? AND a.user_id = m.user_id "
        "WHERE m.group_id = ? AND m.left_at IS NULL",
        (session_id, group_id),
    )
    return (int(row["done"]), int(row["total"])) if row else (0, 0)


async def add_ack(db: Database, session_id: int, user_id: int, now: datetime) -> bool:
    """True if this is the member's first acknowledgement in this session."""
    return bool(
        await db.rowcount(
            "INSERT INTO session_acks (session_id, user_id, acked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, user_id) DO NOTHING",
            (session_id, user_id, to_epoch(now)),
        )
    )


async def acked(db: Database, session_id: int) -> set[int]:
    rows = await db.fetchall("SELECT user_id FROM session_acks WHERE session_id = ?", (session_id,))
    return {row["user_id"] for row in rows}
