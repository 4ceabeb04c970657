"""The "Do you have a case?" DM follows a meeting that moves after its prompt was armed.

The prompt timer is armed up to two hours before its time (cogs/_case_prompts.py). A
meeting moved in that window (/schedule move, /schedule set at another time, /group
timezone) kept its prompt at the lead time before the OLD time: a meeting moved from
Thursday to the next Tuesday had its members asked five days early, and never again. Now
the prompt moves with the meeting: at the lead time before the new time; at once if that
is already past and it was not sent; never a second time once it went out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import timers as timer_store
from cogs import _schedule_plan as plan
from cogs._case_prompts import CASE_PROMPT_KEY
from tests.crash_support import crash_in, until_killed
from tests.support import GroupHandle, make_group

THURSDAY = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts Mon 23 Nov 09:00
PROMPT_AT = THURSDAY - timedelta(hours=48)  # the default lead time
ARMED = PROMPT_AT - timedelta(minutes=90)  # the hourly scan has armed it by now
# Before the moved meeting ends: at its end Thursday 3 Dec is planned and asked about.
BEFORE_DEC_1 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def prompts(world: Scenario, user: User) -> int:
    return sum("Do you have a case" in m.content for m in world.sim.dms_to(user))


def asked(world: Scenario, g: GroupHandle) -> list[int]:
    return [prompts(world, m) for m in g.members]


async def until(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def asked_once_at(world: Scenario, g: GroupHandle, moment: datetime) -> None:
    """Nobody asked until just before `moment`, everyone once just after, and up to 1 Dec
    nobody a second time."""
    await until(world, moment - timedelta(minutes=1))
    assert asked(world, g) == [0, 0]
    await world.advance(minutes=2)
    assert asked(world, g) == [1, 1]
    await until(world, BEFORE_DEC_1)
    assert asked(world, g) == [1, 1]


async def thursdays(world: Scenario, timezone: str = "Europe/London") -> GroupHandle:
    g = await make_group(world, size=2, timezone=timezone)
    opts = {"cadence": "weekly", "weekday": 3, "time": "19:00"}
    result = await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)
    assert "Schedule saved" in result.text, result.text
    await world.sim.settle()
    return g


async def move(world: Scenario, g: GroupHandle, new_date: str, new_time: str) -> None:
    opts = {"date": "2026-11-26", "new_date": new_date, "new_time": new_time}
    result = await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)
    assert "moved" in result.text, result.text
    await world.sim.settle()


async def test_moved_a_few_days_later_the_prompt_goes_before_the_new_time(
    scenario: Scenario,
) -> None:
    """Thursday 26 moved to Tuesday 1 Dec: asked on Sunday 29 at 19:00, once, not on the
    Tuesday before."""
    world = scenario
    g = await thursdays(world)
    await until(world, ARMED)
    assert await timer_store.pending_keys(world.bot.db, CASE_PROMPT_KEY)  # it was armed
    await move(world, g, "2026-12-01", "19:00")
    await asked_once_at(world, g, datetime(2026, 11, 29, 19, 0, tzinfo=UTC))


async def test_moved_earlier_into_the_lead_time_asks_at_once(scenario: Scenario) -> None:
    """Moved to Wednesday noon: its prompt time (Monday noon) is past and nobody was asked:
    asked at once, not at the old prompt time, and only once."""
    world = scenario
    g = await thursdays(world)
    await until(world, ARMED)
    await move(world, g, "2026-11-25", "12:00")
    await world.advance(minutes=1)
    assert asked(world, g) == [1, 1]
    await until(world, datetime(2026, 11, 26, tzinfo=UTC))
    assert asked(world, g) == [1, 1]


async def test_moved_after_the_prompt_went_out_is_not_asked_again(scenario: Scenario) -> None:
    world = scenario
    g = await thursdays(world)
    await until(world, PROMPT_AT + timedelta(minutes=5))
    assert asked(world, g) == [1, 1]
    await move(world, g, "2026-12-01", "19:00")
    await until(world, BEFORE_DEC_1)
    assert asked(world, g) == [1, 1]


async def test_a_new_series_time_moves_the_prompt(scenario: Scenario) -> None:
    """/schedule set at 23:00 instead of 19:00 on the same Thursdays: asked at 23:00 on the
    Tuesday, not four hours early."""
    world = scenario
    g = await thursdays(world)
    await until(world, ARMED)
    opts = {"cadence": "weekly", "weekday": 3, "time": "23:00"}
    result = await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)
    assert "Schedule saved" in result.text, result.text
    await world.sim.settle()
    await asked_once_at(world, g, PROMPT_AT + timedelta(hours=4))


async def test_a_new_time_zone_moves_the_prompt(scenario: Scenario) -> None:
    """A Sydney group (19:00 is 08:00 UTC) that really meets in Perth (19:00 is 11:00 UTC):
    asked 48 h before 11:00 UTC, not three hours early."""
    world = scenario
    g = await thursdays(world, "Australia/Sydney")
    sydney_prompt = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    await until(world, sydney_prompt - timedelta(minutes=30))
    assert await timer_store.pending_keys(world.bot.db, CASE_PROMPT_KEY)
    opts = {"zone": "Australia/Perth", "group": g.name}
    result = await world.sim.slash(g.leader, "group timezone", channel=g.lobby, options=opts)
    assert "Australia/Perth" in result.text, result.text
    await world.sim.settle()
    await asked_once_at(world, g, datetime(2026, 11, 24, 11, 0, tzinfo=UTC))


async def test_a_crash_before_the_prompt_is_moved_does_not_ask_early(
    scenario: Scenario, monkeypatch
) -> None:
    """The bot dies right after the session row is moved, before its prompt is: the old
    prompt time asks nobody, and the prompt goes before the new time, once."""
    world = scenario
    g = await thursdays(world)
    await until(world, ARMED)
    hit = crash_in(monkeypatch, plan, "_arm")  # the row is moved, its timers not yet
    opts = {"date": "2026-11-26", "new_date": "2026-12-01", "new_time": "19:00"}
    await until_killed(
        world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts), "sim-ignore"
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await world.sim.settle()
    await asked_once_at(world, g, datetime(2026, 11, 29, 19, 0, tzinfo=UTC))
