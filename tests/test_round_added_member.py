"""A member added to the group (/group add) while a meeting's go-round runs."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.session_support import (
    enforced_voice_session,
    leader,
    press,
    reload,
    round_order,
    start_session,
    status_message,
    who_can_post,
)
from tests.support import accept_agreements, make_group


async def test_a_member_added_during_a_round_gets_a_turn_at_its_end(
    scenario: Scenario,
) -> None:
    """Added while the check-in round runs, then writing in the session channel: like any
    member first seen during a round, they speak after the last one in the order."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    a, b = handle.members
    newcomer = next(p for p in world.people if p not in handle.everyone)
    session, channel = await start_session(world, handle)
    for member in (a, b):
        assert await sim.post(member, channel, "here") is not None
    await sim.settle()
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id]
    added = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": newcomer}
    )
    assert "is now a member" in added.text, added.text
    await sim.settle()
    await accept_agreements(world, [newcomer])
    assert sim.can(newcomer, channel, "view_channel", "send_messages")
    assert await sim.post(newcomer, channel, "sorry, just added") is not None
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id, newcomer.id]


async def test_a_member_added_during_a_round_who_joins_the_voice_speaks_at_its_end(
    scenario: Scenario,
) -> None:
    """Enforced voice turns, strict mode: added mid-round, joining the voice, their turn
    comes after the last one and the bot unmutes them and lets them write."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    a, b = handle.members
    newcomer = next(p for p in world.people if p not in handle.everyone)
    session, channel, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": newcomer})
    await sim.settle()
    await accept_agreements(world, [newcomer])
    assert await sim.voice_join(newcomer, voice)
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id, newcomer.id]
    await press(world, a, session, "done")
    await press(world, b, session, "done")
    assert (await reload(world, session)).floor_holder_id == newcomer.id
    assert not world.member(newcomer).mute
    assert who_can_post(world, channel, [a, b, newcomer]) == {newcomer.name}
    status = await status_message(world, session)
    assert f"<@{newcomer.id}>" in str(status.embeds), status.embeds


async def test_a_member_removed_and_added_back_during_a_round_gets_their_turn(
    scenario: Scenario,
) -> None:
    """Removed by mistake before their turn and added back at once: their presence was
    already recorded, so the "first seen" arrival never fired and the round went on
    without them, though a /round start at that moment would have called on them."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    a, b, c = handle.members
    session, channel = await start_session(world, handle)
    for member in (a, b, c):
        assert await sim.post(member, channel, "here") is not None
    await sim.settle()
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id, c.id]
    await sim.slash(handle.leader, "group remove", channel=handle.lobby, options={"member": c})
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": c})
    await sim.settle()
    await accept_agreements(world, [c])
    assert await sim.post(c, channel, "back, sorry") is not None
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id, c.id]
    await press(world, a, session, "done")
    await press(world, b, session, "done")
    assert (await reload(world, session)).floor_holder_id == c.id
