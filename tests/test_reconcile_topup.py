"""Start-up reconcile tops up every scheduled group to what the plan needs now: each
test failed before its fix.

The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import discord

from bot.permissions_needed import REQUIRED
from bot.store import schedules as store
from bot.store import timers as timer_store
from cogs._schedule_reconcile import reconcile
from tests.crash_support import crash_in, crash_on, until_killed
from tests.support import GroupHandle, make_group


async def _slash(world, g: GroupHandle, name: str, **options) -> str:
    answer = await world.sim.slash(g.leader, name, channel=g.lobby, options=options)
    return answer.text


async def _planned(world, g: GroupHandle) -> list[str]:
    rows = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    return [row.occurrence_date.isoformat() for row in rows]


async def _move_to_tuesdays_killed(world, g: GroupHandle) -> None:
    """The leader moves the series to Tuesdays 19:00; a crash point set before kills it."""
    await until_killed(
        world.sim.slash(
            g.leader,
            "schedule set",
            channel=g.lobby,
            options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
        ),
        "sim-ignore-set",
    )


async def _series_moved_crashing_at_the_old_event(world, g: GroupHandle) -> None:
    """Thursday's series and a Wednesday one-off are planned; the leader moves the series
    to Tuesdays 19:00 and the bot dies while deleting Thursday's event; then it restarts."""
    sim = world.sim
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=3, time="10:00"
    )
    assert "One-off" in await _slash(world, g, "schedule once", date="2026-11-25", time="10:00")
    assert await _planned(world, g) == ["2026-11-25", "2026-11-26"]
    hit = crash_on(sim, "DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}")
    await _move_to_tuesdays_killed(world, g)
    assert hit, "the crash point was not reached"
    assert await _planned(world, g) == ["2026-11-25"]
    await world.restart()


async def test_a_crash_while_replanning_two_sessions_loses_neither(scenario) -> None:
    """Thursday's series and a Wednesday one-off are planned; the leader moves the series
    to Tuesdays 19:00. The bot dies while deleting Thursday's event, before it planned
    Tuesday 24th. Reconcile saw Wednesday planned and left the group alone: Tuesday's
    session had no row, no reminders, no start button and was never planned at all."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await _series_moved_crashing_at_the_old_event(world, g)
    assert await _planned(world, g) == ["2026-11-24", "2026-11-25"]
    assert await reconcile(world.bot) == 0  # now in order: a second look changes nothing
    rows = await store.planned_for_group(world.bot.db, g.group.id)
    assert len(rows) == 2, rows
    tuesday = rows[0]
    keys = await timer_store.pending_keys(world.bot.db, f"remind:{tuesday.id}:")
    assert len(keys) == 2, keys  # the 24 h and the 1 h reminder
    assert tuesday.event_id in next(iter(sim.world.guilds.values())).events
    before = len([m for m in sim.dms_to(g.members[0]) if m.content.startswith("Reminder:")])
    await world.advance(hours=10)  # Monday 19:00: Tuesday's 24 h reminder
    after = [m for m in sim.dms_to(g.members[0]) if m.content.startswith("Reminder:")]
    assert len(after) == before + 1


DECEMBER_1ST = "<t:1796151600:F>"  # Tuesday 2026-12-01 19:00 UTC


def _reminders(world, user) -> list[str]:
    return [m.content for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]


async def test_a_crash_deleting_a_cancelled_sessions_event_leaves_none_behind(scenario) -> None:
    """The same crash: Thursday's row was cancelled and its event id cleared before the
    delete call, so Thursday's Discord event stayed on the server for good, announcing a
    meeting that will not take place."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await _series_moved_crashing_at_the_old_event(world, g)
    rows = await store.planned_for_group(world.bot.db, g.group.id)
    events = next(iter(sim.world.guilds.values())).events
    assert sorted(events) == sorted(row.event_id for row in rows), list(events.values())
    assert await reconcile(world.bot) == 0


async def test_a_crash_between_two_planned_sessions_loses_no_reminder(
    scenario, monkeypatch
) -> None:
    """Reminders a week ahead: setting a weekly Tuesday series plans 24 November and
    1 December (whose 7-day reminder, 24 November 19:00, comes before the first one ends).
    The bot dies between the two rows. Reconcile saw 24 November planned and did nothing:
    1 December was planned only at 20:30 on the 24th, its 7-day reminder already lost."""
    world = scenario
    g = await make_group(world, size=3)
    assert "10080" in await _slash(
        world, g, "settings set", setting="reminder_lead_minutes", value="10080,60"
    )
    hit = crash_in(monkeypatch, store, "insert_planned", nth=2)
    await _move_to_tuesdays_killed(world, g)
    assert hit, "the crash point was not reached"
    assert await _planned(world, g) == ["2026-11-24"]
    await world.restart()
    assert await _planned(world, g) == ["2026-11-24", "2026-12-01"]
    await world.advance(days=1, hours=10)  # Tuesday 24th 19:00: the 7-day reminder
    got = _reminders(world, g.members[0])
    assert [DECEMBER_1ST in text for text in got] == [False, True], got


async def test_a_crash_before_a_planned_sessions_timers_loses_none(scenario, monkeypatch) -> None:
    """The bot dies after storing a session's row, before its timers: the row alone said
    "planned", so reconcile left it with no reminder, no start button, no advance."""
    world = scenario
    g = await make_group(world, size=3)
    hit = crash_in(monkeypatch, world.bot.timers, "add", nth=1)
    await _move_to_tuesdays_killed(world, g)
    assert hit, "the crash point was not reached"
    await world.restart()
    (tuesday,) = await store.planned_for_group(world.bot.db, g.group.id)
    keys = await timer_store.pending_keys(world.bot.db, f"remind:{tuesday.id}:")
    assert len(keys) == 2, keys
    assert await timer_store.by_key(world.bot.db, f"advance_schedule:{tuesday.id}:end")
    await world.advance(hours=10)  # Monday 19:00
    assert len(_reminders(world, g.members[0])) == 1


async def test_a_crash_before_the_second_sessions_event_is_made_good(scenario) -> None:
    """A one-off on Wednesday after Tuesday's session: the bot dies creating its Discord
    event. Reconcile saw a session planned and left the one-off without an event until
    Tuesday's session ended."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=1, time="19:00"
    )
    hit = crash_on(sim, "POST", "/guilds/{guild_id}/scheduled-events")
    await until_killed(
        sim.slash(
            g.leader,
            "schedule once",
            channel=g.lobby,
            options={"date": "2026-11-25", "time": "10:00"},
        ),
        "sim-ignore-once",
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    rows = await store.planned_for_group(world.bot.db, g.group.id)
    assert [row.occurrence_date.isoformat() for row in rows] == ["2026-11-24", "2026-11-25"]
    events = next(iter(sim.world.guilds.values())).events
    assert all(row.event_id in events for row in rows), [row.event_id for row in rows]
    assert len(events) == 2


async def test_a_crash_while_the_plan_advances_is_resumed(scenario) -> None:
    """The advance timer at a session's end plans the next sessions; the bot dies while it
    runs. The timer is idempotent: after the restart it runs again and nothing is lost."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=1, time="19:00"
    )
    assert "One-off" in await _slash(world, g, "schedule once", date="2026-12-02", time="10:00")
    hit = crash_on(sim, "POST", "/guilds/{guild_id}/scheduled-events")
    asyncio.current_task().set_name("sim-ignore-test")
    try:
        await world.bot.timers.advance(timedelta(days=1, hours=12))  # Tuesday 21:00
    except asyncio.CancelledError:
        pass  # the process is gone
    assert hit, "the crash point was not reached"
    await world.restart()
    assert await _planned(world, g) == ["2026-12-01", "2026-12-02"]
    rows = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    events = next(iter(sim.world.guilds.values())).events
    assert all(row.event_id in events for row in rows)


async def test_groups_in_order_cost_six_reads_each_and_no_writes(scenario, monkeypatch) -> None:
    """Start-up looks at every scheduled group: one in order (two sessions planned, each
    with its timers and event) is read, not replanned; twice in a row changes nothing."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=1, time="19:00"
    )
    assert "One-off" in await _slash(world, g, "schedule once", date="2026-11-25", time="10:00")
    before = await _planned(world, g)
    db = world.bot.db
    counts = {"read": 0, "write": 0}
    for name, kind in (
        ("fetchone", "read"),
        ("fetchall", "read"),
        ("execute", "write"),
        ("rowcount", "write"),
        ("insert_id", "write"),
    ):
        original = getattr(db, name)

        async def counted(*args, _original=original, _kind=kind, **kwargs):  # type: ignore[no-untyped-def]
            counts[_kind] += 1
            return await _original(*args, **kwargs)

        monkeypatch.setattr(db, name, counted)
    sim.reset_calls()
    for _ in range(2):
        assert await reconcile(world.bot) == 0
    # Per run: cancelled rows still holding an event, the group list; then 6 for the group.
    assert counts == {"read": 2 * (2 + 6), "write": 0}, counts
    assert sim.calls == []
    assert await _planned(world, g) == before == ["2026-11-24", "2026-11-25"]


async def test_a_server_without_manage_events_costs_no_rest_call_at_each_start(scenario):
    """The bot's role lost Manage Events: the session is planned without its Discord event
    (the leader was told). Every start found the event missing, called the group out of
    order and replanned it: one refused POST per session ahead, at every start, for good.
    Without the permission there is nothing to top up; once it is back, the next start
    makes the event."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    without = REQUIRED.value & ~discord.Permissions(manage_events=True, create_events=True).value
    sim.set_bot_permissions(world.guild, without)
    await sim.settle()
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=3, time="10:00"
    )
    (row,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert row.event_id is None
    route = "/guilds/{guild_id}/scheduled-events"
    sim.calls.clear()
    await world.restart()
    await sim.settle()
    assert sim.calls_matching("POST", route) == []
    sim.set_bot_permissions(world.guild, REQUIRED.value)
    await world.restart()
    await sim.settle()
    assert len(sim.calls_matching("POST", route)) == 1
    (row,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert row.event_id is not None


async def test_a_crash_as_a_moved_sessions_event_moves_is_made_good(scenario) -> None:
    """/schedule move: the bot dies at the Discord event's PATCH. The row was already
    rescheduled, so reconcile found it in place and replan never moved the event: the
    server's Events showed the old time for good."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    assert "Schedule saved" in await _slash(
        world, g, "schedule set", cadence="weekly", weekday=1, time="19:00"
    )
    hit = crash_on(sim, "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    await until_killed(
        sim.slash(
            g.leader,
            "schedule move",
            channel=g.lobby,
            options={"date": "2026-11-24", "new_date": "2026-11-25", "new_time": "18:00"},
        ),
        "sim-ignore-move",
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    [row] = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    assert row.scheduled_start.isoformat() == "2026-11-25T18:00:00+00:00"
    events = next(iter(sim.world.guilds.values())).events
    assert events[row.event_id].start == row.scheduled_start.isoformat()
