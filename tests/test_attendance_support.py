"""Helpers for attendance and pulse tests (session rows, signals), and store-level checks.

Sessions belong to facilitation; these tests insert the rows facilitation would
store and dispatch the events it would dispatch, on the real bot.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from bot.sim.interactions import InteractionResult
from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import attendance as attendance_store
from bot.store.clocktime import to_epoch
from bot.store.database import Database


async def add_session(
    world: Scenario,
    group_id: int,
    start: datetime,
    *,
    minutes: int = 90,
    status: str = "ended",
) -> int:
    """A session row as facilitation stores it: 'live' (started) or 'ended'."""
    end = start + timedelta(minutes=minutes)
    return await world.bot.db.execute(
        "INSERT INTO sessions (group_id, scheduled_start, scheduled_end, status, started_at, "
        "ended_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            group_id,
            to_epoch(start),
            to_epoch(end),
            status,
            to_epoch(start),
            to_epoch(end) if status == "ended" else None,
        ),
    )


async def live_session(world: Scenario, group_id: int) -> int:
    """A session that started an hour ago and is running now."""
    return await add_session(world, group_id, world.clock.now() - timedelta(hours=1), status="live")


async def present(world: Scenario, session_id: int, user: User, source: str = "button") -> None:
    world.bot.dispatch("balint_member_present", session_id, user.id, source)
    await world.sim.settle()


async def end_session(world: Scenario, session_id: int) -> None:
    """Store the end as facilitation does, then dispatch the event once."""
    await world.bot.db.execute(
        "UPDATE sessions SET status = 'ended', ended_at = ? WHERE id = ?",
        (to_epoch(world.clock.now()), session_id),
    )
    world.bot.dispatch("balint_session_ended", session_id)
    await world.sim.settle()


async def rsvp(world: Scenario, session_id: int, user: User, answer: str) -> None:
    await world.bot.db.execute(
        "INSERT INTO rsvps (session_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?)",
        (session_id, user.id, answer, to_epoch(world.clock.now())),
    )


async def statuses(world: Scenario, session_id: int) -> dict[int, tuple[str, str]]:
    entries = await attendance_store.for_session(world.bot.db, session_id)
    return {e.user_id: (e.status, e.source) for e in entries}


def files_of(result: InteractionResult) -> list[tuple[str, bytes]]:
    return [f for message in result.messages for f in message.files]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# -- store-level checks ---------------------------------------------------------------


async def _db(tmp_path) -> Database:
    database = Database(tmp_path / "store.sqlite3")
    await database.open()
    await database.migrate()
    return database


async def test_ended_sessions_are_ordered_and_latest_keeps_the_last(tmp_path) -> None:
    db = await _db(tmp_path)
    try:
        gid = await db.execute(
            "INSERT INTO groups (guild_id, name, zone, created_at) VALUES (1, 'g', 'UTC', 0)"
        )
        base = datetime(2026, 1, 5, 19, 0, tzinfo=UTC)
        ids = []
        for week in (2, 0, 1):
            ids.append(
                await db.execute(
                    "INSERT INTO sessions (group_id, status, started_at, ended_at) "
                    "VALUES (?, 'ended', ?, ?)",
                    (gid, to_epoch(base + timedelta(weeks=week)), 0),
                )
            )
        await db.execute(
            "INSERT INTO sessions (group_id, status, scheduled_start) VALUES (?, 'planned', ?)",
            (gid, to_epoch(base + timedelta(weeks=3))),
        )
        in_order = [s.id for s in await attendance_store.ended_sessions(db, gid)]
        assert in_order == [ids[1], ids[2], ids[0]]
        last_two = await attendance_store.ended_sessions(db, gid, latest=2)
        assert [s.id for s in last_two] == [ids[2], ids[0]]
        since = await attendance_store.ended_sessions(db, gid, since=base + timedelta(days=1))
        assert [s.id for s in since] == [ids[2], ids[0]]
    finally:
        await db.close()
