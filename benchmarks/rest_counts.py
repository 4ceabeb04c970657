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

from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import _counting
from benchmarks._counting import STATUS, Charges, counted_meetings
from benchmarks._world import GroupMade
from bot.sim.scenario import Scenario
from bot.sim.world import User

RAISED_HANDS = 3
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


class Counts(Charges):
    """Calls by interaction kind, and by route."""

    def request(self, method: str, url: str, kw: dict[str, Any]) -> None:
        """Seen at the simulator's seam, in the task that made the request."""
        self.charge(label(method, url, kw))


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

    def watch(world: Scenario) -> Callable[[], None]:
        sim = world.sim
        handle = sim._handle_request  # noqa: SLF001 - seen, not changed

        def seen(method: str, url: str, kw: dict[str, Any]) -> Any:
            counts.request(method, url, kw)
            return handle(method, url, kw)

        sim._handle_request = seen  # type: ignore[method-assign]  # noqa: SLF001
        return lambda: setattr(sim, "_handle_request", handle)

    await counted_meetings("rest", meetings, counts, watch, _meeting)
    return counts


def report(counts: Counts, top: int) -> str:
    return _counting.report(counts, KINDS, top, "routes", 2)


def main(argv: list[str] | None = None) -> None:
    _counting.cli("python -m benchmarks.rest_counts", "routes", measure, report, argv)


if __name__ == "__main__":
    main()
