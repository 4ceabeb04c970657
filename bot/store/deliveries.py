"""Who a timer's round of DMs has reached: the progress that makes a round resumable.

A row is written before each DM ('sending') and settled after it ('sent' with the
message's id, 'closed', 'failed'), so a round re-run after a crash skips everyone
already reached and knows the one DM that was in flight. Ids and times only. The rows
are deleted when their timer finishes (timers.finish, mark, cancel_prefix), and with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database

SENDING, SENT, CLOSED, FAILED, MENTIONED = "sending", "sent", "closed", "failed", "mentioned"


@dataclass(frozen=True, slots=True)
class Delivery:
    state: str
    # The DM, once sent; while 'sending', the round's newest DM before it: where to look
    # for it should it be in doubt (a crash, a lost answer: cogs/_dm_round.py).
    message_id: int | None = None


async def of_timer(db: Database, timer_id: int) -> dict[int, Delivery]:
    """user id -> what became of their DM in this timer's round so far."""
    rows = await db.fetchall(
        "SELECT user_id, state, message_id FROM timer_deliveries WHERE timer_id = ?",
        (timer_id,),
    )
    return {row["user_id"]: Delivery(row["state"], row["message_id"]) for row in rows}


async def record(
    db: Database,
    timer_id: int,
    user_id: int,
    state: str,
    now: datetime,
    *,
    message_id: int | None = None,
) -> None:
    await db.execute(
        "INSERT INTO timer_deliveries (timer_id, user_id, state, message_id, at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (timer_id, user_id) DO UPDATE SET "
        "state = excluded.state, message_id = excluded.message_id, at = excluded.at",
        (timer_id, user_id, state, message_id, to_epoch(now)),
    )


async def settle(
    db: Database, timer_id: int, user_ids: Iterable[int], state: str, now: datetime
) -> None:
    """Several people of one round at once (those mentioned in the lobby instead)."""
    await db.executemany(
        "UPDATE timer_deliveries SET state = ?, at = ? WHERE timer_id = ? AND user_id = ?",
        [(state, to_epoch(now), timer_id, uid) for uid in user_ids],
    )


async def forget(db: Database, timer_id: int, user_id: int) -> None:
    """One person's DM failed for a passing reason: the timer's retry sends it afresh."""
    await db.execute(
        "DELETE FROM timer_deliveries WHERE timer_id = ? AND user_id = ?", (timer_id, user_id)
    )
