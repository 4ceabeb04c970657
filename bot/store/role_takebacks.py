"""Hand-given group roles the bot is taking back, or could not take back and has said so.

Why stored: the role watch (cogs/_groups_role_watch.py) takes the role, then tells the
leaders. A row written before the removal lets a restart tell them of a removal whose
notice a crash cut off; a row kept after a refused removal (`stuck`) keeps the same
line from being said again at every start-up and /group repair. Ids, an enum, a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class TakeBack:
    user_id: int
    why: str  # bot.domain.agreement.Holding value
    stuck: bool  # Discord refused the removal and the leaders were told


async def of_group(db: Database, group_id: int) -> dict[int, TakeBack]:
    rows = await db.fetchall(
        "SELECT user_id, why, stuck FROM role_takebacks WHERE group_id = ?", (group_id,)
    )
    return {r["user_id"]: TakeBack(r["user_id"], r["why"], bool(r["stuck"])) for r in rows}


async def groups_with_rows(db: Database) -> set[int]:
    rows = await db.fetchall("SELECT DISTINCT group_id FROM role_takebacks")
    return {row["group_id"] for row in rows}


async def begin(db: Database, group_id: int, user_id: int, why: str, now: datetime) -> None:
    """Before the removal; a refusal already told stays told (`stuck` is kept)."""
    await db.execute(
        "INSERT INTO role_takebacks (group_id, user_id, why, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (group_id, user_id) DO UPDATE SET why = excluded.why",
        (group_id, user_id, why, to_epoch(now)),
    )


async def told_stuck(db: Database, group_id: int, user_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE role_takebacks SET stuck = 1, at = ? WHERE group_id = ? AND user_id = ?",
        (to_epoch(now), group_id, user_id),
    )


async def forget(db: Database, group_id: int, user_id: int) -> None:
    """Told of the removal, or the situation changed (the role gone, or now held rightly)."""
    await db.execute(
        "DELETE FROM role_takebacks WHERE group_id = ? AND user_id = ?", (group_id, user_id)
    )


async def forget_on_server(db: Database, guild_id: int, user_id: int) -> int:
    """They left the server: Discord took every role with them, so no take-back is left."""
    return await db.rowcount(
        "DELETE FROM role_takebacks WHERE user_id = ? AND group_id IN "
        "(SELECT id FROM groups WHERE guild_id = ?)",
        (user_id, guild_id),
    )
