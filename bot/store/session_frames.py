"""The frame message a live session shows now: the first one, or one posted again.

Why: a moderator may delete the frame (the confidentiality reminder and its buttons)
mid-meeting; the bot posts it again. `frame_message_id` keeps the first frame's id
for good: in a permanent channel it is where the session's messages begin (the purge
boundary, bot/store/session_channels.py). The re-posted one is kept beside it. Ids only.
"""

from __future__ import annotations

from bot.store.database import Database


async def shown(db: Database, session_id: int) -> int | None:
    """The frame the members see now: the latest re-post, else the first frame."""
    row = await db.fetchone(
        "SELECT COALESCE(frame_repost_id, frame_message_id) AS frame FROM sessions WHERE id = ?",
        (session_id,),
    )
    return None if row is None else row["frame"]


async def set_reposted(db: Database, session_id: int, message_id: int) -> None:
    """The frame posted again; the first frame's id (the purge boundary) is left as it is."""
    await db.execute(
        "UPDATE sessions SET frame_repost_id = ? WHERE id = ?", (message_id, session_id)
    )
