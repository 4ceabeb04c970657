"""/group archive when the connection breaks part-way, and again inside its roll-back.

The archive makes the lobby read-only, then takes the group's role from each member. A
break on a later call must leave the group as it was (active, lobby writable, everyone
with the role); when the roll-back breaks too, the leader reads what is left to fix by hand
(a read-only lobby of an active group locks its members out without a word).
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.nth_call import fail_calls
from tests.support import GroupHandle, make_group

# The lobby's edit, then one role removal for each of the leader and three members.
CALLS = 5


async def _archive(scenario: Scenario, at: set[int], status: int = NETWORK):
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    asked = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    armed = fail_calls(sim, at, status)
    custom_id = f"balint:archive:{handle.group.id}:{handle.leader.id}"
    done = await sim.click(handle.leader, asked.original, custom_id)
    await sim.settle()
    armed.disarm(sim)
    assert len(armed.failed) == len(at), armed.seen
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and not group.archived, "archived although a call failed"
    return handle, done


def _locked_out(scenario: Scenario, handle: GroupHandle) -> list[str]:
    return [p.name for p in handle.everyone if not scenario.sim.can(p, handle.lobby)]


def _mute(scenario: Scenario, handle: GroupHandle) -> list[str]:
    return [
        p.name
        for p in handle.everyone
        if not scenario.sim.can(p, handle.lobby, "view_channel", "send_messages")
    ]


@pytest.mark.parametrize("first", range(1, CALLS + 1))
async def test_a_break_at_any_step_leaves_the_group_as_it_was(
    scenario: Scenario, first: int
) -> None:
    handle, done = await _archive(scenario, {first})
    assert _mute(scenario, handle) == [], "people cannot talk in their active group's lobby"
    assert texts.NOTHING_LEFT in done.text, done.text


@pytest.mark.parametrize("first", range(2, CALLS + 1))
@pytest.mark.parametrize("status", [NETWORK, 403])
async def test_a_roll_back_that_cannot_reopen_the_lobby_says_so(
    scenario: Scenario, first: int, status: int
) -> None:
    """The roll-back's first call (the lobby made writable again) breaks too: the leader
    reads that the lobby is still read-only and how to open it, not "nothing was left"."""
    handle, done = await _archive(scenario, {first, first + 1}, status)
    assert _mute(scenario, handle) != [], "the roll-back's break was not reached"
    assert _locked_out(scenario, handle) == []
    assert texts.NOTHING_LEFT not in done.text, done.text
    read_only = texts.LEFT_READ_ONLY.format(lobby=f"<#{handle.lobby.id}>", role=handle.role.name)
    assert read_only in done.text, done.text
    assert scenario.sim.errors == []


@pytest.mark.parametrize("first", range(3, CALLS + 1))
async def test_a_roll_back_that_cannot_give_the_role_back_names_who(
    scenario: Scenario, first: int
) -> None:
    """The roll-back gives the role back to the first person it was taken from, and that
    breaks: the leader reads who lost it and how to give it back."""
    handle, done = await _archive(scenario, {first, first + 2})
    lacking = [p for p in handle.everyone if handle.role.id not in scenario.member(p).role_ids]
    assert len(lacking) == 1, [p.name for p in lacking]
    assert texts.NOTHING_LEFT not in done.text, done.text
    assert texts.LEFT_NO_ROLE.format(user=f"<@{lacking[0].id}>") in done.text, done.text
    assert scenario.sim.errors == []
