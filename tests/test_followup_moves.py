"""The follow-up question DM follows a meeting that moves after it was armed.

A presenter is asked "Would you like to give the group a follow-up?" the lead time before
the group's next meeting; the hourly scan arms that timer up to two hours ahead
(cogs/_case_prompts.py). A meeting moved in that window (/schedule move) kept the
question at the lead time before the OLD time: moved days later, the presenter was asked
days early; moved earlier, the question could come after the meeting. Now it moves with
the meeting, as the "Do you have a case?" prompt does (tests/test_case_prompt_moves.py):
at the lead time before the new time; at once if that is past and it was not sent; never
a second time once it went out; and a crash that loses the move asks nobody early.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import cases as case_store
from bot.store import timers as timer_store
from cogs import _schedule_plan as plan
from tests.case_helpers import call_message, case_call, end_meeting, start_meeting
from tests.crash_support import crash_in, until_killed
from tests.support import GroupHandle, make_group

THURSDAY = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts Mon 23 Nov 09:00
ASK_AT = THURSDAY - timedelta(hours=48)  # the default follow-up lead time
ARMED = ASK_AT - timedelta(minutes=90)  # the hourly scan has armed it by now
BEFORE_DEC_1 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # before the moved meeting


def asked(world: Scenario, user: User) -> int:
    return sum("Would you like to give the group" in m.content for m in world.sim.dms_to(user))


async def until(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def presenter_to_ask(world: Scenario) -> tuple[GroupHandle, User]:
    """A group meeting on Thursdays at 19:00 whose Monday meeting had a presenter: they are
    to be asked before Thursday."""
    g = await make_group(world, size=3)
    opts = {"cadence": "weekly", "weekday": 3, "time": "19:00"}
    result = await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)
    assert "Schedule saved" in result.text, result.text
    await world.sim.settle()
    presenter = g.members[0]
    session_id, channel = await start_meeting(world, g)
    await case_call(world, session_id)
    await world.sim.click(
        presenter, call_message(world, channel), f"balint:offer:{session_id}:case"
    )
    await world.sim.slash(g.leader, "case pick", channel=channel, options={"member": presenter})
    await world.bot.db.execute(  # the presentation began (facilitation stores this)
        "UPDATE cases SET started_at = ? WHERE session_id = ?", (1, session_id)
    )
    await world.advance(minutes=90)
    await end_meeting(world, session_id)
    [case] = await case_store.in_session(world.bot.db, session_id)
    assert case.followup_state == "asked"
    return g, presenter


async def move(world: Scenario, g: GroupHandle, new_date: str, new_time: str) -> None:
    opts = {"date": "2026-11-26", "new_date": new_date, "new_time": new_time}
    result = await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)
    assert "moved" in result.text, result.text
    await world.sim.settle()


async def asked_once_at(world: Scenario, presenter: User, moment: datetime) -> None:
    """Not asked until just before `moment`, once just after, and not again up to 1 Dec."""
    await until(world, moment - timedelta(minutes=1))
    assert asked(world, presenter) == 0
    await world.advance(minutes=2)
    assert asked(world, presenter) == 1
    await until(world, BEFORE_DEC_1)
    assert asked(world, presenter) == 1


async def test_moved_a_few_days_later_the_question_goes_before_the_new_time(
    scenario: Scenario,
) -> None:
    """Thursday 26 moved to Tuesday 1 Dec: asked on Sunday 29 at 19:00, not on the
    Tuesday before."""
    world = scenario
    g, presenter = await presenter_to_ask(world)
    await until(world, ARMED)
    assert await timer_store.pending_keys(world.bot.db, "followup:")  # it was armed
    await move(world, g, "2026-12-01", "19:00")
    await asked_once_at(world, presenter, datetime(2026, 11, 29, 19, 0, tzinfo=UTC))


async def test_moved_earlier_into_the_lead_time_asks_at_once(scenario: Scenario) -> None:
    """Moved to Wednesday noon: its question time (Monday noon) is past and the presenter
    was not asked: asked at once, not at the old time (Tuesday 19:00), and only once."""
    world = scenario
    g, presenter = await presenter_to_ask(world)
    await until(world, ARMED)
    await move(world, g, "2026-11-25", "12:00")
    await world.advance(minutes=1)
    assert asked(world, presenter) == 1
    await until(world, datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    assert asked(world, presenter) == 1


async def test_moved_after_the_question_went_out_is_not_asked_again(
    scenario: Scenario,
) -> None:
    world = scenario
    g, presenter = await presenter_to_ask(world)
    await until(world, ASK_AT + timedelta(minutes=5))
    assert asked(world, presenter) == 1
    await move(world, g, "2026-12-01", "19:00")
    await until(world, BEFORE_DEC_1)
    assert asked(world, presenter) == 1


async def crash_moving(world: Scenario, g: GroupHandle, monkeypatch, day: str, at: str) -> None:
    """/schedule move, the bot dying once the session row is moved, before its timers are;
    then the restart."""
    hit = crash_in(monkeypatch, plan, "_arm")
    opts = {"date": "2026-11-26", "new_date": day, "new_time": at}
    await until_killed(
        world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts), "sim-ignore"
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await world.sim.settle()


async def test_a_crash_before_the_question_is_moved_does_not_ask_early(
    scenario: Scenario, monkeypatch
) -> None:
    """The old question time asks nobody, and the question goes before the new time, once."""
    world = scenario
    g, presenter = await presenter_to_ask(world)
    await until(world, ARMED)
    await crash_moving(world, g, monkeypatch, "2026-12-01", "19:00")
    await asked_once_at(world, presenter, datetime(2026, 11, 29, 19, 0, tzinfo=UTC))


async def test_a_crash_before_an_earlier_move_still_asks_before_the_meeting(
    scenario: Scenario, monkeypatch
) -> None:
    """Moved to Tuesday 18:00, before the old question time (Tuesday 19:00): the scan at
    start-up asks at once, not after the meeting began."""
    world = scenario
    g, presenter = await presenter_to_ask(world)
    await until(world, ARMED)
    await crash_moving(world, g, monkeypatch, "2026-11-24", "18:00")
    await world.advance(minutes=1)
    assert asked(world, presenter) == 1
    await until(world, datetime(2026, 11, 24, 17, 59, tzinfo=UTC))
    assert asked(world, presenter) == 1
