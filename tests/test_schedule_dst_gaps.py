"""Local times that do not exist (the night the clocks go forward) and ones that happen
twice (the night they go back), typed into /schedule once, move and set."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.store import schedules as store
from tests.support import make_group

MARCH = datetime(2027, 3, 1, tzinfo=UTC)


async def _nothing_planned(world, g) -> None:
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert not state.onces
    assert not await store.planned_for_group(world.bot.db, g.group.id, ending_after=MARCH)
    assert not world.guild.events


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [
        ("Europe/London", "2027-03-28", "01:30"),  # 01:00 GMT -> 02:00 BST
        ("America/New_York", "2027-03-14", "02:30"),  # 02:00 EST -> 03:00 EDT
        ("Australia/Sydney", "2027-10-03", "02:00"),  # southern spring: 02:00 -> 03:00
        ("Australia/Lord_Howe", "2027-10-03", "02:15"),  # a half-hour gap: 02:00 -> 02:30
    ],
)
async def test_a_one_off_at_a_time_the_clocks_skip_is_refused(scenario, zone, day, at) -> None:
    """Before: the session was silently put half an hour or an hour later than typed."""
    world = scenario
    world.clock.set(MARCH)
    g = await make_group(world, size=2, timezone=zone)
    result = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": day, "time": at}
    )
    assert result.ephemeral
    assert result.text == (
        f"{at} does not exist on {day} in {zone}: the clocks go forward then. "
        "Please pick another time."
    )
    await _nothing_planned(world, g)


async def test_a_move_to_a_time_the_clocks_skip_is_refused(scenario) -> None:
    world = scenario
    world.clock.set(MARCH)
    g = await make_group(world, size=2)
    await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 6, "time": "19:00", "starts": "2027-03-28"},
    )
    result = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2027-03-28", "new_date": "2027-03-28", "new_time": "01:45"},
    )
    assert result.ephemeral
    assert result.text == (
        "01:45 does not exist on 2027-03-28 in Europe/London: the clocks go forward then. "
        "Please pick another time."
    )
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and not state.series.moves
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=MARCH)
    assert row.scheduled_start == datetime(2027, 3, 28, 18, 0, tzinfo=UTC)  # 19:00 BST
    assert row.occurrence_date == date(2027, 3, 28)


@pytest.mark.parametrize(
    ("zone", "weekday", "at", "starts", "gap_day", "shifted"),
    [
        (
            "Europe/London",
            6,
            "01:30",
            "2027-03-21",
            "2027-03-28",
            datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        ),
        (
            "Australia/Lord_Howe",
            6,
            "02:15",
            "2027-09-26",
            "2027-10-03",
            datetime(
                2027, 10, 2, 15, 45, tzinfo=UTC
            ),  # 02:45 +11:00, half an hour later than typed
        ),
    ],
)
async def test_a_series_whose_time_the_clocks_skip_once_says_so(
    scenario, zone, weekday, at, starts, gap_day, shifted
) -> None:
    """Before: "Schedule saved" and nothing more; that night's session silently started
    later than the time the leader set (recurrence's documented DST rule)."""
    world = scenario
    world.clock.set(MARCH)
    g = await make_group(world, size=2, timezone=zone)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": weekday, "time": at, "starts": starts},
    )
    assert "Schedule saved" in result.text
    stamp = int(shifted.timestamp())
    note = (
        f" Note: {at} does not exist on {gap_day} in {zone} (the clocks go forward then), "
        f"so that session starts at <t:{stamp}:F>."
    )
    assert note in result.text, result.text


async def test_a_series_at_an_ordinary_time_has_no_clock_note(scenario) -> None:
    world = scenario
    world.clock.set(MARCH)
    g = await make_group(world, size=2)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 6, "time": "19:00", "starts": "2027-03-21"},
    )
    assert "Schedule saved" in result.text and "does not exist" not in result.text
