"""Scheduling bugs found by a hunt: each test failed before its fix."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.texts import scheduling as texts
from tests.support import make_group

START = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tuesday 19:00 London (GMT)


async def weekly(world, g) -> None:
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text


async def test_session_started_early_is_not_planned_again(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.clock.set(datetime(2026, 11, 24, 18, 30, tzinfo=UTC))
    started = await world.sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None, started.text
    await world.restart()
    later = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": "2026-12-03", "time": "19:00"}
    )
    assert "2026" in later.text or "<t:" in later.text, later.text
    planned = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    assert [p.occurrence_date.isoformat() for p in planned] == ["2026-12-01"]
    starts = sorted(datetime.fromisoformat(e.start) for e in world.guild.events.values())
    assert starts == [START, datetime(2026, 12, 1, 19, 0, tzinfo=UTC)]  # no second 24 Nov


async def test_one_off_before_the_planned_session_keeps_its_answers_reminder_and_event(
    scenario,
) -> None:
    """An extra Monday meeting must not cost Tuesday's RSVPs, event or 24 h reminder."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (tuesday,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    member = g.members[0]
    await rsvp_store.answer(world.bot.db, tuesday.id, member.id, "yes", world.clock.now())
    extra = await world.sim.slash(
        g.leader,
        "schedule once",
        channel=g.lobby,
        options={"date": "2026-11-23", "time": "18:30", "duration": 60},
    )
    assert "One-off" in extra.text, extra.text
    await world.advance(hours=12)  # Monday 21:00: the extra meeting is over
    rows = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    assert [r.id for r in rows] == [tuesday.id]
    assert await rsvp_store.for_session(world.bot.db, tuesday.id) == {member.id: "yes"}
    assert rows[0].event_id == tuesday.event_id and tuesday.event_id in world.guild.events
    tuesday_stamp = f"<t:{int(START.timestamp())}:F>"
    reminded = [
        m
        for m in world.sim.dms_to(member)
        if m.content.startswith("Reminder:") and tuesday_stamp in m.content
    ]
    assert len(reminded) == 1  # the 24 h reminder, due during the extra meeting


async def test_a_date_years_ahead_gets_a_sentence_not_an_error(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3, timezone="America/New_York")
    await weekly(world, g)
    tries = [
        ("schedule once", {"date": "9999-12-31", "time": "23:00"}),
        ("schedule move", {"date": "2026-11-24", "new_date": "9999-12-31", "new_time": "23:00"}),
        (
            "schedule set",
            {"cadence": "weekly", "weekday": 4, "time": "23:00", "starts": "9999-12-24"},
        ),
    ]
    for command, options in tries:
        result = await world.sim.slash(g.leader, command, channel=g.lobby, options=options)
        assert result.ephemeral and result.text == texts.TOO_FAR, (command, result.text)
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.onces == () and not state.series.moves and state.series.starts.year == 2026
    east = await make_group(world, size=3, name="Kolkata group", timezone="Asia/Kolkata")
    early = await world.sim.slash(
        east.leader,
        "schedule once",
        channel=east.lobby,
        options={"date": "0001-01-01", "time": "00:30"},
    )
    assert early.text == texts.ONCE_PROBLEMS["in_the_past"]
    roster = await world.sim.slash(
        east.leader, "schedule roster", channel=east.lobby, options={"date": "0001-01-01"}
    )
    assert roster.text == texts.ROSTER_NONE


async def test_move_after_the_event_was_deleted_by_hand_makes_a_new_one(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    del world.guild.events[row.event_id]  # an admin tidied the server's Events
    result = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:30"},
    )
    assert result.text.startswith("The session of 2026-11-24 is moved"), result.text
    assert not any(note in result.text for note in texts.EVENT_FAILED.values())
    (moved,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    (event,) = world.guild.events.values()
    assert moved.event_id == event.id
    assert datetime.fromisoformat(event.start) == datetime(2026, 11, 26, 18, 30, tzinfo=UTC)


async def test_a_session_started_early_cannot_be_moved_or_skipped(scenario) -> None:
    """The meeting is under way: 'moved to Thursday' would promise a session that never comes."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.clock.set(datetime(2026, 11, 24, 18, 30, tzinfo=UTC))
    await world.sim.slash(g.leader, "session start", channel=g.lobby)
    assert await session_store.live_for_group(world.bot.db, g.group.id) is not None
    moved = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:30"},
    )
    assert moved.text == texts.MOVE_PROBLEMS["in_the_past"].format(value="2026-11-24")
    skipped = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert skipped.text == texts.SKIP_PROBLEMS["started"].format(value="2026-11-24")
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert not state.series.moves and not state.series.skips


async def test_fortnightly_starting_midweek_meets_on_the_first_matching_day(scenario) -> None:
    """Set on a Wednesday, 'fortnightly on Tuesdays' starts next Tuesday, not 13 days on."""
    world = scenario
    g = await make_group(world, size=3)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "fortnightly", "weekday": 1, "time": "19:00", "starts": "2026-11-25"},
    )
    first = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert f"<t:{int(first.timestamp())}:F>" in result.text, result.text
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    assert row.scheduled_start == first
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series.starts == date(2026, 12, 1)


async def test_shorter_duration_while_a_session_is_due_does_not_resend_its_past_start(
    scenario,
) -> None:
    """Discord refuses an event edit whose start is in the past: only the end is sent."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.clock.set(datetime(2026, 11, 24, 19, 10, tzinfo=UTC))  # due, not started yet
    world.sim.reset_calls()
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00", "duration": 60},
    )
    assert not any(note in result.text for note in texts.EVENT_FAILED.values()), result.text
    edits = world.sim.calls_matching("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    assert [c.status for c in edits] == [200]
    assert "scheduled_start_time" not in edits[0].json
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    event = world.guild.events[row.event_id]
    assert datetime.fromisoformat(event.end) == datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


async def test_no_reminder_to_a_member_who_has_not_agreed_yet(scenario) -> None:
    """Without the agreement there is no access to the lobby: no 'Will you be there?'."""
    world = scenario
    g = await make_group(world, size=3)
    newcomer = world.people[8]
    added = await world.sim.slash(
        g.leader, "group add", channel=g.lobby, options={"member": newcomer, "group": g.name}
    )
    assert added.ephemeral, added.text
    await weekly(world, g)
    await world.advance(hours=10)  # Monday 19:00: the 24 h reminder
    reminded = lambda user: [m for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]  # noqa: E731
    assert len(reminded(g.members[0])) == 1 and len(reminded(g.leader)) == 1
    assert reminded(newcomer) == []


async def test_a_moved_session_can_be_skipped_or_moved_again_by_its_new_date(scenario) -> None:
    """/schedule show lists the session on its new date: that is the date leaders type."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    first = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:30"},
    )
    assert "moved" in first.text, first.text
    again = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-26", "new_date": "2026-11-27", "new_time": "18:30"},
    )
    assert "moved" in again.text, again.text
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert dict(state.series.moves) == {date(2026, 11, 24): (date(2026, 11, 27), time(18, 30))}
    skipped = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-27"}
    )
    assert skipped.text == texts.SKIP_DONE.format(value="2026-11-27"), skipped.text
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series.skips == {date(2026, 11, 24)}
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    assert row.occurrence_date == date(2026, 12, 1)


async def test_moving_a_one_off_says_how_instead_of_there_is_no_session(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    for with_series in (False, True):
        if with_series:
            await weekly(world, g)
        once = {"date": "2026-12-03", "time": "10:00"}
        await world.sim.slash(g.leader, "schedule once", channel=g.lobby, options=once)
        result = await world.sim.slash(
            g.leader,
            "schedule move",
            channel=g.lobby,
            options={"date": "2026-12-03", "new_date": "2026-12-04", "new_time": "10:00"},
        )
        assert result.text == texts.MOVE_PROBLEMS["one_off"].format(value="2026-12-03")


async def test_schedule_show_does_not_list_a_session_started_early_as_coming(scenario) -> None:
    """Replan no longer plans a session started early; /schedule show must not list it as
    one of the next sessions either (here it is even over before its scheduled start)."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.clock.set(datetime(2026, 11, 24, 17, 15, tzinfo=UTC))
    await world.sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None
    await world.sim.slash(g.leader, "session end", channel=g.lobby)
    shown = await world.sim.slash(g.leader, "schedule show", channel=g.lobby)
    assert f"<t:{int(START.timestamp())}:F>" not in shown.text, shown.text
    nxt = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert f"<t:{int(nxt.timestamp())}:F>" in shown.text
