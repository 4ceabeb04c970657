"""The agreement's reminders when the network breaks under one of their calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import agreement as texts
from tests.session_support import start_session
from tests.support import make_group
from tests.test_agreement_changes import change, reminder_dms
from tests.test_net_faults_background import first_survey_dm_resets


async def test_an_agreement_line_the_network_breaks_is_posted_at_the_timers_retry(
    scenario: Scenario,
) -> None:
    """A reset is a passing failure: the reminder round (idempotent) runs again a minute
    later, so the channel line (all that members with closed DMs see) is posted then,
    once, and the DMs follow; a refusal (caught in cogs/agreement.py) would lose it."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    await change(scenario, handle)
    failed = first_survey_dm_resets(scenario, marker=texts.SESSION_REMINDER[:40])
    _, channel = await start_session(scenario, handle)
    await sim.settle()
    assert failed, "the line was not attempted"
    await scenario.advance(minutes=1)
    lines = [m.content for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert lines.count(texts.SESSION_REMINDER) == 1
    assert all(len(reminder_dms(scenario, m)) == 1 for m in handle.members)
    assert sim.errors == []
