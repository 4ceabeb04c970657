"""Timer handlers that caught a passing Discord failure themselves, so the clock's retry
(bot/timer_kinds.py RETRY_AFTER) never happened: the work they promise is done by a later run,
and done once.

Found by review after the timers learned to retry.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import aiohttp
import pytest

from bot.clock import RETRY_AFTER, Clock, TimerService
from bot.compat import fault_code, passing
from bot.sim.routes import ROUTER
from bot.sim.transport import make_call
from bot.store import Database
from bot.store import schedules as schedule_store
from bot.store import timers as timer_store
from bot.store.timers import Timer
from cogs._groups_setup import SetupFailed
from tests.support import GroupHandle, make_group
from tests.test_clock_retries import http_error
from tests.test_leaders_crash import ROLE, _leaders_dying, agreement_dms

EVENTS = "/guilds/{guild_id}/scheduled-events"
MESSAGES = "/channels/{channel_id}/messages"


async def _weekly(world, g: GroupHandle) -> None:
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)


async def _planned(world, g: GroupHandle) -> list[schedule_store.Planned]:
    return await schedule_store.planned_for_group(
        world.bot.db, g.group.id, ending_after=world.clock.now()
    )


def _events_on(world, day: str) -> list[int]:
    return [e.id for e in world.guild.events.values() if e.start.startswith(day)]


@pytest.mark.parametrize("fault", ["503", "reset"])
async def test_the_next_sessions_event_discord_failed_at_the_advance_is_made_later(
    scenario, fault: str
) -> None:
    """At a session's end the next one is planned with its Discord event. Discord answers
    the event's create with a 503 (or the connection is reset): before, the advance timer
    ended done and the next session never had an event; now it runs again a minute later
    and makes it, once."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    if fault == "503":
        world.sim.inject("POST", EVENTS, 503)
    else:
        world.sim.inject_network("POST", EVENTS)
    await world.advance(days=1, hours=11, minutes=30)  # 2026-11-24 20:30, the end
    (row,) = await _planned(world, g)
    assert row.occurrence_date == date(2026, 12, 1) and row.event_id is None
    await world.advance(seconds=RETRY_AFTER[0].total_seconds())
    (row,) = await _planned(world, g)
    assert row.event_id is not None
    assert _events_on(world, "2026-12-01") == [row.event_id]
    await world.advance(minutes=30)  # no further run makes a second one
    assert _events_on(world, "2026-12-01") == [row.event_id]
    assert world.sim.errors == []


async def test_the_next_sessions_event_discord_refused_is_not_tried_again(scenario) -> None:
    """A 403 (no Manage Events) stays a 403 until someone acts: one create, no retries."""
    world = scenario
    g = await make_group(world, size=3)
    await _weekly(world, g)
    world.sim.reset_calls()
    world.sim.inject("POST", EVENTS, 403, 50013, times=100)
    await world.advance(days=1, hours=12)
    (row,) = await _planned(world, g)
    assert row.event_id is None
    assert len(world.sim.calls_matching("POST", EVENTS)) == 1


async def test_a_new_leaders_grant_discord_failed_after_a_restart_is_made_later(
    scenario,
) -> None:
    """Killed at a new co-leader's grant; after the restart their follow-up gives the role,
    and Discord answers it with a 503. The grant's error is wrapped (SetupFailed), which
    the clock took for a refusal: the follow-up failed for good and the new leader never
    had the role nor the agreement DM. Now it runs again a minute later: role and DM, once."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider
    options = {"leader": handle.leader, "co_leader": newcomer, "group": handle.name}
    await _leaders_dying(scenario, scenario.organiser, options, "PUT", lambda c: True, False)
    sim.inject("PUT", ROLE, 503)
    await scenario.restart()
    await sim.settle()
    assert handle.role.id not in scenario.member(newcomer).role_ids
    assert agreement_dms(scenario, newcomer) == []
    await scenario.advance(seconds=RETRY_AFTER[0].total_seconds())
    await sim.settle()
    assert handle.role.id in scenario.member(newcomer).role_ids
    assert len(agreement_dms(scenario, newcomer)) == 1
    await scenario.advance(minutes=30)
    assert len(agreement_dms(scenario, newcomer)) == 1


def test_a_wrapped_fault_is_judged_by_its_cause() -> None:
    """A 5xx or a broken connection under SetupFailed is passing; a 403 under it is not."""

    def wrapped(error: BaseException) -> BaseException:
        try:
            raise SetupFailed("grant", error) from error
        except SetupFailed as failed:
            return failed

    assert passing(wrapped(http_error(503)))
    assert passing(wrapped(aiohttp.ClientConnectionError("reset")))
    assert not passing(wrapped(http_error(403)))
    assert not passing(SetupFailed("grant", http_error(503)))  # no cause: as said, not guessed


def _fail_in(sim, channel_id: int, status: int) -> list[object]:  # noqa: ANN001
    """The first message posted in this channel answers `status` (the route is shared by
    the DMs, so `sim.inject` alone would hit the first DM instead)."""
    original = sim._handle_request
    hit: list[object] = []

    def failing(m: str, url: str, kwargs: dict) -> object:
        call, path = make_call(m, url, kwargs)
        match = ROUTER.match(call.method, path)
        if (
            not hit
            and match is not None
            and (call.method, match[0]) == ("POST", MESSAGES)
            and int(match[1]["channel_id"]) == channel_id
        ):
            hit.append(call)
            sim._handle_request = original
            sim.inject("POST", MESSAGES, status)
        return original(m, url, kwargs)

    sim._handle_request = failing
    return hit


async def test_the_lobby_line_for_closed_dms_discord_failed_is_posted_a_minute_later(
    scenario,
) -> None:
    """A member with closed DMs is mentioned in the lobby instead of their reminder. Discord
    answers that post with a 503: the reminder runs again a minute later, but they had
    been recorded as mentioned before the post, so the re-run posted nothing and they never
    heard of the meeting. Now the re-run posts it; the others' DMs are not sent twice."""
    world = scenario
    closed = world.add_person("closed-dms")
    g = await make_group(world, members=[closed, *world.people[1:4]])
    closed.dms_closed = True
    await _weekly(world, g)
    before = len(world.sim.messages_in(g.lobby))
    hit = _fail_in(world.sim, g.lobby.id, 503)
    await world.advance(hours=10)  # 2026-11-23 19:00: the 24 h reminder
    assert hit
    assert _mentions(world, g, closed, before) == 0
    await world.advance(seconds=RETRY_AFTER[0].total_seconds())
    assert _mentions(world, g, closed, before) == 1
    await world.advance(minutes=30)
    assert _mentions(world, g, closed, before) == 1
    got = {u.name: _reminder_dms(world, u) for u in g.everyone if u is not closed}
    assert set(got.values()) == {1}, got


def _mentions(world, g: GroupHandle, user, before: int) -> int:  # noqa: ANN001
    return sum(f"<@{user.id}>" in m.content for m in world.sim.messages_in(g.lobby)[before:])


def _reminder_dms(world, user) -> int:  # noqa: ANN001
    return sum(m.content.startswith("Reminder:") for m in world.sim.dms_to(user))


async def test_a_timer_whose_handler_removed_it_is_not_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An erasure deletes its own timer (the one row naming the person) before its failure
    reaches the clock. Before, the clock logged "trying again" and armed a job for a row
    that was gone; now it logs the failure and arms nothing."""
    caplog.set_level(logging.WARNING)
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, Clock())
    service.passing, service.describe = passing, fault_code  # as the app sets them
    ran: list[int] = []

    async def handler(timer: Timer) -> None:
        ran.append(timer.id)
        await timer_store.delete(db, timer.id)
        raise http_error(503)

    service.register("erase", handler, idempotent=True)
    await service.start()
    try:
        timer = await service.add(kind="erase", key="e", due_at=service.clock.now())
        assert timer is not None
        scheduler = service._scheduler
        assert scheduler is not None
        scheduler.remove_job(str(timer.id))  # run by hand below, not by the scheduler
        assert not await service.fire(timer.id)
        assert ran == [timer.id]
        assert scheduler.get_job(str(timer.id)) is None
        assert await timer_store.get(db, timer.id) is None
        assert not any("trying again" in r.getMessage() for r in caplog.records)
        assert any(r.levelno == logging.ERROR for r in caplog.records)
    finally:
        await service.stop()
        await db.close()
