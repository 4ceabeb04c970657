"""The meeting flow of a group with several sessions (planned, ad hoc, started early) and
two leaders: each test failed before its fix.

The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.store import attendance as attendance_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.texts import scheduling as texts
from tests.crash_support import crash_on
from tests.session_support import press, start_session
from tests.support import GroupHandle, make_group


async def weekly(world, g: GroupHandle, weekday: int, at: str) -> None:
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": weekday, "time": at},
    )
    assert "Schedule saved" in saved.text, saved.text


async def two_on_tuesday(world, g: GroupHandle):  # type: ignore[no-untyped-def]
    """Next week's session (1 December) moved to 12:00 on Tuesday 24 November, after that
    day's own 10:00 one: the answer to the move, and the 12:00 session's planned row."""
    moved = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-12-01", "new_date": "2026-11-24", "new_time": "12:00"},
    )
    planned = await store.planned_for_group(world.bot.db, g.group.id)
    return moved, next(p for p in planned if p.occurrence_date.isoformat() == "2026-12-01")


async def test_roster_of_a_day_with_an_ad_hoc_session_answers(scenario) -> None:
    """An ad-hoc session has no occurrence date; the roster of its day broke on it."""
    world = scenario
    g = await make_group(world, size=3)
    await start_session(world, g)  # ad hoc: nothing is scheduled
    answer = await world.sim.slash(
        g.leader, "schedule roster", channel=g.lobby, options={"date": "2026-11-23"}
    )
    assert answer.text == texts.ROSTER_NONE, answer.text


async def test_schedule_commands_work_while_an_ad_hoc_start_is_under_way(scenario) -> None:
    """Between its row and its channels, an ad-hoc start's row is 'planned' with no
    occurrence date: every replan (any /schedule command, an advance timer) broke on it."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "19:00")
    now = world.clock.now()
    await session_store.create_adhoc(world.bot.db, g.group.id, now, now + timedelta(minutes=85))
    added = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": "2026-11-26", "time": "19:00"}
    )
    assert "One-off session added" in added.text, added.text
    roster = await world.sim.slash(g.leader, "schedule roster", channel=g.lobby)
    assert "Not answered" in roster.text, roster.text
    planned = await store.planned_for_group(world.bot.db, g.group.id, ending_after=now)
    assert [p.occurrence_date.isoformat() for p in planned] == ["2026-11-24"]


async def test_an_ad_hoc_start_cut_short_is_not_taken_for_the_planned_session(scenario) -> None:
    """The bot dies while an ad-hoc start opens its channels. Its row stayed 'planned'
    after the restart, so the next /session start took it (the earliest start) over the
    session planned in the window: a meeting due to end 25 minutes later, the planned one
    left waiting with its RSVPs, reminders and start button."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 0, "12:00")  # today, three hours ahead: outside the 2 h window
    (planned,) = await store.planned_for_group(
        world.bot.db, g.group.id, ending_after=world.clock.now()
    )
    hit = crash_on(
        sim,
        "POST",
        "/channels/{channel_id}/messages",
        when=lambda call: int(call.params["channel_id"]) != g.lobby.id,
    )
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(g.leader, "session start", channel=g.lobby), name="sim-ignore-start"
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await world.advance(minutes=75)  # 10:15: the planned 12:00 session is in the window
    started = await sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None, started.text
    assert live.id == planned.id, "the start took the crashed ad-hoc row, not the planned one"
    rows = await world.bot.db.fetchall(
        "SELECT id FROM sessions WHERE group_id = ? AND status = 'planned'", (g.group.id,)
    )
    assert [row["id"] for row in rows] == [], "a planned row was left behind"


async def test_an_extra_session_the_day_after_the_next_gets_every_reminder(scenario) -> None:
    """A one-off the day after the planned series session was planned only at that
    session's end, when its 24 h reminder and its quorum warning were already late:
    the members got the 1 h reminder only, the leaders no warning at all."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "19:00")  # Tuesday 24th
    added = await sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": "2026-11-25", "time": "19:00"}
    )
    assert "One-off session added" in added.text, added.text
    await world.advance(days=2, hours=12)  # Wednesday 21:00: both sessions are past
    wednesday = "<t:1795633200:F>"
    reminders = [m for m in sim.dms_to(g.members[0]) if m.content.startswith("Reminder:")]
    assert [wednesday in m.content for m in reminders] == [False, False, True, True]
    warnings = [m for m in sim.dms_to(g.leader) if m.content.startswith("Heads-up")]
    assert [wednesday in m.content for m in warnings] == [False, True]


async def test_the_second_session_of_a_day_started_early_is_that_session(scenario) -> None:
    """Tuesday 10:00 and a session moved to 12:00 the same day. The first is held early;
    the leader starts the second at 10:05. It was planned only at 11:30 (the first one's
    scheduled end), so the start made an ad-hoc session instead: the planned one then sent
    its reminder and offered its start button for a meeting already held."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "10:00")
    moved, _second = await two_on_tuesday(world, g)
    assert "moved" in moved.text, moved.text
    await world.advance(hours=24)  # Tuesday 09:00
    first, channel = await start_session(world, g)
    await world.advance(minutes=60)
    await sim.slash(g.leader, "session end", channel=channel)
    await world.advance(minutes=5)  # 10:05
    started = await sim.slash(g.leader, "session start", channel=g.lobby)
    second = await session_store.live_for_group(world.bot.db, g.group.id)
    assert second is not None, started.text
    assert second.occurrence_date == "2026-12-01", "the start made an ad-hoc session"
    await sim.slash(g.leader, "session end", channel=sim.channel(second.text_channel_id))
    before = len(sim.dms_to(g.members[0]))
    await world.advance(hours=3)  # 13:05: past the second one's start and end
    assert sim.dms_to(g.members[0])[before:] == [], "a reminder for a meeting already held"
    offered = [m for m in sim.messages_in(g.lobby) if m.custom_ids()]
    assert offered == [], "a start button for a meeting already held"


async def test_a_start_between_two_planned_sessions_takes_the_nearer_one(scenario) -> None:
    """Tuesday 10:00 (nobody came) and 12:00 the same day. At 11:25 the leader starts the
    12:00 meeting early; the start took the 10:00 one (the earliest), due to end five
    minutes later: the leaders got 'ends in 10 minutes' at once, and the 12:00 session
    stayed planned with its RSVPs and start button."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "10:00")
    await two_on_tuesday(world, g)
    await world.advance(hours=26, minutes=25)  # Tuesday 11:25
    started = await sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None, started.text
    assert live.occurrence_date == "2026-12-01", live
    assert not [m for m in sim.dms_to(g.leader) if "due to end" in m.content]


async def test_a_co_leader_who_drives_the_meeting_with_its_buttons_is_present(scenario) -> None:
    """The leader opens the meeting, the co-leader runs it from the status message ("Next
    phase", "+5 min") without writing or joining voice: the co-leader was recorded absent
    (only slash commands counted as driving the meeting)."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3, co_leader=world.people[10])
    session, channel = await start_session(world, g)
    for action in ("extend", "next"):
        pressed = await press(world, g.co_leader, session, action)
        assert "Now:" in pressed.text or "<t:" in pressed.text, pressed.text
    await sim.slash(g.leader, "session end", channel=channel)
    entry = await attendance_store.entry(world.bot.db, session.id, g.co_leader.id)
    assert entry is not None and entry.status == "present", entry


async def test_a_meeting_that_overruns_the_next_ones_start_leaves_its_start_button(
    scenario,
) -> None:
    """Tuesday 10:00 and 12:00. The 10:00 meeting runs on until 12:10 (auto-end is off by
    default): at 12:00 the next one's start button was held back (a meeting was live) and
    never offered, not even once the first had ended."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "10:00")
    _moved, planned_second = await two_on_tuesday(world, g)
    second = planned_second.id
    await world.advance(hours=25)  # Tuesday 10:00
    first, channel = await start_session(world, g)
    await world.advance(hours=2, minutes=10)  # 12:10: still live

    def offers() -> list:  # the start buttons in the lobby for the 12:00 session
        return [
            m for m in sim.messages_in(g.lobby) if f"balint:startnow:{second}" in m.custom_ids()
        ]

    assert offers() == []
    await sim.slash(g.leader, "session end", channel=channel)
    await world.advance(seconds=1)  # the real clock runs a timer due now at once
    offered = offers()
    assert len(offered) == 1, [m.content for m in sim.messages_in(g.lobby)]
    # The end's work is re-run when a restart finds it cut short: no second offer.
    await world.bot.run_listeners("balint_session_ended", first.id)
    await world.advance(seconds=1)
    assert len(offers()) == 1
    pressed = await sim.click(g.leader, offered[0], f"balint:startnow:{second}")
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None and live.occurrence_date == "2026-12-01", pressed.text


async def test_a_held_back_start_button_is_not_offered_once_its_session_is_over(
    scenario,
) -> None:
    """Tuesday 10:00 and 12:00, 30 minutes each; the first meeting runs on to 12:10. The
    bot is down from its end until 12:35: the start button held back for the 12:00
    session, found late, was offered for a session already over."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    saved = await sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "10:00", "duration": 30},
    )
    assert "Schedule saved" in saved.text, saved.text
    _moved, planned_second = await two_on_tuesday(world, g)
    second = planned_second.id
    await world.advance(hours=25)  # Tuesday 10:00
    _first, channel = await start_session(world, g)
    await world.advance(hours=2, minutes=10)  # 12:10: still live
    await sim.slash(g.leader, "session end", channel=channel)
    await sim.detach(world.bot)  # down before the held-back offer ran
    world.clock.set(world.clock.now() + timedelta(minutes=25))  # 12:35
    await world.start()
    await world.advance(seconds=1)
    offered = [m for m in sim.messages_in(g.lobby) if f"balint:startnow:{second}" in m.custom_ids()]
    assert offered == [], "a start button for a session already over"
