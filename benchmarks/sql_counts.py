"""SQL statements per session interaction, counted (issue #5): where the store work goes.

    python -m benchmarks.sql_counts [--meetings 3] [--top 15]

Deterministic, unlike the timing benchmarks: a few whole meetings run one step at a
time through the simulator on the manual clock, and sqlite3's `set_trace_callback`
on the bot's one connection sees every statement.  Each statement is charged to the
interaction that set it off (everything up to the world settling again, timers and
DMs included), except what the status message's edit task runs: that is charged to
"status refresh", counted per edit.  BEGIN and COMMIT count as statements, and each
row of an `executemany` is one (SQLite runs it once per row).

Prints statements per interaction kind (mean, min, max) and the statements run most
often, with their literals replaced by `?`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import _counting
from benchmarks._counting import STATUS, Charges, counted_meetings
from benchmarks._world import GroupMade
from bot.sim.scenario import Scenario

RAISED_HANDS = 3
KINDS = (
    "session start",
    "turns",
    "phase next",
    "session presenter",
    "raise hand",
    "next speaker",
    STATUS,
    "session end",
)
_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def shape(sql: str) -> str:
    """The statement with its bound values (the trace shows them expanded) as `?`."""
    return " ".join(_LITERAL.sub("?", sql).split())


class Counts(Charges):
    """Statements by interaction kind, and by statement shape."""

    def trace(self, sql: str) -> None:
        """sqlite3's trace callback: runs in the task that ran the statement."""
        self.charge(shape(sql))


async def _meeting(world: Scenario, counts: Counts, group: GroupMade, _index: int) -> None:
    """One whole meeting, as bench_session's Meeting drives it, one step at a time."""
    from bot.store import sessions as session_store

    sim, leader, lobby, members = world.sim, group.leader, group.lobby, group.members

    def slash(command: str, **options: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: sim.slash(leader, command, channel=lobby, options=options)

    async def session() -> Any:
        return await session_store.live_for_group(world.bot.db, group.group_id)

    async def click(user: Any, action: str, kind: str) -> None:
        live = await session()
        message = sim.world.messages[live.status_message_id]
        prefix = f"balint:s:{live.id}:{action}"
        custom_id = next(
            c for c in message.custom_ids() if c == prefix or c.startswith(prefix + ":")
        )
        await counts.run(world, kind, lambda: sim.click(user, message, custom_id))

    await counts.run(world, "session start", slash("session start"))
    await counts.run(world, "turns", slash("turns", mode="hands"))
    await counts.run(world, "phase next", slash("phase next"))  # -> case call
    case = 0
    for _ in range(40):
        live = await session()
        if live is None:
            raise RuntimeError(f"{group.name}: the session is not live")
        if live.phase == "case_call":
            presenter = members[case % len(members)]
            case += 1
            pick = slash("session presenter", member=presenter)
            await counts.run(world, "session presenter", pick)
        elif live.phase == "discussion":
            speakers = [m for m in members if m is not members[(case - 1) % len(members)]]
            for user in speakers[:RAISED_HANDS]:
                await click(user, "raise", "raise hand")
            for _ in range(RAISED_HANDS):
                await click(leader, "nextspk", "next speaker")
        elif live.phase == "closing":
            break
        await counts.run(world, "phase next", slash("phase next"))
    await counts.run(world, "session end", slash("session end"))
    if await session() is not None:
        raise RuntimeError(f"{group.name}: the session did not end")


async def measure(meetings: int) -> Counts:
    counts = Counts()

    def watch(world: Scenario) -> Callable[[], None]:
        world.bot.db.conn.set_trace_callback(counts.trace)
        return lambda: world.bot.db.conn.set_trace_callback(None)

    await counted_meetings("sql", meetings, counts, watch, _meeting)
    return counts


def report(counts: Counts, top: int) -> str:
    return _counting.report(counts, KINDS, top, "statements", 1)


def main(argv: list[str] | None = None) -> None:
    _counting.cli("python -m benchmarks.sql_counts", "statements", measure, report, argv)


if __name__ == "__main__":
    main()
