"""Helpers for the tests of one bot on several servers and one GP in several groups."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Guild, User
from tests.support import GroupHandle


async def second_server(world: Scenario, name: str = "Coastal GPs") -> Guild:
    """A second server the bot joins while it runs, with the organiser and everyone on it."""
    guild = world.sim.add_guild(name)
    world.sim.add_member(guild, world.organiser, manage_guild=True)
    for person in world.people:
        world.sim.add_member(guild, person)
    await world.sim.settle()
    return guild


async def weekly(world: Scenario, g: GroupHandle, weekday: int = 3, time: str = "19:00") -> None:
    """The group's leader sets a weekly schedule (Thursday 19:00 unless said)."""
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": weekday, "time": time},
    )
    assert "Schedule saved" in result.text, result.text


def dm_count(world: Scenario, users: list[User]) -> dict[str, int]:
    return {u.name: len(world.sim.dms_to(u)) for u in users}
