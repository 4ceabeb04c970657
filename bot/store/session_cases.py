"""The presenter of a session's current case: the rows of the `cases` table a meeting drives.

`/session presenter` and the cases capability's `/case pick` choose; the
session's state changes close the case. Ids, kinds, positions and times only.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database


async def current_presenter(db: Database, session_id: int) -> int | None:
    """The presenter of the open case (ended_at NULL) of this session, if any."""
    row = await db.fetchone(
        "SELECT presenter_id FROM cases WHERE session_id = ? AND ended_at IS NULL "
        "ORDER BY position DESC LIMIT 1",
        (session_id,),
    )
    return row["presenter_id"] if row else None


async def set_presenter(
    db: Database, session_id: int, user_id: int, kind: str, now: datetime
) -> int:
    """Choose who presents the next case; re-choosing before it begins replaces the choice.

    Used by `/session presenter` and by the cases capability's `/case pick`.
    """
    async with db.transaction():
        row = await db.fetchone(
            "SELECT id, started_at FROM cases WHERE session_id = ? AND ended_at IS NULL "
            "ORDER BY position DESC LIMIT 1",
            (session_id,),
        )
        if row is not None and row["started_at"] is None:
            await db.execute(
                "UPDATE cases SET presenter_id = ?, kind = ? WHERE id = ?",
                (user_id, kind, row["id"]),
            )
            return int(row["id"])
        if row is not None:  # a begun case is still open: close it first
            await end_case(db, session_id, now)
        top = await db.fetchone(
            "SELECT COALESCE(MAX(position), 0) AS p FROM cases WHERE session_id = ?",
            (session_id,),
        )
        position = int(top["p"] if top else 0) + 1
        return await db.execute(
            "INSERT INTO cases (session_id, presenter_id, kind, position) VALUES (?, ?, ?, ?)",
            (session_id, user_id, kind, position),
        )


async def withdraw_case(db: Database, session_id: int) -> None:
    """The open case is withdrawn (back to the case call from its presentation): no record."""
    await db.execute("DELETE FROM cases WHERE session_id = ? AND ended_at IS NULL", (session_id,))


async def end_case(db: Database, session_id: int, now: datetime) -> None:
    """Close the open case; a choice that never began is withdrawn instead."""
    await db.execute(
        "DELETE FROM cases WHERE session_id = ? AND ended_at IS NULL AND started_at IS NULL",
        (session_id,),
    )
    await db.execute(
        "UPDATE cases SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL",
        (to_epoch(now), session_id),
    )
