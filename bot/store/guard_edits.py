"""Edits the identifier guard warned about: a message's id and its edit's time, nothing else.

Why stored: the guard's memory of the edits it read (cogs/_seen_edits.py) is emptied at a
restart, and Discord sends a pin or a link preview as the whole message with the time
of its last edit: the first update after a restart looked like an edit never read, and
the author of an edit already warned about was warned again. See cogs/_seen_edits.py
for why only warned edits are kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.clocktime import to_epoch
from bot.store.database import Database

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    """Exact to the microsecond Discord gives (epoch seconds would merge two quick edits)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


async def warned(db: Database, message_id: int, edited_at: datetime) -> bool:
    """Whether this very edit of the message was warned about already."""
    row = await db.fetchone(
        "SELECT 1 FROM guard_warned_edits WHERE message_id = ? AND edited_us = ?",
        (message_id, _micros(edited_at)),
    )
    return row is not None


async def record(
    db: Database, message_id: int, group_id: int, edited_at: datetime, now: datetime
) -> None:
    """The guard warned about this edit (a later edit of the message replaces it)."""
    await db.execute(
        "INSERT INTO guard_warned_edits (message_id, group_id, edited_us, at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET "
        "group_id = excluded.group_id, edited_us = excluded.edited_us, at = excluded.at",
        (message_id, group_id, _micros(edited_at), to_epoch(now)),
    )


async def forget_before(db: Database, cutoff: datetime) -> int:
    """The retention job: warned edits older than the cutoff go; returns how many."""
    return await db.rowcount("DELETE FROM guard_warned_edits WHERE at < ?", (to_epoch(cutoff),))
