"""A crash between storing a meeting's end and what follows it loses nothing, doubles nothing.

What follows the end: attendance marks, the pulse survey to those who came, the
follow-up question armed for the presenter, and the leaders' count of guarded
messages. The crash is the bot's task cancelled at a chosen REST call (`crash_on`).
"""

from __future__ import annotations

import asyncio

from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from bot.texts import confidentiality as guard_texts
from tests.crash_support import crash_on
from tests.session_support import leader, start_session
from tests.support import GroupHandle, make_group
from tests.test_attendance_support import statuses

GUARD_LINE = guard_texts.LEADERS_GUARD_COUNT.split(": ", 1)[1].split("{")[0]


def surveys_to(world: Scenario, handle: GroupHandle) -> dict[str, int]:
    return {
        user.name: sum("balint:pulse:" in " ".join(m.custom_ids()) for m in world.sim.dms_to(user))
        for user in handle.members
    }


def guard_counts_told(world: Scenario, handle: GroupHandle) -> int:
    leaders_channel = world.sim.channel(handle.group.leaders_channel_id)
    seen = [m.content for m in world.sim.dms_to(handle.leader)]
    if leaders_channel is not None:
        seen += [m.content for m in world.sim.messages_in(leaders_channel)]
    return sum(GUARD_LINE in text for text in seen)


async def _meeting(world: Scenario) -> tuple[GroupHandle, int, object]:
    """Two members speak (present), one trips the guard; two stay silent (absent)."""
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    await world.sim.post(handle.members[0], room, "I keep thinking about her")
    await world.sim.post(handle.members[1], room, "call 07700 900123")
    await world.sim.settle()
    return handle, session.id, room


async def _end_dying(world: Scenario, handle: GroupHandle, room: object, when) -> list:
    """/session end, with the bot killed at the first channel post that `when` picks."""
    hit = crash_on(world.sim, "POST", "/channels/{channel_id}/messages", when=when)
    await _end(world, handle, room)
    return hit


async def _end(world: Scenario, handle: GroupHandle, room: object) -> None:
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        world.sim.slash(handle.leader, "session end", channel=room), name="sim-ignore-end"
    )
    await world.sim.settle()


async def test_a_crash_before_the_end_is_announced_still_gives_attendance_survey_and_count(
    scenario: Scenario,
) -> None:
    """Killed while posting "the session has ended": the restart does the end's work."""
    world = scenario
    handle, sid, room = await _meeting(world)
    hit = await _end_dying(
        world, handle, room, lambda call: int(call.params["channel_id"]) == room.id
    )
    assert hit, "the crash point was not reached"
    stored = await session_store.get(world.bot.db, sid)
    assert stored is not None and stored.status == "ended"
    assert handle.members[2].id not in await statuses(world, sid)  # the end's work not run

    await world.restart()
    await world.sim.settle()

    marks = await statuses(world, sid)
    assert {uid: status for uid, (status, _) in marks.items() if uid != handle.leader.id} == {
        handle.members[0].id: "present",
        handle.members[1].id: "present",
        handle.members[2].id: "absent",
        handle.members[3].id: "absent",
    }
    assert surveys_to(world, handle) == {
        handle.members[0].name: 1,
        handle.members[1].name: 1,
        handle.members[2].name: 0,
        handle.members[3].name: 0,
    }
    assert guard_counts_told(world, handle) == 1


async def test_a_crash_in_the_middle_of_the_end_work_finishes_it_without_doubles(
    scenario: Scenario,
) -> None:
    """Killed at the first survey DM (attendance done, guard count told): the restart sends
    the rest of the surveys and tells the leaders nothing twice."""
    world = scenario
    handle, sid, room = await _meeting(world)
    hit = await _end_dying(
        world,
        handle,
        room,
        lambda call: "balint:pulse:" in str((call.json or {}).get("components")),
    )
    assert hit, "the crash point was not reached"

    await world.restart()
    await world.sim.settle()

    assert surveys_to(world, handle)[handle.members[0].name] == 1
    assert surveys_to(world, handle)[handle.members[1].name] == 1
    assert guard_counts_told(world, handle) == 1
    marks = await statuses(world, sid)
    assert marks[handle.members[3].id][0] == "absent"


async def test_the_end_work_runs_once_in_an_ordinary_meeting(scenario: Scenario) -> None:
    """No crash: everything once, and a restart afterwards re-runs nothing."""
    world = scenario
    handle, sid, room = await _meeting(world)
    await leader(world, handle, "session end", room)
    await world.sim.settle()
    assert guard_counts_told(world, handle) == 1
    assert surveys_to(world, handle)[handle.members[0].name] == 1
    await world.restart()
    await world.sim.settle()
    assert guard_counts_told(world, handle) == 1
    assert surveys_to(world, handle)[handle.members[0].name] == 1
