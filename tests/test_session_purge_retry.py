"""A purge Discord refuses is tried again (a stored timer), and the leaders hear of it once.

Through the simulator: DELETE /channels/{id} answers 403 (50013) or 503 for a
while; the session's channel must still go, also across a restart, without a
retry lost or doubled; a 404 still means "already gone".
"""

from __future__ import annotations

from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import privacy as privacy_store
from bot.store import sessions as session_store
from bot.store.sessions import Session
from tests.session_support import reload, start_session
from tests.support import GroupHandle, make_group

DELETE = "/channels/{channel_id}"


async def ended_session(world: Scenario) -> tuple[GroupHandle, Session, int]:
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await world.sim.slash(handle.leader, "session end", channel=channel)
    return handle, session, channel.id


async def purge_timers(world: Scenario, session: Session) -> list[tuple[str, str]]:
    rows = await world.bot.db.fetchall(
        "SELECT dedupe_key, state FROM timers WHERE dedupe_key LIKE ? ORDER BY id",
        (f"purge:{session.id}%",),
    )
    return [(r["dedupe_key"], r["state"]) for r in rows]


def leaders_heard(world: Scenario, handle: GroupHandle) -> list[str]:
    channel = world.sim.channel(handle.group.leaders_channel_id)
    return [m.content for m in channel.messages if "still readable" in m.content]


def deletes_of(world: Scenario, channel_id: int) -> list[int]:
    return [
        c.status
        for c in world.sim.calls
        if c.method == "DELETE" and c.route == DELETE and c.params["channel_id"] == str(channel_id)
    ]


async def test_purge_retried_after_a_transient_failure(scenario):
    world, sim = scenario, scenario.sim
    handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 403, code=50013, times=1)
    await world.advance(minutes=61)
    assert sim.channel(channel_id) is not None
    assert (await reload(world, session)).purged_at is None
    await world.advance(days=3)
    await world.restart()
    await world.advance(days=3)
    fresh = await session_store.get(world.bot.db, session.id)
    assert sim.channel(channel_id) is None
    assert fresh is not None and fresh.purged_at is not None
    assert leaders_heard(world, handle) == [], "one failure is not worth a word"


async def test_leaders_are_told_once_after_repeated_failures(scenario):
    world, sim = scenario, scenario.sim
    handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 503, times=6)  # text and voice, three tries in a row
    await world.advance(minutes=61)
    assert leaders_heard(world, handle) == []
    await world.advance(minutes=5)  # the first retry fails too: the leaders hear of it
    heard = leaders_heard(world, handle)
    assert len(heard) == 1 and handle.name in heard[0] and f"<#{channel_id}>" in heard[0]
    await world.advance(minutes=30)  # the second retry fails: no second word
    assert sim.channel(channel_id) is not None
    await world.restart()
    await world.advance(hours=2)  # the third retry succeeds
    assert sim.channel(channel_id) is None
    assert (await reload(world, session)).purged_at is not None
    assert len(leaders_heard(world, handle)) == 1
    await world.advance(days=2)
    assert [key for key, state in await purge_timers(world, session) if state == "pending"] == []
    assert deletes_of(world, channel_id) == [503, 503, 503, 200]


async def test_a_restart_between_failure_and_retry_neither_loses_nor_doubles_it(scenario):
    world, sim = scenario, scenario.sim
    _handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 403, code=50013, times=1)
    await world.advance(minutes=61)
    first, retry = f"purge:{session.id}", f"purge:{session.id}:retry:1"
    assert await purge_timers(world, session) == [(first, "done"), (retry, "pending")]
    await world.restart()
    await world.advance(minutes=6)
    assert sim.channel(channel_id) is None
    assert await purge_timers(world, session) == [(first, "done"), (retry, "done")]
    assert deletes_of(world, channel_id) == [403, 200]


async def test_a_crash_inside_the_purge_reruns_it_without_a_second_retry(scenario):
    world, sim = scenario, scenario.sim
    handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 403, code=50013, times=1)
    await world.advance(minutes=61)
    first = f"purge:{session.id}"
    # As if the bot died after storing the retry but before closing the purge timer.
    await world.bot.db.execute("UPDATE timers SET state = 'firing' WHERE dedupe_key = ?", (first,))
    sim.inject("DELETE", DELETE, 403, code=50013, times=1)
    await world.restart()  # the interrupted purge runs again at once and fails again
    await world.advance(minutes=6)
    assert sim.channel(channel_id) is None
    retry = f"purge:{session.id}:retry:1"
    assert await purge_timers(world, session) == [(first, "done"), (retry, "done")]
    assert leaders_heard(world, handle) == []


async def test_not_found_still_means_already_gone(scenario):
    world, sim = scenario, scenario.sim
    _handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 404, code=10003, times=2)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert await purge_timers(world, session) == [(f"purge:{session.id}", "done")]


async def test_retention_keeps_a_session_whose_channel_is_not_purged_yet(scenario):
    """The retention job must not drop the row (and its retry timer) of a stuck purge."""
    world, sim = scenario, scenario.sim
    _handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 403, code=50013, times=4)  # text and voice, twice
    await world.advance(minutes=61 + 5)
    assert sim.channel(channel_id) is not None
    cutoff = world.clock.now() + timedelta(days=1)  # the session is "older" than retention
    await privacy_store.purge_expired(world.bot.db, cutoff)
    assert await session_store.get(world.bot.db, session.id) is not None
    await world.restart()
    await world.advance(minutes=30)  # the second retry: Discord lets it through now
    assert sim.channel(channel_id) is None
    assert (await reload(world, session)).purged_at is not None
    # Once purged, the next retention run takes the row as before.
    await privacy_store.purge_expired(world.bot.db, world.clock.now() + timedelta(days=1))
    assert await session_store.get(world.bot.db, session.id) is None


async def test_a_group_is_not_deleted_while_a_session_channel_awaits_its_purge(scenario):
    """Deleting the group would cascade to its sessions and their purge timers."""
    world, sim = scenario, scenario.sim
    handle, session, channel_id = await ended_session(world)
    sim.inject("DELETE", DELETE, 403, code=50013, times=2)
    await world.advance(minutes=61)
    assert sim.channel(channel_id) is not None
    assert await group_store.delete(world.bot.db, handle.group.id) is False
    assert await group_store.get(world.bot.db, handle.group.id) is not None
    await world.restart()
    await world.advance(minutes=6)
    assert sim.channel(channel_id) is None
    assert (await reload(world, session)).purged_at is not None
    assert await group_store.delete(world.bot.db, handle.group.id) is True
    assert await session_store.get(world.bot.db, session.id) is None
