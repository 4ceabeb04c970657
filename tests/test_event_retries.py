"""A session's Discord event whose move, delete or create Discord failed for a passing
reason (a 5xx, the network): redone a little later, once, and restart-safe; the leaders
are told once when the bot gives up; a create Discord did before failing is adopted,
not made twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest

from bot.clock import RETRY_AFTER
from bot.store import schedules as store
from tests.crash_support import crash_on, until_killed
from tests.support import GroupHandle, make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"
FIRST_RETRY = RETRY_AFTER[0].total_seconds()


async def _weekly(world, g: GroupHandle) -> None:  # noqa: ANN001
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)


async def _move(world, g: GroupHandle) -> object:  # noqa: ANN001
    opts = {"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:00"}
    return await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)


async def _skip(world, g: GroupHandle) -> object:  # noqa: ANN001
    opts = {"date": "2026-11-24"}
    return await world.sim.slash(g.leader, "schedule skip", channel=g.lobby, options=opts)


async def _row(world, g: GroupHandle, day: str) -> store.Planned:  # noqa: ANN001
    row = await store.by_occurrence(world.bot.db, g.group.id, datetime.fromisoformat(day).date())
    assert row is not None
    return row


def _fail(world, method: str, route: str, fault: str, times: int = 1) -> None:  # noqa: ANN001
    if fault == "503":
        world.sim.inject(method, route, 503, times=times)
    else:
        world.sim.inject_network(method, route, times=times)


def _starts(world) -> list[str]:  # noqa: ANN001
    return sorted(e.start for e in world.guild.events.values())


NEW_START = datetime(2026, 11, 26, 18, 0, tzinfo=UTC).isoformat()  # London is UTC in Nov


@pytest.mark.parametrize("fault", ["503", "reset"])
async def test_a_moved_sessions_event_discord_failed_to_move_is_moved_a_minute_later(
    scenario, fault: str
) -> None:
    """/schedule move; Discord answers the event's edit with a 503 (or the connection is
    reset). Before, the event showed the old time for good; now it is moved a minute later,
    once."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    (event_id,) = world.guild.events
    _fail(world, "PATCH", EVENT, fault)
    await _move(world, g)
    assert world.guild.events[event_id].start != NEW_START
    await world.advance(seconds=FIRST_RETRY)
    assert world.guild.events[event_id].start == NEW_START
    world.sim.reset_calls()
    await world.advance(minutes=30)
    assert world.sim.calls_matching("PATCH", EVENT) == []
    assert world.sim.errors == []


async def test_the_move_is_redone_after_a_restart(scenario) -> None:
    """The bot restarts between the failed edit and its retry: the retry is not lost."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    (event_id,) = world.guild.events
    _fail(world, "PATCH", EVENT, "503")
    await _move(world, g)
    await world.restart()
    await world.sim.settle()
    await world.advance(seconds=FIRST_RETRY)
    assert world.guild.events[event_id].start == NEW_START


@pytest.mark.parametrize("fault", ["503", "reset"])
async def test_a_skipped_sessions_event_discord_failed_to_delete_is_deleted_later(
    scenario, fault: str
) -> None:
    """/schedule skip; the event's delete fails for a passing reason. Before, the skipped
    session's event stayed on the server's Events; now it goes a minute later."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    (event_id,) = world.guild.events
    skipped = await _row(world, g, "2026-11-24")
    _fail(world, "DELETE", EVENT, fault)
    await _skip(world, g)
    assert event_id in world.guild.events
    await world.advance(seconds=FIRST_RETRY)
    assert event_id not in world.guild.events
    after = await store.get_session(world.bot.db, skipped.id)
    assert after is not None and after.status == store.CANCELLED and after.event_id is None
    next_row = await _row(world, g, "2026-12-01")
    assert list(world.guild.events) == [next_row.event_id]
    assert world.sim.errors == []


def _leader_notices(world, g: GroupHandle, word: str) -> int:  # noqa: ANN001
    """Notices about the event in the leaders' channel or the leaders' DMs."""
    posted = world.sim.messages_in(world.sim.channel(g.group.leaders_channel_id))
    dms = [m for leader in (g.leader, g.co_leader) if leader for m in world.sim.dms_to(leader)]
    return sum("Discord event" in m.content and word in m.content for m in [*posted, *dms])


async def test_the_leaders_are_told_once_when_the_move_is_given_up(scenario) -> None:
    """Discord keeps failing the edit: after the last retry the leaders are told, once,
    that the event shows the old time and what to do; nothing is tried after that."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    world.sim.inject("PATCH", EVENT, 503, times=100)
    await _move(world, g)
    await world.advance(minutes=30)
    assert _leader_notices(world, g, "time") == 1
    world.sim.reset_calls()
    await world.advance(hours=2)
    assert world.sim.calls_matching("PATCH", EVENT) == []
    assert _leader_notices(world, g, "time") == 1


async def test_the_leaders_are_told_once_when_the_delete_is_given_up(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    (event_id,) = world.guild.events
    world.sim.inject_network("DELETE", EVENT, times=100)
    await _skip(world, g)
    await world.advance(minutes=30)
    assert event_id in world.guild.events
    assert _leader_notices(world, g, "delete") == 1
    await world.advance(hours=2)
    assert _leader_notices(world, g, "delete") == 1


async def test_an_event_discord_made_before_its_503_is_adopted_not_made_twice(
    scenario,
) -> None:
    """Discord created the event, then answered 503: the retry finds that event and keeps
    it, rather than making a second one for the same session."""
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject_lost("POST", EVENTS, 503)
    await _weekly(world, g)
    assert len(world.guild.events) == 1
    assert (await _row(world, g, "2026-11-24")).event_id is None
    await world.advance(seconds=FIRST_RETRY)
    (event_id,) = world.guild.events
    assert (await _row(world, g, "2026-11-24")).event_id == event_id
    await world.advance(minutes=30)
    assert list(world.guild.events) == [event_id]


async def test_the_next_sessions_event_made_before_a_503_at_the_advance_is_not_doubled(
    scenario,
) -> None:
    """At a session's end the next one's event is made; Discord makes it, then answers
    503. Before, the clock's retry made a second event for the same session; now the
    retry finds the first and keeps it."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    world.sim.inject_lost("POST", EVENTS, 503)
    await world.advance(days=1, hours=11, minutes=30)  # 2026-11-24 20:30, the end
    await world.advance(minutes=30)
    (row,) = [e for e in world.guild.events.values() if e.start.startswith("2026-12-01")]
    assert (await _row(world, g, "2026-12-01")).event_id == row.id


async def test_the_leaders_are_told_once_when_the_create_is_given_up(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject("POST", EVENTS, 503, times=100)
    await _weekly(world, g)
    await world.advance(minutes=30)
    assert not world.guild.events
    assert _leader_notices(world, g, "no Discord event") == 1
    await world.advance(hours=2)
    assert _leader_notices(world, g, "no Discord event") == 1


async def test_a_crash_after_discord_made_the_event_leaves_one_event_after_restart(
    scenario,
) -> None:
    """Killed right after Discord made the event, before its id was stored: before, the
    restart's reconcile made a second event for the session; now it adopts the first."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    hit = crash_on(sim, "POST", EVENTS, after=True)
    await until_killed(_weekly(world, g), "sim-ignore-schedule-set")
    assert hit, "the crash point was not reached"
    assert len(world.guild.events) == 1
    await world.restart()
    await sim.settle()
    (event_id,) = world.guild.events
    assert (await _row(world, g, "2026-11-24")).event_id == event_id


async def test_a_crash_after_discord_made_the_next_event_at_the_advance_leaves_one(
    scenario,
) -> None:
    """At a session's end the advance timer plans the next one and makes its event; the
    bot is killed right after Discord made it, before its id was stored. Before, the
    restart ran the advance timer again, which made a second event for 1 December
    without looking for the first; now it looks first, as the redo and start-up do."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await _weekly(world, g)
    await world.advance(days=1, hours=11, minutes=29)  # 2026-11-24 20:29, just before the end
    hit = crash_on(sim, "POST", EVENTS, after=True)
    with contextlib.suppress(asyncio.CancelledError):  # the process is gone
        await until_killed(world.advance(minutes=1), "sim-ignore-advance")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    await world.advance(minutes=30)
    made = [e for e in world.guild.events.values() if e.start.startswith("2026-12-01")]
    assert len(made) == 1, made
    assert (await _row(world, g, "2026-12-01")).event_id == made[0].id
