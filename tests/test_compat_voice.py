"""Enforced voice turns on a Discord-compatible server without server mute.

Why: the bot server-mutes members through PATCH /guilds/{guild_id}/members/{user_id}.
A compatible server lacking that route answers 404 with code 0 (or 405/501) to every
mute: the meeting goes on, but the log had one WARNING per member per turn change and
the bot kept calling a route it knew was not there. Now the first such answer logs one
WARNING saying voice turns are not enforced on that server, and no mute is tried again.
"""

from __future__ import annotations

import logging

import pytest

from tests.session_support import enforced_voice_session, leader, press
from tests.support import make_group
from tests.test_compat_routes import FOREVER, ROUTE_MISSING

MEMBER = "/guilds/{guild_id}/members/{user_id}"


@pytest.mark.parametrize("status", [404, 501])
async def test_enforced_voice_without_server_mute(scenario, caplog, status) -> None:
    caplog.set_level(logging.WARNING)
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    a, b, c = handle.members
    sim.inject("PATCH", MEMBER, status, 0, times=FOREVER, message=ROUTE_MISSING)
    session, channel, _voice = await enforced_voice_session(world, handle, [a, b, c])
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel, phase="check_in")
    for member in (a, b, c):
        await press(world, member, session, "done")
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    assert "ended" in ended.text, "the meeting itself is not held up"
    warnings = [r.getMessage() for r in caplog.records if r.name == "cogs._session_voice"]
    assert len(warnings) == 1 and "server mute" in warnings[0], warnings
    assert len(sim.calls_matching("PATCH", MEMBER)) == 1, "a missing route is not called again"
