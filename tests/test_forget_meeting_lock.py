"""/privacy forget during a meeting: the erased member's place goes with the meeting's
own rules, under the session's lock, and the leaders are told once.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.sim import transport
from bot.sim.scenario import Scenario
from bot.store import privacy as privacy_store
from bot.texts import privacy as texts
from cogs import _privacy_forget
from tests.crash_support import strict_round_on_first
from tests.session_support import leader, press, reload, start_session, who_can_post
from tests.support import make_group
from tests.test_privacy_completeness import forget, traces


async def queue_rows(world: Scenario, session_id: int) -> list[tuple[str, int, int]]:
    rows = await world.bot.db.fetchall(
        "SELECT kind, position, user_id FROM session_queue WHERE session_id = ? "
        "ORDER BY kind, position",
        (session_id,),
    )
    return [(r["kind"], r["position"], r["user_id"]) for r in rows]


async def test_erasing_a_member_whose_turn_passed_keeps_the_round_going(
    scenario: Scenario,
) -> None:
    """The erasure deleted the member's round place (their turn had passed) straight from
    the store: the places had a gap (0 gone, 1 and 2 left) and the round, read again,
    pointed past the member speaking, so "Done" refused them and the last was skipped."""
    world = scenario
    handle, session, channel = await strict_round_on_first(world)
    a, b, c = handle.members
    await press(world, a, session, "done")
    assert (await reload(world, session)).floor_holder_id == b.id
    await forget(world, a)
    assert traces(world, a) == {}
    assert await queue_rows(world, session.id) == [("round", 0, b.id), ("round", 1, c.id)]
    assert (await reload(world, session)).floor_holder_id == b.id
    done = await press(world, b, session, "done")
    assert (await reload(world, session)).floor_holder_id == c.id, done.text
    assert who_can_post(world, channel, [b, c]) == {c.name}


def hold_floor_write(monkeypatch: pytest.MonkeyPatch, channel_id: int) -> dict[str, Any]:
    """Once armed, the next permission write on the session channel waits (as a slow
    Discord would) until the erasure's transaction committed, or a while at most (the
    erasure may itself be waiting for the change that made the call)."""
    original = transport._Pending.__aenter__
    gate: dict[str, Any] = {"armed": False, "reached": asyncio.Event(), "erased": asyncio.Event()}

    async def held(self: Any) -> Any:
        route = f"/channels/{channel_id}/permissions/"
        if gate["armed"] and self.method == "PUT" and route in self.url:
            gate["armed"] = False
            gate["reached"].set()
            for _ in range(200):
                if gate["erased"].is_set():
                    break
                await asyncio.sleep(0)
        return await original(self)

    monkeypatch.setattr(transport._Pending, "__aenter__", held)
    erase = privacy_store.forget

    async def erasing(*args: Any, **kwargs: Any) -> dict[str, int]:
        counts = await erase(*args, **kwargs)
        gate["erased"].set()
        return counts

    monkeypatch.setattr(privacy_store, "forget", erasing)
    return gate


async def test_a_round_started_during_the_erasure_does_not_store_the_member_again(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The erasure deleted the member's meeting rows outside the session's lock: a
    /round start that read the meeting (the member in it, with the floor) before the
    erasure's commit and saved after it wrote their id back into the queue and the
    session's floor, and the floor stayed on someone who no longer existed to the bot."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    gate = hold_floor_write(monkeypatch, channel.id)
    restore = _privacy_forget.restore_overwrites
    started: list[asyncio.Task[Any]] = []

    async def leader_presses_meanwhile(bot: Any, user_id: int) -> None:
        await restore(bot, user_id)
        if not started:  # the erasure's meeting part is done; its transaction comes next
            gate["armed"] = True
            started.append(asyncio.create_task(leader(world, handle, "round start", channel)))
            await asyncio.wait_for(gate["reached"].wait(), 5)

    monkeypatch.setattr(_privacy_forget, "restore_overwrites", leader_presses_meanwhile)
    assert "erased" in (await forget(world, a)).lower()
    await started[0]
    await world.sim.settle()
    assert gate["erased"].is_set()
    assert traces(world, a) == {}, "the erased member's id is back in the store"
    fresh = await reload(world, session)
    assert fresh.floor_holder_id == b.id
    assert await queue_rows(world, session.id) == [("round", 0, b.id), ("round", 1, c.id)]
    assert who_can_post(world, channel, [a, b, c]) == {b.name}


async def test_two_erase_presses_at_once_tell_the_leaders_once(scenario: Scenario) -> None:
    """Two answers of /privacy forget pressed at once ran two erasures side by side."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    await press(world, a, session, "raise")
    custom_id = f"balint:forget:{a.id}"
    first = await sim.slash(a, "privacy forget", channel=handle.lobby)
    second = await sim.slash(a, "privacy forget", channel=handle.lobby)
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")  # each click's settle() does not wait for the other
    pressed = await asyncio.gather(
        *(
            asyncio.create_task(sim.click(a, asked.original, custom_id), name=f"sim-ignore-{n}")
            for n, asked in enumerate((first, second))
        )
    )
    await sim.settle()
    assert all("erased" in p.text.lower() or p.text == texts.FORGET_NOTHING for p in pressed)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    notes = [m for m in sim.messages_in(leaders_channel) if m.content == texts.LEADERS_ERASED]
    assert len(notes) == 1, [p.text for p in pressed]
    assert traces(world, a) == {}
