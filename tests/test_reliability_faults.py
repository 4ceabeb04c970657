"""Faults: every REST route a main command uses answers 403, 404, 429 or 500 once.

For each (command, fault) a fresh world records the command's routes on a
first run elsewhere, then each route is failed in its own world: the bot must
answer with a sentence (never the generic one when Discord said 403), keep
working (the next command answers), and leave the store consistent.
The interaction answer routes themselves are not failed: without them no
sentence can reach the user at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.sim.scenario import Scenario
from bot.texts import common as texts
from tests.reliability_world import ReliabilityWorld, build_world, store_invariants

Command = Callable[[ReliabilityWorld], Awaitable[object]]


async def _group_add(rw: ReliabilityWorld):  # noqa: ANN202
    person = rw.world.add_person(f"new-{len(rw.world.people)}")
    return await rw.sim.slash(
        rw.a.leader, "group add", channel=rw.a.lobby, options={"member": person}
    )


async def _group_create(rw: ReliabilityWorld):  # noqa: ANN202
    return await rw.sim.slash(
        rw.world.organiser,
        "group create",
        options={"name": "Group C", "timezone": "Asia/Tokyo", "leader": rw.b.members[1]},
    )


async def _session_start(rw: ReliabilityWorld):  # noqa: ANN202
    return await rw.sim.slash(rw.a.leader, "session start", channel=rw.a.lobby)


async def _phase_next(rw: ReliabilityWorld):  # noqa: ANN202
    return await rw.leader_runs("phase next")


async def _schedule_once(rw: ReliabilityWorld):  # noqa: ANN202
    return await rw.leader_runs("schedule once", date="2026-12-10", time="19:00")


COMMANDS: dict[str, tuple[Command, bool]] = {
    # name: (run, needs a live session)
    "group add": (_group_add, False),
    "group create": (_group_create, False),
    "session start": (_session_start, False),
    "phase next": (_phase_next, True),
    "schedule once": (_schedule_once, False),
}
FAULTS = {
    "403": (403, 50013),
    "404": (404, 10003),
    "429": (429, None),
}
ANSWER_ROUTES = ("/interactions/", "/webhooks/")


async def _world(tmp_path, index: int, live: bool) -> tuple[Scenario, ReliabilityWorld]:
    world = Scenario(tmp_path / f"faults-{index}.sqlite3")
    await world.start()
    rw = await build_world(world, live=live)
    return world, rw


async def _routes(tmp_path, name: str) -> list[tuple[str, str]]:
    run, live = COMMANDS[name]
    world, rw = await _world(tmp_path, 0, live)
    try:
        world.sim.reset_calls()
        await run(rw)
        routes = sorted({(c.method, c.route) for c in world.sim.calls})
        assert not world.problems(), world.problems()
    finally:
        await world.stop()
    return [(m, r) for m, r in routes if not any(a in r for a in ANSWER_ROUTES)]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("name", list(COMMANDS))
async def test_each_route_fails(tmp_path, name: str, fault: str) -> None:
    routes = await _routes(tmp_path, name)
    assert routes, f"{name} called no REST route"
    status, code = FAULTS[fault]
    run, live = COMMANDS[name]
    for index, (method, route) in enumerate(routes, start=1):
        world, rw = await _world(tmp_path, index, live)
        try:
            world.sim.reset_calls()
            world.sim.inject(method, route, status, code, retry_after=0 if status == 429 else None)
            result = await run(rw)
            where = f"{name} with {status} on {method} {route}"
            assert result.responded, f"{where}: no answer"
            assert result.text, f"{where}: empty answer"
            if status == 403 and world.sim.errors:
                assert texts.UNEXPECTED_ERROR not in result.text, f"{where}: {result.text}"
            if status == 429:  # discord.py waits retry_after and retries: the command succeeds
                assert not world.sim.errors, f"{where}: {world.sim.errors}"
            problems = await store_invariants(world.bot.db, world.sim)
            assert not problems, f"{where}: {problems}"
            world.sim.errors.clear()  # the expected HTTP failures, asserted on above
            after = await world.sim.slash(rw.a.leader, "group info", channel=rw.a.lobby)
            assert "Group A" in after.text, f"{where}: the bot no longer answers"
            assert not world.problems(), f"{where}: {world.problems()}"
        finally:
            await world.stop()


async def test_500_once_is_retried_and_the_command_completes(tmp_path) -> None:
    """discord.py retries a 5xx after a real 1 s sleep: one failure costs a second, not a crash."""
    world, rw = await _world(tmp_path, 0, False)
    try:
        world.sim.inject("POST", "/guilds/{guild_id}/channels", 500, times=1)
        result = await _session_start(rw)
        assert "session" in result.text.lower(), result.text
        assert texts.UNEXPECTED_ERROR not in result.text
        assert not await store_invariants(world.bot.db, world.sim)
        assert not world.problems(), world.problems()
    finally:
        await world.stop()
