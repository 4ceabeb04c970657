"""Permission plans: REST calls per phase change, restarts at every phase, 403, concurrency."""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import (
    button,
    leader,
    phase,
    reload,
    start_session,
    status_message,
    who_can_post,
)
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"


async def _calls_per_change(tmp_path, size: int) -> list[list[tuple[str, str]]]:
    world = Scenario(tmp_path / f"size{size}.sqlite3", people=size + 1, max_group_size=60)
    await world.start()
    try:
        handle = await make_group(world, size=size)
        session, channel = await start_session(world, handle)
        await leader(world, handle, "turns", channel, mode="strict")
        per_change = []
        steps = ["case_call", "presenter", "presentation", "questions", "floor", "discussion"]
        steps += ["return", "closing", "end"]
        for step in steps:
            world.sim.reset_calls()
            if step == "presenter":
                await leader(world, handle, "session presenter", channel, member=handle.members[0])
            elif step == "floor":
                await leader(world, handle, "floor give", channel, member=handle.members[1])
            elif step == "end":
                await leader(world, handle, "session end", channel)
            else:
                await leader(world, handle, "phase goto", channel, phase=step)
            per_change.append(
                [(c.method, c.route) for c in world.sim.calls if c.route == PERMISSION_ROUTE]
            )
        assert not world.problems(), world.problems()
        return per_change
    finally:
        await world.stop()


async def test_rest_calls_per_change_do_not_depend_on_group_size(tmp_path):
    six, twelve, fifty = [await _calls_per_change(tmp_path, n) for n in (6, 12, 50)]
    assert six == twelve == fifty
    counts = [len(calls) for calls in six]
    # case call (role stays denied in strict), presenter chosen (no write), presentation
    # (presenter allowed), questions (presenter back to role), floor to a member, discussion
    # (floor taken back; the presenter is denied by the role like everyone), return (presenter
    # allowed), closing (presenter back to the role), end (leaders released: one DELETE each).
    assert counts == [0, 0, 1, 1, 1, 1, 1, 1, 1]
    assert max(counts) <= 3


async def test_restart_at_every_phase_keeps_plan_and_buttons(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    presenter = handle.members[0]
    people = handle.everyone
    for step in ["check_in", "case_call", "presentation", "questions", "discussion", "return"]:
        if step == "case_call":
            await leader(world, handle, "session presenter", channel, member=presenter)
        before = who_can_post(world, channel, people)
        sim.reset_calls()
        await world.restart()
        writes = [c for c in sim.calls if c.route == PERMISSION_ROUTE]
        assert writes == [], f"restart at {step} rewrote {writes}"
        assert who_can_post(world, channel, people) == before
        assert await phase(world, session) == step
        message = await status_message(world, session)
        result = await sim.click(handle.leader, message, button(message, "next"))
        assert "Now:" in result.text, result.text
    assert await phase(world, session) == "case_call"


async def test_restart_restores_a_plan_changed_by_hand(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "presentation"
    await world.stop()
    channel.overwrites.pop(handle.role.id)  # an admin fiddled while the bot was down
    channel.overwrites.pop(handle.members[0].id, None)
    await world.start()
    await sim.settle()
    assert who_can_post(world, channel, handle.everyone) == {
        handle.leader.name,
        handle.members[0].name,
    }
    assert sim.can(handle.members[1], channel, "view_channel")


async def test_concurrent_next_phase_moves_once(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6, co_leader=scenario.people[11])
    session, channel = await start_session(world, handle)
    message = await status_message(world, session)
    custom_id = button(message, "next")
    # "sim-ignore" tasks are the test's own: each click's settle() does not wait for the other.
    asyncio.current_task().set_name("sim-ignore-test")
    first, second = await asyncio.gather(
        asyncio.create_task(sim.click(handle.leader, message, custom_id), name="sim-ignore-a"),
        asyncio.create_task(sim.click(handle.co_leader, message, custom_id), name="sim-ignore-b"),
    )
    assert await phase(world, session) == "case_call"
    texts = sorted([first.text, second.text])
    assert any("already moved to “Who has a case?”" in t for t in texts), texts
    assert any("Now: Who has a case?" in t for t in texts), texts
    assert sum("already moved" in t for t in texts) == 1


async def test_member_pressing_leader_buttons_is_told(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    other = await make_group(world, name="Other", leader=world.people[8], members=[world.people[9]])
    session, _ = await start_session(world, handle)
    message = await status_message(world, session)
    for action in ("next", "extend", "nextspk"):
        result = await sim.click(handle.members[0], message, button(message, action))
        assert result.ephemeral and "Only the group's leaders" in result.text
    # Someone holding the role by mistake (not in the group's roster) is still refused.
    world.member(other.members[0]).role_ids.append(handle.role.id)
    result = await sim.click(other.members[0], message, button(message, "raise"))
    assert "Only members of this group" in result.text
    assert await phase(world, session) == "check_in"


@pytest.mark.parametrize("status", [403])
async def test_failed_write_keeps_store_at_last_applied_phase(allow_errors, status):
    world, sim = allow_errors, allow_errors.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject("PUT", PERMISSION_ROUTE, status, 50013)
    result = await leader(world, handle, "phase next", channel)
    assert "could not change the channel's permissions" in result.text
    assert "stays in “Who has a case?”" in result.text
    fresh = await reload(world, session)
    assert fresh.phase == "case_call" and fresh.applied_phase == "case_call"
    result = await leader(world, handle, "phase next", channel)
    assert result.text.startswith("Now: Presentation")
    assert (await reload(world, session)).applied_phase == "presentation"
    assert who_can_post(world, channel, handle.everyone) == {
        handle.leader.name,
        handle.members[0].name,
    }
