"""RSVPs: a member's yes/no for one planned session (an answer code, never words)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database

ANSWERS = ("yes", "no")


async def answer(db: Database, session_id: int, user_id: int, value: str, now: datetime) -> None:
    """Record (or change) a member's answer; the latest click wins."""
    if value not in ANSWERS:
        raise ValueError("bad_answer")
    await db.execute(
        "INSERT INTO rsvps (session_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (session_id, user_id) DO UPDATE SET answer = excluded.answer, "
        "answered_at = excluded.answered_at",
        (session_id, user_id, value, to_epoch(now)),
    )


async def for_session(db: Database, session_id: int) -> dict[int, str]:
    """user id -> 'yes' | 'no' for everyone who answered."""
    rows = await db.fetchall(
        "SELECT user_id, answer FROM rsvps WHERE session_id = ?", (session_id,)
    )
    return {row["user_id"]: row["answer"] for row in rows}


async def withdraw(db: Database, group_id: int, user_id: int, statuses: Iterable[str]) -> int:
    """A removed member's answers for the group's sessions in `statuses` (not held yet)."""
    wanted = sorted(statuses)
    marks = ", ".join("?" for _ in wanted)
    return await db.rowcount(
        "DELETE FROM rsvps WHERE user_id = ? AND session_id IN (SELECT id FROM sessions "
        f"WHERE group_id = ? AND status IN ({marks}))",
        (user_id, group_id, *wanted),
    )
