"""A reminder DM that met a passing failure is tried again, within the reminder's grace and
never after its meeting began; once, even when Discord posted it and lost its answer.

Found by review: every round but the follow-up question gave a person's DM up after one
passing failure. A member whose 24 h reminder hit a one-second 503 never got it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.sim.scenario import Scenario
from tests.dm_retry_support import FAILURE_IDS, FAILURES, MESSAGES, dms_holding, fail_dm
from tests.retry_support import short_lead_world
from tests.support import make_group
from tests.test_schedule_reminders import DUE_24H, weekly

REMINDER = "Reminder:"
MEETING = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


def _got(world: Scenario, users: list) -> list[int]:
    return [len(dms_holding(world, u, REMINDER)) for u in users]


@pytest.mark.parametrize(("status", "lost"), FAILURES, ids=FAILURE_IDS)
async def test_a_reminder_dm_that_failed_for_now_arrives_once(
    scenario: Scenario, status: int, lost: bool
) -> None:
    """A 503 on one member's 24 h reminder: before, that member never got it."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    unlucky = g.members[1]
    failed = fail_dm(world, unlucky, REMINDER, status, lost=lost)
    await world.advance(seconds=(DUE_24H - world.clock.now()).total_seconds())
    assert failed
    await world.advance(minutes=20)  # every retry the clock would make
    assert _got(world, g.everyone) == [1] * len(g.everyone)


async def test_a_reminder_failing_past_the_grace_is_given_up_and_logged(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    """Grace 3 minutes: the retry a minute later fails too; the next would come past the
    grace, so the reminder is given up, and the log says so."""
    world = Scenario(tmp_path / "grace.sqlite3", reminder_grace_minutes=3)
    await world.start()
    try:
        g = await make_group(world, size=3)
        await weekly(world, g)
        unlucky = g.members[0]
        failed = fail_dm(world, unlucky, REMINDER, 503, times=5)
        with caplog.at_level(logging.WARNING, logger="bot.clock"):
            await world.advance(seconds=(DUE_24H - world.clock.now()).total_seconds())
            await world.advance(minutes=20)
        assert len(failed) == 2  # the first run and the one retry within the grace
        assert dms_holding(world, unlucky, REMINDER) == []
        assert _got(world, g.everyone).count(1) == len(g.everyone) - 1
        assert "given up: a retry would come past its grace" in caplog.text
        assert not world.problems(), world.problems()
    finally:
        await world.stop()


async def test_a_reminder_dm_retried_after_its_meeting_began_is_not_sent(tmp_path) -> None:
    """Reminders 15 minutes ahead: the DM fails at 18:45, 18:46 and 18:51; the clock's last
    try, at 19:06, comes after the start: nothing is sent ("meets 19:00, 6 minutes ago")."""
    async with short_lead_world(tmp_path) as world:
        g = await make_group(world, size=3)
        await weekly(world, g)
        unlucky = g.members[0]
        failed = fail_dm(world, unlucky, REMINDER, 503, times=3)
        await world.advance(seconds=(MEETING - world.clock.now()).total_seconds() + 30 * 60)
        assert len(failed) == 3
        assert dms_holding(world, unlucky, REMINDER) == []


@pytest.mark.parametrize("lost", [False, True], ids=["503", "503-lost"])
async def test_a_restart_between_the_failure_and_the_retry_delivers_once(
    scenario: Scenario, lost: bool
) -> None:
    """The process dies after the 503 and before the clock's retry: the restart sends the
    DM once (not at all again if Discord had posted it)."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    unlucky = g.members[1]
    failed = fail_dm(world, unlucky, REMINDER, 503, lost=lost)
    await world.advance(seconds=(DUE_24H - world.clock.now()).total_seconds())
    assert failed
    await world.restart()
    await world.advance(minutes=10)
    assert _got(world, g.everyone) == [1] * len(g.everyone)
    left = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM timer_deliveries")
    assert left["n"] == 0


async def test_closed_dms_are_not_retried(scenario: Scenario) -> None:
    """A closed DM (50007) is no passing failure: tried once, mentioned in the lobby once,
    and the reminder is not run again for it."""
    world = scenario
    g = await make_group(world, size=3)
    closed = g.members[0]
    closed.dms_closed = True
    await weekly(world, g)
    dm = str(world.sim.world.dm_channel(closed).id)

    def tries() -> int:
        calls = world.sim.calls_matching("POST", MESSAGES)
        return sum(c.params.get("channel_id") == dm and REMINDER in str(c.json) for c in calls)

    await world.advance(seconds=(DUE_24H - world.clock.now()).total_seconds())
    assert tries() == 1
    await world.advance(minutes=20)
    assert tries() == 1
    mentions = [m for m in world.sim.messages_in(g.lobby) if f"<@{closed.id}>" in m.content]
    assert len(mentions) == 1
