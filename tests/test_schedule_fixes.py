"""Scheduling bugs confirmed by a second hunt: each test failed before its fix.

The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
"""

from __future__ import annotations

from datetime import date

from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.texts import scheduling as texts
from tests.support import GroupHandle, make_group


async def weekly_tuesdays(world, g: GroupHandle) -> None:
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in saved.text, saved.text


async def once(world, g: GroupHandle, day: str, at: str) -> str:
    result = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": day, "time": at}
    )
    assert result.ephemeral, result.text
    return result.text


async def move(world, g: GroupHandle, day: str, new_date: str, new_time: str) -> str:
    result = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": day, "new_date": new_date, "new_time": new_time},
    )
    assert result.ephemeral, result.text
    return result.text


def reminders(world, user) -> list:
    return [m for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]


async def test_a_move_to_late_evening_may_not_overlap_a_one_off_after_midnight(scenario) -> None:
    """Two sessions of one group at once: the check compared dates, not times."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    assert "One-off" in await once(world, g, "2026-11-26", "00:15")  # Thursday 00:15-01:45
    refused = await move(world, g, "2026-11-24", "2026-11-25", "23:30")  # until 01:00
    assert refused == texts.MOVE_PROBLEMS["clash"]
    assert "One-off" in await once(world, g, "2026-12-02", "23:30")  # Wednesday until 01:00
    refused = await move(world, g, "2026-12-01", "2026-12-03", "00:30")
    assert refused == texts.MOVE_PROBLEMS["clash"]
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and not state.series.moves
    moved = await move(world, g, "2026-11-24", "2026-11-25", "22:00")  # ends 23:30: fine
    assert "moved" in moved.lower() or "<t:" in moved, moved


async def test_a_later_one_off_gets_its_24h_reminder_while_an_earlier_session_is_planned(
    scenario,
) -> None:
    """The one-off on Wednesday 10:00 was planned only at Tuesday's end: its 24 h
    reminder (Tuesday 10:00) was then in the past and never sent."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    assert "One-off" in await once(world, g, "2026-11-25", "10:00")
    await world.advance(hours=10)  # Monday 19:00: Tuesday's 24 h reminder
    assert len(reminders(world, g.members[0])) == 1
    await world.advance(hours=15)  # Tuesday 10:00: Wednesday's 24 h reminder
    got = reminders(world, g.members[0])
    assert len(got) == 2 and "<t:1795600800:F>" in got[1].content  # 2026-11-25 10:00 UTC
    await world.advance(hours=8)  # Tuesday 18:00: Tuesday's 1 h reminder
    await world.advance(hours=3)  # Tuesday's session over: the plan advances
    await world.advance(hours=12)  # Wednesday 09:00: Wednesday's 1 h reminder, once
    got = reminders(world, g.members[0])
    assert [m.content.count("<t:1795600800:F>") for m in got] == [0, 1, 0, 1]


async def test_started_early_and_ended_the_next_sessions_reminders_come_once(scenario) -> None:
    """Tuesday's session started early and ended: no 1 h reminder for it (it ran), and
    Wednesday's 10:00 one-off still gets both reminders, each once."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    assert "One-off" in await once(world, g, "2026-11-25", "10:00")
    await world.advance(hours=32, minutes=15)  # Tuesday 17:15, both 24 h reminders sent
    started = await world.sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None, started.text
    room = world.sim.channel(live.text_channel_id)
    ended = await world.sim.slash(g.leader, "session end", channel=room)
    assert "has ended" in ended.text
    await world.advance(days=1)  # past Tuesday 18:00 and Wednesday 09:00
    got = [m.content for m in reminders(world, g.members[0])]
    tuesday, wednesday = "<t:1795546800:F>", "<t:1795600800:F>"
    assert [tuesday in m for m in got] == [True, False, False]  # its 24 h one only
    assert [wednesday in m for m in got] == [False, True, True]
    await world.restart()
    await world.advance(hours=2)
    assert len(reminders(world, g.members[0])) == 3


async def test_the_quorum_warning_counts_only_members_with_access(scenario) -> None:
    """A member who never accepted the agreement cannot come: neither their yes nor
    their silence counts towards the quorum."""
    world = scenario
    g = await make_group(world, size=3)  # quorum 4
    newcomer = world.people[8]
    added = await world.sim.slash(
        g.leader, "group add", channel=g.lobby, options={"member": newcomer, "group": g.name}
    )
    assert added.ephemeral, added.text
    await weekly_tuesdays(world, g)
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    for user in [g.leader, *g.members[:2], newcomer]:
        await rsvp_store.answer(world.bot.db, row.id, user.id, "yes", world.clock.now())
    await world.advance(hours=10)  # Monday 19:00: the quorum check
    (warning,) = [m for m in world.sim.dms_to(g.leader) if m.content.startswith("Heads-up")]
    assert "only 3 of the 4" in warning.content
    assert f"<@{g.members[2].id}>" in warning.content
    assert f"<@{newcomer.id}>" not in warning.content


async def test_a_new_series_skips_a_date_whose_session_would_overlap_a_one_off(scenario) -> None:
    """Wednesdays 23:30 for 90 minutes run into a one-off on Thursday 00:15: the one-off
    keeps its time, the series skips that Wednesday, as it does on a one-off's own date."""
    world = scenario
    g = await make_group(world, size=3)
    assert "One-off" in await once(world, g, "2026-12-03", "00:15")
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 2, "time": "23:30"},
    )
    assert saved.text.split("\n")[0].endswith(
        texts.SET_KEEPS_ONE_OFFS.format(dates="2026-12-02")
    ), saved.text
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and state.series.skips == {date(2026, 12, 2)}


async def test_the_roster_shows_who_has_not_agreed_apart(scenario) -> None:
    """A member who never accepted the agreement cannot come and gets no reminder: the
    roster listed them under "Not answered", as if a nudge could bring them."""
    world = scenario
    g = await make_group(world, size=2)
    newcomer = world.people[8]
    await world.sim.slash(
        g.leader, "group add", channel=g.lobby, options={"member": newcomer, "group": g.name}
    )
    await weekly_tuesdays(world, g)
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    await rsvp_store.answer(world.bot.db, row.id, newcomer.id, "yes", world.clock.now())
    shown = await world.sim.slash(g.leader, "schedule roster", channel=g.lobby)
    lines = shown.text.split("\n")
    coming = next(line for line in lines if line.startswith("Coming"))
    silent = next(line for line in lines if line.startswith("Not answered"))
    waiting = next(line for line in lines if line.startswith("Have not yet accepted"))
    assert f"<@{newcomer.id}>" not in coming + silent
    assert f"<@{newcomer.id}>" in waiting and "(1)" in waiting
    assert f"<@{g.members[0].id}>" in silent
