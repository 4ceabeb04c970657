"""Each permission of the README's invite is one the bot's code needs: with it taken away,
something the bot does is refused. An extra one asks server admins for more than the bot
uses (Manage Events lets it edit and cancel every member's events on the server)."""

from __future__ import annotations

import discord
import pytest

from bot.permissions_needed import REQUIRED
from bot.sim.scenario import Scenario
from tests.support import make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT_FLAGS = [flag for flag in ("manage_events", "create_events") if getattr(REQUIRED, flag)]


async def _event_calls(world: Scenario, permissions: int) -> list[tuple[str, int]]:
    """A group's events made, moved and cancelled; every event call with its status."""
    sim = world.sim
    g = await make_group(world, size=3)
    sim.set_bot_permissions(world.guild, permissions)
    await sim.settle()
    sim.reset_calls()

    async def slash(name: str, **options: object) -> None:
        await sim.slash(g.leader, name, channel=g.lobby, options=options)

    await slash("schedule set", cadence="weekly", weekday=3, time="19:00")
    await slash("schedule set", cadence="weekly", weekday=3, time="18:00")
    await slash("schedule skip", date="2026-12-03")
    await slash("schedule events", state="off")
    await sim.settle()
    return [
        (method, call.status)
        for method in ("POST", "PATCH", "DELETE")
        for call in sim.calls_matching(method, EVENTS + ("" if method == "POST" else "/{event_id}"))
    ]


async def test_the_invite_makes_moves_and_cancels_the_groups_events(scenario: Scenario) -> None:
    calls = await _event_calls(scenario, REQUIRED.value)
    assert {method for method, _ in calls} == {"POST", "PATCH", "DELETE"}, calls
    assert all(status < 400 for _, status in calls), calls


@pytest.mark.parametrize("flag", EVENT_FLAGS)
async def test_each_event_permission_of_the_invite_is_needed(scenario: Scenario, flag: str) -> None:
    """Discord: Create Events also edits and deletes the events the bot made itself;
    Manage Events is only for other people's, which the bot never touches."""
    without = REQUIRED.value & ~discord.Permissions(**{flag: True}).value
    calls = await _event_calls(scenario, without)
    made = [status for method, status in calls if method == "POST"]
    assert any(status >= 400 for _, status in calls) or not made, (
        f"every event call succeeded without {flag}: the invite asks for it needlessly"
    )
