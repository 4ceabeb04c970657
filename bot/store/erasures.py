"""What is left of a /privacy forget once its erasure committed: the rest, across a crash.

Why stored: the erasure's transaction is the point of no return (nothing in the store
says any more which groups the person was in, or that they led one). What follows it
(take the group roles, answer the person, tell each group's leaders) needs that, and a
process killed there would otherwise leave the role on them, their leaders untold and
the person without an answer. The rows are written in the erasure's own transaction
(bot/store/privacy.forget) and go with the erasure's timer (ON DELETE CASCADE), the one
row that names the person. Ids, a count, flags and a state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import to_epoch
from bot.store.database import Database

DUE, SENDING, GIVEN = "due", "sending", "given"
# The kind of the timers that are erasure requests (cogs/_privacy_forget.py): each goes
# with its own erasure's run, never as one of the records another erasure counts.
KIND = "forget"


@dataclass(frozen=True, slots=True)
class ErasedGroup:
    """One group the person was in, as it was just before the erasure."""

    group_id: int
    led: bool  # they were a leader: their own overwrite on the leaders' channel goes too
    alone: bool  # its only leader: the answer says the group now has none
    twin: bool  # in a group of the same name on another server: a DM names the server


@dataclass(frozen=True, slots=True)
class Erasure:
    """An erasure that committed and whose rest is not done yet."""

    records: int
    answer: str  # due, sending (in flight when a crash came) or given
    groups: list[ErasedGroup]


async def record(
    db: Database, timer_id: int, records: int, groups: Sequence[ErasedGroup], now: datetime
) -> None:
    """Inside the erasure's transaction (the caller's)."""
    await db.execute(
        "INSERT INTO erasures (timer_id, records, at) VALUES (?, ?, ?)",
        (timer_id, records, to_epoch(now)),
    )
    await db.executemany(  # a group deleted meanwhile has nobody left to tell
        "INSERT INTO erasure_groups (timer_id, group_id, led, alone, twin) "
        "SELECT ?, id, ?, ?, ? FROM groups WHERE id = ?",
        [(timer_id, int(g.led), int(g.alone), int(g.twin), g.group_id) for g in groups],
    )


async def get(db: Database, timer_id: int) -> Erasure | None:
    """The rest of this erasure, or None if it did not commit yet."""
    row = await db.fetchone("SELECT records, answer FROM erasures WHERE timer_id = ?", (timer_id,))
    if row is None:
        return None
    rows = await db.fetchall(
        "SELECT group_id, led, alone, twin FROM erasure_groups WHERE timer_id = ? "
        "ORDER BY group_id",
        (timer_id,),
    )
    groups = [
        ErasedGroup(r["group_id"], bool(r["led"]), bool(r["alone"]), bool(r["twin"])) for r in rows
    ]
    return Erasure(int(row["records"]), row["answer"], groups)


async def set_answer(db: Database, timer_id: int, state: str) -> None:
    await db.execute("UPDATE erasures SET answer = ? WHERE timer_id = ?", (state, timer_id))


async def told(db: Database, timer_id: int, group_id: int) -> None:
    """This group's leaders were told: its row is of no further use."""
    await db.execute(
        "DELETE FROM erasure_groups WHERE timer_id = ? AND group_id = ?", (timer_id, group_id)
    )


async def open_for(db: Database, group_id: int, user_id: int) -> bool:
    """Is an erasure of this person, who was in this group, not finished yet? The role
    watch leaves their role to it (and says nothing naming them)."""
    row = await db.fetchone(
        "SELECT 1 FROM erasure_groups e JOIN timers t ON t.id = e.timer_id "
        "WHERE e.group_id = ? AND t.user_id = ? LIMIT 1",
        (group_id, user_id),
    )
    return row is not None
