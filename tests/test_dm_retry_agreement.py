"""The agreement DMs and the DMs of a membership or leaders change: a DM that met a passing
failure is tried again by the clock, and arrives once, even when Discord posted it and
lost its answer, or the process restarted between the failure and the retry.

Found by review: each of these rounds gave a person's DM up after one 503. A newcomer
added during a one-second outage never got the agreement, so never saw the group.
"""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from bot.texts import agreement as texts
from tests.dm_retry_support import FAILURE_IDS, FAILURES, dms_holding, fail_dm
from tests.session_support import start_session
from tests.support import make_group
from tests.test_agreement import agreement_dms
from tests.test_agreement_changes import change

ADDED = texts.DM_INTRO.split("“")[0]
CHANGED = texts.DM_INTRO_CHANGED.split("“")[0]
AT_SESSION = texts.SESSION_REMINDER_DM.split("“")[0]
LEADS = texts.DM_INTRO_LEADER.split("“")[0]
REMOVED = "You are no longer a member"


async def _add(world: Scenario, handle, user) -> None:  # noqa: ANN001
    await world.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": user}
    )
    await world.sim.settle()


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_the_agreement_dm_on_group_add_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    newcomer = world.people[4]
    failed = fail_dm(world, newcomer, ADDED, status, lost=lost)
    await _add(world, handle, newcomer)
    assert failed
    await world.advance(minutes=20)
    assert len(dms_holding(world, newcomer, ADDED)) == 1


@pytest.mark.parametrize("lost", [False, True], ids=["503", "503-lost"])
async def test_the_agreement_dm_on_group_add_after_a_restart_arrives_once(
    scenario: Scenario, lost: bool
) -> None:
    """The process dies after the 503 and before the clock's retry."""
    world = scenario
    handle = await make_group(world, size=3)
    newcomer = world.people[4]
    failed = fail_dm(world, newcomer, ADDED, 503, lost=lost)
    await _add(world, handle, newcomer)
    assert failed
    await world.restart()
    await world.advance(minutes=10)
    assert len(dms_holding(world, newcomer, ADDED)) == 1


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_the_changed_agreement_dm_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    unlucky = handle.members[1]
    failed = fail_dm(world, unlucky, CHANGED, status, lost=lost)
    await change(world, handle)
    assert failed
    await world.advance(minutes=20)
    got = [len(dms_holding(world, m, CHANGED)) for m in handle.members]
    assert got == [1] * len(handle.members)


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_the_agreement_reminder_at_a_session_start_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    await change(world, handle)  # nobody but the leader has agreed to version 2
    unlucky = handle.members[0]
    failed = fail_dm(world, unlucky, AT_SESSION, status, lost=lost)
    await start_session(world, handle)
    await world.sim.settle()
    assert failed
    await world.advance(minutes=20)
    got = [len(dms_holding(world, m, AT_SESSION)) for m in handle.members]
    assert got == [1] * len(handle.members)


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_a_new_co_leaders_agreement_dm_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    newcomer = world.outsider
    failed = fail_dm(world, newcomer, LEADS, status, lost=lost)
    options = {"leader": handle.leader, "co_leader": newcomer, "group": handle.name}
    await world.sim.slash(world.organiser, "group leaders", options=options)
    await world.sim.settle()
    assert failed
    await world.advance(minutes=20)
    assert len(agreement_dms(world, newcomer)) == 1


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_the_removal_dm_arrives_once(scenario: Scenario, status: int, lost: bool) -> None:
    """It has no buttons: the retry looks for it by its text before sending it again."""
    world = scenario
    handle = await make_group(world, size=3)
    leaving = handle.members[0]
    failed = fail_dm(world, leaving, REMOVED, status, lost=lost)
    await world.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    await world.sim.settle()
    assert failed
    await world.advance(minutes=20)
    assert len(dms_holding(world, leaving, REMOVED)) == 1
