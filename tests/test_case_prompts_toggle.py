"""Case prompts turned off and on again around the prompt time.

The "Do you have a case?" timer of a meeting that fired while the group had prompts
off did nothing and used up its key: turned on again with the meeting still ahead, the
members were never asked. A GP who turns prompts back on expects this meeting's prompt
(now, or at its time if that is still ahead), once, and never a second one for a
meeting whose prompt already went out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from tests.case_helpers import planned_meeting
from tests.support import GroupHandle, make_group

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00
PROMPT_AT = MEETING - timedelta(hours=48)  # the default lead time


def prompts(world: Scenario, user: User) -> int:
    return sum("Do you have a case" in m.content for m in world.sim.dms_to(user))


async def _set(world: Scenario, handle: GroupHandle, value: str) -> None:
    result = await world.sim.slash(
        handle.leader,
        "settings set",
        channel=handle.lobby,
        options={"group": handle.name, "setting": "case_prompts_enabled", "value": value},
    )
    assert result.ephemeral, result.text
    await world.sim.settle()


async def _until(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_turned_on_again_after_the_prompt_time_asks_once(scenario: Scenario) -> None:
    """Armed while on, off over the prompt time, on again the day before: asked at once,
    once; later scans and a restart send nothing more."""
    handle = await make_group(scenario, size=3)
    await planned_meeting(scenario, handle, MEETING)
    await _until(scenario, PROMPT_AT - timedelta(minutes=90))  # the scan has armed it
    await _set(scenario, handle, "off")
    await _until(scenario, PROMPT_AT + timedelta(hours=3))
    assert not any(prompts(scenario, m) for m in handle.members)
    await _set(scenario, handle, "on")
    await scenario.advance(minutes=1)
    assert all(prompts(scenario, m) == 1 for m in handle.members)
    await scenario.advance(hours=5)
    await scenario.restart()
    await scenario.sim.settle()
    await _set(scenario, handle, "off")
    await _set(scenario, handle, "on")
    await scenario.advance(hours=5)
    assert all(prompts(scenario, m) == 1 for m in handle.members)


async def test_turned_on_again_before_the_prompt_time_asks_at_that_time(
    scenario: Scenario,
) -> None:
    """Off and on again before the prompt time: asked at the prompt time, not before."""
    handle = await make_group(scenario, size=2)
    await planned_meeting(scenario, handle, MEETING)
    await _until(scenario, PROMPT_AT - timedelta(minutes=90))
    await _set(scenario, handle, "off")
    await _set(scenario, handle, "on")
    await _until(scenario, PROMPT_AT - timedelta(minutes=1))
    assert not any(prompts(scenario, m) for m in handle.members)
    await scenario.advance(minutes=2)
    assert all(prompts(scenario, m) == 1 for m in handle.members)


async def test_off_and_on_after_the_prompt_went_out_does_not_ask_again(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=2)
    await planned_meeting(scenario, handle, MEETING)
    await _until(scenario, PROMPT_AT + timedelta(minutes=5))
    assert all(prompts(scenario, m) == 1 for m in handle.members)
    await _set(scenario, handle, "off")
    await scenario.advance(hours=2)
    await _set(scenario, handle, "on")
    await scenario.advance(hours=5)
    assert all(prompts(scenario, m) == 1 for m in handle.members)


async def test_turned_on_after_the_meeting_began_asks_nothing(scenario: Scenario) -> None:
    """On again only once the meeting's time has passed: nothing is sent for it."""
    handle = await make_group(scenario, size=2)
    await planned_meeting(scenario, handle, MEETING)
    await _until(scenario, PROMPT_AT - timedelta(minutes=90))
    await _set(scenario, handle, "off")
    await _until(scenario, MEETING + timedelta(minutes=5))
    await _set(scenario, handle, "on")
    await scenario.advance(hours=1)
    assert not any(prompts(scenario, m) for m in handle.members)
