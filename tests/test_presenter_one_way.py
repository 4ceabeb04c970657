"""/session presenter and /case pick: one way to choose who presents, whichever a leader uses.

A leader who uses /case pick one week and /session presenter the next must get the same
answer, the members the same line in the channel, and the records (a follow-up kept, a
promise closed) must agree: both commands run one function.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, User
from bot.store import cases as case_store
from bot.texts import cases as texts
from tests.case_helpers import call_message, last_dm, planned_meeting
from tests.session_support import leader, start_session
from tests.support import GroupHandle, make_group

NEXT = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # a week after the scenario's first day
COMMANDS = ("case pick", "session presenter")


async def _hold_case(
    world: Scenario, handle: GroupHandle, channel: Channel, command: str, who: User
):
    """From the case call, `who` is chosen with `command` and the case runs to its return."""
    answer = await leader(world, handle, command, channel, member=who)
    for _ in range(4):  # presentation, questions, discussion, return
        await leader(world, handle, "phase next", channel)
    return answer


async def _to(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


def _said(world: Scenario, channel: Channel) -> list[str]:
    return [m.content for m in world.sim.messages_in(channel)]


@pytest.mark.parametrize("command", COMMANDS)
async def test_either_command_answers_and_announces_the_same(
    scenario: Scenario, command: str
) -> None:
    """/session presenter answered "X presents the next case." and said nothing in the
    channel, where /case pick answered with the case's number and told the group."""
    world = scenario
    handle = await make_group(world, size=3)
    a = handle.members[0]
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    answer = await leader(world, handle, command, channel, member=a)
    assert answer.ephemeral
    assert answer.text == texts.PICK_DONE.format(member=f"<@{a.id}>", position=1, max_cases=2)
    assert _said(world, channel).count(texts.PICKED.format(member=f"<@{a.id}>")) == 1
    cases = await case_store.in_session(world.bot.db, session.id)
    assert [(c.presenter_id, c.kind, c.followup_of) for c in cases] == [(a.id, "new", None)]


@pytest.mark.parametrize(("first", "then"), [COMMANDS, COMMANDS[::-1]])
async def test_a_promised_followup_is_a_followup_whichever_command_picks_it(
    scenario: Scenario, first: str, then: str
) -> None:
    """A presents one week; asked before the next meeting, A promises a follow-up; the
    leader chooses A the next week. With /session presenter the case was stored as new:
    no "will present a follow-up" line, and the promise stayed open, so A was listed as
    owing a follow-up again the week after."""
    world = scenario
    handle = await make_group(world, size=3)
    a = handle.members[0]
    db = world.bot.db
    week1, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await _hold_case(world, handle, channel, first, a)
    await leader(world, handle, "session end", channel)
    [earlier] = await case_store.in_session(db, week1.id)
    week2_id = await planned_meeting(world, handle, NEXT)
    await _to(world, NEXT - timedelta(hours=47))  # the follow-up question, 48 h before
    asked = last_dm(world, a)
    await world.sim.click(a, asked, f"balint:fu:{earlier.id}:yes")
    await _to(world, NEXT - timedelta(minutes=5))
    week2, channel = await start_session(world, handle)
    assert week2.id == week2_id
    await leader(world, handle, "phase goto", channel, phase="case_call")
    answer = await _hold_case(world, handle, channel, then, a)
    assert answer.text == texts.PICK_DONE.format(member=f"<@{a.id}>", position=1, max_cases=2)
    assert texts.PICKED_FOLLOWUP.format(member=f"<@{a.id}>") in _said(world, channel)
    [case] = await case_store.in_session(db, week2.id)
    assert (case.kind, case.followup_of) == ("followup", earlier.id)
    await leader(world, handle, "session end", channel)
    assert (await case_store.get(db, earlier.id)).followup_state == "done"  # promise kept
    assert await case_store.promised(db, handle.group.id) == []


@pytest.mark.parametrize("command", COMMANDS)
async def test_an_offered_followup_follows_the_members_last_case(
    scenario: Scenario, command: str
) -> None:
    """B presented last week; this week B presses "I have a follow-up" and the leader
    chooses B: a follow-up of B's case, whichever command the leader uses."""
    world = scenario
    handle = await make_group(world, size=3)
    b = handle.members[1]
    db = world.bot.db
    week1, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await _hold_case(world, handle, channel, "case pick", b)
    await leader(world, handle, "session end", channel)
    [earlier] = await case_store.in_session(db, week1.id)
    await world.advance(days=7)
    week2, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await world.sim.click(b, call_message(world, channel), f"balint:offer:{week2.id}:followup")
    await leader(world, handle, command, channel, member=b)
    [case] = await case_store.in_session(db, week2.id)
    assert (case.kind, case.followup_of) == ("followup", earlier.id)
    assert texts.PICKED_FOLLOWUP.format(member=f"<@{b.id}>") in _said(world, channel)


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_pick_waiting_on_another_change_is_answered_in_time(
    scenario: Scenario, command: str
) -> None:
    """A co-leader changes the turns during the case call; its permission write is rate
    limited past 3 s and holds the meeting's lock. /case pick meanwhile waited on that lock
    without deferring: "This interaction failed", though the member was chosen."""
    world = scenario
    handle = await make_group(world, co_leader=world.people[1], size=3)
    a = handle.members[0]
    _, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    world.sim.inject(
        "PUT", "/channels/{channel_id}/permissions/{overwrite_id}", 429, retry_after=3.2
    )

    async def picked_meanwhile():
        asyncio.current_task().set_name("sim-ignore-b")  # type: ignore[union-attr]
        await asyncio.sleep(0.2)  # the mode change's write is waiting to retry
        return await leader(world, handle, command, channel, member=a)

    asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
    mode = world.sim.slash(handle.co_leader, "turns", channel=channel, options={"mode": "strict"})
    _, picked = await asyncio.gather(mode, picked_meanwhile())
    await world.sim.settle()
    assert picked.responded, "no answer reached Discord within 3 s of the command"
    assert picked.text == texts.PICK_DONE.format(member=f"<@{a.id}>", position=1, max_cases=2)
    assert not world.sim.errors, world.sim.errors
