"""A crash in the middle of /group add or /group remove: the restart finishes the change.

/group add stores the member first (the role watch must find them when the grant's
gateway event comes first), then gives the role to a returning member who agreed, and
the agreement DM to one who has not. A crash after the store write used to lose what
followed: a stored member with no role, or with no agreement DM (so never access).
/group remove took the role and died before the store: the member kept their place
in the group (reminders, case prompts) without access. The crash is the bot's task
cancelled at a chosen REST call (`crash_on`).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import groups as group_store
from bot.store import timers as timer_store
from tests.crash_support import crash_on
from tests.support import GroupHandle, accept_agreements, make_group
from tests.test_leaders_crash import ROLE, agreement_dms, by_hand_notices

MESSAGES = "/channels/{channel_id}/messages"


async def _follow_up_rows(scenario: Scenario) -> int:
    row = await scenario.bot.db.fetchone(
        "SELECT COUNT(*) AS n FROM timers WHERE kind = 'member_follow_up'"
    )
    return int(row["n"])


def _agreement(call) -> bool:  # type: ignore[no-untyped-def]
    return "balint:agree:" in str((call.json or {}).get("components"))


async def _dying(
    scenario: Scenario,
    handle: GroupHandle,
    command: str,
    member: User,
    method: str,
    route: str,
    *,
    when=lambda call: True,
    after: bool = False,
) -> None:
    """Run `command` for `member`; the process dies at the first matching call."""
    hit = crash_on(scenario.sim, method, route, when=when, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    options = {"member": member, "group": handle.name}
    await asyncio.create_task(
        scenario.sim.slash(handle.leader, command, channel=handle.lobby, options=options),
        name="sim-ignore-command",
    )
    await scenario.sim.settle()
    assert hit, "the crash point was not reached"


async def _restart(scenario: Scenario) -> None:
    await scenario.restart()
    await scenario.sim.settle()


@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_at_the_new_members_agreement_dm_sends_it_once(
    scenario: Scenario, after: bool
) -> None:
    """Killed at the agreement DM (sent or not): after the restart the new member has
    exactly one, and agreeing gives access."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider
    await _dying(
        scenario, handle, "group add", newcomer, "POST", MESSAGES, when=_agreement, after=after
    )
    stored = await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id)
    assert stored is not None and stored.left_at is None
    await _restart(scenario)
    assert len(agreement_dms(scenario, newcomer)) == 1
    await _restart(scenario)
    assert len(agreement_dms(scenario, newcomer)) == 1
    await accept_agreements(scenario, [newcomer])
    assert sim.can(newcomer, handle.lobby)


async def _returning(scenario: Scenario) -> tuple[GroupHandle, User]:
    """A member who agreed, was removed, and is added again: the role at once, no DM."""
    handle = await make_group(scenario, size=2)
    back = handle.members[0]
    result = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": back}
    )
    assert "has left" in result.text
    assert not scenario.sim.can(back, handle.lobby)
    return handle, back


@pytest.mark.parametrize("after", [False, True], ids=["grant-not-made", "grant-made"])
async def test_a_crash_at_the_returning_members_grant_gives_the_role_after_the_restart(
    scenario: Scenario, after: bool
) -> None:
    """Killed at the grant to a returning member who agreed: after the restart they are a
    member with access, without a second agreement DM or a 'by hand' notice."""
    handle, back = await _returning(scenario)
    dms = len(agreement_dms(scenario, back))
    await _dying(scenario, handle, "group add", back, "PUT", ROLE, after=after)
    await _restart(scenario)
    stored = await group_store.membership(scenario.bot.db, handle.group.id, back.id)
    assert stored is not None and stored.left_at is None
    assert scenario.sim.can(back, handle.lobby)
    assert len(agreement_dms(scenario, back)) == dms
    assert by_hand_notices(scenario, handle.group.leaders_channel_id) == []


async def test_a_refused_grant_leaves_nothing_for_the_restart(scenario: Scenario) -> None:
    """Discord refuses the grant: the membership is rolled back and its follow-up
    cancelled, so a restart neither adds them nor DMs them."""
    handle, back = await _returning(scenario)
    dms = len(agreement_dms(scenario, back))
    rows = await _follow_up_rows(scenario)
    scenario.sim.inject("PUT", ROLE, 403, code=50013)
    result = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": back}
    )
    assert "is now a member" not in result.text
    stored = await group_store.membership(scenario.bot.db, handle.group.id, back.id)
    assert stored is not None and stored.left_at is not None
    assert not await timer_store.open_with_prefix(scenario.bot.db, "member_follow_up:")
    assert await _follow_up_rows(scenario) == rows  # no trace of a change that never was
    await _restart(scenario)
    stored = await group_store.membership(scenario.bot.db, handle.group.id, back.id)
    assert stored is not None and stored.left_at is not None
    assert not scenario.sim.can(back, handle.lobby)
    assert len(agreement_dms(scenario, back)) == dms


@pytest.mark.parametrize("after", [False, True], ids=["revoke-not-made", "revoke-made"])
async def test_a_crash_at_the_removal_finishes_it_after_the_restart(
    scenario: Scenario, after: bool
) -> None:
    """Killed as the role is taken: after the restart the member is out of the group (no
    role, no membership, so no reminders or case prompts), with no 'by hand' notice."""
    handle = await make_group(scenario, size=2)
    leaving = handle.members[0]
    await _dying(scenario, handle, "group remove", leaving, "DELETE", ROLE, after=after)
    await _restart(scenario)
    stored = await group_store.membership(scenario.bot.db, handle.group.id, leaving.id)
    assert stored is not None and stored.left_at is not None
    assert not scenario.sim.can(leaving, handle.lobby)
    assert by_hand_notices(scenario, handle.group.leaders_channel_id) == []


@pytest.mark.parametrize("fault", ["refused", "reset"])
async def test_a_refused_removal_keeps_the_member(scenario: Scenario, fault: str) -> None:
    """Discord refuses to take the role, or the connection breaks (no HTTPException): the
    member stays, in the store and on Discord, and the leader is told nothing was done."""
    handle = await make_group(scenario, size=2)
    staying = handle.members[0]
    rows = await _follow_up_rows(scenario)
    if fault == "reset":
        scenario.sim.inject_network("DELETE", ROLE)
    else:
        scenario.sim.inject("DELETE", ROLE, 403, code=50013)
    result = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": staying}
    )
    assert "has left" not in result.text
    assert ("half-made" in result.text) == (fault == "reset"), result.text
    assert scenario.sim.errors == []
    stored = await group_store.membership(scenario.bot.db, handle.group.id, staying.id)
    assert stored is not None and stored.left_at is None
    assert await _follow_up_rows(scenario) == rows
    await _restart(scenario)
    stored = await group_store.membership(scenario.bot.db, handle.group.id, staying.id)
    assert stored is not None and stored.left_at is None
    assert scenario.sim.can(staying, handle.lobby)


@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_at_the_new_groups_leader_dm_sends_it_once(
    scenario: Scenario, after: bool
) -> None:
    """/group create, killed at the leader's agreement DM: after the restart the leader
    has exactly one (the group was stored; leaders hold the role from its making)."""
    sim = scenario.sim
    leader = scenario.people[0]
    hit = crash_on(sim, "POST", MESSAGES, when=_agreement, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    options = {"name": "Tuesday group", "timezone": "Europe/London", "leader": leader}
    await asyncio.create_task(
        sim.slash(scenario.organiser, "group create", options=options), name="sim-ignore-create"
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Tuesday group")
    assert group is not None
    await _restart(scenario)
    assert len(agreement_dms(scenario, leader)) == 1
    await _restart(scenario)
    assert len(agreement_dms(scenario, leader)) == 1
    assert sim.can(leader, sim.channel(group.lobby_channel_id))


async def test_a_crash_at_the_second_agreement_dm_is_not_fooled_by_the_first(
    scenario: Scenario,
) -> None:
    """Added, never agreed, removed, added again the next day: killed before the second
    agreement DM went, the restart found the first one (the same button) in their DMs,
    took it for this one and did not send it. Only a DM sent since this add counts."""
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider
    options = {"member": newcomer, "group": handle.name}
    await scenario.sim.slash(handle.leader, "group add", channel=handle.lobby, options=options)
    assert len(agreement_dms(scenario, newcomer)) == 1
    removed = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": newcomer}
    )
    assert "has left" in removed.text
    await scenario.advance(days=1)
    await _dying(scenario, handle, "group add", newcomer, "POST", MESSAGES, when=_agreement)
    await _restart(scenario)
    assert len(agreement_dms(scenario, newcomer)) == 2
    await accept_agreements(scenario, [newcomer])
    assert scenario.sim.can(newcomer, handle.lobby)
