"""A crash at a chosen REST call, for restart-safety tests.

The bot's task is cancelled at the first matching call, as a kill -9 would stop it
there: what it had stored stays, and nothing after that point runs. Also the set-up
several restart tests share: a strict go-round whose floor move a crash cuts short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.sim.routes import ROUTER
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.sim.world import Channel
from bot.store.sessions import Session
from tests.session_support import leader, reload, start_session, who_can_post
from tests.support import GroupHandle, make_group

OVERWRITE = "/channels/{channel_id}/permissions/{overwrite_id}"


def crash_on(
    sim, method: str, route: str, *, when=lambda call: True, after: bool = False
) -> list[object]:
    """The process dies (its task is cancelled) at the first matching REST call.

    Stands for a kill -9 / host restart at that await: nothing after it runs, and what
    the bot had already written to the store stays. `after`: Discord carried the call
    out, the bot died before it saw the answer. Returns a list that gets the call.
    """
    original = sim._handle_request
    hit: list[object] = []

    def dying(m: str, url: str, kwargs: dict) -> object:
        call, path = make_call(m, url, kwargs)
        match = ROUTER.match(call.method, path)
        if not hit and match is not None and call.method == method and match[0] == route:
            call.params = match[1]
            if when(call):
                hit.append(call)
                sim._handle_request = original
                if after:
                    original(m, url, kwargs)
                raise asyncio.CancelledError("process killed here")
        return original(m, url, kwargs)

    sim._handle_request = dying
    return hit


def crash_in(monkeypatch, module: object, name: str, *, nth: int = 1) -> list[int]:
    """The process dies at the nth call of `module.name` (a store write, say), before it
    runs: a kill -9 between two writes that no REST call separates. Returns a list that
    gets the call's number once hit; `monkeypatch` puts the function back at teardown.
    """
    original = getattr(module, name)
    hit: list[int] = []
    calls = 0

    async def dying(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if not hit and calls == nth:
            hit.append(calls)
            monkeypatch.setattr(module, name, original)
            raise asyncio.CancelledError("process killed here")
        return await original(*args, **kwargs)

    monkeypatch.setattr(module, name, dying)
    return hit


async def until_killed(
    action: Coroutine[Any, Any, object], name: str = "sim-ignore-action"
) -> None:
    """Run one user action (a slash command, a click) that a crash point above kills.

    The test's own task and the action's are named "sim-ignore-…", so `settle()` does not
    wait for them: the action's answer never comes once the bot's task is cancelled.
    """
    task = asyncio.current_task()
    assert task is not None
    task.set_name("sim-ignore-test")
    await asyncio.create_task(action, name=name)


async def session_start_killed(world: Scenario, handle: GroupHandle) -> None:
    """/session start, and what it sets off, run until a crash point above kills them."""

    async def begin() -> None:
        await start_session(world, handle)
        await world.sim.settle()

    try:
        await until_killed(begin(), "sim-ignore-start")
    except asyncio.CancelledError:
        pass  # the process is gone


async def strict_round_on_first(world: Scenario) -> tuple[GroupHandle, Session, Channel]:
    """A meeting of a three-member group with strict turns and a go-round begun: the
    floor is the first member's (the set-up of the "the floor moves on" crash tests)."""
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel)
    assert (await reload(world, session)).floor_holder_id == handle.members[0].id
    return handle, session, channel


async def killed_as_the_floor_moves_on(
    world: Scenario,
    action: Callable[[GroupHandle], Awaitable[Coroutine[Any, Any, object]]],
    *,
    only_to_next: bool = False,
) -> tuple[GroupHandle, Session, Channel]:
    """Strict turns, a go-round on the first member (a), who leaves the meeting by
    `action`; the bot dies at the session channel's permission write as the floor moves
    on (`only_to_next`: the write for the second member, b). After a restart the floor
    is b's and only b may post. `action(handle)` does what comes first (asking, say) and
    returns the user action the crash kills. Returns the group, session and channel."""
    sim = world.sim
    handle, session, channel = await strict_round_on_first(world)
    b = handle.members[1]

    def floor_write(call: Any) -> bool:
        if int(call.params["channel_id"]) != channel.id:
            return False
        return not only_to_next or int(call.params["overwrite_id"]) == b.id

    hit = crash_on(sim, "PUT", OVERWRITE, when=floor_write)
    await until_killed(await action(handle), "sim-ignore-command")
    await sim.settle()
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    assert (await reload(world, session)).floor_holder_id == b.id
    assert who_can_post(world, channel, handle.members[1:]) == {b.name}
    return handle, session, channel
