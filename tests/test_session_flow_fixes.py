"""The facilitated meeting (issue 5): phases, turns and timers meeting each other.

Found by review; each test failed before its fix, for the reason in its docstring:
auto-advance ending a meeting without auto-end, /phase next|extend and "+5 min" acting
on a phase the leader did not see, members gone mid-meeting keeping the floor, and a
mistaken pick costing the meeting its second case.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.store import groups as group_store
from bot.texts import facilitation as texts
from tests.session_support import leader, phase, press, reload, start_session, who_can_post
from tests.support import make_group


async def _in_discussion(world, handle, channel):  # type: ignore[no-untyped-def]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase goto", channel, phase="discussion")


# --- 1. auto-advance ends the meeting although auto-end is off ----------------------------


async def test_auto_advance_does_not_end_the_meeting_when_auto_end_is_off(scenario):
    """Auto-advance on, auto-end off (the default): the closing's 5 minutes run out while the
    group says goodbye. Issue 5: "The session is never ended automatically unless the group's
    setting says so" (auto_end). The phase timer advances CLOSING -> ENDED instead."""
    world = scenario
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    assert not (await group_store.get(world.bot.db, handle.group.id)).auto_end
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="closing")
    await world.advance(minutes=6)
    fresh = await reload(world, session)
    assert fresh.status == "live" and fresh.phase == "closing"
    everyone = {u.name for u in handle.everyone}
    assert who_can_post(world, channel, handle.everyone) == everyone


# --- 2. phase actions that do not say which phase they meant -------------------------------


async def test_phase_next_command_as_the_phase_auto_advances_moves_one_phase(scenario):
    """The discussion runs out (auto-advance on) as the leader types /phase next: the meeting
    moves twice, discussion -> return -> case call, and the presenter's return (BALINT.md step
    6) is skipped. Only the "Next phase" button carries the phase it was meant for."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await _in_discussion(world, handle, channel)
    await world.advance(minutes=24, seconds=59)
    asyncio.current_task().set_name("sim-ignore-test")  # each side's settle() skips the other
    typed, _ = await asyncio.gather(
        asyncio.create_task(
            sim.slash(handle.leader, "phase next", channel=channel), name="sim-ignore-a"
        ),
        asyncio.create_task(world.advance(seconds=1), name="sim-ignore-b"),
    )
    assert await phase(world, session) == "return", typed.text
    assert typed.text == texts.ALREADY_MOVED.format(phase=texts.PHASE_NAMES["return"])


async def test_two_leaders_phase_next_commands_together_make_one_transition(scenario):
    """Issue 5: "two leaders pressing 'Next phase' together produce one transition; the second
    is told 'already moved to X'" (and /phase next does the same as the button). Two /phase
    next commands at once move discussion -> return -> case call."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    await _in_discussion(world, handle, channel)
    asyncio.current_task().set_name("sim-ignore-test")
    answers = await asyncio.gather(
        asyncio.create_task(
            sim.slash(handle.leader, "phase next", channel=channel), name="sim-ignore-a"
        ),
        asyncio.create_task(
            sim.slash(handle.co_leader, "phase next", channel=channel), name="sim-ignore-b"
        ),
    )
    assert await phase(world, session) == "return", [a.text for a in answers]


async def test_plus_five_pressed_as_the_phase_runs_out_does_not_extend_the_next_phase(scenario):
    """The leader presses "+5 min" on the check-in's status message as the check-in runs out
    (auto-advance on): the press lands on the case call, which now has 10 minutes, and the
    check-in got nothing. The button should say which phase it extends, like "Next phase"."""
    world = scenario
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await world.advance(minutes=4, seconds=59)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.gather(
        asyncio.create_task(press(world, handle.leader, session, "extend"), name="sim-ignore-a"),
        asyncio.create_task(world.advance(seconds=1), name="sim-ignore-b"),
    )
    fresh = await reload(world, session)
    assert fresh.phase_deadline is not None and fresh.phase_started_at is not None
    if fresh.phase == "case_call":  # the press came too late: the case call keeps its 5 minutes
        assert fresh.phase_deadline - fresh.phase_started_at == timedelta(minutes=5)
    else:
        assert fresh.phase == "check_in"


# --- 3. a member who leaves keeps their place in the meeting -----------------------------


async def test_a_member_removed_from_the_group_is_not_given_the_floor(scenario):
    """Strict turns, a and b have raised hands; a leader removes a with /group remove. The
    leader's "Next speaker" then gives the floor to a, who can no longer see the channel:
    nobody may write, and the status shows a former member holding the floor."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b = handle.members[:2]
    await press(world, a, session, "raise")
    await press(world, b, session, "raise")
    removed = await sim.slash(
        handle.leader,
        "group remove",
        channel=handle.lobby,
        options={"member": a, "group": handle.name},
    )
    assert "has left" in removed.text
    await press(world, handle.leader, session, "nextspk")
    assert (await reload(world, session)).floor_holder_id == b.id
    assert who_can_post(world, channel, handle.members[1:]) == {b.name}


async def test_a_member_who_leaves_the_server_on_their_round_turn_does_not_hold_it(scenario):
    """A go-round in strict turns; the member whose turn it is leaves the server. The round
    stays on them (nobody may write) until a leader notices; /away would have moved it on."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, _ = handle.members
    await leader(world, handle, "round start", channel)
    assert (await reload(world, session)).floor_holder_id == a.id
    await sim.leave_server(a)
    assert (await reload(world, session)).floor_holder_id == b.id
    assert who_can_post(world, channel, handle.members[1:]) == {b.name}


# --- 4. correcting the presenter costs the meeting its second case -------------------------


async def test_going_back_to_the_case_call_to_change_the_presenter_keeps_a_second_case(scenario):
    """The leaders picked a by mistake and moved to the presentation; the presenter can be
    changed only in the case call, so they go back (/phase goto case_call) and pick b. That
    counts as two cases begun: after b's case the meeting may not have its second case
    (max 2), and a is stored as having presented a case they never told."""
    world = scenario
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    a, b, c = handle.members[:3]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)  # presentation, a: wrong person
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=b)
    for _ in range(4):  # b's presentation, questions, discussion, return
        await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "return"
    await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "case_call"  # room for the second case
    await leader(world, handle, "session presenter", channel, member=c)
    result = await leader(world, handle, "phase next", channel)
    assert result.text == texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["presentation"])
    told = await world.bot.db.fetchall(
        "SELECT presenter_id FROM cases WHERE session_id = ? AND started_at IS NOT NULL",
        (session.id,),
    )
    assert a.id not in {r["presenter_id"] for r in told}
