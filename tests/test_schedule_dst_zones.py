"""A weekly series across a DST change, in zones GPs meet from: the session, its reminders,
its Discord event and /schedule show stay at the local time set; a restart on the night
of the change sends no reminder twice. (These held already; they guard the behaviour.)"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.store import schedules as store
from bot.store import timers as timer_store
from tests.support import make_group


def _reminders(world, user) -> list[str]:
    """The start stamp each reminder DM names, in order."""
    dms = [m for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]
    return [re.findall(r"<t:(\d+):F>", m.content)[0] for m in dms]


@pytest.mark.parametrize(
    ("zone", "first"),
    [
        ("Europe/London", date(2027, 3, 21)),  # forward on 28 March
        ("America/New_York", date(2027, 10, 31)),  # back on 7 November
        ("Australia/Sydney", date(2027, 9, 26)),  # southern spring: forward on 3 October
        ("Australia/Lord_Howe", date(2027, 3, 28)),  # back half an hour on 4 April
        ("Asia/Kolkata", date(2027, 3, 21)),  # no DST at all
    ],
)
async def test_a_weekly_series_keeps_its_local_time_across_the_change(
    scenario, zone: str, first: date
) -> None:
    world = scenario
    tz = ZoneInfo(zone)
    world.clock.set(datetime.combine(first - timedelta(days=3), time(0), tzinfo=UTC))
    g = await make_group(world, size=2, timezone=zone)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 6, "time": "19:00", "starts": first.isoformat()},
    )
    assert "Schedule saved" in result.text, result.text
    show = await world.sim.slash(g.leader, "schedule show", channel=g.lobby)
    shown = [datetime.fromtimestamp(int(s), UTC) for s in re.findall(r"<t:(\d+):F>", show.text)]
    assert len(shown) == 5
    assert [s.astimezone(tz).time() for s in shown] == [time(19)] * 5
    for week in range(3):
        planned = await store.planned_for_group(
            world.bot.db, g.group.id, ending_after=world.clock.now()
        )
        row = planned[0]
        assert row.occurrence_date == first + timedelta(weeks=week)
        assert row.scheduled_start.astimezone(tz).time() == time(19)
        events = [datetime.fromisoformat(e.start) for e in world.guild.events.values()]
        assert row.scheduled_start in events
        for timer in await timer_store.pending(world.bot.db):
            if timer.dedupe_key.startswith(f"remind:{row.id}:"):
                lead = int(timer.dedupe_key.split(":")[2])
                assert timer.due_at == row.scheduled_start - timedelta(minutes=lead)
        before = len(_reminders(world, g.members[0]))
        await world.advance(seconds=(row.scheduled_end - world.clock.now()).total_seconds() + 60)
        stamp = str(int(row.scheduled_start.timestamp()))
        assert _reminders(world, g.members[0])[before:] == [stamp, stamp]  # 24 h and 1 h


@pytest.mark.parametrize(
    ("zone", "at", "day", "restart_at"),
    [
        # 1 h reminder at 01:00 UTC: the second 01:00 of the London night; restart in the first.
        ("Europe/London", "02:00", "2027-10-31", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        # Lord Howe goes back from 02:00 to 01:30; restart in the repeated half hour.
        ("Australia/Lord_Howe", "02:30", "2027-04-04", datetime(2027, 4, 3, 14, 50, tzinfo=UTC)),
    ],
)
async def test_a_restart_on_the_night_the_clocks_go_back_sends_each_reminder_once(
    scenario, zone: str, at: str, day: str, restart_at: datetime
) -> None:
    world = scenario
    world.clock.set(datetime.combine(date.fromisoformat(day), time(0), tzinfo=UTC) - timedelta(4))
    g = await make_group(world, size=2, timezone=zone)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 6, "time": at, "starts": day},
    )
    assert "Schedule saved" in result.text, result.text
    await world.advance(seconds=(restart_at - world.clock.now()).total_seconds())
    await world.restart()
    await world.sim.settle()
    await world.advance(days=15)
    counts = Counter(_reminders(world, g.members[0]))
    assert len(counts) == 3 and set(counts.values()) == {2}, counts
