"""The follow-up question's notice to the leaders when the bot was removed meanwhile."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.store import timers as timer_store
from bot.texts import cases as texts
from tests.case_helpers import end_meeting, planned_meeting, start_meeting
from tests.support import make_group
from tests.test_case_followups import NEXT, _advance_to, _meeting_with_presenter


def removed_when_asking(world: Scenario, user) -> list[bool]:  # noqa: ANN001
    """An admin removes the bot from the server just as it asks `user` for a follow-up."""
    sim = world.sim
    original = sim._handle_request
    done: list[bool] = []

    def handle(method: str, url: str, kwargs: dict) -> object:
        call, path = make_call(method, url, kwargs)
        dm = sim.world.dm_channel(user)
        content = str((call.json or {}).get("content", ""))
        to_user = call.method == "POST" and path.endswith(f"/channels/{dm.id}/messages")
        if to_user and "Would you like to give the group" in content:
            done.append(True)
            sim._handle_request = original
            asyncio.get_running_loop().create_task(sim.remove_bot(world.guild))
        return original(method, url, kwargs)

    sim._handle_request = handle
    return done


def leader_notices(world: Scenario, handle) -> list[str]:  # noqa: ANN001
    channel = world.sim.channel(handle.group.leaders_channel_id)
    return [
        m.content
        for m in world.sim.messages_in(channel)
        if m.author.id == world.sim.bot_user.id and "follow-up" in m.content
    ]


async def test_leaders_told_of_closed_dms_when_the_first_notice_could_not_go(
    scenario: Scenario,
) -> None:
    """The bot was removed while it asked the presenter (DMs closed): the leaders could
    not be told then. Invited back, the question's second try fails too: the leaders are
    told now, rather than never (the notice goes once per case, and none went)."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    presenter.dms_closed = True
    kicked = removed_when_asking(world, presenter)
    first = await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT - timedelta(hours=47))
    assert kicked and leader_notices(world, handle) == []
    await world.sim.reinvite_bot(world.guild)
    await _advance_to(world, NEXT)
    await start_meeting(world, handle, first)
    await world.advance(minutes=90)
    await end_meeting(world, first)
    await planned_meeting(world, handle, NEXT + timedelta(days=7))
    await _advance_to(world, NEXT + timedelta(days=7))
    expected = texts.FOLLOWUP_UNREACHABLE.format(
        member=f"<@{presenter.id}>", date="23 November 2026"
    )
    assert await timer_store.fired_count(world.bot.db, "followup:") == 2  # asked twice
    assert leader_notices(world, handle) == [expected]
