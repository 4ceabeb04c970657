"""/group timezone: a group set up in the wrong zone (Perth for a Sydney group), or one
that moves, keeps meeting at the same local time in its new zone, without a new group."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.store import groups as group_store
from bot.store import schedules as store
from bot.texts import common as common_texts
from bot.texts import groups as texts
from tests.crash_support import crash_in, crash_on, until_killed
from tests.support import GroupHandle, make_group

SYDNEY, PERTH = ZoneInfo("Australia/Sydney"), ZoneInfo("Australia/Perth")
FIRST = date(2027, 11, 18)  # a Thursday; Perth is UTC+8, Sydney UTC+11 (summer time)


def _stamps(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(s), UTC) for s in re.findall(r"<t:(\d+):F>", text)]


def _reminders(world, user) -> list[datetime]:  # noqa: ANN001
    dms = [m for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]
    return [_stamps(m.content)[0] for m in dms]


async def _perth_group(world, now: datetime) -> GroupHandle:  # noqa: ANN001
    """A group made in Perth that meets on Thursdays at 19:00."""
    world.clock.set(now)
    g = await make_group(world, size=2, timezone="Australia/Perth")
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 3, "time": "19:00", "starts": FIRST.isoformat()},
    )
    assert "Schedule saved" in result.text, result.text
    await world.sim.settle()
    return g


async def _zone(world, g: GroupHandle, user, zone: str):  # noqa: ANN001, ANN202
    channel = g.lobby if world.sim.can(user, g.lobby) else world.guild.channel_named("general")
    result = await world.sim.slash(
        user, "group timezone", channel=channel, options={"zone": zone, "group": g.name}
    )
    await world.sim.settle()
    return result


async def _planned(world, g: GroupHandle):  # noqa: ANN001, ANN202
    return await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())


async def test_the_series_keeps_19_00_in_the_new_zone_with_its_event_and_reminders(
    scenario,
) -> None:
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))  # a Monday
    [before] = await _planned(world, g)
    assert before.scheduled_start.astimezone(PERTH).time() == time(19)
    lobby_before = len(world.sim.messages_in(g.lobby))

    result = await _zone(world, g, g.leader, "Australia/Sydney")

    assert result.ephemeral, result.text
    assert "Australia/Sydney" in result.text, result.text
    [row] = await _planned(world, g)
    assert row.id == before.id  # the same session (its RSVPs), moved
    assert row.scheduled_start == datetime(2027, 11, 18, 8, tzinfo=UTC)  # 19:00 in Sydney
    assert row.scheduled_start.astimezone(SYDNEY).time() == time(19)
    assert _stamps(result.text) == [row.scheduled_start]  # the next session, as markup
    event = world.guild.events[row.event_id]
    assert datetime.fromisoformat(event.start) == row.scheduled_start
    assert datetime.fromisoformat(event.end) == row.scheduled_end
    assert len(world.guild.events) == 1
    said = [m.content for m in world.sim.messages_in(g.lobby)[lobby_before:]]
    assert said == [texts.ZONE_LOBBY.format(name=g.name, zone="Australia/Sydney")]

    show = await world.sim.slash(g.leader, "schedule show", channel=g.lobby)
    assert "Australia/Sydney" in show.text and "Australia/Perth" not in show.text
    assert [s.astimezone(SYDNEY).time() for s in _stamps(show.text)] == [time(19)] * 5
    info = await world.sim.slash(g.leader, "group info", channel=g.lobby)
    fields = {f["name"]: f["value"] for f in info.embeds[0]["fields"]}
    assert fields[texts.INFO_ZONE] == "Australia/Sydney"

    await world.advance(days=18)  # three Thursdays
    sent = Counter(_reminders(world, g.members[0]))
    starts = [datetime.combine(FIRST + timedelta(weeks=w), time(19), SYDNEY) for w in range(3)]
    assert sent == {start.astimezone(UTC): 2 for start in starts}  # 24 h and 1 h, once each


async def test_a_session_due_within_the_hour_keeps_its_time_and_its_reminders(scenario) -> None:
    """Changed on the Thursday at 18:15 in Perth: 19:00 in Sydney was hours ago. Today's
    session keeps its instant (and the answer says so) instead of vanishing; it is not
    reminded again; next week's is at 19:00 in Sydney."""
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    await world.advance(
        seconds=(datetime(2027, 11, 18, 10, 15, tzinfo=UTC) - world.clock.now()).total_seconds()
    )
    today = datetime(2027, 11, 18, 11, tzinfo=UTC)  # 19:00 in Perth
    assert Counter(_reminders(world, g.members[0])) == {today: 2}

    result = await _zone(world, g, g.leader, "Australia/Sydney")

    assert (
        texts.ZONE_KEPT.format(
            day="2027-11-18", when=f"<t:{int(today.timestamp())}:F>", zone="Australia/Sydney"
        )
        in result.text
    ), result.text
    rows = await _planned(world, g)
    assert rows[0].scheduled_start == today and rows[0].event_id in world.guild.events
    await world.advance(days=8)
    nextweek = datetime.combine(FIRST + timedelta(weeks=1), time(19), SYDNEY).astimezone(UTC)
    assert Counter(_reminders(world, g.members[0])) == {today: 2, nextweek: 2}


async def test_a_member_may_not_change_the_zone(scenario) -> None:
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    result = await _zone(world, g, g.members[0], "Australia/Sydney")
    assert result.ephemeral
    assert common_texts.WHO_MAY["leaders_or_organisers"].split("{")[0] in result.text, result.text
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and group.zone == "Australia/Perth"


async def test_an_organiser_may(scenario) -> None:
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    result = await _zone(world, g, world.organiser, "Australia/Sydney")
    assert "now meets in Australia/Sydney" in result.text, result.text


async def test_a_bad_zone_and_the_same_zone_change_nothing(scenario) -> None:
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    [before] = await _planned(world, g)
    lobby_before = len(world.sim.messages_in(g.lobby))
    calls = len(world.sim.calls)
    offset = await _zone(world, g, g.leader, "+2")
    assert offset.text == texts.ZONE_PROBLEMS["offset_not_zone"].format(zone="+2")
    unknown = await _zone(world, g, g.leader, "Mars/Olympus")
    assert unknown.text == texts.ZONE_PROBLEMS["unknown_zone"].format(zone="Mars/Olympus")
    same = await _zone(world, g, g.leader, "australia/perth")
    assert same.text == texts.ZONE_SAME.format(name=g.name, zone="Australia/Perth")
    assert all(r.ephemeral for r in (offset, unknown, same))
    assert await _planned(world, g) == [before]
    assert len(world.sim.messages_in(g.lobby)) == lobby_before
    assert [c.route for c in world.sim.calls[calls:] if "scheduled-events" in c.route] == []


async def test_a_crash_as_the_event_moves_leaves_the_new_plan_after_a_restart(scenario) -> None:
    """The bot dies at the Discord event's move, after the new zone is stored: the restart
    finishes the new plan (row, reminders and event at 19:00 in Sydney), nothing twice."""
    world, sim = scenario, scenario.sim
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    hit = crash_on(sim, "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    await until_killed(_zone(world, g, g.leader, "Australia/Sydney"), "sim-ignore-zone")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    [row] = await _planned(world, g)
    new_start = datetime(2027, 11, 18, 8, tzinfo=UTC)
    assert row.scheduled_start == new_start
    events = world.guild.events
    assert len(events) == 1 and datetime.fromisoformat(events[row.event_id].start) == new_start
    await world.advance(days=4)
    assert Counter(_reminders(world, g.members[0])) == {new_start: 2}


async def test_a_crash_before_the_zone_is_stored_leaves_the_old_plan(scenario, monkeypatch) -> None:
    world, sim = scenario, scenario.sim
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    [before] = await _planned(world, g)
    hit = crash_in(monkeypatch, group_store, "update_settings")
    await until_killed(_zone(world, g, g.leader, "Australia/Sydney"), "sim-ignore-zone")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and group.zone == "Australia/Perth"
    assert await _planned(world, g) == [before]
    await world.advance(days=4)
    assert Counter(_reminders(world, g.members[0])) == {before.scheduled_start: 2}


async def _once(world, g: GroupHandle, day: str, at: str) -> None:  # noqa: ANN001
    result = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": day, "time": at}
    )
    assert "<t:" in result.text, result.text
    await world.sim.settle()


async def _refused_on_a_taken_date(world, g: GroupHandle) -> None:  # noqa: ANN001
    """Wednesday's one-off at 23:00 in Perth keeps its instant (19:00 in Sydney would be
    past), which in Sydney is 02:00 on Thursday, a date that has a session already: a
    date holds one session, so the change is refused and nothing moves."""
    world.clock.set(datetime(2027, 11, 17, 14, tzinfo=UTC))  # 22:00 in Perth
    await world.sim.settle()
    before = await _planned(world, g)
    lobby_before = len(world.sim.messages_in(g.lobby))
    result = await _zone(world, g, g.leader, "Australia/Sydney")
    assert result.ephemeral
    assert result.text == texts.ZONE_DATE_TAKEN.format(
        name=g.name, zone="Australia/Sydney", day="2027-11-17", new_day="2027-11-18"
    ), result.text
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and group.zone == "Australia/Perth"
    assert await _planned(world, g) == before
    assert len(world.sim.messages_in(g.lobby)) == lobby_before


async def test_a_kept_one_off_falling_on_a_series_date_is_refused(scenario) -> None:
    """It was stored on Thursday, where the series' Thursday shadowed it: the one-off
    vanished (its row moved to the series' 19:00) while the answer said it kept its time."""
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    await _once(world, g, "2027-11-17", "23:00")  # 15:00 UTC
    await _refused_on_a_taken_date(world, g)


async def test_a_kept_one_off_falling_on_another_one_offs_date_is_refused(scenario) -> None:
    """It failed on the stored key (one one-off per date): an error and no answer."""
    world = scenario
    world.clock.set(datetime(2027, 11, 15, tzinfo=UTC))
    g = await make_group(world, size=2, timezone="Australia/Perth")
    await _once(world, g, "2027-11-17", "23:00")
    await _once(world, g, "2027-11-18", "19:00")
    await _refused_on_a_taken_date(world, g)


async def test_the_refusals_advice_works_skip_one_then_the_zone_changes(scenario) -> None:
    """The refusal says to call one of the two off with /schedule skip: doing that lets the
    same change through (it said "move", which a one-off refuses)."""
    world = scenario
    world.clock.set(datetime(2027, 11, 15, tzinfo=UTC))
    g = await make_group(world, size=2, timezone="Australia/Perth")
    await _once(world, g, "2027-11-17", "23:00")
    await _once(world, g, "2027-11-18", "19:00")
    await _refused_on_a_taken_date(world, g)
    assert "`/schedule skip`" in texts.ZONE_DATE_TAKEN
    skipped = await world.sim.slash(
        g.leader, "schedule skip", channel=g.lobby, options={"date": "2027-11-18"}
    )
    assert skipped.ephemeral and "2027-11-18" in skipped.text, skipped.text
    await world.sim.settle()
    result = await _zone(world, g, g.leader, "Australia/Sydney")
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and group.zone == "Australia/Sydney", result.text


async def test_a_crash_as_the_event_moves_still_tells_the_lobby_once(scenario) -> None:
    """The lobby line came after the replan: a crash at the event's move lost it for good.
    Now stored with the zone, it is posted at the restart, and only once."""
    world, sim = scenario, scenario.sim
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    before = len(sim.messages_in(g.lobby))
    hit = crash_on(sim, "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    await until_killed(_zone(world, g, g.leader, "Australia/Sydney"), "sim-ignore-zone")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    await world.advance(hours=2)
    said = [m.content for m in sim.messages_in(g.lobby)[before:]]
    assert said == [texts.ZONE_LOBBY.format(name=g.name, zone="Australia/Sydney")]


async def test_the_lobby_line_tells_members_elsewhere_their_hour_may_change_and_where_to_look(
    scenario,
) -> None:
    """Found by review: the lobby read "The times of Tuesday group are now in
    Australia/Sydney; sessions keep their local time there". A member in Perth was not
    told that their meeting is now three hours earlier for them, nor where to see it."""
    world = scenario
    g = await _perth_group(world, datetime(2027, 11, 15, tzinfo=UTC))
    lobby_before = len(world.sim.messages_in(g.lobby))
    await _zone(world, g, g.leader, "Australia/Sydney")
    [said] = [m.content for m in world.sim.messages_in(g.lobby)[lobby_before:]]
    assert f"“{g.name}”" in said and "Australia/Sydney" in said, said
    assert "different hour for you" in said, said
    assert "`/schedule show`" in said, said  # what to do: see the times in one's own zone
