"""A 502 on creating a session's Discord event: discord.py sends the request again,
and if Discord had made the event before its edge answered 502, it makes a second one.
Members then saw the meeting twice in the server's Events. The bot keeps one.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import RETRY_AFTER
from bot.store import schedules as store
from tests.support import GroupHandle, make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
FIRST_RETRY = RETRY_AFTER[0].total_seconds()


async def _weekly(world, g: GroupHandle) -> None:  # noqa: ANN001
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)


async def _event_id(world, g: GroupHandle, day: str) -> int | None:  # noqa: ANN001
    row = await store.by_occurrence(world.bot.db, g.group.id, datetime.fromisoformat(day).date())
    assert row is not None
    return row.event_id


async def test_a_502_on_the_events_create_leaves_one_event(scenario) -> None:
    """/schedule set; Discord makes the event, its edge answers 502, discord.py sends the
    create again and Discord makes a second: the first is deleted, the stored one kept."""
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject_lost("POST", EVENTS, 502)
    await _weekly(world, g)
    await world.sim.settle()
    assert list(world.guild.events) == [await _event_id(world, g, "2026-11-24")]


async def test_a_502_then_a_lost_503_leaves_one_event_after_the_redo(scenario) -> None:
    """Both of discord.py's tries were carried out, neither answer came back (502, then
    503): the redo a minute later found two events for the session and adopted one; the
    other stayed. Now it keeps one and deletes the rest."""
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject_lost("POST", EVENTS, 502)
    world.sim.inject_lost("POST", EVENTS, 503)
    await _weekly(world, g)
    await world.advance(seconds=FIRST_RETRY)
    await world.sim.settle()
    assert list(world.guild.events) == [await _event_id(world, g, "2026-11-24")]
