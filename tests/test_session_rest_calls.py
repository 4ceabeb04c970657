"""REST calls of the hot meeting interactions (issue #5): answered or deferred at once.

A press or command used to defer first and answer in a second call (a followup). Now one
whose change is store-only (raise a hand) is answered in its one response; one whose change
calls Discord (a permission write, a line in the channel) is deferred before that first
call, as the issue's rule says, and answered in a followup; and any change slower than
bot/deadline.py's DEFER_AFTER is deferred, so it is still answered within Discord's 3 s.
"""

from __future__ import annotations

import asyncio

from bot.sim.scenario import Scenario
from bot.texts import facilitation as texts
from tests.session_support import leader, press, reload, start_session
from tests.support import make_group

CALLBACK = "/interactions/{interaction_id}/{token}/callback"
EDIT = "/channels/{channel_id}/messages/{message_id}"
OVERWRITE = "/channels/{channel_id}/permissions/{overwrite_id}"


def answers(scenario: Scenario) -> list[object]:
    """The interaction calls made since the last reset: callback types, "followup" for the
    webhook (a followup, or the edit of a deferred answer)."""
    out: list[object] = []
    for call in scenario.sim.calls:
        if call.route == CALLBACK:
            out.append(call.json["type"])
        elif call.route.startswith("/webhooks/"):
            out.append("followup")
    return out


async def test_a_raised_hand_costs_one_answer_and_one_status_edit(scenario: Scenario) -> None:
    """ "Raise hand": the member's answer (their place in the queue) in the response itself,
    the status message edited once; no deferral, no followup."""
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    await leader(scenario, handle, "turns", channel, mode="hands")
    await scenario.sim.settle()
    scenario.sim.reset_calls()
    raised = await press(scenario, handle.members[0], session, "raise")
    await scenario.sim.settle()
    assert [(c.method, c.route) for c in scenario.sim.calls] == [
        ("POST", CALLBACK),
        ("PATCH", EDIT),
    ]
    assert answers(scenario) == [4]
    assert raised.ephemeral and texts.HAND_RAISED.format(position=1) in raised.text


async def test_each_hot_interaction_is_answered_or_deferred_before_any_other_call(
    scenario: Scenario,
) -> None:
    """Round turns (Done, Pass), /turns, /phase next, Next speaker, /floor give: the first
    call of each is its interaction response. Answered in it when the change called
    nobody; deferred in it, then answered in a followup, when the change wrote to Discord."""
    world = scenario
    handle = await make_group(world, size=4)
    a, b, c, d = handle.members
    session, channel = await start_session(world, handle)
    for member in handle.members:
        await press(world, member, session, "here")
    kinds: dict[str, list[object]] = {}

    async def once(name: str, run):  # noqa: ANN001, ANN202 - a step of the meeting
        world.sim.reset_calls()
        result = await run
        await world.sim.settle()
        calls = [call.route for call in world.sim.calls]
        assert calls and calls[0] == CALLBACK, (name, calls)  # nothing before the answer
        got = answers(world)
        worked = [r for r in calls if r != CALLBACK and not r.startswith("/webhooks/")]
        if got == [4]:  # answered in one call: nothing of Discord's was waited for first
            assert worked in ([], [EDIT]), (name, calls)  # the status edit comes after
        else:
            assert got in ([5, "followup"], [6, "followup"]), (name, got)
            assert worked, (name, "deferred, yet nothing called Discord")
        assert result.messages[-1].ephemeral, name  # the answer, in the response or followup
        kinds[name] = got
        return result

    await once("/turns strict", leader(world, handle, "turns", channel, mode="strict"))
    await once("/round start", leader(world, handle, "round start", channel))
    holder = (await reload(world, session)).floor_holder_id
    first = next(m for m in handle.members if m.id == holder)
    await once("done", press(world, first, session, "done"))
    holder = (await reload(world, session)).floor_holder_id
    second = next(m for m in handle.members if m.id == holder)
    await once("pass", press(world, second, session, "pass"))
    await once("/turns hands", leader(world, handle, "turns", channel, mode="hands"))
    await once("/phase next", leader(world, handle, "phase next", channel))
    await once("raise", press(world, a, session, "raise"))
    given = await once("next speaker", press(world, handle.leader, session, "nextspk"))
    assert f"<@{a.id}>" in given.text
    await once("/floor give", leader(world, handle, "floor give", channel, member=b))
    assert (await reload(world, session)).floor_holder_id == b.id
    assert kinds["raise"] == [4]  # store-only: one call, the saving of issue #5
    assert kinds["/phase next"][1] == "followup"  # permission writes: deferred first


async def test_a_press_whose_change_waits_out_a_429_is_still_answered(
    scenario: Scenario,
) -> None:
    """ "Next speaker" in a go-round whose overwrite write meets a 429 (retry after 3.2 s): the
    change takes longer than Discord's 3 seconds, so the press is deferred on time and the
    leader still reads who has the floor, in a followup; the floor moved."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    for member in handle.members:
        await press(world, member, session, "here")
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel)
    assert (await reload(world, session)).floor_holder_id == handle.members[0].id
    a = handle.members[1]  # next in the round
    await world.sim.settle()
    world.sim.inject("PUT", OVERWRITE, 429, retry_after=3.2)
    asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
    world.sim.reset_calls()
    moved = await press(world, handle.leader, session, "nextspk")
    await world.sim.settle()
    assert moved.responded, "no answer reached Discord within 3 s of the press"
    assert answers(world) == [6, "followup"]
    assert texts.FLOOR_GIVEN.format(member=f"<@{a.id}>") in moved.text
    assert (await reload(world, session)).floor_holder_id == a.id
    assert not world.sim.errors, world.sim.errors
