"""A start that fails half-way leaves a planned session planned, so the next start works.

The status message is the last Discord step of a start (after the channel, the frame
message and the stored state); when Discord refuses it, the leader is told "Nothing
was left half-done", and that must be true of the session's row too.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import sessions as session_store
from tests.session_support import start_session
from tests.support import inject_after, make_group

MESSAGES = "/channels/{channel_id}/messages"


@pytest.mark.parametrize(("status", "code"), [(403, 50013), (503, None)])
async def test_failed_start_of_a_planned_session_leaves_it_planned(scenario, status, code):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5)
    now = world.bot.now()
    sid = await session_store.create_adhoc(
        world.bot.db, handle.group.id, now, now + timedelta(minutes=90)
    )
    before = await session_store.get(world.bot.db, sid)
    # The frame goes, the status not; a 503 twice: a send with no answer (a 5xx, a reset)
    # is sent once more with its nonce (cogs/_lost_answers.py `send_once`).
    times = 2 if status >= 500 else 1
    inject_after(sim, "POST", MESSAGES, 1, status, code=code, times=times)
    failed = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert "Nothing was left half-done" in failed.text and failed.ephemeral
    row = await session_store.get(world.bot.db, sid)
    assert row is not None and row == before, "the row is as it was before the start"
    assert await session_store.live_for_group(world.bot.db, handle.group.id) is None
    queued = await world.bot.db.fetchall(
        "SELECT 1 FROM session_queue WHERE session_id = ? "
        "UNION ALL SELECT 1 FROM session_away WHERE session_id = ?",
        (sid, sid),
    )
    assert queued == []
    session, channel = await start_session(world, handle)
    assert session.id == sid and session.status == "live"
    assert channel is not None and session.text_channel_id == channel.id


async def test_failed_start_survives_a_restart_and_then_starts(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5)
    now = world.bot.now()
    sid = await session_store.create_adhoc(
        world.bot.db, handle.group.id, now, now + timedelta(minutes=90)
    )
    inject_after(sim, "POST", MESSAGES, 1, 403, code=50013)
    await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await world.restart()
    again = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert "already running" not in again.text, again.text
    session = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert session is not None and session.id == sid


async def test_failed_start_whose_channel_cannot_be_deleted_says_so(scenario):
    """Not "nothing was left half-done" when the new channel stayed: the leader deletes it."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5)
    inject_after(sim, "POST", MESSAGES, 1, 403, code=50013)
    sim.inject("DELETE", "/channels/{channel_id}", 403, code=50013, times=2)
    failed = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert failed.ephemeral
    assert "Nothing was left half-done" not in failed.text, failed.text
    left = [ch for ch in sim.world.channels.values() if f"<#{ch.id}>" in failed.text]
    assert left and all(ch.id in sim.world.channels for ch in left), failed.text
    assert "delete" in failed.text and "by hand" in failed.text
    assert await session_store.live_for_group(world.bot.db, handle.group.id) is None


@pytest.mark.parametrize(
    ("status", "code", "advice"),
    [(403, 50013, "server admin"), (429, None, "in a minute"), (503, None, "shortly")],
)
async def test_failed_start_gives_the_advice_that_fits_the_failure(scenario, status, code, advice):
    """A leader told to change my role's permissions when Discord was only busy would ask
    an admin for nothing; told only to wait when a permission is missing, would wait."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    inject_after(sim, "POST", MESSAGES, 1, status, code=code, times=5, retry_after=0)
    failed = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert failed.ephemeral and "Nothing was left half-done" in failed.text, failed.text
    assert advice in failed.text, failed.text
    assert ("Manage" in failed.text) == (status == 403), failed.text
