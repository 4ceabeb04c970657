"""The demo's last scene: a group that moves its time zone keeps its local meeting time.

Why: the organiser picks the zone once, at `/group create`; a group whose members move,
or that was made with the wrong zone, corrects it without losing its history.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.demo_actions import slash
from bot.demo_script import Transcript
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import schedules as schedule_store

NEW_ZONE = "Europe/Budapest"


async def step_zone(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The group moves its time zone; it still meets at 19:00, now Budapest time")
    leader, lobby = state["leader"], state["lobby"]
    changed = await slash(world, out, leader, "group timezone", lobby, zone=NEW_ZONE)
    assert changed.ephemeral, "/group timezone was answered in public"
    group = await group_store.get(world.bot.db, state["group"].id)
    assert group is not None and group.zone == NEW_ZONE, "the group's zone did not change"
    lines = [m for m in world.sim.messages_in(lobby) if NEW_ZONE in m.content]
    assert lines, "the lobby was not told of the new time zone"
    out.message(lines[-1], to="the lobby")
    await slash(world, out, state["members"][1], "schedule show", lobby)
    planned = await schedule_store.planned_for_group(world.bot.db, group.id)
    local = [p.scheduled_start.astimezone(ZoneInfo(NEW_ZONE)).strftime("%H:%M") for p in planned]
    assert local and set(local) == {"19:00"}, "the series did not keep 19:00 in its new zone"
