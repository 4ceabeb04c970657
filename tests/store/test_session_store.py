"""Which planned session `/session start` may pick up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import Database
from bot.store import groups as group_store
from bot.store import sessions as session_store

NOW = datetime(2026, 11, 26, 19, 30, tzinfo=UTC)
WINDOW = timedelta(hours=2)


async def test_planned_near_skips_a_session_that_is_already_over(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    await db.open()
    await db.migrate()
    try:
        gid = await group_store.create(db, guild_id=1, name="G", zone="Europe/London", now=NOW)
        over = await session_store.create_adhoc(
            db, gid, NOW - timedelta(minutes=100), NOW - timedelta(minutes=10)
        )
        assert await session_store.planned_near(db, gid, NOW, WINDOW) is None
        running = await session_store.create_adhoc(
            db, gid, NOW - timedelta(minutes=30), NOW + timedelta(minutes=60)
        )
        found = await session_store.planned_near(db, gid, NOW, WINDOW)
        assert found is not None and found.id == running and found.id != over
    finally:
        await db.close()
