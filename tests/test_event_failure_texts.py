"""What the leaders read when a session's Discord event could not be made, moved or
deleted: what actually happened, and what to do about it.

Before, every failure read as a missing Create Events permission, even when Discord was
simply down (a 5xx, a reset), and even on a server that has no scheduled events at all
(a 404 on the route itself): leaders were sent to check a permission that was fine. Now
an outage says the event was not made and which command makes it again, a refusal (403)
names the permission and where to grant it, and a server without events says so.
"""

from __future__ import annotations

from datetime import datetime

from discord.utils import format_dt

from bot.clock import RETRY_AFTER
from bot.store import schedules as store
from bot.texts import scheduling as texts
from tests.support import GroupHandle, make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"
MISSING_PERMISSIONS = 50013
ROUTE_MISSING = "404: Not Found"  # Discord's generic body for a route it does not know
FOREVER = 1000
FIRST_RETRY = RETRY_AFTER[0].total_seconds()
PERMISSION = "Create Events"


async def _weekly(world, g: GroupHandle) -> str:  # noqa: ANN001
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    result = await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)
    return result.text


async def _start(world, g: GroupHandle, day: str) -> str:  # noqa: ANN001
    """The session's start as the leaders' notice shows it."""
    row = await store.by_occurrence(world.bot.db, g.group.id, datetime.fromisoformat(day).date())
    assert row is not None
    return format_dt(row.scheduled_start, "F")


def _notices(world, g: GroupHandle) -> list[str]:  # noqa: ANN001
    """Notices about an event in the leaders' channel or the leaders' DMs."""
    posted = world.sim.messages_in(world.sim.channel(g.group.leaders_channel_id))
    dms = [m for leader in (g.leader, g.co_leader) if leader for m in world.sim.dms_to(leader)]
    return [m.content for m in [*posted, *dms] if "Discord event" in m.content]


def _refuse(world, method: str, route: str) -> None:  # noqa: ANN001
    """The first try fails for a passing reason (so it is redone), the redo is refused."""
    world.sim.inject(method, route, 503)
    world.sim.inject(method, route, 403, MISSING_PERMISSIONS)


async def test_a_create_given_up_in_an_outage_says_so_and_how_to_make_it(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject("POST", EVENTS, 503, times=FOREVER)
    answer = await _weekly(world, g)
    assert texts.EVENT_FAILED["passing"] in answer, answer
    assert PERMISSION not in answer
    await world.advance(minutes=30)
    when = await _start(world, g, "2026-11-24")
    (notice,) = _notices(world, g)
    assert texts.EVENT_GIVEN_UP["create"]["passing"].format(when=when) in notice
    assert PERMISSION not in notice and "`/schedule events on`" in notice


async def test_a_create_refused_names_the_permission_and_where(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    _refuse(world, "POST", EVENTS)
    await _weekly(world, g)
    await world.advance(seconds=FIRST_RETRY)
    when = await _start(world, g, "2026-11-24")
    (notice,) = _notices(world, g)
    assert texts.EVENT_GIVEN_UP["create"]["refused"].format(when=when) in notice
    assert PERMISSION in notice and "Server Settings > Roles" in notice
    await world.advance(hours=1)
    assert len(_notices(world, g)) == 1


async def test_a_move_refused_names_the_permission(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    _refuse(world, "PATCH", EVENT)
    opts = {"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:00"}
    await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)
    await world.advance(seconds=FIRST_RETRY)
    when = await _start(world, g, "2026-11-24")
    (notice,) = _notices(world, g)
    assert texts.EVENT_GIVEN_UP["move"]["refused"].format(when=when) in notice
    assert PERMISSION in notice


async def test_a_delete_refused_names_the_permission(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    when = await _start(world, g, "2026-11-24")
    _refuse(world, "DELETE", EVENT)
    await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    await world.advance(seconds=FIRST_RETRY)
    (notice,) = _notices(world, g)
    assert texts.EVENT_GIVEN_UP["delete"]["refused"].format(when=when) in notice
    assert PERMISSION in notice


async def test_a_refusal_at_the_command_names_the_permission(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject("POST", EVENTS, 403, MISSING_PERMISSIONS)
    answer = await _weekly(world, g)
    assert texts.EVENT_FAILED["refused"] in answer, answer
    assert "Server Settings > Roles" in answer


async def test_a_server_without_events_says_so_not_the_permission(scenario) -> None:
    """A Discord-compatible server without the events routes: each replan tries once (the
    server may gain them), and the answer says the server has no events, not that a
    permission is missing."""
    world = scenario
    g = await make_group(world, size=3)
    world.sim.inject("POST", EVENTS, 404, 0, times=FOREVER, message=ROUTE_MISSING)
    world.sim.reset_calls()
    answer = await _weekly(world, g)
    assert texts.EVENT_FAILED["no_route"] in answer, answer
    assert PERMISSION not in answer
    assert len(world.sim.calls_matching("POST", EVENTS)) == 1
    await world.advance(minutes=30)
    assert _notices(world, g) == []  # not passing: nothing redone, nothing given up
