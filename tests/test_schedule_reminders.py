"""Reminders, RSVP buttons, the 50007 fallback, quorum, roster and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import groups as group_store
from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.store import timers as timer_store
from cogs._schedule_plan import reminder_key
from tests.support import GroupHandle, make_group

# Scenario starts 2026-11-23 09:00 UTC (Monday); a Tuesday 19:00 London session is
# 2026-11-24 19:00 UTC, so the 24 h reminder is due 2026-11-23 19:00, the 1 h one 18:00.
DUE_24H = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
DUE_1H = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
START = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


async def weekly(world, g: GroupHandle) -> None:
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text


def reminders(world, user) -> list:
    return [m for m in world.sim.dms_to(user) if m.content.startswith("Reminder:")]


async def session_id(world, g: GroupHandle) -> int:
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    return row.id


async def test_reminders_fire_on_time_to_the_right_people(scenario) -> None:
    world = scenario
    g = await make_group(world, size=4)
    await weekly(world, g)
    removed, quiet = g.members[0], g.members[1]
    await world.sim.slash(
        g.leader, "group remove", channel=g.lobby, options={"member": removed, "group": g.name}
    )
    off = await world.sim.slash(quiet, "reminders", channel=g.lobby, options={"state": "off"})
    assert "off" in off.text
    await world.advance(hours=9, minutes=59)  # 18:59, one minute before the 24 h reminder
    assert not reminders(world, g.leader)
    await world.advance(minutes=1)
    expected = [g.leader, g.members[2], g.members[3]]
    for user in expected:
        (dm,) = reminders(world, user)
        assert "<t:1795546800:F>" in dm.content and "<t:1795546800:R>" in dm.content
        assert f"https://discord.com/channels/{world.guild.id}/{g.lobby.id}" in dm.content
        sid = await session_id(world, g)
        assert set(dm.custom_ids()) == {f"balint:rsvp:{sid}:yes", f"balint:rsvp:{sid}:no"}
    assert not reminders(world, removed) and not reminders(world, quiet)
    await world.advance(hours=22, minutes=59)
    assert len(reminders(world, g.leader)) == 1
    await world.advance(minutes=1)  # 1 h before
    assert len(reminders(world, g.leader)) == 2
    assert len(reminders(world, quiet)) == 0


async def test_rsvp_buttons_after_restart_and_a_month(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.advance(hours=10)
    sid = await session_id(world, g)
    (dm,) = reminders(world, g.members[0])
    (dm2,) = reminders(world, g.members[1])
    await world.restart()
    yes = await world.sim.click(g.members[0], dm, f"balint:rsvp:{sid}:yes")
    assert yes.ephemeral and "you will be there" in yes.text
    no = await world.sim.click(g.members[1], dm2, f"balint:rsvp:{sid}:no")
    assert "can't make it" in no.text
    assert await rsvp_store.for_session(world.bot.db, sid) == {
        g.members[0].id: "yes",
        g.members[1].id: "no",
    }
    roster = await world.sim.slash(g.leader, "schedule roster", channel=g.lobby)
    assert "Coming (1)" in roster.text and "Not coming (1)" in roster.text
    assert "Not answered (2)" in roster.text
    refused = await world.sim.slash(g.members[2], "schedule roster", channel=g.lobby)
    assert "Only the group's leaders" in refused.text
    await world.advance(days=30)
    await world.restart()
    late = await world.sim.click(g.members[1], dm2, f"balint:rsvp:{sid}:yes")
    assert late.ephemeral and "no longer planned" in late.text
    dated = await world.sim.slash(
        g.leader, "schedule roster", channel=g.lobby, options={"date": "2026-11-24"}
    )
    assert "Coming (1)" in dated.text


async def test_rsvp_yes_after_the_meeting_began_says_where_it_is(scenario) -> None:
    """A tired member opens the reminder DM late and presses "I'll be there" while the
    meeting is already running: they are told it has started, and where."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.advance(hours=10)
    sid = await session_id(world, g)
    (dm,) = reminders(world, g.members[0])
    await world.advance(hours=24)  # 19:00 on the day: the leader starts it
    started = await world.sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None and live.id == sid, started.text
    late = await world.sim.click(g.members[0], dm, f"balint:rsvp:{sid}:yes")
    assert late.ephemeral
    assert f"<#{live.text_channel_id}>" in late.text and "started" in late.text, late.text
    assert await rsvp_store.for_session(world.bot.db, sid) == {g.members[0].id: "yes"}


async def test_rsvp_refuses_someone_not_in_the_group(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.advance(hours=10)
    sid = await session_id(world, g)
    (dm,) = reminders(world, g.members[0])
    await world.sim.slash(
        g.leader, "group remove", channel=g.lobby, options={"member": g.members[0], "group": g.name}
    )
    result = await world.sim.click(g.members[0], dm, f"balint:rsvp:{sid}:yes")
    assert result.ephemeral and "Only members" in result.text
    assert await rsvp_store.for_session(world.bot.db, sid) == {}


async def test_closed_dms_fall_back_once_to_one_lobby_mention(scenario) -> None:
    world = scenario
    closed = [world.add_person(f"closed-{i}") for i in range(2)]
    g = await make_group(world, members=[*closed, world.people[1]])
    for user in closed:  # they agreed, then closed their DMs
        user.dms_closed = True
    await weekly(world, g)
    before = len(world.sim.messages_in(g.lobby))
    world.sim.reset_calls()
    await world.advance(hours=10)
    lobby_posts = world.sim.messages_in(g.lobby)[before:]
    (fallback,) = lobby_posts
    assert all(f"<@{u.id}>" in fallback.content for u in closed)
    assert f"<@{world.people[1].id}>" not in fallback.content
    dm_posts = [c for c in world.sim.calls_matching("POST", "/channels/{channel_id}/messages")]
    refused = [
        c
        for c in dm_posts
        if c.status == 403 and (c.json or {}).get("content", "").startswith("Reminder:")
    ]
    assert len(refused) == 2  # tried once each, no retry
    await world.advance(hours=23)  # the 1 h reminder: one more fallback, not a retry
    assert len(world.sim.messages_in(g.lobby)[before:]) == 2


async def test_quorum_warning_names_who_has_not_answered(scenario) -> None:
    world = scenario
    g = await make_group(world, size=4, co_leader=world.people[11])
    await weekly(world, g)
    await world.advance(hours=10)
    warnings = [m for m in world.sim.dms_to(g.leader) if m.content.startswith("Heads-up")]
    (warning,) = warnings
    assert "only 0 of the 4" in warning.content
    for user in g.members:
        assert f"<@{user.id}>" in warning.content
    # It says what the leader can do about it, not only the count.
    assert "/schedule roster" in warning.content and "/schedule skip" in warning.content
    assert any(m.content.startswith("Heads-up") for m in world.sim.dms_to(g.co_leader))
    assert not any(m.content.startswith("Heads-up") for m in world.sim.dms_to(g.members[0]))


async def test_quorum_warning_reaches_a_leader_with_closed_dms_in_the_leaders_channel(
    scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=4)
    g.leader.dms_closed = True
    await weekly(world, g)
    await world.advance(hours=10)
    leaders_channel = world.sim.channel(g.group.leaders_channel_id)
    posted = [m.content for m in world.sim.messages_in(leaders_channel) if "Heads-up" in m.content]
    assert len(posted) == 1 and posted[0].startswith(f"<@{g.leader.id}>")
    assert not any("Heads-up" in m.content for m in world.sim.messages_in(g.lobby))


async def test_no_quorum_warning_when_enough_said_yes(scenario) -> None:
    world = scenario
    g = await make_group(world, size=4)
    await weekly(world, g)
    sid = await session_id(world, g)
    for user in g.members:
        await rsvp_store.answer(world.bot.db, sid, user.id, "yes", world.clock.now())
    await world.advance(hours=10)
    assert not any(m.content.startswith("Heads-up") for m in world.sim.dms_to(g.leader))


async def _down_until(world, moment: datetime) -> None:
    await world.sim.detach(world.bot)
    world.clock.set(moment)
    await world.start()
    await world.sim.settle()


async def test_restart_inside_grace_sends_once(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await _down_until(world, DUE_24H + timedelta(minutes=20))
    assert len(reminders(world, g.members[0])) == 1
    await world.restart()
    await world.advance(minutes=5)
    assert len(reminders(world, g.members[0])) == 1
    sid = await session_id(world, g)
    timer = await timer_store.by_key(world.bot.db, reminder_key(sid, 1440, START))
    assert timer.state == timer_store.DONE


async def test_restart_after_grace_marks_missed(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await _down_until(world, DUE_24H + timedelta(minutes=31))
    assert reminders(world, g.members[0]) == []
    sid = await session_id(world, g)
    timer = await timer_store.by_key(world.bot.db, reminder_key(sid, 1440, START))
    assert timer.state == timer_store.MISSED
    await world.advance(hours=23)  # the 1 h reminder is still sent, on time
    assert len(reminders(world, g.members[0])) == 1


async def test_a_lost_plan_is_rebuilt_at_start_up(scenario) -> None:
    """A schedule with nothing planned (a crash, a hand edit) is planned again on restart."""
    world = scenario
    g = await make_group(world, size=4)
    await weekly(world, g)
    lost = await session_id(world, g)
    await world.bot.db.execute("DELETE FROM timers WHERE session_id = ?", (lost,))
    await world.bot.db.execute("DELETE FROM sessions WHERE id = ?", (lost,))
    assert await store.planned_for_group(world.bot.db, g.group.id) == []
    await world.restart()
    [planned] = await store.planned_for_group(world.bot.db, g.group.id)
    keys = {t.dedupe_key for t in await timer_store.pending(world.bot.db)}
    assert {reminder_key(planned.id, lead, START) for lead in (1440, 60)} <= keys
    await world.restart()  # in order now: nothing is planned twice
    assert len(await store.planned_for_group(world.bot.db, g.group.id)) == 1


async def move(world, g: GroupHandle, new_date: str, new_time: str = "19:00") -> None:
    moved = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": "2026-11-24", "new_date": new_date, "new_time": new_time},
    )
    assert "moved" in moved.text, moved.text


def stamped(messages: list, start: datetime) -> list:
    return [m for m in messages if f"<t:{int(start.timestamp())}:F>" in m.content]


async def test_session_moved_after_its_24h_reminder_is_reminded_again_for_the_new_time(
    scenario,
) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.advance(hours=10)  # Monday 19:00: the 24 h reminder and quorum check ran
    assert len(reminders(world, g.members[0])) == 1
    await move(world, g, "2026-11-26")  # to Thursday 19:00
    thursday = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    await world.advance(days=1, minutes=1)  # Tuesday 19:01: nothing for the old time
    assert len(reminders(world, g.members[0])) == 1
    await world.advance(days=1)  # Wednesday 19:01: 24 h before the new time
    assert len(stamped(reminders(world, g.members[0]), thursday)) == 1
    heads_up = [m for m in world.sim.dms_to(g.leader) if m.content.startswith("Heads-up")]
    assert len(stamped(heads_up, thursday)) == 1
    await world.advance(hours=23)  # Thursday 18:01: the 1 h reminder
    assert len(stamped(reminders(world, g.members[0]), thursday)) == 2


async def test_session_moved_back_to_a_reminded_time_is_not_reminded_twice(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.advance(hours=10)  # Monday 19:00: 24 h reminder for Tuesday 19:00
    await move(world, g, "2026-11-26")
    await world.restart()
    await move(world, g, "2026-11-24")  # back to Tuesday 19:00
    await world.restart()
    await world.advance(hours=23, minutes=1)  # Tuesday 18:01: the 1 h reminder only
    assert len(stamped(reminders(world, g.members[0]), START)) == 2
    sid = await session_id(world, g)
    old = await timer_store.by_key(world.bot.db, reminder_key(sid, 1440, START))
    assert old is not None and old.state == timer_store.DONE


async def test_roster_of_a_moved_session_by_its_new_date_or_its_original_one(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await move(world, g, "2026-11-26")
    thursday = int(datetime(2026, 11, 26, 19, 0, tzinfo=UTC).timestamp())
    for day in ("2026-11-26", "2026-11-24"):
        shown = await world.sim.slash(
            g.leader, "schedule roster", channel=g.lobby, options={"date": day}
        )
        assert f"<t:{thursday}:F>" in shown.text and "Coming (0)" in shown.text, shown.text
    none = await world.sim.slash(
        g.leader, "schedule roster", channel=g.lobby, options={"date": "2026-11-25"}
    )
    assert "no planned session" in none.text


async def test_a_dm_failing_on_discord_does_not_stop_the_others(scenario, caplog) -> None:
    world = scenario
    g = await make_group(world, size=3)
    # No case-prompt DMs at the same time: the first DM sent is the first member's reminder.
    await group_store.update_settings(world.bot.db, g.group.id, case_prompts_enabled=0)
    await weekly(world, g)
    # 503 is not retried by discord.py: that DM fails at once, as a 5xx does after retries.
    world.sim.inject("POST", "/channels/{channel_id}/messages", 503, times=1)
    await world.advance(hours=10)
    (failed_call,) = [c for c in world.sim.calls if c.status == 503]
    missed = [u for u in g.everyone if not reminders(world, u)]
    assert len(missed) == 1
    assert world.sim.world.dm_channels[missed[0].id].id == int(failed_call.params["channel_id"])
    sid = await session_id(world, g)
    timer = await timer_store.by_key(world.bot.db, reminder_key(sid, 1440, START))
    assert timer is not None and timer.state == timer_store.PENDING and timer.retries == 1
    logged = [r.getMessage() for r in caplog.records if "DM to user" in r.getMessage()]
    assert logged == [f"DM to user {missed[0].id} failed: HTTP 503 (code 0)"]
    # The clock tries that one DM again a minute later: it arrives, and only it is sent.
    await world.advance(minutes=2)
    assert [len(reminders(world, u)) for u in g.everyone] == [1] * len(g.everyone)
    timer = await timer_store.by_key(world.bot.db, reminder_key(sid, 1440, START))
    assert timer is not None and timer.state == timer_store.DONE
