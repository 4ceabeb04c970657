"""What the bot changed on Discord and must be able to undo: voice mutes and saved overwrites.

Server mutes outlive a session and a crash, so each one the bot sets is kept
until it is lifted; a channel overwrite is saved as first seen, before the bot
changes it. Ids, bits and times only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row

# --- voice mutes the bot set ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoiceMute:
    guild_id: int
    user_id: int
    session_id: int | None
    muted_at: datetime


def _mute(row: Row) -> VoiceMute:
    return VoiceMute(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        session_id=row["session_id"],
        muted_at=from_epoch(row["muted_at"]),  # type: ignore[arg-type]
    )


async def record_mute(
    db: Database, guild_id: int, user_id: int, session_id: int, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO voice_mutes (guild_id, user_id, session_id, muted_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (guild_id, user_id) DO UPDATE SET session_id = excluded.session_id",
        (guild_id, user_id, session_id, to_epoch(now)),
    )


async def forget_mute(db: Database, guild_id: int, user_id: int) -> None:
    await db.execute(
        "DELETE FROM voice_mutes WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )


async def mute_of(db: Database, guild_id: int, user_id: int) -> VoiceMute | None:
    row = await db.fetchone(
        "SELECT * FROM voice_mutes WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return _mute(row) if row else None


async def mutes_for_session(db: Database, session_id: int) -> list[VoiceMute]:
    rows = await db.fetchall("SELECT * FROM voice_mutes WHERE session_id = ?", (session_id,))
    return [_mute(row) for row in rows]


async def mutes_of_user(db: Database, user_id: int) -> list[VoiceMute]:
    """The mutes the bot set on this person and has not lifted, on every server."""
    rows = await db.fetchall("SELECT * FROM voice_mutes WHERE user_id = ?", (user_id,))
    return [_mute(row) for row in rows]


async def all_mutes(db: Database) -> list[VoiceMute]:
    """Every mute the bot set and has not lifted (a small table: start-up only)."""
    rows = await db.fetchall("SELECT * FROM voice_mutes")
    return [_mute(row) for row in rows]


# --- overwrites as they were before the bot changed them --------------------------------


async def save_overwrites(
    db: Database, channel_id: int, overwrites: Iterable[tuple[int, int, int]], now: datetime
) -> None:
    """Keep (target, allow, deny) as first seen; later calls never replace them."""
    await db.executemany(
        "INSERT INTO saved_overwrites (channel_id, target_id, allow_bits, deny_bits, saved_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id, target_id) DO NOTHING",
        [(channel_id, t, a, d, to_epoch(now)) for t, a, d in overwrites],
    )


async def saved_overwrites(db: Database, channel_id: int) -> dict[int, tuple[int, int]]:
    rows = await db.fetchall(
        "SELECT target_id, allow_bits, deny_bits FROM saved_overwrites WHERE channel_id = ?",
        (channel_id,),
    )
    return {row["target_id"]: (row["allow_bits"], row["deny_bits"]) for row in rows}


async def forget_overwrites(db: Database, channel_id: int) -> None:
    await db.execute("DELETE FROM saved_overwrites WHERE channel_id = ?", (channel_id,))


async def forget_targets(db: Database, channel_id: int, targets: Iterable[int]) -> None:
    """Drop these targets' saved rows on one channel: their overwrites are back as saved.

    Only once the restore is done, so a crash before it keeps what it still needs; a
    second run finds nothing to drop.
    """
    await db.executemany(
        "DELETE FROM saved_overwrites WHERE channel_id = ? AND target_id = ?",
        [(channel_id, target_id) for target_id in targets],
    )


async def saved_for_target(db: Database, target_id: int) -> list[tuple[int, int, int]]:
    """(channel, allow, deny) as saved for this role or person, on every channel."""
    rows = await db.fetchall(
        "SELECT channel_id, allow_bits, deny_bits FROM saved_overwrites WHERE target_id = ?",
        (target_id,),
    )
    return [(row["channel_id"], row["allow_bits"], row["deny_bits"]) for row in rows]
