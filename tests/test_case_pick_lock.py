"""/case pick racing a change of the meeting: the pick reads the meeting under its lock.

`/case pick` read the meeting's phase before taking a lock of its own, not the session's,
so a `/phase next` or `/session end` by the other leader at the same moment was not seen.
Each test failed before its fix, for the reason in its docstring.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import cases as case_texts
from bot.texts import facilitation as texts
from tests.session_support import (
    during_permission_write,
    leader,
    reload,
    start_session,
    who_can_post,
)
from tests.support import make_group


async def _open_cases(world: Scenario, session_id: int) -> list[tuple[int, bool]]:
    rows = await world.bot.db.fetchall(
        "SELECT presenter_id, started_at FROM cases WHERE session_id = ? AND ended_at IS NULL "
        "ORDER BY position",
        (session_id,),
    )
    return [(r["presenter_id"], r["started_at"] is not None) for r in rows]


async def test_pick_as_the_other_leader_moves_on_leaves_the_begun_presentation(
    scenario: Scenario,
) -> None:
    """a is chosen; the co-leader picks b while the leader's move to the presentation is
    being written to Discord. The pick read the case call, then the presentation began
    with both a and b recorded as presenting (two begun cases where the group had room for
    one more), and the channel was told b presents."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    a, b = handle.members[:2]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "case pick", channel, member=a)
    pick = sim.slash(handle.co_leader, "case pick", channel=channel, options={"member": b})
    second = during_permission_write(world, channel.id, pick)
    moved = await sim.slash(handle.leader, "phase next", channel=channel)
    picked = await second[0]
    await sim.settle()
    assert (await reload(world, session)).phase == "presentation", moved.text
    assert await _open_cases(world, session.id) == [(a.id, True)], picked.text
    assert picked.ephemeral
    assert picked.text == texts.ALREADY_MOVED.format(phase=texts.PHASE_NAMES["presentation"])
    assert who_can_post(world, channel, handle.members) == {a.name}


async def test_pick_as_the_meeting_ends_records_no_case(scenario: Scenario) -> None:
    """The co-leader picks b while the leader's /session end is being written to Discord:
    the co-leader was told "b presents (case 1 of at most 2)", the read-only channel
    announced it, and the ended meeting kept a case for b that was never presented."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    b = handle.members[1]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    pick = sim.slash(handle.co_leader, "case pick", channel=channel, options={"member": b})
    second = during_permission_write(world, channel.id, pick)
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    picked = await second[0]
    await sim.settle()
    assert (await reload(world, session)).status == "ended", ended.text
    assert picked.ephemeral and picked.text == case_texts.MEETING_OVER
    assert await _open_cases(world, session.id) == []
    announced = case_texts.PICKED.format(member=f"<@{b.id}>")
    assert announced not in [m.content for m in sim.messages_in(channel)]


async def test_a_second_pick_before_the_case_begins_replaces_the_first(
    scenario: Scenario,
) -> None:
    """The leader picks a, then changes their mind and picks b before moving on. The
    second pick was added beside the first (the pick looked for a setter that had moved
    to bot.store.session_cases), so the presentation began two cases, a's and b's: a was
    recorded as having presented a case they never told."""
    world = scenario
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    a, b = handle.members[:2]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "case pick", channel, member=a)
    second = await leader(world, handle, "case pick", channel, member=b)
    assert second.text == case_texts.PICK_DONE.format(member=f"<@{b.id}>", position=1, max_cases=2)
    await leader(world, handle, "phase next", channel)
    assert await _open_cases(world, session.id) == [(b.id, True)]
    assert who_can_post(world, channel, handle.members) == {b.name}
