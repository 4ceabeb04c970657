"""When a member's poll ends, Discord updates the poll and posts a "poll results" notice.

The update is the whole poll message again (`edited_timestamp` unchanged): not an edit,
so the guard does not read the poll a second time. The notice is a message of type 46
by the poll's author (bot/sim/polls.py): Discord wrote it, not the member, so it is not
a message of the meeting (count, silence nudge, attendance) and holds nothing new.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.session_support import leader, start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, seed_group

COUNT = "SELECT message_count, last_message_at FROM sessions WHERE id = ?"
HITS = "SELECT guard_hits FROM sessions WHERE id = ?"


async def test_a_flagged_polls_end_does_not_warn_again(scenario: Scenario) -> None:
    """One DM for the poll, none for its end; the reaction stays the one."""
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    poll = await scenario.sim.post_poll(author, lobby, "Ring her on 07700 900123?", ["Yes", "No"])
    assert poll is not None
    await scenario.sim.settle()
    assert WARNING in poll.reactions and len(scenario.sim.dms_to(author)) == 1
    notice = await scenario.sim.end_poll(poll, votes={1: 2})
    assert notice is not None and notice in scenario.sim.messages_in(lobby)
    assert len(scenario.sim.dms_to(author)) == 1
    assert not notice.reactions and not notice.deleted


async def test_a_flagged_polls_end_in_a_session_is_counted_once(scenario: Scenario) -> None:
    """The session's guard count, told to the leaders at the end, stays at one."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    presenter = handle.members[0]
    await leader(world, handle, "phase goto", room, phase="case_call")
    await leader(world, handle, "session presenter", room, member=presenter)
    await leader(world, handle, "phase goto", room, phase="presentation")
    poll = await sim.post_poll(presenter, room, "Her MRN 00123456 or not?", ["Yes", "No"])
    assert poll is not None
    await sim.settle()
    assert (await world.bot.db.fetchone(HITS, (session.id,)))["guard_hits"] == 1
    dms = len(sim.dms_to(presenter))  # the guard's, and the "you present" one
    assert await sim.end_poll(poll) is not None
    assert (await world.bot.db.fetchone(HITS, (session.id,)))["guard_hits"] == 1
    assert len(sim.dms_to(presenter)) == dms


async def test_a_polls_end_is_not_someone_writing(scenario: Scenario) -> None:
    """The notice is Discord's: the count, the silence nudge's clock and attendance stay."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    present: list[tuple[int, int, str]] = []

    async def on_balint_member_present(session_id: int, user_id: int, source: str) -> None:
        present.append((session_id, user_id, source))

    world.bot.add_listener(on_balint_member_present)
    author = handle.members[0]
    poll = await world.sim.post_poll(author, room, "Break at 10:30?", ["Yes", "No"])
    assert poll is not None
    await world.sim.settle()
    counted = dict(await world.bot.db.fetchone(COUNT, (session.id,)))
    assert counted["message_count"] == 1 and present == [(session.id, author.id, "message")]
    await world.advance(minutes=3)
    notice = await world.sim.end_poll(poll, votes={1: 3})
    assert notice is not None and notice in world.sim.messages_in(room)
    assert dict(await world.bot.db.fetchone(COUNT, (session.id,))) == counted
    assert present == [(session.id, author.id, "message")]
