"""Groups and memberships: who is in which group, with which role."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.groups import name_key
from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row

LEADER_ROLES = ("leader", "co_leader")

# A session whose channel (or, in a permanent channel, whose messages) may still hold
# the case: its row and purge timers outlive retention and group deletion until purged.
AWAITING_PURGE = (
    "purged_at IS NULL AND (text_channel_id IS NOT NULL OR voice_channel_id IS NOT NULL)"
)


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    guild_id: int
    name: str
    zone: str
    role_id: int | None
    category_id: int | None
    lobby_channel_id: int | None
    leaders_channel_id: int | None
    created_at: datetime
    archived_at: datetime | None
    quorum: int
    max_cases: int
    voice_enabled: bool
    voice_mode: str
    auto_advance: bool
    auto_end: bool
    events_enabled: bool
    case_prompts_enabled: bool
    silence_nudge_minutes: int | None
    guard_mode: str | None
    purge_delay_minutes: int | None
    reminder_lead_minutes: str | None
    phase_minutes: str | None
    agreement_text: str | None
    agreement_version: int
    session_channel: str = "new"  # new | permanent (migration 0008)
    session_channel_id: int | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True, slots=True)
class Membership:
    group_id: int
    user_id: int
    role: str
    joined_at: datetime
    left_at: datetime | None
    reminders_enabled: bool

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES and self.left_at is None


def _group(row: Row) -> Group:
    return group_of(row.keys(), row)


def group_of(names: Iterable[str], values: Iterable[Any]) -> Group:
    """A Group from a row's column names and values (`dict(row)` would look each name up
    in the row in turn, a third of the conversion's cost; groups are read at every command)."""
    data = dict(zip(names, values, strict=True))
    data["created_at"] = from_epoch(data["created_at"])
    data["archived_at"] = from_epoch(data["archived_at"])
    for flag in (
        "voice_enabled",
        "auto_advance",
        "auto_end",
        "events_enabled",
        "case_prompts_enabled",
    ):
        data[flag] = bool(data[flag])
    return Group(**data)


def _membership(row: Row) -> Membership:
    return Membership(
        group_id=row["group_id"],
        user_id=row["user_id"],
        role=row["role"],
        joined_at=from_epoch(row["joined_at"]),  # type: ignore[arg-type]
        left_at=from_epoch(row["left_at"]),
        reminders_enabled=bool(row["reminders_enabled"]),
    )


# The columns `membership_of` takes, in order (joined onto another table's row).
MEMBERSHIP_COLUMNS = ("role", "joined_at", "left_at", "reminders_enabled")


def membership_of(group_id: int, user_id: int, values: Sequence[Any]) -> Membership | None:
    """A Membership from `MEMBERSHIP_COLUMNS`' values (None: a LEFT JOIN found no row)."""
    role, joined_at, left_at, reminders_enabled = values
    if role is None:
        return None
    return Membership(
        group_id=group_id,
        user_id=user_id,
        role=role,
        joined_at=from_epoch(joined_at),  # type: ignore[arg-type]
        left_at=from_epoch(left_at),
        reminders_enabled=bool(reminders_enabled),
    )


async def create(
    db: Database,
    *,
    guild_id: int,
    name: str,
    zone: str,
    now: datetime,
    quorum: int = 4,
    max_cases: int = 2,
) -> int:
    return await db.execute(
        "INSERT INTO groups (guild_id, name, zone, created_at, quorum, max_cases) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, name, zone, to_epoch(now), quorum, max_cases),
    )


async def set_discord_ids(
    db: Database,
    group_id: int,
    *,
    role_id: int | None,
    category_id: int | None,
    lobby_channel_id: int | None,
    leaders_channel_id: int | None,
) -> None:
    await db.execute(
        "UPDATE groups SET role_id = ?, category_id = ?, lobby_channel_id = ?, "
        "leaders_channel_id = ? WHERE id = ?",
        (role_id, category_id, lobby_channel_id, leaders_channel_id, group_id),
    )


_SETTABLE = {
    "quorum",
    "max_cases",
    "voice_enabled",
    "voice_mode",
    "auto_advance",
    "auto_end",
    "events_enabled",
    "case_prompts_enabled",
    "silence_nudge_minutes",
    "guard_mode",
    "purge_delay_minutes",
    "reminder_lead_minutes",
    "phase_minutes",
    "agreement_text",
    "agreement_version",
    "session_channel",
    "session_channel_id",
    "zone",
    "name",
}


async def update_settings(db: Database, group_id: int, **values: object) -> None:
    """Change group settings; only known columns, so no SQL is ever built from input."""
    unknown = set(values) - _SETTABLE
    if unknown:
        raise ValueError(f"unknown group settings: {sorted(unknown)}")
    if not values:
        return
    assignments = ", ".join(f"{column} = ?" for column in values)
    await db.execute(f"UPDATE groups SET {assignments} WHERE id = ?", (*values.values(), group_id))


async def archive(db: Database, group_id: int, now: datetime) -> None:
    await db.execute("UPDATE groups SET archived_at = ? WHERE id = ?", (to_epoch(now), group_id))


async def delete(db: Database, group_id: int) -> bool:
    """Delete the group and all its rows; False (nothing deleted) while a purge is due.

    The delete cascades to the group's sessions and their purge timers: a session
    channel not purged yet would then never be, so the group waits for its purges.
    """
    async with db.transaction():
        waiting = await db.fetchone(
            f"SELECT 1 FROM sessions WHERE group_id = ? AND {AWAITING_PURGE} LIMIT 1",
            (group_id,),
        )
        if waiting is not None:
            return False
        await db.execute("DELETE FROM groups WHERE id = ?", (group_id,))
    return True


async def get(db: Database, group_id: int) -> Group | None:
    row = await db.fetchone("SELECT * FROM groups WHERE id = ?", (group_id,))
    return _group(row) if row else None


async def by_name(db: Database, guild_id: int, name: str) -> Group | None:
    """The server's group of that name, compared as name_key compares (SQLite's lower()
    folds ASCII only); the exact spelling first, should older data hold two alike."""
    rows = await db.fetchall("SELECT * FROM groups WHERE guild_id = ? ORDER BY id", (guild_id,))
    alike = [row for row in rows if name_key(row["name"]) == name_key(name)]
    exact = [row for row in alike if row["name"] == name]
    found = (exact or alike)[:1]
    return _group(found[0]) if found else None


async def by_channel(db: Database, guild_id: int, channel_id: int) -> Group | None:
    """The group whose category, lobby or leaders' channel this is."""
    # `+guild_id`: the guild is only a check; the three channel indexes find the row
    # (with guild_id as the index SQLite would read every group of the guild).
    row = await db.fetchone(
        "SELECT * FROM groups WHERE +guild_id = ? AND (category_id = ? OR lobby_channel_id = ? "
        "OR leaders_channel_id = ?)",
        (guild_id, channel_id, channel_id, channel_id),
    )
    return _group(row) if row else None


async def by_role(db: Database, guild_id: int, role_id: int) -> Group | None:
    row = await db.fetchone(
        "SELECT * FROM groups WHERE guild_id = ? AND role_id = ?", (guild_id, role_id)
    )
    return _group(row) if row else None


async def in_guild(db: Database, guild_id: int, *, include_archived: bool = False) -> list[Group]:
    sql = "SELECT * FROM groups WHERE guild_id = ?"
    if not include_archived:
        sql += " AND archived_at IS NULL"
    rows = await db.fetchall(sql + " ORDER BY name", (guild_id,))
    return [_group(row) for row in rows]


async def all_active(db: Database) -> list[Group]:
    rows = await db.fetchall("SELECT * FROM groups WHERE archived_at IS NULL")
    return [_group(row) for row in rows]


async def with_role(db: Database) -> list[Group]:
    """Every group whose role the store knows, archived ones too (for the role watch)."""
    rows = await db.fetchall("SELECT * FROM groups WHERE role_id IS NOT NULL")
    return [_group(row) for row in rows]


async def for_user(db: Database, guild_id: int, user_id: int) -> list[Group]:
    """Active groups on this server that the user leads or belongs to."""
    rows = await db.fetchall(
        "SELECT g.* FROM groups g JOIN memberships m ON m.group_id = g.id "
        "WHERE g.guild_id = ? AND m.user_id = ? AND m.left_at IS NULL AND g.archived_at IS NULL "
        "ORDER BY g.name",
        (guild_id, user_id),
    )
    return [_group(row) for row in rows]


async def in_namesakes(db: Database, group: Group) -> set[int]:
    """Who is also in an active group of the same name on another server (for the DMs,
    which would otherwise name both alike). Compared by name_key, as /group create
    compares names on one server; SQLite's lower() would miss "Équipe" and "équipe".
    Only the groups of this group's members (ever) are looked at."""
    rows = await db.fetchall(
        "SELECT g.name, m.user_id FROM groups g JOIN memberships m ON m.group_id = g.id "
        "WHERE g.guild_id != ? AND g.archived_at IS NULL AND m.left_at IS NULL "
        "AND m.user_id IN (SELECT user_id FROM memberships WHERE group_id = ?)",
        (group.guild_id, group.id),
    )
    wanted = name_key(group.name)
    return {row["user_id"] for row in rows if name_key(row["name"]) == wanted}


async def add_member(db: Database, group_id: int, user_id: int, role: str, now: datetime) -> None:
    """Join (or re-join) a group; a returning member keeps their past records."""
    await db.execute(
        "INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role, left_at = NULL",
        (group_id, user_id, role, to_epoch(now)),
    )


async def restore_membership(
    db: Database, group_id: int, user_id: int, previous: Membership | None
) -> None:
    """Undo add_member (or set_role) after Discord refused the role grant that followed it:
    the row as it was before, or no row for someone who had never been in the group."""
    if previous is None:
        await db.execute(
            "DELETE FROM memberships WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        )
        return
    left = to_epoch(previous.left_at) if previous.left_at is not None else None
    await db.execute(
        "UPDATE memberships SET role = ?, left_at = ? WHERE group_id = ? AND user_id = ?",
        (previous.role, left, group_id, user_id),
    )


async def set_role(db: Database, group_id: int, user_id: int, role: str) -> None:
    await db.execute(
        "UPDATE memberships SET role = ? WHERE group_id = ? AND user_id = ?",
        (role, group_id, user_id),
    )


async def remove_member(db: Database, group_id: int, user_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE memberships SET left_at = ? WHERE group_id = ? AND user_id = ? AND left_at IS NULL",
        (to_epoch(now), group_id, user_id),
    )


async def membership(db: Database, group_id: int, user_id: int) -> Membership | None:
    row = await db.fetchone(
        "SELECT * FROM memberships WHERE group_id = ? AND user_id = ?", (group_id, user_id)
    )
    return _membership(row) if row else None


async def members(db: Database, group_id: int, *, include_left: bool = False) -> list[Membership]:
    sql = "SELECT * FROM memberships WHERE group_id = ?"
    if not include_left:
        sql += " AND left_at IS NULL"
    rows = await db.fetchall(sql + " ORDER BY joined_at, user_id", (group_id,))
    return [_membership(row) for row in rows]


async def leaders(db: Database, group_id: int) -> list[Membership]:
    return [m for m in await members(db, group_id) if m.is_leader]


async def set_reminders(db: Database, group_id: int, user_id: int, enabled: bool) -> None:
    await db.execute(
        "UPDATE memberships SET reminders_enabled = ? WHERE group_id = ? AND user_id = ?",
        (int(enabled), group_id, user_id),
    )


async def next_session_hint(db: Database, group_id: int, now: datetime) -> datetime | None:
    """The soonest planned session that has not started yet, for /group info."""
    row = await db.fetchone(
        "SELECT MIN(scheduled_start) AS start FROM sessions "
        "WHERE group_id = ? AND status = 'planned' AND scheduled_start >= ?",
        (group_id, to_epoch(now)),
    )
    return from_epoch(row["start"]) if row and row["start"] is not None else None


async def set_discord_id(db: Database, group_id: int, part: str, value: int | None) -> None:
    """Replace one Discord object id (after /group repair recreated it)."""
    column = {
        "role": "role_id",
        "category": "category_id",
        "lobby": "lobby_channel_id",
        "leaders": "leaders_channel_id",
    }[part]
    await db.execute(f"UPDATE groups SET {column} = ? WHERE id = ?", (value, group_id))
