"""A timer's DM or lobby post that Discord made, though its answer was lost, is not sent twice.

Why: a 503 from Discord's edge, or a connection reset after the request went out, reaches
the bot as a failure although the message was posted (bot/sim/faults.py `inject_lost`).
A timer that is run again after a passing failure (bot/clock.py) sent it afresh: the
presenter got the follow-up question twice, the lobby the reminder's mention line twice.
The others (a round that records such a DM as failed, a timer that is not run again)
are kept here so that making them retry cannot bring the double back.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.sim.world import Channel
from bot.store import timers as timer_store
from tests.case_helpers import planned_meeting
from tests.support import make_group
from tests.test_case_followups import NEXT, _advance_to, _asked, _meeting_with_presenter
from tests.test_reinvite_followups import leader_notices
from tests.test_schedule_reminders import reminders, weekly

MESSAGES = "/channels/{channel_id}/messages"
QUESTION = "Would you like to give the group"


def lose_answer(world: Scenario, channel: Channel, text: str, status: int) -> list[bool]:
    """The next message to `channel` holding `text` is posted, then its answer is lost."""
    sim = world.sim
    original = sim._handle_request
    lost: list[bool] = []

    def handle(method: str, url: str, kwargs: dict) -> object:
        call, path = make_call(method, url, kwargs)
        to_channel = call.method == "POST" and path.endswith(f"/channels/{channel.id}/messages")
        if to_channel and text in str((call.json or {}).get("content", "")):
            lost.append(True)
            sim._handle_request = original
            sim.inject_lost("POST", MESSAGES, status)
        return original(method, url, kwargs)

    sim._handle_request = handle
    return lost


@pytest.mark.parametrize("status", [503, NETWORK])
async def test_a_follow_up_question_whose_answer_was_lost_comes_once(
    scenario: Scenario, status: int
) -> None:
    """Posted, then a 503 or a reset: the clock's retry a minute later looks in the DMs
    first and finds it, so the presenter is asked once, and it counts as the one ask."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    lost = lose_answer(world, world.sim.world.dm_channel(presenter), QUESTION, status)
    await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT - timedelta(hours=48, seconds=-1))
    assert lost and len(_asked(world, presenter)) == 1
    await world.advance(minutes=20)  # every retry the clock would make
    assert len(_asked(world, presenter)) == 1
    assert leader_notices(world, handle) == []
    assert await timer_store.fired_count(world.bot.db, "followup:") == 1


@pytest.mark.parametrize("status", [503, NETWORK])
async def test_a_reminder_lost_for_one_member_reaches_the_others_and_nobody_twice(
    scenario: Scenario, status: int
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    first = g.members[0]
    lost = lose_answer(world, world.sim.world.dm_channel(first), "Reminder:", status)
    await world.advance(hours=10, minutes=20)
    assert lost
    assert [len(reminders(world, u)) for u in g.everyone] == [1] * len(g.everyone)


@pytest.mark.parametrize("status", [503, NETWORK])
async def test_the_lobby_line_for_closed_dms_whose_answer_was_lost_is_posted_once(
    scenario: Scenario, status: int
) -> None:
    """The reminder's mention of members with closed DMs: posted, then a 503 or a reset.
    The clock ran the reminder again and posted the line a second time."""
    world = scenario
    closed = world.add_person("closed-0")
    g = await make_group(world, members=[closed, world.people[1]])
    closed.dms_closed = True
    await weekly(world, g)
    before = len(world.sim.messages_in(g.lobby))
    lost = lose_answer(world, g.lobby, f"<@{closed.id}>", status)
    await world.advance(hours=10, minutes=20)
    assert lost
    posts = [m for m in world.sim.messages_in(g.lobby)[before:] if f"<@{closed.id}>" in m.content]
    assert len(posts) == 1


@pytest.mark.parametrize("status", [503, NETWORK])
async def test_the_agreement_dm_on_group_add_whose_answer_was_lost_comes_once(
    scenario: Scenario, status: int
) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    newcomer = world.people[4]
    lost = lose_answer(world, world.sim.world.dm_channel(newcomer), "You were added", status)
    await world.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": newcomer}
    )
    await world.sim.settle()
    await world.advance(minutes=20)
    agreements = [
        m
        for m in world.sim.dms_to(newcomer)
        if any(c.startswith("balint:agree:") for c in m.custom_ids())
    ]
    assert lost and len(agreements) == 1


@pytest.mark.parametrize("status", [503, NETWORK])
async def test_a_quorum_warning_in_the_leaders_channel_whose_answer_was_lost_comes_once(
    scenario: Scenario, status: int
) -> None:
    world = scenario
    g = await make_group(world, size=4)
    g.leader.dms_closed = True
    await weekly(world, g)
    leaders = world.sim.channel(g.group.leaders_channel_id)
    lost = lose_answer(world, leaders, "Heads-up", status)
    await world.advance(hours=10, minutes=20)
    posted = [m for m in world.sim.messages_in(leaders) if "Heads-up" in m.content]
    assert lost and len(posted) == 1
