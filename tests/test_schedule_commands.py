"""/schedule set|once|show|skip|move|clear|events|calendar through the simulator."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from bot.domain.schedule_rules import upcoming_across
from bot.store import schedules as store
from bot.store import timers as timer_store
from bot.texts import scheduling as texts
from cogs._schedule_plan import quorum_key, reminder_key
from tests.support import GroupHandle, make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"


async def weekly(world, g: GroupHandle, **options) -> object:
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00", **options}
    return await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)


async def planned(world, g: GroupHandle) -> list[store.Planned]:
    return await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())


async def pending_keys(world) -> set[str]:
    """Pending scheduling timers (other capabilities keep their own)."""
    mine = ("remind:", "quorum:", "advance_schedule:")
    return {
        t.dedupe_key
        for t in await timer_store.pending(world.bot.db)
        if t.dedupe_key.startswith(mine)
    }


async def test_set_plans_next_session_with_timers_and_event(scenario) -> None:
    world = scenario
    g = await make_group(world, size=4)
    world.sim.reset_calls()
    result = await weekly(world, g)
    assert result.ephemeral and "every Tuesday at 19:00" in result.text
    rows = await planned(world, g)
    assert len(rows) == 1
    row = rows[0]
    assert row.occurrence_date == date(2026, 11, 24)
    assert row.scheduled_start == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    assert row.scheduled_end == datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    sid = row.id
    assert await pending_keys(world) == {
        reminder_key(sid, 1440, row.scheduled_start),
        reminder_key(sid, 60, row.scheduled_start),
        quorum_key(sid, 1440, row.scheduled_start),
        f"advance_schedule:{sid}:end",
    }
    (call,) = world.sim.calls_matching("POST", EVENTS)
    body = call.json
    assert body["entity_type"] == 3 and body["privacy_level"] == 2
    assert body["entity_metadata"]["location"].endswith(f"/{g.lobby.id}")
    assert g.name in body["name"]
    assert row.event_id == int(call.response["id"])
    assert body["scheduled_start_time"].startswith("2026-11-24T19:00:00")


async def test_show_lists_five_with_timestamps_and_zone(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3, timezone="America/New_York")
    await weekly(world, g)
    result = await world.sim.slash(g.members[0], "schedule show", channel=g.lobby)
    assert "America/New_York" in result.text
    # 19:00 New York in winter is 00:00 UTC the next day.
    first = int(datetime(2026, 11, 25, 0, 0, tzinfo=UTC).timestamp())
    assert f"<t:{first}:F>" in result.text and f"<t:{first}:R>" in result.text
    assert result.text.count(":F>") == 5
    outsider = await world.sim.slash(world.outsider, "schedule show", options={"group": g.name})
    assert "Only members" in outsider.text


async def test_bad_input_one_sentence_and_nothing_changes(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    cases = [
        ({"time": "25:00"}, "25:00"),
        ({"time": "7pm"}, "HH:MM"),
        ({"starts": "2020-01-01"}, "in the past"),
        ({"starts": "2027-01-10", "until": "2027-01-01"}, "on or after"),
        ({"starts": "01/02/2027"}, "YYYY-MM-DD"),
        ({"duration": 10}, "between 30 and 240"),
    ]
    for options, words in cases:
        result = await weekly(world, g, **options)
        assert result.ephemeral and words in result.text, (options, result.text)
        assert result.text.count(".") <= 2
    assert (await store.load(world.bot.db, g.group.id, g.group.zone)).series is None
    assert await planned(world, g) == []
    assert await pending_keys(world) == set()
    assert not world.sim.calls_matching("POST", EVENTS)
    member = await world.sim.slash(
        g.members[0],
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Only the group's leaders" in member.text
    assert await planned(world, g) == []


async def test_skip_cancels_session_event_and_timers_then_plans_next(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (first,) = await planned(world, g)
    world.sim.reset_calls()
    bad = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-25"}
    )
    assert "no session on 2026-11-25" in bad.text
    assert (await planned(world, g))[0].id == first.id
    result = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert "skipped" in result.text
    assert len(world.sim.calls_matching("DELETE", EVENT)) == 1
    assert len(world.sim.calls_matching("POST", EVENTS)) == 1
    (second,) = await planned(world, g)
    assert second.occurrence_date == date(2026, 12, 1)
    keys = await pending_keys(world)
    assert not any(k.split(":")[1] == str(first.id) for k in keys)
    assert reminder_key(second.id, 60, second.scheduled_start) in keys
    again = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert "already skipped" in again.text


async def test_move_edits_event_and_moves_timers(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (row,) = await planned(world, g)
    world.sim.reset_calls()
    result = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": "2026-11-26", "new_time": "18:30"},
    )
    assert "moved" in result.text, result.text
    (moved,) = await planned(world, g)
    assert moved.id == row.id
    assert moved.scheduled_start == datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
    (edit,) = world.sim.calls_matching("PATCH", EVENT)
    assert edit.json["scheduled_start_time"].startswith("2026-11-26T18:30:00")
    timer = await timer_store.by_key(world.bot.db, reminder_key(row.id, 60, moved.scheduled_start))
    assert timer.due_at == datetime(2026, 11, 26, 17, 30, tzinfo=UTC)
    end = await timer_store.by_key(world.bot.db, f"advance_schedule:{row.id}:end")
    assert end.due_at == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    clash = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-12-01", "new_date": "2026-11-26", "new_time": "19:00"},
    )
    assert "overlaps" in clash.text
    show = await world.sim.slash(g.leader, "schedule show", channel=g.lobby)
    assert "(moved)" in show.text


async def test_once_and_clear(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    past = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": "2026-11-20", "time": "10:00"}
    )
    assert "in the past" in past.text
    result = await world.sim.slash(
        g.leader,
        "schedule once",
        channel=g.lobby,
        options={"date": "2026-12-05", "time": "10:00", "duration": 60},
    )
    assert "One-off" in result.text
    (row,) = await planned(world, g)
    assert row.scheduled_start == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    await weekly(world, g)
    # The series' first session comes first; the one-off stays planned, event and all.
    row, single = await planned(world, g)
    assert row.occurrence_date == date(2026, 11, 24)
    assert single.occurrence_date == date(2026, 12, 5) and single.event_id in world.guild.events
    show = await world.sim.slash(g.leader, "schedule show", channel=g.lobby)
    stamp = int(datetime(2026, 12, 5, 10, 0, tzinfo=UTC).timestamp())
    assert f"<t:{stamp}:F>" in show.text
    world.sim.reset_calls()
    cleared = await world.sim.slash(g.leader, "schedule clear", channel=g.lobby)
    assert "cleared" in cleared.text
    assert await planned(world, g) == []
    assert await pending_keys(world) == set()
    assert len(world.sim.calls_matching("DELETE", EVENT)) == 2
    assert not world.guild.events
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is None and state.onces == ()


@pytest.mark.parametrize("command", ["set", "once"])
@pytest.mark.parametrize("fault", ["refused", "passing"])
async def test_event_refused_does_not_break_scheduling(scenario, fault: str, command: str) -> None:
    """The event is an extra: refused (403) or lost to a broken connection (no
    HTTPException), the schedule stands and the answer says the event is missing, and
    why: a refusal names Create Events; a reset says Discord failed (and is retried)."""
    world = scenario
    g = await make_group(world, size=3)
    if fault == "passing":  # a reset
        world.sim.inject_network("POST", EVENTS)
    else:
        world.sim.inject("POST", EVENTS, 403, 50013)
    if command == "set":
        result = await weekly(world, g)
        saved = "Schedule saved"
    else:
        options = {"date": "2026-12-05", "time": "10:00"}
        result = await world.sim.slash(g.leader, "schedule once", channel=g.lobby, options=options)
        saved = "One-off"
    assert saved in result.text and texts.EVENT_FAILED[fault] in result.text, result.text
    assert ("Create Events" in result.text) is (fault == "refused")
    (row,) = await planned(world, g)
    assert row.event_id is None
    assert reminder_key(row.id, 60, row.scheduled_start) in await pending_keys(world)
    assert world.sim.errors == []


async def test_events_off_deletes_event_and_stops_new_ones(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    off = await world.sim.slash(
        g.leader, "schedule events", channel=g.lobby, options={"state": "off"}
    )
    assert "off" in off.text
    assert not world.guild.events
    world.sim.reset_calls()
    await world.advance(days=2)  # the session ends; the next one is planned without an event
    assert not world.sim.calls_matching("POST", EVENTS)
    (row,) = await planned(world, g)
    assert row.occurrence_date == date(2026, 12, 1) and row.event_id is None


async def test_advance_creates_next_event_after_session_end(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.sim.reset_calls()
    await world.advance(days=1, hours=11, minutes=30)  # 2026-11-24 20:30, the end
    (row,) = await planned(world, g)
    assert row.occurrence_date == date(2026, 12, 1)
    (call,) = world.sim.calls_matching("POST", EVENTS)
    assert call.json["scheduled_start_time"].startswith("2026-12-01T19:00:00")


def _expand(ics: bytes, after: datetime, count: int) -> list[datetime]:
    cal = Calendar.from_ical(ics)
    events = list(cal.walk("VEVENT"))
    master = next(e for e in events if "RRULE" in e)
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    rules = rruleset()
    rules.rrule(rrulestr(master["RRULE"].to_ical().decode(), dtstart=master.decoded("DTSTART")))
    exdates = master.get("EXDATE")
    for group in (exdates if isinstance(exdates, list) else [exdates]) if exdates else []:
        for value in group.dts:
            rules.exdate(value.dt)
    replaced = {e.decoded("RECURRENCE-ID").astimezone(UTC) for e in overrides}
    out = []
    for dt in rules:
        if dt.astimezone(UTC) not in replaced:
            out.append(dt.astimezone(UTC))
        if len(out) > count + 10:
            break
    out += [e.decoded("DTSTART").astimezone(UTC) for e in overrides]
    return sorted(x for x in out if x > after)[:count]


async def test_calendar_file_round_trips(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-12-01"}
    )
    await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-12-08", "new_date": "2026-12-09", "new_time": "20:00"},
    )
    result = await world.sim.slash(g.members[0], "schedule calendar", channel=g.lobby)
    assert result.ephemeral
    ((name, data),) = result.files
    assert name.endswith(".ics")
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    now = world.clock.now()
    expected = [occ.start_utc for _, occ in upcoming_across(state.all, now, 30)]
    assert _expand(data, now, 30) == expected
    assert datetime(2026, 12, 1, 19, 0, tzinfo=UTC) not in expected


async def test_calendar_of_a_group_that_meets_only_by_one_offs(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    none_yet = await world.sim.slash(g.members[0], "schedule calendar", channel=g.lobby)
    assert none_yet.ephemeral and not none_yet.files
    await world.sim.slash(
        g.leader,
        "schedule once",
        channel=g.lobby,
        options={"date": "2026-12-05", "time": "10:00", "duration": 60},
    )
    result = await world.sim.slash(g.members[0], "schedule calendar", channel=g.lobby)
    ((_name, data),) = result.files
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


async def test_a_session_shorter_than_the_meeting_plan_is_said_at_set(scenario) -> None:
    """The default plan of two cases (110 minutes) in the default 90-minute session: the
    leader met "time is up" in the second case's discussion without warning."""
    from bot.texts import scheduling as texts
    from tests.support import make_group

    g = await make_group(scenario, size=3)
    weekly = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    saved = await scenario.sim.slash(g.leader, "schedule set", channel=g.lobby, options=weekly)
    note = texts.PLAN_LONGER.format(cases=2, plan=110, minutes=90)
    assert saved.text.endswith(note) and len(saved.text) <= 2000, saved.text
    longer = {**weekly, "duration": 120}
    saved = await scenario.sim.slash(g.leader, "schedule set", channel=g.lobby, options=longer)
    assert "Note:" not in saved.text, saved.text
    once = {"date": "2026-12-10", "time": "10:00", "duration": 60}
    added = await scenario.sim.slash(g.leader, "schedule once", channel=g.lobby, options=once)
    assert added.text.endswith(texts.PLAN_LONGER.format(cases=2, plan=110, minutes=60))


async def test_show_says_the_times_are_in_the_readers_own_time(scenario) -> None:
    """Found by review: the header read "times are in America/New_York; Discord shows them
    in yours", and a member in London could take the 00:00 they saw for New York's time.
    The times are Discord's markup, so in the reader's own time: the header says that."""
    world = scenario
    g = await make_group(world, size=3, timezone="America/New_York")
    await weekly(world, g)
    result = await world.sim.slash(g.members[0], "schedule show", channel=g.lobby)
    header = result.text.split("\n")[0]
    assert "your own time" in header and "America/New_York time" in header, header
    assert "times are in America/New_York" not in header, header
