"""The quorum warning comes after members could answer the reminder, not with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.schedule_rules import quorum_lead
from tests.support import make_group

START = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tuesday 19:00 London; scenario: Mon 09:00


def _warnings(world, user) -> list:  # noqa: ANN001
    return [m for m in world.sim.dms_to(user) if m.content.startswith("Heads-up")]


async def test_no_quorum_warning_at_the_moment_the_first_reminder_asks(scenario) -> None:
    """Before: the check ran at the 24 h reminder itself, so it always said "only 0 of N"
    and named every member, who had not yet seen the question."""
    world = scenario
    g = await make_group(world, size=4)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text
    await world.advance(seconds=(START - timedelta(hours=24) - world.clock.now()).total_seconds())
    assert any(m.content.startswith("Reminder:") for m in world.sim.dms_to(g.leader))
    assert _warnings(world, g.leader) == []
    await world.advance(hours=22, minutes=59)
    assert _warnings(world, g.leader) == []
    await world.advance(minutes=1)  # the last reminder: members had a day to answer
    (warning,) = _warnings(world, g.leader)
    assert "only 0 of the 4" in warning.content


def test_the_check_waits_for_the_last_reminder_or_half_the_only_one() -> None:
    assert quorum_lead([1440, 60]) == 60
    assert quorum_lead([60, 1440, 180]) == 60
    assert quorum_lead([1440]) == 720
    assert quorum_lead([1]) == 1
    assert quorum_lead([]) is None
