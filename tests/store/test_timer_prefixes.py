"""Timers found by their key's prefix: exactly those keys, through the key's index.

Why: the prefix queries used `dedupe_key LIKE 'prefix%'` with the timer's state. SQLite's
LIKE is case-insensitive by default, so it could not use the key's index; the planner took
timers_pending (state, due_at) and walked every timer in that state. Fired timers pile up
meeting after meeting, and a follow-up's count of its asks (fired_count) grew from 0.3 ms
to 1.3 ms over four loads of 200 meetings in the session benchmark. LIKE also read `_` as
any character, so "phase_end:" matched "phaseXend:" too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.store import Database
from bot.store import timers as timer_store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEYS = ("followup:1:5", "followup:1:6", "followup:12:5", "phase_end:1", "phaseXend:1")


async def _add(db: Database, key: str) -> int:
    timer = await timer_store.add(
        db, kind="test", dedupe_key=key, due_at=NOW + timedelta(hours=1), now=NOW
    )
    assert timer is not None
    return timer.id


async def test_a_prefix_finds_exactly_the_keys_that_start_with_it(db: Database) -> None:
    ids = {key: await _add(db, key) for key in KEYS}
    assert await timer_store.pending_keys(db, "followup:1:") == ["followup:1:5", "followup:1:6"]
    assert await timer_store.pending_keys(db, "phase_end:") == ["phase_end:1"]
    assert await timer_store.open_with_prefix(db, "followup:12:")
    assert not await timer_store.open_with_prefix(db, "followup:2")
    await timer_store.claim(db, ids["followup:1:5"], NOW)
    await timer_store.finish(db, ids["followup:1:5"], timer_store.DONE)
    assert await timer_store.fired_count(db, "followup:1:") == 1
    assert await timer_store.fired_count(db, "followup:12:") == 0
    cancelled = await timer_store.cancel_prefix(db, "phase_end:")
    assert cancelled == [ids["phase_end:1"]]
    assert await timer_store.cancelled_keys(db, "phase_") == ["phase_end:1"]
    assert await timer_store.pending_keys(db, "phase") == ["phaseXend:1"]


async def _plans(db: Database, call: Callable[[], Awaitable[Any]]) -> list[str]:
    """The query plans of the statements `call` runs on the timers table."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        await call()
    finally:
        db.conn.set_trace_callback(None)
    plans = []
    for sql in seen:
        if "FROM timers" in sql and sql.lstrip().upper().startswith("SELECT"):
            rows = db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            plans.append(" / ".join(row[3] for row in rows))
    return plans


@pytest.mark.parametrize(
    "name",
    ["pending_keys", "cancelled_keys", "open_with_prefix", "fired_count", "cancel_prefix"],
)
async def test_a_prefix_query_uses_the_keys_index_not_the_state(db: Database, name: str) -> None:
    for key in KEYS:
        await _add(db, key)
    query = getattr(timer_store, name)
    plans = await _plans(db, lambda: query(db, "followup:1:"))
    assert plans, "no statement on the timers table"
    for plan in plans:
        assert "dedupe_key>" in plan and "timers_pending" not in plan, plan


def test_the_upper_bound_sorts_after_every_key_character() -> None:
    """The bound is compared by SQLite (BINARY, bytes of UTF-8), not only by Python."""
    con = sqlite3.connect(":memory:")
    low, high = timer_store._bounds("followup:1:")  # noqa: SLF001
    for key in ("followup:1:", "followup:1:~", "followup:1:\x7f", "followup:1:999"):
        assert con.execute("SELECT ? >= ? AND ? < ?", (key, low, key, high)).fetchone()[0]
    assert not con.execute("SELECT ? < ?", ("followup:1;", high)).fetchone()[0]
