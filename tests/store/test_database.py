"""The store: migrations, foreign keys, repositories, and no column for text."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Database, migrations
from bot.store import groups as group_store
from bot.store import schedules as schedule_store
from bot.store import timers as timer_store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_migrate_from_empty_then_again_is_a_no_op(tmp_path: Path) -> None:
    database = Database(tmp_path / "fresh.sqlite3")
    await database.open()
    try:
        first = await database.migrate()
        assert first == [version for version, _name, _sql in migrations()]
        assert await database.migrate() == []
        assert await database.schema_version() == first[-1]
        mode = await database.fetchone("PRAGMA journal_mode")
        assert mode[0] == "wal"
        fk = await database.fetchone("PRAGMA foreign_keys")
        assert fk[0] == 1
    finally:
        await database.close()


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await group_store.add_member(db, 999, 1, "member", NOW)


async def test_a_failed_transaction_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await group_store.create(db, guild_id=1, name="Tuesday", zone="Europe/London", now=NOW)
            raise RuntimeError("boom")
    assert await group_store.in_guild(db, 1) == []


async def test_a_task_started_inside_a_transaction_is_not_part_of_it(db: Database) -> None:
    """A listener or timer task made inside a transaction writes on its own, after it:
    the transaction's roll-back does not take the task's write with it."""
    import asyncio

    await db.execute("CREATE TABLE probe (x INTEGER)")
    task: asyncio.Task[int] | None = None
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute("INSERT INTO probe (x) VALUES (1)")
            task = asyncio.create_task(db.execute("INSERT INTO probe (x) VALUES (2)"))
            await asyncio.sleep(0.01)  # the task runs now: it must wait for the lock
            raise RuntimeError("the transaction fails")
    assert task is not None
    await task
    rows = await db.fetchall("SELECT x FROM probe ORDER BY x")
    assert [row["x"] for row in rows] == [2]


async def test_groups_and_memberships_round_trip(db: Database) -> None:
    gid = await group_store.create(db, guild_id=1, name="Tuesday", zone="Asia/Kolkata", now=NOW)
    await group_store.set_discord_ids(
        db, gid, role_id=10, category_id=11, lobby_channel_id=12, leaders_channel_id=13
    )
    await group_store.add_member(db, gid, 100, "leader", NOW)
    await group_store.add_member(db, gid, 101, "member", NOW)
    group = await group_store.get(db, gid)
    assert group is not None and group.zone == "Asia/Kolkata" and group.role_id == 10
    assert group.created_at == NOW and not group.archived
    assert await group_store.by_name(db, 1, "tuesday") == group
    assert await group_store.by_channel(db, 1, 13) == group
    assert await group_store.by_role(db, 1, 10) == group
    assert [m.user_id for m in await group_store.leaders(db, gid)] == [100]
    assert [g.id for g in await group_store.for_user(db, 1, 101)] == [gid]
    await group_store.remove_member(db, gid, 101, NOW + timedelta(days=1))
    assert [m.user_id for m in await group_store.members(db, gid)] == [100]
    left = await group_store.membership(db, gid, 101)
    assert left is not None and left.left_at == NOW + timedelta(days=1)
    await group_store.update_settings(db, gid, quorum=5, voice_mode="enforced")
    changed = await group_store.get(db, gid)
    assert changed is not None and changed.quorum == 5 and changed.voice_mode == "enforced"
    with pytest.raises(ValueError):
        await group_store.update_settings(db, gid, **{"name = 'x'; --": 1})
    await group_store.archive(db, gid, NOW)
    assert await group_store.in_guild(db, 1) == []


async def test_timers_dedupe_claim_once_and_cancel(db: Database) -> None:
    due = NOW + timedelta(hours=1)
    timer = await timer_store.add(db, kind="reminder", dedupe_key="r:1:60", due_at=due, now=NOW)
    assert timer is not None and timer.state == "pending"
    assert (
        await timer_store.add(db, kind="reminder", dedupe_key="r:1:60", due_at=due, now=NOW) is None
    )
    assert [t.id for t in await timer_store.pending(db, due_before=NOW)] == []
    assert [t.id for t in await timer_store.pending(db, due_before=due)] == [timer.id]
    assert await timer_store.claim(db, timer.id, due)
    assert not await timer_store.claim(db, timer.id, due)
    await timer_store.add(db, kind="reminder", dedupe_key="r:2:60", due_at=due, now=NOW)
    await timer_store.add(db, kind="reminder", dedupe_key="r:2:1440", due_at=due, now=NOW)
    assert len(await timer_store.cancel_prefix(db, "r:2:")) == 2
    assert await timer_store.pending(db) == []
    # An exact cancel leaves the keys it only prefixes (case_prompt:1 vs case_prompt:12).
    for key in ("case_prompt:1", "case_prompt:12"):
        await timer_store.add(db, kind="case_prompt", dedupe_key=key, due_at=due, now=NOW)
    assert len(await timer_store.cancel_prefix(db, "case_prompt:1", exact=True)) == 1
    assert [t.dedupe_key for t in await timer_store.pending(db)] == ["case_prompt:12"]


async def test_an_added_timer_is_the_row_stored(db: Database) -> None:
    """`add` builds its Timer from what it inserted: it must equal the row read back."""
    gid = await group_store.create(db, guild_id=1, name="g", zone="Europe/London", now=NOW)
    due = NOW + timedelta(hours=1, microseconds=999_999)  # the store keeps whole seconds
    await timer_store.add(db, kind="reminder", dedupe_key="a", due_at=due, now=NOW)
    added = await timer_store.add(
        db,
        kind="case_prompt",
        dedupe_key="b",
        due_at=due,
        now=NOW,
        guild_id=7,
        group_id=gid,
        user_id=9,
    )
    assert added is not None and added == await timer_store.by_key(db, "b")
    assert added.id != (await timer_store.by_key(db, "a")).id  # type: ignore[union-attr]


async def test_no_column_can_hold_message_text(db: Database) -> None:
    """Every TEXT column is an enum, a zone, a date, a key or a leader-set setting."""
    allowed_text = {
        "groups": {
            "name",
            "zone",
            "voice_mode",
            "guard_mode",
            "reminder_lead_minutes",
            "phase_minutes",
            "agreement_text",
            "session_channel",
        },
        "memberships": {"role"},
        "schedules": {"rrule", "local_time", "starts", "until"},
        "schedule_overrides": {"original_date", "kind", "new_date", "new_time"},
        "sessions": {
            "occurrence_date",
            "held_zone",  # an IANA zone name, as groups.zone
            "status",
            "phase",
            "applied_phase",
            "turn_mode",
            "round_phase",
        },
        "session_queue": {"kind"},
        "cases": {"kind", "followup_state"},
        "offers": {"kind"},
        "rsvps": {"answer"},
        "attendance": {"status", "source"},
        "timers": {"kind", "dedupe_key", "state"},
        "timer_deliveries": {"state"},  # an enum, checked by the schema
        "role_takebacks": {"why"},  # an enum, checked by the schema
        "erasures": {"answer"},  # an enum, checked by the schema
        "pulse_counts": {"question"},
        "pulse_voters": {"voter_token", "question"},
        "schema_migrations": {"name"},
    }
    tables = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    for table in tables:
        columns = await db.fetchall(f"PRAGMA table_info({table['name']})")
        text_columns = {c["name"] for c in columns if c["type"].upper() == "TEXT"}
        unexpected = text_columns - allowed_text.get(table["name"], set())
        assert not unexpected, f"{table['name']} has free-text columns {unexpected}"
        names = {c["name"] for c in columns}
        assert not names & {"content", "message", "text", "body", "note", "title", "label"}


async def test_finding_a_group_by_channel_reads_no_other_group(db: Database) -> None:
    """Run on every command in a group's channel: three index probes, not a guild-wide read."""
    for index in range(50):
        gid = await group_store.create(db, guild_id=1, name=f"g{index}", zone="UTC", now=NOW)
        base = 1000 + index * 10
        await group_store.set_discord_ids(
            db,
            gid,
            role_id=base,
            category_id=base + 1,
            lobby_channel_id=base + 2,
            leaders_channel_id=base + 3,
        )
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        found = await group_store.by_channel(db, 1, 1000 + 7 * 10 + 2)
    finally:
        db.conn.set_trace_callback(None)
    assert found is not None and found.name == "g7"
    assert await group_store.by_channel(db, 2, 1072) is None  # another guild's channel id
    query = next(s for s in seen if s.lstrip().upper().startswith("SELECT"))
    plan = " ".join(row[3] for row in db.conn.execute("EXPLAIN QUERY PLAN " + query))
    assert "MULTI-INDEX OR" in plan and "groups_by_lobby" in plan, plan


async def test_migration_10_gives_reminder_keys_their_session_start(db: Database) -> None:
    """Keys written before 0010 take their session's start: a sent reminder stays sent."""
    gid = await group_store.create(db, guild_id=1, name="Tuesday", zone="Europe/London", now=NOW)
    start = NOW + timedelta(days=1)
    sid = await schedule_store.insert_planned(
        db, gid, start.date(), start, start + timedelta(minutes=90)
    )
    for kind, key in (("session_reminder", f"remind:{sid}:1440"), ("session_due", f"due:{sid}")):
        await timer_store.add(db, kind=kind, dedupe_key=key, due_at=start, now=NOW, session_id=sid)
    await db.execute("DELETE FROM schema_migrations WHERE version = 10")
    assert await db.migrate() == [10]
    epoch = int(start.timestamp())
    assert await timer_store.by_key(db, f"remind:{sid}:1440:{epoch}") is not None
    assert await timer_store.by_key(db, f"due:{sid}") is not None


async def test_restore_membership_undoes_an_add_exactly(db: Database) -> None:
    group_id = await group_store.create(
        db, guild_id=1, name="g", zone="Europe/London", now=NOW, quorum=3, max_cases=2
    )
    # Someone new: the row goes again.
    await group_store.add_member(db, group_id, 10, "member", NOW)
    await group_store.restore_membership(db, group_id, 10, None)
    assert await group_store.membership(db, group_id, 10) is None
    # A former member: left again, at the time they had left, their records kept.
    await group_store.add_member(db, group_id, 11, "member", NOW)
    await group_store.remove_member(db, group_id, 11, NOW + timedelta(days=1))
    before = await group_store.membership(db, group_id, 11)
    await group_store.add_member(db, group_id, 11, "leader", NOW + timedelta(days=9))
    await group_store.restore_membership(db, group_id, 11, before)
    assert await group_store.membership(db, group_id, 11) == before


def test_migration_versions_are_unique() -> None:
    """Two branches each adding "0012_..." would apply one and skip the other's version."""
    versions = [version for version, _name, _sql in migrations()]
    assert len(versions) == len(set(versions)), versions


async def test_migration_14_gives_sessions_held_before_it_the_leaders_of_the_moment(
    db: Database,
) -> None:
    """Who led an earlier session was never stored: the group's leaders when the bot is
    upgraded are the best that is known; a planned session and a former leader get none."""
    gid = await group_store.create(db, guild_id=1, name="Tuesday", zone="Europe/London", now=NOW)
    for user_id, role in ((1, "leader"), (2, "co_leader"), (3, "member"), (4, "leader")):
        await group_store.add_member(db, gid, user_id, role, NOW)
    await group_store.remove_member(db, gid, 4, NOW)
    ended = await db.execute(
        "INSERT INTO sessions (group_id, status, started_at, ended_at) VALUES (?, 'ended', 0, 1)",
        (gid,),
    )
    await db.execute("INSERT INTO sessions (group_id, status) VALUES (?, 'planned')", (gid,))
    await db.execute("DROP TABLE session_leaders")
    await db.execute("DELETE FROM schema_migrations WHERE version = 14")
    assert await db.migrate() == [14]
    rows = await db.fetchall("SELECT session_id, user_id FROM session_leaders ORDER BY user_id")
    assert [(r["session_id"], r["user_id"]) for r in rows] == [(ended, 1), (ended, 2)]
