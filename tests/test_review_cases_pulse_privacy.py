"""Cases, pulse, settings and privacy: bugs a user would hit, found in review, fixed.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.texts import cases as texts
from tests.case_helpers import call_message, case_call, last_dm, planned_meeting, start_meeting
from tests.support import make_group

MEETING = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00


async def _to(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_after_a_restart_an_offer_by_dm_moves_the_calls_count(scenario: Scenario) -> None:
    """The bot restarts while "Who has a case?" is up; a member then answers the DM
    they got before the meeting. The channel's count must move (members read it to
    decide whether to offer), without anyone pressing the call's button first."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    meeting = await planned_meeting(world, handle, MEETING)
    await world.advance(hours=40)  # the DM has gone out
    member = handle.members[0]
    prompt = last_dm(world, member)
    await _to(world, MEETING - timedelta(minutes=5))
    _, channel = await start_meeting(world, handle, meeting)
    await case_call(world, meeting)
    assert texts.COUNTER_NONE in call_message(world, channel).content
    await world.restart()
    answered = await sim.click(member, prompt, f"balint:offer:{meeting}:case")
    assert answered.text == texts.THANKS["case"]
    assert texts.COUNTER_ONE in call_message(world, channel).content
