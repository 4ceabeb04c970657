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

import argparse
import asyncio
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks._world import GroupMade, make_group
from bot.sim.scenario import Scenario

MEMBERS = 12
RAISED_HANDS = 3
STATUS = "status refresh"
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


class Counts:
    """Statements by interaction kind, and by statement shape."""

    def __init__(self) -> None:
        self.kind: str | None = None  # the interaction being run, None between them
        self.current = 0
        self.per_kind: dict[str, list[int]] = defaultdict(list)
        self.status_statements = 0
        self.status_edits = 0
        self.shapes: Counter[str] = Counter()
        self.shapes_by_kind: dict[str, Counter[str]] = defaultdict(Counter)

    def trace(self, sql: str) -> None:
        """sqlite3's trace callback: runs in the task that ran the statement."""
        if self.kind is None:
            return
        task = asyncio.current_task()
        in_status = task is not None and "StatusUpdater._run" in repr(task.get_coro())
        kind = STATUS if in_status else self.kind
        if in_status:
            self.status_statements += 1
        else:
            self.current += 1
        self.shapes[shape(sql)] += 1
        self.shapes_by_kind[kind][shape(sql)] += 1

    async def run(self, world: Scenario, kind: str, action: Callable[[], Awaitable[Any]]) -> None:
        """One interaction and everything it sets off, charged to `kind`."""
        self.kind, self.current = kind, 0
        try:
            await action()
            await world.sim.settle()
        finally:
            self.kind = None
        self.per_kind[kind].append(self.current)


async def _meeting(world: Scenario, counts: Counts, group: GroupMade) -> None:
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
    with tempfile.TemporaryDirectory(prefix="balint-sql-") as tmp:
        world = Scenario(Path(tmp) / "sql.sqlite3")
        await world.start()
        try:
            groups = []
            for index in range(2):
                people = [world.add_person(f"sql-{index}-{n:02d}") for n in range(MEMBERS + 1)]
                groups.append(await make_group(world, f"sql {index}", people[0], people[1:]))
            status = world.bot.get_cog("Facilitation").engine.status
            edit = status._edit  # noqa: SLF001 - counted, not changed

            async def counted_edit(session_id: int) -> None:
                if counts.kind is not None:
                    counts.status_edits += 1
                await edit(session_id)

            status._edit = counted_edit  # noqa: SLF001
            world.bot.db.conn.set_trace_callback(counts.trace)
            for index in range(meetings):
                await _meeting(world, counts, groups[index % len(groups)])
            world.bot.db.conn.set_trace_callback(None)
            problems = world.problems()
            if problems:
                raise RuntimeError(f"the meetings went wrong: {problems}")
        finally:
            await world.stop()
    return counts


def report(counts: Counts, top: int) -> str:
    lines = [f"{'interaction':<18} {'count':>5} {'mean':>6} {'min':>4} {'max':>4}"]
    for kind in KINDS:
        if kind == STATUS:
            n = counts.status_edits
            mean = counts.status_statements / n if n else 0.0
            lines.append(f"{kind:<18} {n:>5} {mean:>6.1f} {'':>4} {'':>4}  (per edit)")
            continue
        seen = counts.per_kind.get(kind, [])
        if seen:
            mean = sum(seen) / len(seen)
            lines.append(f"{kind:<18} {len(seen):>5} {mean:>6.1f} {min(seen):>4} {max(seen):>4}")
    lines.append("")
    lines.append(f"top {top} statements (all interactions):")
    for sql, n in counts.shapes.most_common(top):
        lines.append(f"{n:>6}  {sql[:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sql_counts")
    parser.add_argument("--meetings", type=int, default=3, help="whole meetings to run")
    parser.add_argument("--top", type=int, default=15, help="how many statements to list")
    parser.add_argument("--kind", help="list the top statements of this one kind instead")
    args = parser.parse_args(argv)
    counts = asyncio.run(measure(args.meetings))
    print(report(counts, args.top))
    if args.kind:
        print(f"\ntop statements of {args.kind!r}:")
        for sql, n in counts.shapes_by_kind[args.kind].most_common(args.top):
            print(f"{n:>6}  {sql[:150]}")


if __name__ == "__main__":
    main()
