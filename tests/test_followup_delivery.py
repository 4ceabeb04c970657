"""The follow-up question counts as one of its two asks only when it reached someone.

A passing failure (Discord's 5xx, the network) is tried again a minute later and costs
no ask; closed DMs go to the leaders instead (once per case); a crash while the question
was on its way neither loses it nor sends it twice.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.sim.world import User
from bot.store import timers as timer_store
from bot.texts import cases as texts
from tests.case_helpers import end_meeting, planned_meeting, start_meeting
from tests.support import make_group
from tests.test_case_followups import NEXT, _advance_to, _asked, _meeting_with_presenter
from tests.test_reinvite_followups import leader_notices

QUESTION = "Would you like to give the group"


def _question_to(sim: object, user: User, method: str, url: str, kwargs: dict) -> bool:
    """This request posts the follow-up question in `user`'s DMs."""
    call, path = make_call(method, url, kwargs)
    dm = f"/channels/{sim.world.dm_channel(user).id}/messages"  # type: ignore[attr-defined]
    posted = call.method == "POST" and path.endswith(dm)
    return posted and QUESTION in str((call.json or {}).get("content", ""))


def fail_question(world: Scenario, user: User, status: int, *, times: int = 1) -> list[bool]:
    """The next `times` follow-up questions to `user` are answered with `status` (or, with
    status 0, fail below HTTP); other messages go through."""
    sim = world.sim
    original = sim._handle_request
    failed: list[bool] = []

    def handle(method: str, url: str, kwargs: dict) -> object:
        if _question_to(sim, user, method, url, kwargs):
            failed.append(True)
            if len(failed) >= times:
                sim._handle_request = original
            if status:
                sim.inject("POST", "/channels/{channel_id}/messages", status)
            else:
                sim.inject_network("POST", "/channels/{channel_id}/messages")
        return original(method, url, kwargs)

    sim._handle_request = handle
    return failed


async def _meeting_held(world: Scenario, handle, meeting_id: int) -> None:  # noqa: ANN001
    await start_meeting(world, handle, meeting_id)
    await world.advance(minutes=90)
    await end_meeting(world, meeting_id)


async def test_a_discord_outage_at_question_time_is_retried_not_told_as_closed_dms(
    scenario: Scenario,
) -> None:
    """Discord answered 503 as the question went out: the leaders were told the presenter's
    DMs were closed (they were not) and the ask counted, so the presenter heard it once at
    most. Now it goes out a minute later; the leaders hear nothing."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    failed = fail_question(world, presenter, 503)
    await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT - timedelta(hours=48, seconds=-1))
    assert failed and _asked(world, presenter) == []
    await world.advance(minutes=2)
    assert len(_asked(world, presenter)) == 1
    assert leader_notices(world, handle) == []


async def test_a_question_that_never_arrived_is_not_one_of_the_two_asks(
    scenario: Scenario,
) -> None:
    """The network failed on the question and on every try after: nothing arrived, so the
    presenter is still asked twice, before the two meetings after."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    fail_question(world, presenter, 0, times=4)  # the first run and its three retries
    first = await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT)
    assert _asked(world, presenter) == [] and leader_notices(world, handle) == []
    world.sim.errors.clear()  # the clock logs the question's last failure: expected here
    await _meeting_held(world, handle, first)
    for week, asked in ((1, 1), (2, 2), (3, 2)):
        meeting = NEXT + timedelta(days=7 * week)
        meeting_id = await planned_meeting(world, handle, meeting)
        await _advance_to(world, meeting)
        assert len(_asked(world, presenter)) == asked, week
        await _meeting_held(world, handle, meeting_id)


async def test_closed_dms_the_leaders_are_told_and_that_is_the_ask(scenario: Scenario) -> None:
    """A refusal that will not pass (DMs closed) is not tried again a minute later: the
    leaders are told at once, as before."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    presenter.dms_closed = True
    await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT - timedelta(hours=47))
    expected = texts.FOLLOWUP_UNREACHABLE.format(
        member=f"<@{presenter.id}>", date="23 November 2026"
    )
    assert leader_notices(world, handle) == [expected]
    assert await timer_store.fired_count(world.bot.db, "followup:") == 1


async def test_a_crash_while_the_question_is_sent_neither_loses_nor_repeats_it(
    scenario: Scenario,
) -> None:
    """Killed as Discord took the question (before the bot saw the answer): the restart
    does not send it again, and it counts once. Killed before it went: it goes after the
    restart, rather than being lost for that meeting."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    await planned_meeting(world, handle, NEXT)
    hit = crash_when_asking(world, presenter, after=True)
    await _run_until_it_dies(world, NEXT - timedelta(hours=48, seconds=-1))
    assert hit and len(_asked(world, presenter)) == 1
    await world.restart()
    await world.advance(minutes=5)
    assert len(_asked(world, presenter)) == 1
    assert await timer_store.fired_count(world.bot.db, "followup:") == 1


async def test_a_crash_before_the_question_went_sends_it_after_the_restart(
    scenario: Scenario,
) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    await planned_meeting(world, handle, NEXT)
    hit = crash_when_asking(world, presenter, after=False)
    await _run_until_it_dies(world, NEXT - timedelta(hours=48, seconds=-1))
    assert hit and _asked(world, presenter) == []
    await world.restart()
    await world.advance(minutes=5)
    assert len(_asked(world, presenter)) == 1
    assert leader_notices(world, handle) == []


async def test_a_crash_at_the_second_ask_does_not_take_the_first_ask_for_it(
    scenario: Scenario,
) -> None:
    """Killed before the second week's question went: the restart found the first week's
    question in the presenter's DMs (the same buttons), took it for this one, did not send
    it and counted it: asked once, not twice. Only a question sent since this ask was due
    is this ask's: it goes after the restart."""
    world = scenario
    handle = await make_group(world, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(world, handle, presenter)
    first = await planned_meeting(world, handle, NEXT)
    await _advance_to(world, NEXT)
    assert len(_asked(world, presenter)) == 1
    await _meeting_held(world, handle, first)
    second = NEXT + timedelta(days=7)
    await planned_meeting(world, handle, second)
    hit = crash_when_asking(world, presenter, after=False)
    await _run_until_it_dies(world, second - timedelta(hours=48, seconds=-1))
    assert hit and len(_asked(world, presenter)) == 1
    await world.restart()
    await world.advance(minutes=5)
    assert len(_asked(world, presenter)) == 2


def crash_when_asking(world: Scenario, user: User, *, after: bool) -> list[bool]:
    """The process dies at the follow-up question's DM (`after`: Discord carried it out)."""
    sim = world.sim
    original = sim._handle_request
    hit: list[bool] = []

    def dying(method: str, url: str, kwargs: dict) -> object:
        if _question_to(sim, user, method, url, kwargs):
            hit.append(True)
            sim._handle_request = original
            if after:
                original(method, url, kwargs)
            raise asyncio.CancelledError("process killed here")
        return original(method, url, kwargs)

    sim._handle_request = dying
    return hit


async def _run_until_it_dies(world: Scenario, due: datetime) -> None:
    asyncio.current_task().set_name("sim-ignore-test")
    try:
        await world.bot.timers.advance(due - world.clock.now())
    except asyncio.CancelledError:
        pass  # the process is gone
