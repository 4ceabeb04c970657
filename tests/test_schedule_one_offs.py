"""/schedule once next to other sessions: one session per date, and a skipped date reused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.schedule_rules import upcoming_across
from bot.sim.scenario import Scenario
from bot.store import schedules as store
from bot.texts import scheduling as texts
from tests.support import GroupHandle, make_group

# The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"


async def weekly_tuesdays(world: Scenario, g: GroupHandle) -> None:
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in saved.text, saved.text


async def once(world: Scenario, g: GroupHandle, day: str, at: str) -> str:
    result = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": day, "time": at}
    )
    assert result.ephemeral, result.text
    return result.text


async def planned(world: Scenario, g: GroupHandle) -> list[store.Planned]:
    return await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())


async def test_second_one_off_on_the_same_date_is_refused_and_the_first_kept(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    assert "One-off" in await once(world, g, "2026-12-03", "09:00")
    refused = await once(world, g, "2026-12-03", "19:00")
    assert refused == texts.ONCE_PROBLEMS["once_taken"]
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert [(s.starts, s.local_time.hour) for s in state.onces] == [(date(2026, 12, 3), 9)]
    (row,) = await planned(world, g)
    assert row.scheduled_start == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def test_one_off_on_a_date_of_the_series_is_refused_with_a_pointer_to_move(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    for day in ("2026-11-24", "2026-12-01"):  # the planned session and a later one
        refused = await once(world, g, day, "10:00")
        assert refused == texts.ONCE_PROBLEMS["series_day"]
        assert "/schedule move" in refused
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.onces == ()
    (row,) = await planned(world, g)
    assert row.scheduled_start == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


async def test_one_off_on_a_skipped_series_date_stays_planned_across_replans(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    skipped = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert "skipped" in skipped.text, skipped.text
    assert "One-off" in await once(world, g, "2026-11-24", "10:00")
    # The one-off comes first; 1 December, planned when 24 November was skipped, stays.
    row, later = await planned(world, g)
    assert row.scheduled_start == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert later.scheduled_start == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    world.sim.reset_calls()
    # Any later replan keeps the same sessions (and so their RSVPs and events).
    await world.sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "on"})
    assert [r.id for r in await planned(world, g)] == [row.id, later.id]
    assert not world.sim.calls_matching("DELETE", EVENT)
    # Skipping that date again removes the one-off; the series goes on a week later.
    again = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert again.text == texts.SKIP_DONE.format(value="2026-11-24")
    (nxt,) = await planned(world, g)
    assert (nxt.id, nxt.scheduled_start) == (later.id, datetime(2026, 12, 1, 19, 0, tzinfo=UTC))


async def test_new_series_on_a_one_off_date_keeps_the_one_off_and_skips_that_date(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    assert "One-off" in await once(world, g, "2026-11-24", "10:00")
    assert "One-off" in await once(world, g, "2026-12-08", "12:00")
    (row,) = await planned(world, g)
    world.sim.reset_calls()
    await weekly_tuesdays(world, g)
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "18:00"},
    )
    assert saved.ephemeral
    assert saved.text.split("\n")[0].endswith(
        texts.SET_KEEPS_ONE_OFFS_MANY.format(dates="2026-11-24, 2026-12-08")
    ), saved.text
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None
    assert state.series.skips == {date(2026, 11, 24), date(2026, 12, 8)}
    assert [s.starts for s in state.onces] == [date(2026, 11, 24), date(2026, 12, 8)]
    # The one-off stays the planned session, at its own time, with its event untouched.
    assert [(r.id, r.scheduled_start) for r in await planned(world, g)] == [
        (row.id, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    ]
    assert not world.sim.calls_matching("DELETE", EVENT)
    upcoming = [occ.start_utc for _, occ in upcoming_across(state.all, world.clock.now(), 4)]
    assert upcoming == [  # one session per date: the one-offs', then the series'
        datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 15, 18, 0, tzinfo=UTC),
    ]
    # Skipping the one-off frees nothing else: the series stays skipped that day.
    again = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert again.text == texts.SKIP_DONE.format(value="2026-11-24")
    (nxt,) = await planned(world, g)
    assert nxt.scheduled_start == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


async def test_new_series_with_one_one_off_date_says_so_in_the_singular(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    assert "One-off" in await once(world, g, "2026-12-01", "10:00")
    assert "One-off" in await once(world, g, "2026-12-03", "10:00")  # a Thursday
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert saved.text.split("\n")[0].endswith(
        texts.SET_KEEPS_ONE_OFFS.format(dates="2026-12-01")
    ), saved.text
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and state.series.skips == {date(2026, 12, 1)}


async def test_roster_of_the_last_representable_date_is_none_not_an_error(
    scenario: Scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    for day in ("9999-12-31", "9999-12-30"):
        result = await world.sim.slash(
            g.leader, "schedule roster", channel=g.lobby, options={"date": day}
        )
        assert result.ephemeral and result.text == texts.ROSTER_NONE, result.text


async def test_a_series_session_is_not_moved_onto_a_one_offs_date(scenario: Scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    assert "One-off" in await once(world, g, "2026-11-26", "10:00")
    refused = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "19:00"},
    )
    assert refused.ephemeral and refused.text == texts.MOVE_PROBLEMS["once_taken"]
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and not state.series.moves
