"""Queries for confidentiality: where the guard applies, a person's rows, forgetting, retention.

Every table and column name used to build SQL here comes from the declaration
in bot/store/data_kinds.py (constants), never from input.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.pulse import voter_token
from bot.store import erasures
from bot.store.clocktime import to_epoch
from bot.store.data_kinds import person_kinds
from bot.store.database import Database
from bot.store.erasures import ErasedGroup
from bot.store.groups import AWAITING_PURGE

__all__ = [
    "ExportNames",
    "GuardTarget",
    "count_guard_hit",
    "export_names",
    "export_rows",
    "forget",
    "groups_of",
    "guard_target",
    "in_meetings",
    "live_sessions_of",
    "pending_timer_of_kind",
    "purge_expired",
]


@dataclass(frozen=True, slots=True)
class GuardTarget:
    """A channel the identifier guard watches: its group, and its session if it has one."""

    group_id: int
    session_id: int | None
    guard_mode: str | None  # the group's own setting; None: the configured default


async def guard_target(
    db: Database,
    guild_id: int,
    channel_id: int,
    category_id: int | None,
    parent_id: int | None = None,
) -> GuardTarget | None:
    """The session channel (text, or the voice channel's chat; not yet purged) or group
    channel this is, else None.

    `parent_id`: for a thread, the channel it hangs off (a thread in a group's
    channel is guarded like the channel).
    """
    parent = parent_id if parent_id is not None else channel_id
    row = await db.fetchone(
        "SELECT s.id, s.group_id, g.guard_mode FROM sessions s JOIN groups g ON g.id = s.group_id "
        "WHERE (s.text_channel_id IN (?, ?) OR s.voice_channel_id = ?) "
        "AND s.purged_at IS NULL AND g.guild_id = ? ORDER BY s.id DESC LIMIT 1",
        (channel_id, parent, channel_id, guild_id),
    )
    if row is not None:
        return GuardTarget(row["group_id"], row["id"], row["guard_mode"])
    row = await db.fetchone(
        "SELECT id, guard_mode FROM groups WHERE guild_id = ? AND (lobby_channel_id IN (?, ?) "
        "OR leaders_channel_id IN (?, ?) OR category_id = ? OR category_id = ?) LIMIT 1",
        (guild_id, channel_id, parent, channel_id, parent, channel_id, category_id),
    )
    if row is not None:
        return GuardTarget(row["id"], None, row["guard_mode"])
    return None


async def count_guard_hit(db: Database, session_id: int) -> None:
    """One more message in this session looked like it held an identifier (a count only)."""
    await db.execute("UPDATE sessions SET guard_hits = guard_hits + 1 WHERE id = ?", (session_id,))


async def guard_hits(db: Database, session_id: int) -> tuple[int, int] | None:
    """(group id, how many messages of the session tripped the guard), or None."""
    row = await db.fetchone("SELECT group_id, guard_hits FROM sessions WHERE id = ?", (session_id,))
    return (int(row["group_id"]), int(row["guard_hits"])) if row else None


async def _open_voter_codes(db: Database, user_id: int) -> list[tuple[int, str]]:
    """(session, this person's pulse voter code) for each survey still open.

    While a survey keeps its secret, the code is computed again from the user id: it
    points at them (that they answered, and which questions) until the survey closes.
    """
    rows = await db.fetchall("SELECT session_id, salt FROM pulse_surveys WHERE salt IS NOT NULL")
    return [(row["session_id"], voter_token(bytes(row["salt"]), user_id)) for row in rows]


async def export_rows(db: Database, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about this person, table by table (ids, settings and times only)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for kind in person_kinds():
        columns = ([kind.person] if kind.person else []) + list(kind.refers)
        where = " OR ".join(f"{column} = ?" for column in columns)
        rows = await db.fetchall(
            f"SELECT * FROM {kind.table} WHERE {where}", tuple(user_id for _ in columns)
        )
        found[kind.table] = [dict(row) for row in rows]
    voters: list[dict[str, Any]] = []
    for session_id, code in await _open_voter_codes(db, user_id):
        rows = await db.fetchall(
            "SELECT * FROM pulse_voters WHERE session_id = ? AND voter_token = ?",
            (session_id, code),
        )
        voters += [dict(row) for row in rows]
    found["pulse_voters"] = voters
    return found


@dataclass(frozen=True, slots=True)
class ExportNames:
    """What the internal numbers in a person's rows stand for, so the summary of
    /privacy export can say "Tuesday group, meeting of 2026-11-17T19:00:00+00:00"."""

    groups: dict[int, dict[str, Any]]  # id -> name, zone, guild_id
    sessions: dict[int, dict[str, Any]]  # id -> group_id, occurrence_date, times
    timers: dict[int, dict[str, Any]]  # id -> kind, group_id, session_id (a round of DMs)


_CHUNK = 500  # ids per query: far below SQLite's limit on bound values


async def _by_id(db: Database, select: str, ids: set[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        marks = ", ".join("?" for _ in part)
        for row in await db.fetchall(f"{select} WHERE id IN ({marks})", tuple(part)):
            found[int(row["id"])] = dict(row)
    return found


async def export_names(db: Database, rows: dict[str, list[dict[str, Any]]]) -> ExportNames:
    """The groups, meetings and rounds of DMs these rows (from `export_rows`) point at.

    Only names, zones, dates and kinds: nothing about any other person.
    """
    timer_ids = {r["timer_id"] for r in rows.get("timer_deliveries", []) if r.get("timer_id")}
    timers = await _by_id(db, "SELECT id, kind, group_id, session_id FROM timers", timer_ids)
    found = [row for table in rows.values() for row in table] + list(timers.values())
    session_ids = {
        row[column]
        for row in found
        for column in ("session_id", "followup_session_id")
        if row.get(column) is not None
    }
    session_ids |= {row["id"] for row in rows.get("sessions", [])}
    sessions = await _by_id(
        db,
        "SELECT id, group_id, occurrence_date, scheduled_start, started_at, held_zone "
        "FROM sessions",
        session_ids,
    )
    group_ids = {row["group_id"] for row in [*found, *sessions.values()] if row.get("group_id")}
    groups = await _by_id(db, "SELECT id, name, zone, guild_id FROM groups", group_ids)
    return ExportNames(groups=groups, sessions=sessions, timers=timers)


async def groups_of(db: Database, user_id: int) -> list[int]:
    """The groups this person has a membership in (left or not)."""
    rows = await db.fetchall(
        "SELECT DISTINCT group_id FROM memberships WHERE user_id = ? ORDER BY group_id",
        (user_id,),
    )
    return [row["group_id"] for row in rows]


async def live_sessions_of(db: Database, group_ids: Collection[int]) -> list[int]:
    """The live sessions of these groups, in id order (the order their locks are taken)."""
    if not group_ids:
        return []
    marks = ", ".join("?" for _ in group_ids)
    rows = await db.fetchall(
        f"SELECT id FROM sessions WHERE status = 'live' AND group_id IN ({marks}) ORDER BY id",
        tuple(group_ids),
    )
    return [int(row["id"]) for row in rows]


async def in_meetings(db: Database, user_id: int, session_ids: Collection[int]) -> bool:
    """Does the live state of one of these sessions name them (hand, round, away, floor)?"""
    for session_id in session_ids:
        row = await db.fetchone(
            "SELECT 1 FROM session_queue WHERE session_id = ? AND user_id = ? "
            "UNION ALL SELECT 1 FROM session_away WHERE session_id = ? AND user_id = ? "
            "UNION ALL SELECT 1 FROM sessions WHERE id = ? AND floor_holder_id = ? LIMIT 1",
            (session_id, user_id, session_id, user_id, session_id, user_id),
        )
        if row is not None:
            return True
    return False


async def forget(
    db: Database,
    user_id: int,
    *,
    keep_mutes_in: Collection[int] = (),
    request: int | None = None,
    groups: Sequence[ErasedGroup] = (),
    now: datetime | None = None,
) -> dict[str, int]:
    """Delete every row about this person and blank every other mention; one transaction,
    then a checkpoint, so nothing of them can be read from the file either.

    `keep_mutes_in`: servers where a voice mute the bot set on them could not be lifted
    yet. Those rows stay (a server mute holds everywhere, and without the row nobody
    would ever lift it) and go when the mute is lifted, at their next voice join.
    `request`: the timer of this erasure. It stays (not counted: it is no record the
    person was told of), as does another erasure of theirs under way (a second press:
    its run finishes it), and what is left to do after this transaction is stored with
    it, in it (bot/store/erasures.py: `groups`, the number of records, at `now`): the
    timer's run does the rest, after a restart too, and then deletes it.
    """
    if request is not None and now is None:
        raise ValueError("an erasure's request needs the time it was done")
    counts: dict[str, int] = {}
    kept = sorted(set(keep_mutes_in))
    codes = await _open_voter_codes(db, user_id)
    async with db.transaction():
        # A second erasure of theirs run beside this one (two Erase presses at once)
        # read their groups before the first erased them: its leaders were told already.
        member_of = set(await groups_of(db, user_id))
        voters = 0
        for session_id, code in codes:  # the answers' counts stay: they are nobody's
            voters += await db.rowcount(
                "DELETE FROM pulse_voters WHERE session_id = ? AND voter_token = ?",
                (session_id, code),
            )
        counts["pulse_voters"] = voters
        for kind in person_kinds():
            touched = 0
            for column in kind.refers:
                touched += await db.rowcount(
                    f"UPDATE {kind.table} SET {column} = NULL WHERE {column} = ?", (user_id,)
                )
            if kind.person:
                where = f"{kind.person} = ?"
                args: list[object] = [user_id]
                if kind.table == "voice_mutes" and kept:
                    where += f" AND guild_id NOT IN ({', '.join('?' for _ in kept)})"
                    args += kept
                if kind.table == "timers" and request is not None:
                    # This request, and another press's erasure still under way: its run
                    # finishes it (a restart too) and then deletes it.
                    where += " AND id != ? AND kind != ?"
                    args += [request, erasures.KIND]
                touched += await db.rowcount(f"DELETE FROM {kind.table} WHERE {where}", args)
            counts[kind.table] = touched
        if request is not None and now is not None:
            erased = [g for g in groups if g.group_id in member_of]
            await erasures.record(db, request, sum(counts.values()), erased, now)
    await db.checkpoint()  # the WAL's older frames still hold the rows just deleted
    return counts


async def pending_timer_of_kind(db: Database, kind: str) -> bool:
    row = await db.fetchone(
        "SELECT 1 FROM timers WHERE kind = ? AND state = 'pending' LIMIT 1", (kind,)
    )
    return row is not None


async def purge_expired(db: Database, cutoff: datetime) -> dict[str, int]:
    """Delete what is older than the retention cutoff; returns rows deleted per table.

    Sessions that ended (or were cancelled or never held) before the cutoff go
    with everything hanging off them (queue, acks, cases, offers, rsvps,
    attendance, pulse rows, their timers). Attendance, replies, offers and
    acknowledgements older than the cutoff go even if their session is newer.
    Memberships that ended before the cutoff go; agreement acceptances older
    than the cutoff go, except each current member's latest one (the group
    role depends on it). Finished timers older than the cutoff go, as do take-backs of a
    group role told longer ago (bot/store/role_takebacks.py). A session whose
    channel is not purged yet stays (with its retry timer) until it is.
    """
    limit = to_epoch(cutoff)
    done: dict[str, int] = {}
    async with db.transaction():
        done["sessions"] = await db.rowcount(
            "DELETE FROM sessions WHERE status <> 'live' AND NOT "
            f"({AWAITING_PURGE}) AND "
            "COALESCE(ended_at, scheduled_end, started_at, scheduled_start) < ?",
            (limit,),
        )
        for table, column in (
            ("attendance", "marked_at"),
            ("rsvps", "answered_at"),
            ("offers", "offered_at"),
            ("session_acks", "acked_at"),
        ):
            done[table] = await db.rowcount(f"DELETE FROM {table} WHERE {column} < ?", (limit,))
        done["memberships"] = await db.rowcount(
            "DELETE FROM memberships WHERE left_at IS NOT NULL AND left_at < ?", (limit,)
        )
        done["consents"] = await db.rowcount(
            "DELETE FROM consents WHERE accepted_at < ? AND NOT EXISTS ("
            "SELECT 1 FROM memberships m WHERE m.group_id = consents.group_id "
            "AND m.user_id = consents.user_id AND m.left_at IS NULL "
            "AND consents.agreement_version = (SELECT MAX(c2.agreement_version) FROM consents c2 "
            "WHERE c2.group_id = consents.group_id AND c2.user_id = consents.user_id))",
            (limit,),
        )
        done["timers"] = await db.rowcount(
            "DELETE FROM timers WHERE state NOT IN ('pending', 'firing') "
            "AND COALESCE(fired_at, due_at) < ?",
            (limit,),
        )
        # A refused take-back whose holder left the server while the bot was down: no
        # check judges someone off the server, so its row would stay for good.
        done["role_takebacks"] = await db.rowcount(
            "DELETE FROM role_takebacks WHERE at < ?", (limit,)
        )
    await db.checkpoint()  # what went is overwritten in the file; the WAL is emptied too
    return done
