"""End to end with facilitation's real commands: the case call, the pick, the follow-up."""

from __future__ import annotations

from datetime import timedelta

from bot.store import cases as case_store
from bot.store import session_cases
from bot.texts import cases as texts
from tests.case_helpers import call_message, planned_meeting, visible_text
from tests.session_support import leader, phase, start_session, who_can_post
from tests.support import make_group


async def test_a_meeting_from_the_call_to_the_followup_question(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, co_leader=world.people[1], size=5)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "case_call"
    call = call_message(world, channel)  # posted when facilitation entered the phase
    volunteer = handle.members[3]
    await sim.click(volunteer, call, f"balint:offer:{session.id}:case")
    assert str(volunteer.id) not in visible_text(world, channel)
    listing = await sim.slash(handle.co_leader, "case list", channel=channel)
    await sim.select(
        handle.co_leader, listing.original, f"balint:pickmenu:{session.id}", [str(volunteer.id)]
    )
    assert await session_cases.current_presenter(world.bot.db, session.id) == volunteer.id
    await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "presentation"
    allowed = who_can_post(world, channel, handle.everyone)
    assert allowed == {handle.leader.name, handle.co_leader.name, volunteer.name}
    # Nobody can be picked in the middle of a case.
    refused = await sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": handle.members[0]}
    )
    assert refused.text == texts.NOT_CASE_CALL
    next_start = world.clock.now() + timedelta(days=7)
    next_id = await planned_meeting(world, handle, next_start)
    await leader(world, handle, "session end", channel)
    assert await case_store.offers(world.bot.db, session.id) == []
    [case] = await case_store.in_session(world.bot.db, session.id)
    assert case.presenter_id == volunteer.id and case.followup_state == "asked"
    await world.advance(
        seconds=(next_start - timedelta(hours=48) - world.clock.now()).total_seconds() + 1
    )
    asked = [m for m in sim.dms_to(volunteer) if "follow-up" in m.content]
    assert asked and f"balint:fu:{case.id}:yes" in asked[-1].custom_ids()
    assert (await case_store.get(world.bot.db, case.id)).followup_session_id == next_id


async def test_a_case_call_discord_refuses_is_told_to_the_leaders(scenario) -> None:
    """Members cannot offer by button if "Who has a case?" never appeared: the leaders know."""
    from tests.case_helpers import case_call, start_meeting

    handle = await make_group(scenario, size=3)
    session_id, channel = await start_meeting(scenario, handle)
    scenario.sim.inject("POST", "/channels/{channel_id}/messages", 403, code=50013, times=1)
    await case_call(scenario, session_id)
    leaders_channel = scenario.sim.channel(handle.group.leaders_channel_id)
    told = [m.content for m in scenario.sim.messages_in(leaders_channel)]
    assert texts.CALL_FAILED.format(group=handle.name) in told
    assert not any("Who has a case" in m.content for m in scenario.sim.messages_in(channel))
