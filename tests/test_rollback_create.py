"""/group create when the connection breaks on a later call, and again inside its roll-back.

The fault table fails each route once; here the N-th call of the command breaks (after
the earlier ones worked), then one call of the roll-back too. The organiser must never
read "nothing was left half-made" while a role or channel of the group is still there:
the answer names each thing left, to delete by hand.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.nth_call import fail_calls

# The command's calls: role, category, lobby, leaders' channel, two grants (then the DMs).
MADE = 6
CREATES = 4  # the first four make something: role, category, lobby, leaders' channel


async def _create(scenario: Scenario, at: set[int], status: int = NETWORK):
    sim = scenario.sim
    roles, channels = set(scenario.guild.roles), set(scenario.guild.channels)
    armed = fail_calls(sim, at, status)
    result = await sim.slash(
        scenario.organiser,
        "group create",
        options={
            "name": "Doomed",
            "timezone": "Europe/London",
            "leader": scenario.people[0],
            "co_leader": scenario.people[1],
        },
    )
    await sim.settle()
    armed.disarm(sim)
    assert len(armed.failed) == len(at), armed.seen
    left_roles = [sim.role(r) for r in set(scenario.guild.roles) - roles]
    left_channels = [sim.channel(c) for c in set(scenario.guild.channels) - channels]
    return result, left_roles, left_channels


@pytest.mark.parametrize("first", range(1, MADE + 1))
async def test_a_break_at_any_step_leaves_nothing_and_says_so(
    scenario: Scenario, first: int
) -> None:
    result, roles, channels = await _create(scenario, {first})
    assert (roles, channels) == ([], []), "the roll-back left part of the group"
    assert result.ephemeral and texts.NOTHING_LEFT in result.text, result.text
    assert await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed") is None


# (the call that breaks, the roll-back's call that breaks too), for each step that made
# something before the break: the roll-back deletes in reverse order, one call each.
ROLLBACK_BREAKS = [(2, 3), (3, 4), (3, 5), (4, 5), (4, 6), (4, 7), (5, 6), (5, 8), (6, 10)]


@pytest.mark.parametrize(("first", "again"), ROLLBACK_BREAKS)
@pytest.mark.parametrize("status", [NETWORK, 403])
async def test_a_roll_back_that_breaks_names_what_was_left(
    scenario: Scenario, first: int, again: int, status: int
) -> None:
    """The roll-back's own call breaks: the organiser reads which role or channel to
    delete by hand, instead of "nothing was left half-made".

    A broken connection on a create is followed by one look-up (did Discord make it after
    all? cogs/_lost_answers.py), so the roll-back's calls come one later."""
    if status == NETWORK and first <= CREATES:
        again += 1
    result, roles, channels = await _create(scenario, {first, again}, status)
    assert len(roles) + len(channels) == 1, (roles, channels)
    assert await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed") is None
    assert result.ephemeral
    assert texts.NOTHING_LEFT not in result.text, result.text
    for role in roles:
        assert texts.LEFT_ROLE.format(role=role.name) in result.text, result.text
    for channel in channels:
        assert texts.LEFT_CHANNEL.format(channel=channel.name) in result.text, result.text
    assert scenario.sim.errors == []
