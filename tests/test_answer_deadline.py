"""Discord's 3 seconds for an interaction's first answer, under realistic delays.

Each test injects what a busy meeting meets (a 429 whose retry_after discord.py sleeps
through, on another interaction's REST call) and checks the press is still answered
in time (the simulator refuses a first answer after 3 s with 10062 Unknown interaction).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.sim.scenario import Scenario
from bot.texts import cases as texts
from tests.case_helpers import call_message, case_call, last_dm, planned_meeting, start_meeting
from tests.support import make_group

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00
EDIT_MESSAGE = "/channels/{channel_id}/messages/{message_id}"


async def test_an_offer_in_the_call_is_answered_while_a_dm_offer_edits_the_call(
    scenario: Scenario,
) -> None:
    """An answer by DM during the call edits the call's count under the call's lock; that
    edit, rate-limited, held the lock past 3 s, and a member pressing "I have a case" in the
    channel meanwhile waited on it for their first answer: "This interaction failed"."""
    handle = await make_group(scenario, size=4)
    session_id = await planned_meeting(scenario, handle, MEETING)
    await scenario.advance(hours=40)  # the DM asking who has a case
    by_dm, in_channel = handle.members[0], handle.members[1]
    dm = last_dm(scenario, by_dm)
    _, channel = await start_meeting(scenario, handle, session_id)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    scenario.sim.inject("PATCH", EDIT_MESSAGE, 429, retry_after=3.2)

    async def pressed_in_channel():
        asyncio.current_task().set_name("sim-ignore-b")  # type: ignore[union-attr]
        await asyncio.sleep(0.2)  # the DM answer's edit is waiting to retry
        return await scenario.sim.click(in_channel, call, f"balint:offer:{session_id}:case")

    asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
    _, pressed = await asyncio.gather(
        scenario.sim.click(by_dm, dm, f"balint:offer:{session_id}:followup"),
        pressed_in_channel(),
    )
    await scenario.sim.settle()
    assert pressed.responded, "no answer reached Discord within 3 s of the click"
    assert texts.THANKS["case"] in pressed.text
    assert not scenario.sim.errors, scenario.sim.errors
    assert texts.COUNTER_MANY.format(count=2) in call_message(scenario, channel).content
