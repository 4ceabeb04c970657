"""Prompts that came due while the bot was removed from the server, then invited back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from tests.case_helpers import planned_meeting
from tests.support import make_group
from tests.test_case_followups import _advance_to, _asked, _meeting_with_presenter

NEXT = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


async def test_a_follow_up_question_missed_while_removed_goes_once_invited_back(
    scenario: Scenario,
) -> None:
    """Removed just before the presenter's follow-up question was due and invited back
    a few hours later, two days before the meeting: the question still goes (as the case
    prompt does), rather than being lost for that meeting."""
    world = scenario
    handle = await make_group(world, size=4)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    await planned_meeting(world, handle, NEXT)
    due = NEXT - timedelta(hours=48)
    await _advance_to(world, due - timedelta(minutes=30))
    await world.sim.remove_bot(world.guild)
    await world.advance(hours=1)
    assert _asked(world, presenter) == []  # not while the bot is out of the server
    await world.sim.reinvite_bot(world.guild)
    await world.advance(hours=2)  # the hourly scan
    assert len(_asked(world, presenter)) == 1
    await world.advance(hours=3)
    assert len(_asked(world, presenter)) == 1  # once
