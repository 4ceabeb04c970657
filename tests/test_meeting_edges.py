"""Meeting-flow edges found by review: a removal's answers, rounds and who is in them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import rsvps as rsvp_store
from tests.case_helpers import planned_meeting
from tests.support import make_group

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00


async def test_removed_and_added_back_a_member_starts_fresh_for_the_next_meeting(
    scenario: Scenario,
) -> None:
    """Removed, then added back before the meeting: their old "yes" and their case offer
    came back with them, so the leaders counted on a presence and a case nobody renewed."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    member, other = handle.members[:2]
    session_id = await planned_meeting(scenario, handle, MEETING)
    now = scenario.clock.now()
    for user in (member, other):
        await rsvp_store.answer(scenario.bot.db, session_id, user.id, "yes", now)
        await case_store.set_offer(scenario.bot.db, session_id, user.id, "case", now)
    removed = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": member}
    )
    assert not sim.can(member, handle.lobby), removed.text
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": member})
    await sim.settle()
    assert sim.can(member, handle.lobby)
    roster = await sim.slash(handle.leader, "schedule roster", channel=handle.lobby)
    said_yes = roster.text.split("\n")[1]
    assert f"<@{other.id}>" in said_yes and f"<@{member.id}>" not in said_yes, roster.text
    offers = await sim.slash(handle.leader, "case offers", channel=handle.lobby)
    assert f"<@{other.id}>" in offers.text and f"<@{member.id}>" not in offers.text, offers.text
    assert await rsvp_store.for_session(scenario.bot.db, session_id) == {other.id: "yes"}
