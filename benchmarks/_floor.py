"""The CPU floor under the session load: what the Discord traffic alone costs.

A session command is one interaction plus the REST calls it causes.  discord.py
and the simulator spend CPU on each of those even if the bot did nothing else:
parsing the interaction, building and sending the request, the simulator's
route, the gateway event it sends back and discord.py's parse of that event.
This module times those pieces one by one (`time.process_time`, sequentially,
in the benchmark's own world), so the load's figures can say how much of each
interaction is that floor and how much is the bot's own work (store, rendering,
the Balint rules).  Both run in one process on one core: the load cannot go
faster than 1 / (CPU per interaction).
"""

from __future__ import annotations

import time
from typing import Any

import discord

from benchmarks._figures import figure
from benchmarks._world import GroupMade, Probe
from bot.sim.scenario import Scenario

FLOOR_ROUNDS = 500  # of each piece; the best of three passes is kept (least disturbed)
PASSES = 3


async def _best_of(run_once: Any) -> float:
    """CPU seconds per call of `run_once`, the lowest of PASSES passes."""
    best = float("inf")
    for _ in range(PASSES):
        start = time.process_time()
        for index in range(FLOOR_ROUNDS):
            await run_once(index)
        best = min(best, (time.process_time() - start) / FLOOR_ROUNDS)
    return best


async def measure_floor(world: Scenario, probe: Probe, group: GroupMade) -> dict[str, float]:
    """CPU ms of a bare interaction, an overwrite PUT and a message edit, each end to end."""
    channel = world.bot.get_channel(group.lobby.id)
    if not isinstance(channel, discord.TextChannel):
        raise RuntimeError("the group's lobby is not a text channel the bot can see")
    member = channel.guild.get_member(group.members[0].id)
    if member is None:
        raise RuntimeError("the group's first member is not in the bot's cache")
    status = await channel.send("benchmark: floor")

    async def bare(index: int) -> None:
        user = group.members[index % len(group.members)]
        entry = probe.slash(user, "balint about", channel=group.lobby)
        await entry.done()
        probe.forget(entry)

    async def overwrite(index: int) -> None:
        allow = discord.PermissionOverwrite(send_messages=bool(index % 2))
        await channel.set_permissions(member, overwrite=allow)

    async def edit(index: int) -> None:
        await status.edit(content=f"benchmark: floor {index}")

    floor = {
        "interaction": await _best_of(bare),
        "overwrite": await _best_of(overwrite),
        "edit": await _best_of(edit),
    }
    await world.sim.settle()
    await channel.set_permissions(member, overwrite=None)
    await status.delete()
    return {name: seconds * 1000 for name, seconds in floor.items()}


def floor_figures(
    floor: dict[str, float], cpu_seconds: float, handled: int, session: int, rest_calls: int
) -> dict[str, Any]:
    """The load's CPU per interaction beside what the Discord traffic alone would cost."""
    if not handled or not session:
        return {}
    cpu_ms = cpu_seconds * 1000 / handled
    per_command = rest_calls / session
    rest_ms = (floor["overwrite"] + floor["edit"]) / 2
    # Every interaction is answered once; session commands (half the load) add their calls.
    floor_ms = floor["interaction"] + rest_calls * rest_ms / handled
    return {
        "cpu_ms_per_interaction": figure(cpu_ms, "ms"),
        "single_core_ceiling": figure(1000 / cpu_ms, "interactions/s"),
        "rest_calls_per_session_command": figure(per_command, "calls"),
        "floor_bare_interaction_cpu_ms": figure(floor["interaction"], "ms"),
        "floor_overwrite_put_cpu_ms": figure(floor["overwrite"], "ms"),
        "floor_message_edit_cpu_ms": figure(floor["edit"], "ms"),
        "floor_cpu_ms_per_interaction": figure(floor_ms, "ms"),
        "floor_share_of_cpu": figure(100 * floor_ms / cpu_ms, "%"),
    }
