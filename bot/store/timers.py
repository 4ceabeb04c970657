"""Timers: the one source of truth for everything that must happen later.

A timer is claimed (pending -> firing) before its handler runs and closed
(firing -> done) after, so two claimants never both fire it and a restart
never repeats one that finished. A round of DMs records its progress in
timer_deliveries (bot/store/deliveries.py); those rows go when the timer leaves
pending/firing, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row

PENDING, FIRING, DONE, MISSED, FAILED, CANCELLED = (
    "pending",
    "firing",
    "done",
    "missed",
    "failed",
    "cancelled",
)


@dataclass(frozen=True, slots=True)
class Timer:
    id: int
    kind: str
    dedupe_key: str
    due_at: datetime
    guild_id: int | None
    group_id: int | None
    session_id: int | None
    user_id: int | None
    state: str
    fired_at: datetime | None = None  # claimed (or marked missed/cancelled) at
    retries: int = 0  # runs again after a passing failure (bot/timer_kinds.py RETRY_AFTER)
    first_due_at: datetime | None = None  # due before its first retry (None: not retried)

    @property
    def first_due(self) -> datetime:
        """The moment it is about: a retry's own time is only when it tries again."""
        return self.first_due_at or self.due_at

    @property
    def ran_before(self) -> bool:
        """Claimed before, as read ahead of this run's claim: a run cut short by a crash (put
        back at start-up) or a retry, so part of its work may be done already (a revive,
        the only way back from a state that never ran, clears `fired_at`)."""
        return self.fired_at is not None


def _timer(row: Row) -> Timer:
    return Timer(
        id=row["id"],
        kind=row["kind"],
        dedupe_key=row["dedupe_key"],
        due_at=from_epoch(row["due_at"]),  # type: ignore[arg-type]
        guild_id=row["guild_id"],
        group_id=row["group_id"],
        session_id=row["session_id"],
        user_id=row["user_id"],
        state=row["state"],
        fired_at=from_epoch(row["fired_at"]),
        retries=row["retries"],
        first_due_at=from_epoch(row["first_due_at"]),
    )


async def add(
    db: Database,
    *,
    kind: str,
    dedupe_key: str,
    due_at: datetime,
    now: datetime,
    guild_id: int | None = None,
    group_id: int | None = None,
    session_id: int | None = None,
    user_id: int | None = None,
) -> Timer | None:
    """Insert a pending timer; a second timer with the same key is ignored (returns None).

    The Timer is built from what was inserted (no trigger or default changes it but the
    state, which starts pending): no second statement reads it back.
    """
    due = to_epoch(due_at)
    timer_id = await db.insert_id(
        "INSERT INTO timers (kind, dedupe_key, due_at, guild_id, group_id, session_id, user_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
        (kind, dedupe_key, due, guild_id, group_id, session_id, user_id, to_epoch(now)),
    )
    if timer_id is None:
        return None
    return Timer(
        id=timer_id,
        kind=kind,
        dedupe_key=dedupe_key,
        due_at=from_epoch(due),  # type: ignore[arg-type]
        guild_id=guild_id,
        group_id=group_id,
        session_id=session_id,
        user_id=user_id,
        state=PENDING,
    )


async def reschedule(db: Database, dedupe_key: str, due_at: datetime) -> Timer | None:
    """Move a pending timer (a session moved); returns it, or None if not pending.

    Moved elsewhere, a timer waiting for a retry starts afresh: the old retry's time, count
    and first due time go. "Moved" to the time it is already for (a replan) changes
    nothing: its retry keeps its own delay."""
    await db.execute(
        "UPDATE timers SET due_at = ?, retries = 0, first_due_at = NULL "
        "WHERE dedupe_key = ? AND state = ? AND COALESCE(first_due_at, due_at) <> ?",
        (to_epoch(due_at), dedupe_key, PENDING, to_epoch(due_at)),
    )
    timer = await by_key(db, dedupe_key)
    return timer if timer and timer.state == PENDING else None


async def revive(db: Database, dedupe_key: str, due_at: datetime) -> Timer | None:
    """A cancelled timer pending again (a session moved back); None if it was not cancelled."""
    changed = await db.rowcount(
        "UPDATE timers SET due_at = ?, state = ?, fired_at = NULL, retries = 0, "
        "first_due_at = NULL WHERE dedupe_key = ? AND state = ?",
        (to_epoch(due_at), PENDING, dedupe_key, CANCELLED),
    )
    return await by_key(db, dedupe_key) if changed else None


async def by_key(db: Database, dedupe_key: str) -> Timer | None:
    row = await db.fetchone("SELECT * FROM timers WHERE dedupe_key = ?", (dedupe_key,))
    return _timer(row) if row else None


async def get(db: Database, timer_id: int) -> Timer | None:
    row = await db.fetchone("SELECT * FROM timers WHERE id = ?", (timer_id,))
    return _timer(row) if row else None


async def pending(db: Database, *, due_before: datetime | None = None) -> list[Timer]:
    if due_before is None:
        rows = await db.fetchall(
            "SELECT * FROM timers WHERE state = ? ORDER BY due_at, id", (PENDING,)
        )
    else:
        rows = await db.fetchall(
            "SELECT * FROM timers WHERE state = ? AND due_at <= ? ORDER BY due_at, id",
            (PENDING, to_epoch(due_before)),
        )
    return [_timer(row) for row in rows]


async def in_state(db: Database, state: str) -> list[Timer]:
    rows = await db.fetchall("SELECT * FROM timers WHERE state = ? ORDER BY due_at", (state,))
    return [_timer(row) for row in rows]


async def claim(db: Database, timer_id: int, now: datetime) -> bool:
    """pending -> firing; True only for the one caller that won."""
    return bool(
        await db.rowcount(
            "UPDATE timers SET state = ?, fired_at = ? WHERE id = ? AND state = ?",
            (FIRING, to_epoch(now), timer_id, PENDING),
        )
    )


async def retry_later(db: Database, timer_id: int, due_at: datetime) -> bool:
    """firing -> pending at `due_at`, one retry more; a DM round keeps its progress, and
    the time it was first due is kept (its grace counts from there).
    False if no such row is firing: its handler deleted it (an erasure), nothing to retry."""
    changed = await db.rowcount(
        "UPDATE timers SET state = ?, first_due_at = COALESCE(first_due_at, due_at), "
        "due_at = ?, retries = retries + 1 WHERE id = ? AND state = ?",
        (PENDING, to_epoch(due_at), timer_id, FIRING),
    )
    return changed > 0


async def _forget_deliveries(db: Database, timer_ids: list[int]) -> None:
    """A finished round's progress is of no further use: nobody's DM is kept track of."""
    if timer_ids:
        marks = ",".join("?" for _ in timer_ids)
        await db.execute(f"DELETE FROM timer_deliveries WHERE timer_id IN ({marks})", timer_ids)


async def finish(db: Database, timer_id: int, state: str) -> None:
    async with db.transaction():
        await db.execute("UPDATE timers SET state = ? WHERE id = ?", (state, timer_id))
        if state not in (PENDING, FIRING):  # back to pending: a round resumes, keep them
            await _forget_deliveries(db, [timer_id])


async def mark(db: Database, timer_id: int, state: str, now: datetime) -> bool:
    """pending -> state (missed / cancelled) without firing."""
    async with db.transaction():
        changed = await db.rowcount(
            "UPDATE timers SET state = ?, fired_at = ? WHERE id = ? AND state = ?",
            (state, to_epoch(now), timer_id, PENDING),
        )
        if changed:
            await _forget_deliveries(db, [timer_id])
    return bool(changed)


# "The key starts with prefix", on the key's own UNIQUE index: keys are ASCII and U+10FFFF
# sorts after every character, so they lie in [prefix, prefix + _AFTER). `+state` keeps
# the planner off timers_pending (state, due_at): with it, and with LIKE (case-insensitive
# by default, so no index on the key), every timer in that state was walked, the fired
# ones too, which pile up meeting after meeting (measured: a follow-up's fired_count went
# from 0.3 ms to 1.3 ms over four loads of 200 meetings; tests/store/test_timer_prefixes.py).
_STARTS = "dedupe_key >= ? AND dedupe_key < ?"
_AFTER = "\U0010ffff"


def _bounds(prefix: str) -> tuple[str, str]:
    return prefix, prefix + _AFTER


async def pending_keys(db: Database, prefix: str) -> list[str]:
    """Keys of the pending timers whose key starts with prefix."""
    rows = await db.fetchall(
        f"SELECT dedupe_key FROM timers WHERE +state = ? AND {_STARTS}",
        (PENDING, *_bounds(prefix)),
    )
    return [row["dedupe_key"] for row in rows]


async def pending_in_guild(db: Database, kind: str, guild_id: int) -> list[str]:
    """Keys of one kind's pending timers for one server (its purge retries, say)."""
    rows = await db.fetchall(
        "SELECT dedupe_key FROM timers WHERE state = ? AND kind = ? AND guild_id = ? ORDER BY id",
        (PENDING, kind, guild_id),
    )
    return [row["dedupe_key"] for row in rows]


async def pending_in_group(db: Database, kind: str, group_id: int) -> list[str]:
    """Keys of one kind's pending timers for one group: those about its next meeting (a
    follow-up question, `followup:<case>:<session>`) are looked at again when it moves."""
    rows = await db.fetchall(
        "SELECT dedupe_key FROM timers WHERE state = ? AND kind = ? AND group_id = ? ORDER BY id",
        (PENDING, kind, group_id),
    )
    return [row["dedupe_key"] for row in rows]


async def cancelled_keys(db: Database, prefix: str) -> list[str]:
    """Keys of the cancelled timers whose key starts with prefix (never fired: revivable)."""
    rows = await db.fetchall(
        f"SELECT dedupe_key FROM timers WHERE +state = ? AND {_STARTS} ORDER BY id",
        (CANCELLED, *_bounds(prefix)),
    )
    return [row["dedupe_key"] for row in rows]


async def pending_due(db: Database, keys: Iterable[str]) -> dict[str, datetime]:
    """Due instants of the pending timers among these exact keys (one indexed query)."""
    wanted = list(keys)
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT dedupe_key, due_at FROM timers WHERE state = ? AND dedupe_key IN ({marks})",
        (PENDING, *wanted),
    )
    return {row["dedupe_key"]: from_epoch(row["due_at"]) for row in rows}  # type: ignore[misc]


async def open_with_prefix(db: Database, prefix: str) -> bool:
    """Is a timer whose key starts with prefix still to run or running (pending, firing)?"""
    row = await db.fetchone(
        f"SELECT 1 FROM timers WHERE +state IN (?, ?) AND {_STARTS} LIMIT 1",
        (PENDING, FIRING, *_bounds(prefix)),
    )
    return row is not None


async def fired_count(db: Database, prefix: str) -> int:
    """How many timers whose key starts with prefix have fired (e.g. a question's asks)."""
    row = await db.fetchone(
        f"SELECT COUNT(*) AS n FROM timers WHERE +state = ? AND {_STARTS}",
        (DONE, *_bounds(prefix)),
    )
    return int(row["n"]) if row else 0


async def cancel_prefix(db: Database, prefix: str, *, exact: bool = False) -> list[int]:
    """Cancel every pending timer whose key starts with prefix (`exact`: is the key);
    returns their ids."""
    if exact:
        rows = await db.fetchall(
            "SELECT id FROM timers WHERE state = ? AND dedupe_key = ?", (PENDING, prefix)
        )
    else:
        rows = await db.fetchall(
            f"SELECT id FROM timers WHERE +state = ? AND {_STARTS}",
            (PENDING, *_bounds(prefix)),
        )
    ids = [row["id"] for row in rows]
    if ids:
        marks = ",".join("?" for _ in ids)
        async with db.transaction():
            await db.execute(
                f"UPDATE timers SET state = ? WHERE state = ? AND id IN ({marks})",
                (CANCELLED, PENDING, *ids),
            )
            await _forget_deliveries(db, ids)
    return ids


async def withdraw(db: Database, dedupe_key: str) -> int | None:
    """Delete a pending timer whose change was rolled back (it never was: no row is left
    of it); returns its id, or None if it is no longer pending."""
    row = await db.fetchone(
        "SELECT id FROM timers WHERE state = ? AND dedupe_key = ?", (PENDING, dedupe_key)
    )
    if row is None:
        return None
    await db.execute("DELETE FROM timers WHERE id = ? AND state = ?", (row["id"], PENDING))
    return int(row["id"])


async def delete(db: Database, timer_id: int) -> None:
    """Delete a timer from its own handler, once its work is done: it named a person who
    asked to be forgotten, and a finished timer would keep them until retention."""
    async with db.transaction():
        await db.execute("DELETE FROM timers WHERE id = ?", (timer_id,))
        await _forget_deliveries(db, [timer_id])
