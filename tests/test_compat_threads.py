"""A Discord-compatible server without a thread-list endpoint, at a permanent channel's purge.

Why: the purge lists the channel's threads three ways (the guild's active threads, the
channel's archived public and private ones). A server lacking one of those routes
answers 404 with code 0 (or 405/501). The purge took that 404 for "the channel is gone"
and deleted no thread at all, not even those the other lists found; a 501 failed the
whole purge, which was then retried every 6 hours for ever. Now a missing list is
skipped with one WARNING, the threads the others find are deleted, and the purge is done.
"""

from __future__ import annotations

import logging

import pytest

from bot.store import timers as timer_store
from tests.session_support import reload, start_session
from tests.test_compat_routes import FOREVER, ROUTE_MISSING
from tests.test_permanent_channel import permanent_group
from tests.test_permanent_channel_threads import ACTIVE, PRIVATE, left, open_threads


async def retries(world) -> list[str]:
    """The purge retries still pending."""
    pending = await timer_store.pending(world.bot.db)
    return [t.dedupe_key for t in pending if ":retry:" in t.dedupe_key]


def missing_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "thread list" in r.getMessage()
    ]


@pytest.mark.parametrize(("status", "code"), [(404, 0), (501, 0), (405, 0)])
async def test_purge_without_the_active_thread_list(scenario, caplog, status, code) -> None:
    caplog.set_level(logging.WARNING)
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    (asleep,) = await open_threads(world, room, 1, private=False)
    await sim.archive_thread(asleep)
    sim.inject("GET", ACTIVE, status, code, times=FOREVER, message=ROUTE_MISSING)
    await world.sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert await retries(world) == [], "not retried for ever"
    assert left(world, [asleep]) == [], "the archived list still found it"
    assert len(missing_warnings(caplog)) == 1, caplog.text


async def test_purge_without_the_private_archived_list(scenario, caplog) -> None:
    caplog.set_level(logging.WARNING)
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    (open_,) = await open_threads(world, room, 1, private=False)
    sim.inject("GET", PRIVATE, 501, 0, times=FOREVER, message="Not Implemented")
    await world.sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert await retries(world) == [], "not retried for ever"
    assert left(world, [open_]) == []
    assert len(missing_warnings(caplog)) == 1, caplog.text
