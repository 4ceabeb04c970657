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


async def forget_channel(db: Database, guild_id: int, channel_id: int) -> None:
    """A session channel is gone from Discord: what the store keeps about it goes too.

    Its saved overwrites (nothing left to put back), and, if it was a group's
    permanent channel, that id: the next start makes a new one. The sessions held
    in it keep their history; their purge finds the channel gone (a 404 is fine).
    """
    async with db.transaction():
        await db.execute("DELETE FROM saved_overwrites WHERE channel_id = ?", (channel_id,))
        await db.execute(
            "UPDATE groups SET session_channel_id = NULL "
            "WHERE guild_id = ? AND session_channel_id = ?",
            (guild_id, channel_id),
        )


async def named_channels(db: Database) -> list[tuple[int, int]]:
    """(guild, channel) of every session channel the store still keeps something about.

    Start-up only: the channels with saved overwrites (found through the session held
    in them) and the groups' permanent channels.
    """
    rows = await db.fetchall(
        "SELECT g.guild_id AS guild_id, so.channel_id AS channel_id FROM saved_overwrites so "
        "JOIN sessions s ON s.text_channel_id = so.channel_id "
        "JOIN groups g ON g.id = s.group_id "
        "UNION SELECT g.guild_id, so.channel_id FROM saved_overwrites so "
        "JOIN sessions s ON s.voice_channel_id = so.channel_id "
        "JOIN groups g ON g.id = s.group_id "
        "UNION SELECT guild_id, session_channel_id FROM groups "
        "WHERE session_channel_id IS NOT NULL",
    )
    return [(row["guild_id"], row["channel_id"]) for row in rows]
