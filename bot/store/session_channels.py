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


async def last_frame_before(db: Database, channel_id: int, session_id: int) -> int | None:
    """The frame message of the latest earlier session held in this channel."""
    row = await db.fetchone(
        "SELECT frame_message_id FROM sessions WHERE text_channel_id = ? AND id < ? "
        "AND frame_message_id IS NOT NULL ORDER BY id DESC LIMIT 1",
        (channel_id, session_id),
    )
    return None if row is None else row["frame_message_id"]


async def next_frame_in(db: Database, channel_id: int, session_id: int) -> int | None:
    """The frame message of the next session held in this channel (where this one's end)."""
    row = await db.fetchone(
        "SELECT frame_message_id FROM sessions WHERE text_channel_id = ? AND id > ? "
        "AND frame_message_id IS NOT NULL ORDER BY id LIMIT 1",
        (channel_id, session_id),
    )
    return None if row is None else row["frame_message_id"]
