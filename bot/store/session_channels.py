"""Where a group's sessions take place: its permanent session channel, and the sessions in it.

Why: a group may keep one session channel between sessions (setting
`session_channel` = permanent); its id lives on the group, and the sessions
held in it whose messages are not deleted yet are found here. Ids only.
"""

from __future__ import annotations

from bot.store.database import Database

PERMANENT = "permanent"


async def set_permanent_channel(db: Database, group_id: int, channel_id: int | None) -> None:
    await db.execute(
        "UPDATE groups SET session_channel_id = ? WHERE id = ?", (channel_id, group_id)
    )


async def unpurged_in(db: Database, channel_id: int) -> list[int]:
    """Ended sessions held in this channel whose messages are not deleted yet, oldest first."""
    rows = await db.fetchall(
        "SELECT id FROM sessions WHERE text_channel_id = ? AND status = 'ended' "
        "AND purged_at IS NULL ORDER BY id",
        (channel_id,),
    )
    return [row["id"] for row in rows]


async def last_frame_in(db: Database, channel_id: int, session_id: int) -> int | None:
    """The latest frame message posted in this channel by a session other than this one.

    By the frame's id (a snowflake, so by time), not the session's: several sessions may
    be planned at once, so a row made earlier may be held later.
    """
    row = await db.fetchone(
        "SELECT MAX(frame_message_id) AS frame FROM sessions WHERE text_channel_id = ? AND id != ?",
        (channel_id, session_id),
    )
    return None if row is None else row["frame"]


async def next_frame_in(db: Database, channel_id: int, frame_id: int) -> int | None:
    """The first frame message in this channel after `frame_id` (where a session's end is).

    By the frame's id (a snowflake, so by time), not the session's: several sessions may
    be planned at once, so a row made earlier may be held later.
    """
    row = await db.fetchone(
        "SELECT MIN(frame_message_id) AS frame FROM sessions WHERE text_channel_id = ? "
        "AND frame_message_id > ?",
        (channel_id, frame_id),
    )
    return None if row is None else row["frame"]
