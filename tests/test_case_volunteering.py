"""Volunteering for a case: the DM before the meeting, the call in it, who sees what."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.sim.permissions import VIEW_CHANNEL
from bot.sim.scenario import Scenario
from bot.sim.world import Overwrite
from bot.store import cases as case_store
from bot.texts import cases as texts
from bot.texts import common as common_texts
from tests.case_helpers import (
    call_message,
    case_call,
    last_dm,
    planned_meeting,
    start_meeting,
    visible_text,
)
from tests.support import make_group

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00


async def test_members_get_the_dm_at_the_lead_time_and_answers_are_stored(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, co_leader=scenario.people[1], size=4)
    session_id = await planned_meeting(scenario, handle, MEETING)
    prompt_at = MEETING - timedelta(hours=48)
    await scenario.advance(seconds=(prompt_at - scenario.clock.now()).total_seconds() - 60)
    assert not any(scenario.sim.dms_to(m) for m in handle.everyone if _is_prompt(scenario, m))
    await scenario.advance(minutes=2)
    for member in handle.members:
        dm = last_dm(scenario, member)
        assert "Do you have a case" in dm.content and handle.name in dm.content
        assert f"<t:{int(MEETING.timestamp())}:F>" in dm.content
        assert dm.custom_ids() == {
            f"balint:offer:{session_id}:{kind}" for kind in ("case", "followup", "none")
        }
    assert not _is_prompt(scenario, handle.leader)  # leaders hold the frame
    assert not _is_prompt(scenario, handle.co_leader)
    a, b, c = handle.members[:3]
    for user, kind in ((a, "case"), (b, "followup"), (c, "none")):
        result = await scenario.sim.click(
            user, last_dm(scenario, user), f"balint:offer:{session_id}:{kind}"
        )
        assert result.text == texts.THANKS[kind]
    offers = {o.user_id: o.kind for o in await case_store.offers(scenario.bot.db, session_id)}
    assert offers == {a.id: "case", b.id: "followup", c.id: "none"}
    # A change of mind replaces the answer.
    await scenario.sim.click(c, last_dm(scenario, c), f"balint:offer:{session_id}:case")
    offers = {o.user_id: o.kind for o in await case_store.offers(scenario.bot.db, session_id)}
    assert offers[c.id] == "case"
    # Only the leaders see who offered.
    summary = await scenario.sim.slash(handle.co_leader, "case offers", channel=handle.lobby)
    assert summary.ephemeral
    assert f"<@{a.id}>" in summary.text and f"<@{b.id}>" in summary.text
    refused = await scenario.sim.slash(a, "case offers", channel=handle.lobby)
    assert refused.ephemeral and refused.text == common_texts.WHO_MAY["leaders"]
    # The prompt is sent once: more scans do not repeat it.
    before = len(scenario.sim.dms_to(a))
    await scenario.advance(hours=5)
    assert len(scenario.sim.dms_to(a)) == before


def _is_prompt(world: Scenario, user) -> bool:  # noqa: ANN001
    return any("Do you have a case" in m.content for m in world.sim.dms_to(user))


async def test_no_dm_when_the_group_turned_prompts_off(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    from bot.store import groups as group_store

    await group_store.update_settings(scenario.bot.db, handle.group.id, case_prompts_enabled=0)
    await planned_meeting(scenario, handle, MEETING)
    await scenario.advance(hours=80)
    assert not any(_is_prompt(scenario, m) for m in handle.members)


async def test_a_meeting_planned_late_is_still_prompted_before_it_starts(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=2)
    soon = scenario.clock.now() + timedelta(hours=10)
    await planned_meeting(scenario, handle, soon)
    await scenario.advance(hours=1)
    assert all(_is_prompt(scenario, m) for m in handle.members)


async def test_in_the_meeting_volunteers_are_seen_by_leaders_only(scenario: Scenario) -> None:
    handle = await make_group(scenario, co_leader=scenario.people[1], size=5)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    assert texts.CALL in call.content and texts.COUNTER_NONE in call.content
    volunteer, other = handle.members[0], handle.members[1]
    result = await scenario.sim.click(volunteer, call, f"balint:offer:{session_id}:case")
    assert result.followups and result.followups[0].ephemeral
    assert texts.THANKS["case"] in result.text
    call = call_message(scenario, channel)
    assert texts.COUNTER_ONE in call.content
    # What the other members see in the channel: a count, never a name or id.
    seen = visible_text(scenario, channel)
    assert str(volunteer.id) not in seen and volunteer.name not in seen
    assert scenario.sim.can(other, channel)
    # The leaders are told who, in their own channel, which members cannot see.
    leaders_channel = scenario.sim.channel(handle.group.leaders_channel_id)
    told = [m.content for m in scenario.sim.messages_in(leaders_channel)]
    assert any(f"<@{volunteer.id}>" in line and "offered a case" in line for line in told)
    assert not scenario.sim.can(other, leaders_channel)
    # A second volunteer: the counter moves, the same single message is edited.
    await scenario.sim.click(other, call, f"balint:offer:{session_id}:followup")
    calls = [
        m
        for m in scenario.sim.messages_in(channel)
        if m.custom_ids() and "offer" in str(m.custom_ids())
    ]
    assert len(calls) == 1
    assert texts.COUNTER_MANY.format(count=2) in calls[0].content
    assert str(other.id) not in visible_text(scenario, channel)
    # Not this time is private and does not count.
    await scenario.sim.click(handle.members[2], call, f"balint:offer:{session_id}:none")
    assert texts.COUNTER_MANY.format(count=2) in call_message(scenario, channel).content


async def test_a_member_of_another_group_cannot_volunteer(scenario: Scenario) -> None:
    first = await make_group(scenario, name="Tuesday group", size=3)
    taken = {u.id for u in first.everyone}
    rest = [p for p in scenario.people if p.id not in taken]
    second = await make_group(
        scenario, name="Thursday group", leader=rest[0], members=rest[1:3], size=2
    )
    session_id, channel = await start_meeting(scenario, first)
    await case_call(scenario, session_id)
    stranger = second.members[0]
    # Even if a wrong overwrite lets them see the channel, the bot refuses the offer.
    channel.overwrites[stranger.id] = Overwrite(stranger.id, 1, VIEW_CHANNEL, 0)
    result = await scenario.sim.click(
        stranger, call_message(scenario, channel), f"balint:offer:{session_id}:case"
    )
    assert result.ephemeral and result.text == common_texts.WHO_MAY["group_members"]
    assert await case_store.offers(scenario.bot.db, session_id) == []
    assert texts.COUNTER_NONE in call_message(scenario, channel).content


async def test_buttons_of_an_ended_or_unknown_meeting_say_so(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    from tests.case_helpers import end_meeting

    await end_meeting(scenario, session_id)
    result = await scenario.sim.click(handle.members[0], call, f"balint:offer:{session_id}:case")
    assert result.text == texts.MEETING_OVER
    assert await case_store.offers(scenario.bot.db, session_id) == []


async def test_after_a_restart_the_dm_and_call_buttons_still_work(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    session_id = await planned_meeting(scenario, handle, MEETING)
    await scenario.advance(hours=40)
    member = handle.members[0]
    dm = last_dm(scenario, member)
    await scenario.restart()
    result = await scenario.sim.click(member, dm, f"balint:offer:{session_id}:followup")
    assert result.text == texts.THANKS["followup"]
    _, channel = await start_meeting(scenario, handle, session_id)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    await scenario.restart()
    result = await scenario.sim.click(handle.members[1], call, f"balint:offer:{session_id}:case")
    assert texts.THANKS["case"] in result.text
    assert texts.COUNTER_MANY.format(count=2) in call_message(scenario, channel).content


async def test_two_offers_at_once_leave_the_call_showing_both(scenario: Scenario) -> None:
    """The first press's answer is held up (Discord asks it to retry); the second lands
    first. Before, the first then wrote its older count over the newer: "A case has been
    offered." while two had, and hesitant members held back."""
    handle = await make_group(scenario, size=4)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    first, second = handle.members[0], handle.members[1]
    scenario.sim.inject(
        "POST", "/interactions/{interaction_id}/{token}/callback", 429, retry_after=0.3
    )

    async def later() -> None:
        asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
        await asyncio.sleep(0.1)  # the first press is waiting to retry its answer
        await scenario.sim.click(second, call, f"balint:offer:{session_id}:case")

    asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
    await asyncio.gather(
        scenario.sim.click(first, call, f"balint:offer:{session_id}:case"), later()
    )
    await scenario.sim.settle()
    assert texts.COUNTER_MANY.format(count=2) in call_message(scenario, channel).content


async def test_offers_before_the_meeting_say_no_answers_yet_not_in_meeting_advice(
    scenario: Scenario,
) -> None:
    """Days before the meeting, "/case offers" with no answers gave the case call's advice
    ("wait a little", "run a go-round with /round start"): meant for the meeting itself."""
    handle = await make_group(scenario, size=3)
    await planned_meeting(scenario, handle, MEETING)
    summary = await scenario.sim.slash(handle.leader, "case offers", channel=handle.lobby)
    assert summary.ephemeral and texts.OFFERS_NONE_YET in summary.text
    assert "/round start" not in summary.text
