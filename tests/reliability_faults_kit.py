"""Tools of the fault tests: the faults, a world per table row, fingerprints, error filters.

Kept apart from tests/test_reliability_faults.py so each file stays short; no
test lives here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from bot.compat import REST_FAULTS
from bot.sim.faults import NETWORK
from bot.sim.interactions import InteractionResult
from bot.sim.scenario import Scenario
from bot.texts import common as texts
from tests.reliability_table import GROUP, Row
from tests.reliability_world import ACTORS, ReliabilityWorld, build_world, store_invariants

Route = tuple[str, str]  # (METHOD, route template)

# The routes through which the answer itself travels: a fault there cannot become a sentence.
ANSWER_ROUTES = ("/interactions/", "/webhooks/")

MISSING_PERMISSIONS = texts.MISSING_PERMISSIONS.split("{", 1)[0]
# The shared failure sentences, each of which promises that nothing was changed.
NOTHING_CHANGED = {
    "missing permissions": MISSING_PERMISSIONS,
    "rate limited": texts.RATE_LIMITED,
    "discord down": texts.DISCORD_DOWN,
    "unexpected": texts.UNEXPECTED_ERROR,
}


@dataclass(frozen=True)
class Fault:
    """One way Discord can fail a route, and what the user must be told."""

    name: str
    status: int
    times: int = 1
    # A fault discord.py absorbs (it sleeps and retries): the command must simply succeed.
    absorbed: bool = False
    # The shared sentence that fits this status if the command fails with one; None: any.
    sentence: str | None = None
    # The JSON error code for a 403 (50013 Missing Permissions, 50001 Missing Access).
    forbidden_code: int = 50013
    # Only routes starting so can fail this way ("": every route).
    only_under: str = ""

    @property
    def network(self) -> bool:
        """A failure below HTTP: the connection broke, Discord never answered."""
        return self.status == NETWORK

    def applies(self, route: str) -> bool:
        return route.startswith(self.only_under)

    def code(self, route: str) -> int | None:
        if self.status == 403:
            return self.forbidden_code
        if self.status == 404:
            return not_found_code(route)
        return None


FORBIDDEN = Fault("403", 403, sentence="missing permissions")
# A channel the bot's role cannot see (View Channel lost there): Discord answers 50001.
MISSING_ACCESS = Fault(
    "403/50001", 403, sentence="missing permissions", forbidden_code=50001, only_under="/channels/"
)
# The thing was deleted by hand between the bot's look at its cache and its call: the user
# can be told to try again (or what was deleted), never "something went wrong on my side".
NOT_FOUND = Fault("404", 404)
# discord.py tries a request 5 times; five 429s in a row exhaust its retries.
RATE_LIMIT_EXHAUSTED = Fault("429x5", 429, times=5, sentence="rate limited")
UNAVAILABLE = Fault("503", 503, sentence="discord down")  # not retried by discord.py
RATE_LIMIT_ONCE = Fault("429", 429, absorbed=True)  # retry_after=0: retried at once
SERVER_ERROR_ONCE = Fault("500", 500, absorbed=True)  # retried after a real 1 s sleep

# The connection is reset below HTTP (aiohttp.ClientOSError, ECONNRESET; discord.py does
# not retry that errno on Linux): no answer came, so "Discord did not answer properly".
CONNECTION_RESET = Fault("reset", NETWORK, sentence="discord down")

# Faults that leave the command failed (the world usually unchanged: worlds are reused).
FAILING = (
    FORBIDDEN,
    MISSING_ACCESS,
    NOT_FOUND,
    RATE_LIMIT_EXHAUSTED,
    UNAVAILABLE,
    CONNECTION_RESET,
)


def not_found_code(route: str) -> int:
    """The JSON error code Discord sends with a 404 on this route."""
    if "/members/" in route:
        return 10007  # Unknown Member
    if "/messages/" in route:
        return 10008  # Unknown Message
    if route.startswith("/guilds/{guild_id}/roles"):
        return 10011  # Unknown Role
    if "scheduled-events" in route:
        return 10070  # Unknown Guild Scheduled Event
    if route.startswith("/users/"):
        return 10013  # Unknown User
    if route.startswith("/guilds/"):
        return 10004  # Unknown Guild
    return 10003  # Unknown Channel


def actor_for(row: Row) -> str:
    """Someone the table allows to use the row: the leader where possible."""
    for actor in ("leader", "organiser", *ACTORS):
        if row.allowed(actor):
            return actor
    raise AssertionError(f"nobody may use {row.key}")


def normalised(text: str) -> str:
    """The answer without ids and numbers, so answers from two worlds compare."""
    return re.sub(r"\d+", "#", text)


class RowWorlds:
    """Fresh worlds for one row: groups A and B, a live session, the row's setup done."""

    def __init__(self, tmp_path: Path, row: Row) -> None:
        self.tmp_path = tmp_path
        self.row = row
        self.built = 0

    async def fresh(self) -> ReliabilityWorld:
        self.built += 1
        self.tmp_path.mkdir(parents=True, exist_ok=True)
        world = Scenario(self.tmp_path / f"faults-{self.built}.sqlite3")
        await world.start()
        rw = await build_world(world)
        if self.row.setup is not None:
            await self.row.setup(rw)
        await world.sim.settle()
        assert not world.problems(), world.problems()
        world.sim.reset_calls()
        return rw

    async def ready(self, rw: ReliabilityWorld) -> None:
        """Before a run in a reused world: what the row needs is there again (Row.ready)."""
        if self.row.ready is not None:
            await self.row.ready(rw)

    async def run(self, rw: ReliabilityWorld) -> InteractionResult:
        result = await self.row.run(rw, rw.actor(actor_for(self.row)))
        await rw.sim.settle()
        assert result is not None, f"{self.row.key}: not offered to {actor_for(self.row)}"
        return result


def routes_used(rw: ReliabilityWorld) -> list[Route]:
    """The REST routes of the last run, without the ones that carry the answer."""
    found = {(c.method, c.route) for c in rw.sim.calls}
    return sorted((m, r) for m, r in found if not any(a in r for a in ANSWER_ROUTES))


async def store_dump(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to tell whether a failed command changed anything."""
    names = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    dump: dict[str, list[tuple[Any, ...]]] = {}
    for (name,) in (tuple(n) for n in names):
        rows = await db.fetchall(f"SELECT * FROM {name}")  # noqa: S608 - names from the schema
        dump[name] = sorted((tuple(r) for r in rows), key=repr)
    return dump


def discord_dump(rw: ReliabilityWorld) -> dict[str, Any]:
    """What Discord holds that a command changes: channels, overwrites, roles, role grants."""
    world = rw.sim.world
    guild = rw.world.guild
    channels = {
        c.id: (
            c.name,
            c.type,
            c.parent_id,
            sorted((o.id, o.type, o.allow, o.deny) for o in c.overwrites.values()),
        )
        for c in guild.channels.values()
    }
    roles = {r.id: (r.name, r.permissions) for r in guild.roles.values()}
    grants = {m.user.id: sorted(m.role_ids) for m in guild.members.values() if m.role_ids}
    events = {e.id: (e.start, e.status) for e in guild.events.values()}
    assert world.guilds[guild.id] is guild
    return {"channels": channels, "roles": roles, "grants": grants, "events": events}


async def fingerprint(rw: ReliabilityWorld) -> tuple[dict[str, Any], dict[str, Any]]:
    return await store_dump(rw.bot.db), discord_dump(rw)


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The parts that differ; for dicts by id (channels, roles), which ids and how."""
    found = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            ids = sorted(i for i in set(old) | set(new) if old.get(i) != new.get(i))
            found.append(f"{key}: " + "; ".join(f"{old.get(i)} -> {new.get(i)}" for i in ids))
        else:
            found.append(key)
    return found


def escaped_errors(sim: Any, status: int | None) -> list[Any]:
    """Everything in sim.errors but the bot's own log records of the injected HTTP failure.

    Exceptions (from tasks) and records of discord.py's own loggers ("Ignoring
    exception in ...") mean an error escaped the bot's handlers.
    """
    bad = []
    for error in sim.errors:
        if (
            status is not None
            and isinstance(error, logging.LogRecord)
            and error.name.startswith(("bot", "cogs"))
            and any(_status_of(e) == status for e in _exceptions_in(error))
        ):
            continue
        bad.append(error)
    return bad


def _exceptions_in(record: logging.LogRecord) -> list[BaseException]:
    found: list[BaseException] = []
    candidates: list[Any] = list(record.args or ()) if isinstance(record.args, tuple) else []
    if record.exc_info and record.exc_info[1] is not None:
        candidates.append(record.exc_info[1])
    for candidate in candidates:
        seen = 0
        while isinstance(candidate, BaseException) and seen < 5:
            found.append(candidate)
            candidate = getattr(candidate, "original", None) or candidate.__cause__
            seen += 1
    return found


def _status_of(error: BaseException) -> int | None:
    """The HTTP status of a failed call; NETWORK for one that broke below HTTP."""
    if isinstance(error, discord.HTTPException):
        return error.status
    return NETWORK if isinstance(error, REST_FAULTS) else None


# An answer that promises the failed command changed nothing (shared or the command's own).
PROMISES_NOTHING_CHANGED = re.compile(r"[Nn]othing was (changed|left half)|so the meeting stays in")


def blames_discord(text: str) -> bool:
    """The answer says Discord failed, wrong for a 404: it answered that a thing is gone."""
    return "did not answer properly" in text


def promises_nothing_changed(text: str) -> bool:
    return PROMISES_NOTHING_CHANGED.search(text) is not None


def shared_sentence(text: str) -> str | None:
    """Which shared failure sentence the answer is, if any."""
    for name, sentence in NOTHING_CHANGED.items():
        if sentence in text:
            return name
    return None


async def still_serving(rw: ReliabilityWorld) -> str | None:
    """The follow-up /group info (by the organiser, who may always see it); None when fine."""
    general = rw.world.guild.channel_named("general")
    after = await rw.sim.slash(
        rw.world.organiser, "group info", channel=general, options={"group": GROUP}
    )
    await rw.sim.settle()
    if GROUP not in after.text:
        return f"the follow-up /group info answered {after.text!r}"
    return None


async def consistent(rw: ReliabilityWorld) -> list[str]:
    return await store_invariants(rw.bot.db, rw.sim)
