"""Agreement acceptances: who accepted which version of a group's agreement, and when."""

from __future__ import annotations

from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database


async def accept(db: Database, group_id: int, user_id: int, version: int, now: datetime) -> bool:
    """Store an acceptance; False if this version was already accepted (first time kept)."""
    count = await db.rowcount(
        "INSERT INTO consents (group_id, user_id, agreement_version, accepted_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (group_id, user_id, agreement_version) DO NOTHING",
        (group_id, user_id, version, to_epoch(now)),
    )
    return count > 0


async def latest(db: Database, group_id: int, user_id: int) -> int | None:
    """The highest version this person accepted in this group, or None."""
    row = await db.fetchone(
        "SELECT MAX(agreement_version) AS v FROM consents WHERE group_id = ? AND user_id = ?",
        (group_id, user_id),
    )
    return row["v"] if row and row["v"] is not None else None


async def latest_by_user(db: Database, group_id: int) -> dict[int, int]:
    """Each person's highest accepted version in this group."""
    rows = await db.fetchall(
        "SELECT user_id, MAX(agreement_version) AS v FROM consents WHERE group_id = ? "
        "GROUP BY user_id",
        (group_id,),
    )
    return {row["user_id"]: row["v"] for row in rows}


async def accepted_at(db: Database, group_id: int, user_id: int, version: int) -> datetime | None:
    row = await db.fetchone(
        "SELECT accepted_at FROM consents WHERE group_id = ? AND user_id = ? "
        "AND agreement_version = ?",
        (group_id, user_id, version),
    )
    return from_epoch(row["accepted_at"]) if row else None
