"""REST calls per session interaction, counted (issue #5): where the Discord traffic goes.

    python -m benchmarks.rest_counts [--meetings 3] [--top 15] [--kind "raise hand"]

Deterministic, like benchmarks/sql_counts.py: a few whole meetings run one step at a
time through the simulator on the manual clock, and every request that reaches the
simulator's HTTP seam is charged to the interaction that set it off (everything up to
the world settling again, the interaction's own answer, DMs and lines included), except
what the status message's edit task sends: that is charged to "status refresh", counted
per pass of that task.  An interaction's answer is listed by its callback type (6 a
deferred update, 7 the pressed message updated, 4 a message, 5 a deferred message).

Each meeting: a check-in go-round (Done, Pass), raised hands and "Next speaker" in the
discussion, `/floor give` and Done, then the end: the hot interactions of a meeting.
Prints calls per interaction kind (mean, min, max) and the routes called most often.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks._world import GroupMade, make_group
from bot.sim.scenario import Scenario
from bot.sim.world import User

MEMBERS = 12
RAISED_HANDS = 3
STATUS = "status refresh"
KINDS = (
    "session start",
    "i'm here",
    "turns",
    "round start",
    "done",
    "pass",
    "phase next",
    "session presenter",
    "raise hand",
    "next speaker",
    "floor give",
    STATUS,
    "session end",
)
CALLBACK = "/callback"


def label(method: str, url: str, kw: dict[str, Any]) -> str:
    """A request as a route with its ids as `{}`; an interaction's answer with its type."""
    from bot.sim.routes import ROUTER
    from bot.sim.transport import make_call

    call, path = make_call(method, url, kw)
    match = ROUTER.match(call.method, path)
    route = f"{method} {match[0] if match is not None else path}"
    if route.endswith(CALLBACK) and isinstance(call.json, dict):
        return f"{route} type={call.json.get('type')}"
    return route


class Counts:
    """Calls by interaction kind, and by route."""

    def __init__(self) -> None:
        self.kind: str | None = None  # the interaction being run, None between them
        self.current = 0
        self.per_kind: dict[str, list[int]] = defaultdict(list)
        self.status_calls = 0
        self.status_passes = 0
        self.routes: Counter[str] = Counter()
        self.routes_by_kind: dict[str, Counter[str]] = defaultdict(Counter)

    def request(self, method: str, url: str, kw: dict[str, Any]) -> None:
        """Seen at the simulator's seam, in the task that made the request."""
        if self.kind is None:
            return
        task = asyncio.current_task()
        in_status = task is not None and "StatusUpdater._run" in repr(task.get_coro())
        kind = STATUS if in_status else self.kind
        if in_status:
            self.status_calls += 1
        else:
            self.current += 1
        route = label(method, url, kw)
        self.routes[route] += 1
        self.routes_by_kind[kind][route] += 1

    async def run(self, world: Scenario, kind: str, action: Callable[[], Awaitable[Any]]) -> None:
        """One interaction and everything it sets off, charged to `kind`."""
        self.kind, self.current = kind, 0
        try:
            await action()
            await world.sim.settle()
        finally:
            self.kind = None
        self.per_kind[kind].append(self.current)


async def _meeting(world: Scenario, counts: Counts, group: GroupMade, case: int) -> None:
    """One whole meeting, one step at a time, each step through the real commands."""
    from bot.store import sessions as session_store

    sim, leader, lobby, members = world.sim, group.leader, group.lobby, group.members

    def slash(command: str, **options: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: sim.slash(leader, command, channel=lobby, options=options)

    async def session() -> Any:
        live = await session_store.live_for_group(world.bot.db, group.group_id)
        if live is None:
            raise RuntimeError(f"{group.name}: the session is not live")
        return live

    async def click(user: User, action: str, kind: str) -> None:
        live = await session()
        message = sim.world.messages[live.status_message_id]
        prefix = f"balint:s:{live.id}:{action}"
        custom_id = next(
            c for c in message.custom_ids() if c == prefix or c.startswith(prefix + ":")
        )
        await counts.run(world, kind, lambda: sim.click(user, message, custom_id))

    async def holder() -> User:
        live = await session()
        return next(m for m in members if m.id == live.floor_holder_id)

    async def until(*phases: str) -> None:
        """`/phase next` until the meeting is in one of `phases` (bounded: a bug stops it)."""
        for _ in range(10):
            if (await session()).phase in phases:
                return
            await counts.run(world, "phase next", slash("phase next"))
        raise RuntimeError(f"{group.name}: never reached {phases}")

    await counts.run(world, "session start", slash("session start"))
    for user in members:
        await click(user, "here", "i'm here")
    await counts.run(world, "turns", slash("turns", mode="strict"))
    await counts.run(world, "round start", slash("round start"))
    for turn in range(len(members)):
        action = "pass" if turn % 4 == 3 else "done"
        await click(await holder(), action, action)
    await counts.run(world, "turns", slash("turns", mode="hands"))
    await counts.run(world, "phase next", slash("phase next"))  # -> case call
    presenter = members[case % len(members)]
    await counts.run(world, "session presenter", slash("session presenter", member=presenter))
    await until("discussion")
    speakers = [m for m in members if m is not presenter]
    for user in speakers[:RAISED_HANDS]:
        await click(user, "raise", "raise hand")
    for _ in range(RAISED_HANDS):
        await click(leader, "nextspk", "next speaker")
    await click(await holder(), "done", "done")
    floor = slash("floor give", member=speakers[RAISED_HANDS])
    await counts.run(world, "floor give", floor)
    await click(await holder(), "done", "done")
    await until("closing", "case_call")  # a second case is not heard: the meeting ends
    await counts.run(world, "session end", slash("session end"))
    if await session_store.live_for_group(world.bot.db, group.group_id) is not None:
        raise RuntimeError(f"{group.name}: the session did not end")


async def measure(meetings: int) -> Counts:
    counts = Counts()
    with tempfile.TemporaryDirectory(prefix="balint-rest-") as tmp:
        world = Scenario(Path(tmp) / "rest.sqlite3")
        await world.start()
        try:
            groups = []
            for index in range(2):
                people = [world.add_person(f"rest-{index}-{n:02d}") for n in range(MEMBERS + 1)]
                groups.append(await make_group(world, f"rest {index}", people[0], people[1:]))
            status = world.bot.get_cog("Facilitation").engine.status
            edit = status._edit  # noqa: SLF001 - counted, not changed

            async def counted_edit(session_id: int) -> None:
                if counts.kind is not None:
                    counts.status_passes += 1
                await edit(session_id)

            status._edit = counted_edit  # noqa: SLF001
            sim = world.sim
            handle = sim._handle_request  # noqa: SLF001 - seen, not changed

            def seen(method: str, url: str, kw: dict[str, Any]) -> Any:
                counts.request(method, url, kw)
                return handle(method, url, kw)

            sim._handle_request = seen  # type: ignore[method-assign]  # noqa: SLF001
            for index in range(meetings):
                await _meeting(world, counts, groups[index % len(groups)], index)
            sim._handle_request = handle  # type: ignore[method-assign]  # noqa: SLF001
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
            n = counts.status_passes
            mean = counts.status_calls / n if n else 0.0
            lines.append(f"{kind:<18} {n:>5} {mean:>6.2f} {'':>4} {'':>4}  (per pass)")
            continue
        seen = counts.per_kind.get(kind, [])
        if seen:
            mean = sum(seen) / len(seen)
            lines.append(f"{kind:<18} {len(seen):>5} {mean:>6.2f} {min(seen):>4} {max(seen):>4}")
    lines.append("")
    lines.append(f"top {top} routes (all interactions):")
    for route, n in counts.routes.most_common(top):
        lines.append(f"{n:>6}  {route}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rest_counts")
    parser.add_argument("--meetings", type=int, default=3, help="whole meetings to run")
    parser.add_argument("--top", type=int, default=15, help="how many routes to list")
    parser.add_argument("--kind", help="list the routes of this one kind too")
    args = parser.parse_args(argv)
    counts = asyncio.run(measure(args.meetings))
    print(report(counts, args.top))
    if args.kind:
        print(f"\nroutes of {args.kind!r}:")
        for route, n in counts.routes_by_kind[args.kind].most_common(args.top):
            print(f"{n:>6}  {route}")


if __name__ == "__main__":
    main()
