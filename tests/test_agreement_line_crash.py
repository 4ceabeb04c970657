"""A crash at session start before the agreement's unnamed channel line was posted."""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from bot.texts import agreement as texts
from tests.crash_support import crash_on, session_start_killed
from tests.support import make_group
from tests.test_agreement_changes import change, reminder_dms

MESSAGES = "/channels/{channel_id}/messages"


@pytest.mark.parametrize("after", [False, True], ids=["line-not-posted", "line-posted"])
async def test_a_crash_at_the_channel_line_posts_it_exactly_once(
    scenario: Scenario, after: bool
) -> None:
    """Killed at the line's POST: the DM round (a stored timer) ran again at restart, but
    the line was lost for good, so members with closed DMs never learnt of the change.
    Posted once at restart, and not again when Discord had already carried it out."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await change(scenario, handle)
    hit = crash_on(
        sim,
        "POST",
        MESSAGES,
        when=lambda call: (call.json or {}).get("content") == texts.SESSION_REMINDER,
        after=after,
    )
    await session_start_killed(scenario, handle)
    await sim.settle()
    assert hit, "the crash point was not reached"
    session = await session_store.live_for_group(scenario.bot.db, handle.group.id)
    assert session is not None and session.text_channel_id is not None
    channel = sim.channel(session.text_channel_id)
    for _ in range(2):
        await scenario.restart()
        await sim.settle()
        lines = [m for m in sim.messages_in(channel) if m.content == texts.SESSION_REMINDER]
        assert len(lines) == 1, len(lines)
        assert all(len(reminder_dms(scenario, p)) == 1 for p in handle.members)
