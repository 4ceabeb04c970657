"""/group create when Discord makes the role or a channel but its answer is lost.

A connection reset after the request was sent, or a 503 from Discord's edge: the role or
channel exists, the bot never learned its id. Before, the roll-back could not delete it:
the organiser read "nothing was left half-made" while a role or a channel of the group
stayed on the server, and trying again made a second one.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.nth_call import fail_calls

OPTIONS = {"name": "Doomed", "timezone": "Europe/London"}
STEPS = {1: "role", 2: "category", 3: "lobby", 4: "leaders' channel"}


async def _create(scenario: Scenario, at: set[int], status: int, **lookups_fail: bool):
    sim = scenario.sim
    roles, channels = set(scenario.guild.roles), set(scenario.guild.channels)
    armed = fail_calls(sim, at, status, lost=True)
    options = {**OPTIONS, "leader": scenario.people[0]}
    result = await sim.slash(scenario.organiser, "group create", options=options)
    await sim.settle()
    armed.disarm(sim)
    assert len(armed.failed) == len(at), armed.seen
    new_roles = [sim.role(r) for r in set(scenario.guild.roles) - roles]
    new_channels = [sim.channel(c) for c in set(scenario.guild.channels) - channels]
    return result, new_roles, new_channels


@pytest.mark.parametrize("status", [NETWORK, 503])
@pytest.mark.parametrize("step", sorted(STEPS))
async def test_a_lost_answer_on_a_create_leaves_one_whole_group(
    scenario: Scenario, step: int, status: int
) -> None:
    """The object Discord made is found (by its name and parent) and used: one role, one
    category, one lobby, one leaders' channel, all the group's; no orphan."""
    result, roles, channels = await _create(scenario, {step}, status)
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed")
    assert group is not None, result.text
    assert [r.id for r in roles] == [group.role_id], f"{STEPS[step]}: orphan role"
    kept = {group.category_id, group.lobby_channel_id, group.leaders_channel_id}
    assert {c.id for c in channels} == kept, f"{STEPS[step]}: orphan channel"
    assert scenario.sim.errors == []


@pytest.mark.parametrize(("step", "name"), [(1, "Doomed"), (2, "Doomed"), (3, "doomed-lobby")])
async def test_a_lost_answer_whose_look_up_breaks_too_names_what_may_be_left(
    scenario: Scenario, step: int, name: str
) -> None:
    """The list of roles or channels cannot be read either: the organiser is not told
    "nothing was left half-made" but what to look for and delete if it is there."""
    result, roles, channels = await _create(scenario, {step, step + 1}, NETWORK)
    assert await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed") is None
    assert texts.NOTHING_LEFT not in result.text, result.text
    line = texts.MAYBE_LEFT_ROLE if step == 1 else texts.MAYBE_LEFT_CHANNEL
    assert line.format(name=name) in result.text, result.text
    assert [r.name for r in roles] + [c.name for c in channels] == [name]


@pytest.mark.parametrize("step", sorted(STEPS))
async def test_a_502_after_a_create_leaves_no_double(scenario: Scenario, step: int) -> None:
    """A 502 from Discord's edge after the work: discord.py sends the request again, so
    Discord makes the role or channel twice; the first one (no group's) is deleted."""
    result, roles, channels = await _create(scenario, {step}, 502)
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed")
    assert group is not None, result.text
    assert [r.id for r in roles] == [group.role_id], f"{STEPS[step]}: a second role"
    kept = {group.category_id, group.lobby_channel_id, group.leaders_channel_id}
    assert {c.id for c in channels} == kept, f"{STEPS[step]}: a second channel"
