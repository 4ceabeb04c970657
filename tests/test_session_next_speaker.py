"""'Next speaker' carries the floor holder the leader saw: a double press calls one member."""

from __future__ import annotations

import asyncio

from tests.session_support import button, press, reload, start_session, status_message
from tests.support import make_group


async def _three_hands(world, handle):  # type: ignore[no-untyped-def]
    session, channel = await start_session(world, handle)
    await world.sim.slash(handle.leader, "turns", channel=channel, options={"mode": "strict"})
    a, b, c = handle.members[:3]
    for user in (a, b, c):
        await press(world, user, session, "raise")
    return session, (a, b, c)


async def test_double_press_of_next_speaker_calls_the_first_hand_once(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6, co_leader=scenario.people[11])
    session, (a, b, _) = await _three_hands(world, handle)
    message = await status_message(world, session)
    custom_id = button(message, "nextspk")
    assert custom_id.endswith(":nextspk:0") and len(custom_id) <= 100
    # "sim-ignore" tasks are the test's own: each click's settle() does not wait for the other.
    asyncio.current_task().set_name("sim-ignore-test")
    first, second = await asyncio.gather(
        asyncio.create_task(sim.click(handle.leader, message, custom_id), name="sim-ignore-a"),
        asyncio.create_task(sim.click(handle.co_leader, message, custom_id), name="sim-ignore-b"),
    )
    fresh = await reload(world, session)
    assert fresh.floor_holder_id == a.id
    answers = sorted(r.text.splitlines()[-1] for r in (first, second))
    assert answers == [f"<@{a.id}> already has the floor.", f"<@{a.id}> has the floor."]
    # The status message now carries the new holder: the next press calls b.
    message = await status_message(world, session)
    assert button(message, "nextspk").endswith(f":nextspk:{a.id}")
    await press(world, handle.leader, session, "nextspk")
    assert (await reload(world, session)).floor_holder_id == b.id


async def test_next_speaker_button_without_the_holder_still_works(scenario):
    """A status message sent before the upgrade has `balint:s:<id>:nextspk`: unguarded."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, (a, _, _) = await _three_hands(world, handle)
    message = await status_message(world, session)
    new_id = button(message, "nextspk")
    old_id = new_id.rsplit(":", 1)[0]
    stack = list(message.components)
    while stack:
        component = stack.pop()
        if component.get("custom_id") == new_id:
            component["custom_id"] = old_id
        stack.extend(component.get("components") or [])
    result = await sim.click(handle.leader, message, old_id)
    assert result.text.splitlines()[-1] == f"<@{a.id}> has the floor."
    assert (await reload(world, session)).floor_holder_id == a.id
