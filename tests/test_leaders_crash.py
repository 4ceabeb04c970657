"""A crash in the middle of /group leaders: the restart finishes what the change began.

The store is written before the role is given (on purpose: the role watch must find a
leader when the grant's gateway event comes first). A crash after that write used to
leave a new leader without the role and without the agreement DM, and a leader who
stepped down without having agreed with the role (then taken back as "given by hand").
The crash is the bot's task cancelled at a chosen REST call (`crash_on`).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import groups as group_store
from tests.crash_support import crash_on
from tests.support import make_group

ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


def agreement_dms(scenario: Scenario, user: User) -> list[str]:
    return [
        m.content
        for m in scenario.sim.dms_to(user)
        if any(c.startswith("balint:agree:") for c in m.custom_ids())
    ]


def by_hand_notices(scenario: Scenario, channel_id: int | None) -> list[str]:
    channel = scenario.sim.channel(channel_id)
    assert channel is not None
    return [m.content for m in scenario.sim.messages_in(channel) if "by hand" in m.content]


async def _leaders_dying(scenario: Scenario, by: User, options: dict, method: str, when, after):
    hit = crash_on(scenario.sim, method, ROLE, when=when, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        scenario.sim.slash(by, "group leaders", options=options), name="sim-ignore-leaders"
    )
    await scenario.sim.settle()
    assert hit, "the crash point was not reached"


@pytest.mark.parametrize("after", [False, True], ids=["grant-not-made", "grant-made"])
async def test_a_crash_at_the_new_leaders_grant_gives_role_and_dm_after_the_restart(
    scenario: Scenario, after: bool
) -> None:
    """Killed at the new co-leader's grant: after the restart they hold the role and have
    the agreement DM, once."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider
    options = {"leader": handle.leader, "co_leader": newcomer, "group": handle.name}
    await _leaders_dying(scenario, scenario.organiser, options, "PUT", lambda c: True, after)
    stored = await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id)
    assert stored is not None and stored.is_leader
    await scenario.restart()
    await sim.settle()
    assert handle.role.id in scenario.member(newcomer).role_ids
    assert sim.can(newcomer, handle.lobby)
    assert len(agreement_dms(scenario, newcomer)) == 1
    assert by_hand_notices(scenario, handle.group.leaders_channel_id) == []
    await scenario.restart()
    await sim.settle()
    assert len(agreement_dms(scenario, newcomer)) == 1


async def test_a_crash_at_the_step_down_asks_the_former_leader_after_the_restart(
    scenario: Scenario,
) -> None:
    """Killed as the role is taken from a leader who stepped down without having agreed:
    the restart takes it as a step-down (the agreement DM), not as a role given by hand."""
    sim = scenario.sim
    first, second = scenario.people[0], scenario.people[1]
    await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Tuesday group", "timezone": "Europe/London", "leader": first},
    )
    await sim.settle()
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Tuesday group")
    assert group is not None and group.role_id is not None
    before = len(agreement_dms(scenario, first))
    options = {"leader": second, "group": "Tuesday group"}
    await _leaders_dying(scenario, scenario.organiser, options, "DELETE", lambda c: True, False)
    await scenario.restart()
    await sim.settle()
    assert group.role_id not in scenario.member(first).role_ids
    asked = agreement_dms(scenario, first)[before:]
    assert len(asked) == 1 and "no longer lead" in asked[0], asked
    assert by_hand_notices(scenario, group.leaders_channel_id) == []
    assert len(agreement_dms(scenario, second)) == 1


@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_at_the_new_leaders_dm_sends_it_once(scenario: Scenario, after) -> None:
    """Killed at the agreement DM itself (sent or not): after the restart, exactly one."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider

    def agreement(call) -> bool:  # type: ignore[no-untyped-def]
        return "balint:agree:" in str((call.json or {}).get("components"))

    hit = crash_on(sim, "POST", "/channels/{channel_id}/messages", when=agreement, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    options = {"leader": handle.leader, "co_leader": newcomer, "group": handle.name}
    await asyncio.create_task(
        sim.slash(scenario.organiser, "group leaders", options=options), name="sim-ignore-leaders"
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    await scenario.restart()
    await sim.settle()
    assert len(agreement_dms(scenario, newcomer)) == 1
    assert sim.can(newcomer, handle.lobby)


async def test_two_leader_changes_at_once_leave_the_last_ones_leaders(scenario: Scenario) -> None:
    """Two organisers name different co-leaders at the same moment. Both read the same
    current leaders, so neither stepped the other's choice down: the group had three
    leaders, and the leaders' channel showed only the last change."""
    sim = scenario.sim
    handle = await make_group(scenario, size=4)
    first, second = handle.members[0], handle.members[1]
    asyncio.current_task().set_name("sim-ignore-test")

    async def name(co: User) -> None:
        asyncio.current_task().set_name("sim-ignore-leaders")  # type: ignore[union-attr]
        options = {"leader": handle.leader, "co_leader": co, "group": handle.name}
        await sim.slash(scenario.organiser, "group leaders", options=options)

    await asyncio.gather(name(first), name(second))
    await sim.settle()
    leaders = {m.user_id for m in await group_store.leaders(scenario.bot.db, handle.group.id)}
    assert len(leaders) == 2, leaders
    channel = sim.channel(handle.group.leaders_channel_id)
    assert channel is not None
    may_read = {u.id for u in (first, second) if sim.can(u, channel)}
    assert may_read == leaders - {handle.leader.id}
