"""The case prompt and the pulse survey: a DM that met a passing failure is tried again
by the clock, and arrives once, even when Discord posted it and lost its answer.

Found by review: both rounds gave a person's DM up after one 503; that member was never
asked for a case, or never got the survey.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sim.scenario import Scenario
from tests.case_helpers import planned_meeting
from tests.dm_retry_support import FAILURE_IDS, FAILURES, dms_holding, fail_dm
from tests.support import make_group
from tests.test_pulse_survey import session_with

ASKED = "Do you have a case"
SURVEY = "Three optional one-click questions"
MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_a_case_prompt_that_failed_for_now_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await planned_meeting(world, g, MEETING)
    unlucky = g.members[1]
    failed = fail_dm(world, unlucky, ASKED, status, lost=lost)
    await world.advance(seconds=(MEETING - timedelta(hours=47) - world.clock.now()).total_seconds())
    assert failed
    await world.advance(minutes=20)
    assert [len(dms_holding(world, u, ASKED)) for u in g.members] == [1] * len(g.members)


@pytest.mark.parametrize("lost", [False, True], ids=["503", "503-lost"])
async def test_a_case_prompt_retried_after_a_restart_arrives_once(
    scenario: Scenario, lost: bool
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await planned_meeting(world, g, MEETING)
    unlucky = g.members[0]
    failed = fail_dm(world, unlucky, ASKED, 503, lost=lost)
    await world.advance(seconds=(MEETING - timedelta(hours=47) - world.clock.now()).total_seconds())
    assert failed
    await world.restart()
    await world.advance(minutes=10)
    assert [len(dms_holding(world, u, ASKED)) for u in g.members] == [1] * len(g.members)


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_a_pulse_survey_that_failed_for_now_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    came = g.members[:3]
    failed = fail_dm(world, came[1], SURVEY, status, lost=lost)
    await session_with(world, g, [g.leader, *came])
    assert failed
    await world.advance(minutes=20)
    assert [len(dms_holding(world, u, SURVEY)) for u in came] == [1, 1, 1]


@pytest.mark.parametrize("lost", [False, True], ids=["503", "503-lost"])
async def test_a_pulse_survey_retried_after_a_restart_arrives_once(
    scenario: Scenario, lost: bool
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    came = g.members[:3]
    failed = fail_dm(world, came[0], SURVEY, 503, lost=lost)
    await session_with(world, g, [g.leader, *came])
    assert failed
    await world.restart()
    await world.advance(minutes=10)
    assert [len(dms_holding(world, u, SURVEY)) for u in came] == [1, 1, 1]
