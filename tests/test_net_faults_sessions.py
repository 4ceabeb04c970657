"""Session repairs at READY carry on when the network breaks under one of their calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset:
a check that caught only HTTPException let it escape READY's restore, so the sessions
after it (and the stray mutes lifted after the restore) were left as they were.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.sim.world import Channel
from bot.store import sessions as session_store
from bot.store.sessions import Session
from tests.session_support import start_session, who_can_post
from tests.support import make_group
from tests.test_midmeeting_frame import frames
from tests.test_voice_access import _voice as voice_meeting

MESSAGE = "/channels/{channel_id}/messages/{message_id}"
MESSAGES = "/channels/{channel_id}/messages"
MEMBER = "/guilds/{guild_id}/members/{user_id}"


def reset_once(world: Scenario, method: str, url_part: str) -> list[str]:
    """The first METHOD call whose URL holds `url_part` fails below HTTP (a connection
    reset); returns the list that gets its URL."""
    handle = world.sim._handle_request
    failed: list[str] = []

    def failing(m: str, url: str, kw: dict[str, Any]) -> Any:
        if not failed and m == method and url_part in url:
            failed.append(url)
            raise aiohttp.ClientOSError(104, "Connection reset by peer")
        return handle(m, url, kw)

    world.sim._handle_request = failing  # type: ignore[method-assign]
    return failed


async def two_meetings(world: Scenario) -> list[tuple[Session, Channel]]:
    """Two groups, each in a live meeting."""
    a = await make_group(world, name="Group A", leader=world.people[0], size=3)
    b = await make_group(world, name="Group B", leader=world.people[5], members=world.people[6:9])
    return [await start_session(world, a), await start_session(world, b)]


async def frames_deleted_while_down(world: Scenario, meetings: list[tuple[Session, Channel]]):
    await world.stop()
    for session, room in meetings:
        [frame] = frames(world, room, session)
        world.sim.world.remove_message(frame)  # no MESSAGE_DELETE reached the bot


async def test_a_frame_check_the_network_breaks_does_not_stop_the_other_meetings(
    scenario: Scenario,
) -> None:
    """Both frames were deleted while the bot was down; the look for the first breaks:
    the second meeting's frame is still posted again at READY."""
    world, sim = scenario, scenario.sim
    meetings = await two_meetings(world)
    await frames_deleted_while_down(world, meetings)
    sim.inject_network("GET", MESSAGE)
    await world.start()
    await sim.settle()
    broken = [c for c in sim.calls if c.route == MESSAGE and c.status == NETWORK]
    assert len(broken) == 1, "the reset was not reached"
    shown = [len(frames(world, room, session)) for session, room in meetings]
    assert sorted(shown) == [0, 1], f"frames shown after one reset: {shown}"
    assert sim.errors == []
    await world.restart()  # the next READY finds the first one missing too
    await sim.settle()
    assert [len(frames(world, room, session)) for session, room in meetings] == [1, 1]


async def test_a_frame_repost_the_network_breaks_does_not_stop_the_other_meetings(
    scenario: Scenario,
) -> None:
    """Both frames were deleted while the bot was down; the first re-post breaks: the
    second meeting's frame is still posted again at READY."""
    world, sim = scenario, scenario.sim
    meetings = await two_meetings(world)
    await frames_deleted_while_down(world, meetings)
    sim.inject_network("POST", MESSAGES)
    await world.start()
    await sim.settle()
    broken = [c for c in sim.calls if c.route == MESSAGES and c.status == NETWORK]
    assert len(broken) == 1, "the reset was not reached"
    shown = [len(frames(world, room, session)) for session, room in meetings]
    assert sorted(shown) == [0, 1], f"frames shown after one reset: {shown}"
    assert sim.errors == []


async def test_a_voice_refit_the_network_breaks_is_logged_not_raised(scenario: Scenario) -> None:
    """/group repair made a new role during a meeting; the voice channel's overwrite for it
    breaks: the text channel still follows the plan and the failure is a logged warning,
    not an exception escaping the refit (an ERROR with its traceback in the bot's log)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    stored = await session_store.get(world.bot.db, session.id)
    assert stored is not None and stored.voice_channel_id is not None
    writers_before = who_can_post(world, channel, handle.members)
    await sim.delete_role(handle.role)
    failed = reset_once(world, "PUT", f"/channels/{stored.voice_channel_id}/permissions/")
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    await sim.settle()
    assert failed, "the voice refit was not attempted"
    assert who_can_post(world, channel, handle.members) == writers_before
    assert sim.errors == []


async def test_a_voice_disconnect_the_network_breaks_does_not_keep_the_others_in(
    scenario: Scenario,
) -> None:
    """Two members lost the group's role while the bot was down and are still in the
    meeting's voice channel; the first disconnect at READY breaks: the second is still
    taken out (and the first at the next READY)."""
    sim = scenario.sim
    handle, voice = await voice_meeting(scenario)
    removed = handle.members[:2]
    await sim.detach(scenario.bot)
    for member in removed:
        assert await sim.take_role(scenario.admin, member, handle.role)
    sim.inject_network("PATCH", MEMBER)
    await scenario.start()
    await sim.settle()
    assert [c for c in sim.calls if c.route == MEMBER and c.status == NETWORK], "no reset"
    inside = [m for m in removed if scenario.member(m).voice_channel_id == voice.id]
    assert len(inside) == 1, f"{len(inside)} of 2 locked-out members still hear the meeting"
    assert sim.errors == []
    await scenario.restart()
    await sim.settle()
    assert all(scenario.member(m).voice_channel_id is None for m in removed)
    assert scenario.member(handle.members[2]).voice_channel_id == voice.id
