"""The lobby "Start the session" button, offered when a scheduled session is due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import schedules as schedule_store
from bot.store import sessions as session_store
from bot.texts import common as common_texts
from bot.texts import settings as texts
from tests.support import make_group

PREFIX = "balint:startnow:"


async def schedule_tomorrow(world, handle):
    when = (world.clock.now() + timedelta(days=1)).date().isoformat()
    result = await world.sim.slash(
        handle.leader,
        "schedule once",
        channel=handle.lobby,
        options={"date": when, "time": "19:00"},
    )
    planned = await schedule_store.planned_for_group(
        world.bot.db, handle.group.id, ending_after=world.clock.now()
    )
    assert len(planned) == 1, result.text
    return planned[0]


def start_messages(world, handle):
    return [
        m
        for m in world.sim.messages_in(handle.lobby)
        if any(c.startswith(PREFIX) for c in m.custom_ids())
    ]


async def until_due(world, planned) -> None:
    seconds = (planned.scheduled_start - world.clock.now()).total_seconds()
    await world.advance(seconds=seconds - 60)


async def test_button_at_the_scheduled_time_leaders_only_and_after_a_restart(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3, co_leader=world.people[10])
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    assert start_messages(world, handle) == []
    await world.advance(minutes=1)
    (message,) = start_messages(world, handle)
    assert message.custom_ids() == {f"{PREFIX}{planned.id}"}
    assert texts.START_LABEL in str(message.components)

    refused = await sim.click(handle.members[0], message, f"{PREFIX}{planned.id}")
    assert refused.ephemeral and common_texts.WHO_MAY["leaders"] in refused.text
    assert texts.DUE_MEMBER in refused.text
    assert await session_store.live_for_group(world.bot.db, handle.group.id) is None

    await world.restart()
    message = world.sim.world.messages[message.id]
    started = await world.sim.click(handle.co_leader, message, f"{PREFIX}{planned.id}")
    assert started.ephemeral and "The session has started" in started.text, started.text
    live = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert live is not None and live.id == planned.id  # the scheduled row, not an ad-hoc one
    assert world.sim.channel(live.text_channel_id) is not None
    updated = world.sim.world.messages[message.id]
    assert not updated.custom_ids() and handle.co_leader.mention in updated.content


async def test_button_after_a_slash_start_changes_nothing(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    await world.advance(minutes=1)
    (message,) = start_messages(world, handle)
    await world.sim.slash(handle.leader, "session start", channel=handle.lobby)
    again = await world.sim.click(handle.leader, message, f"{PREFIX}{planned.id}")
    assert again.ephemeral and again.text == texts.DUE_OVER
    assert len(await session_store.live(world.bot.db)) == 1


async def test_no_button_when_already_started(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    result = await world.sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert "The session has started" in result.text
    live = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert live is not None and live.id == planned.id
    await world.advance(minutes=5)
    assert start_messages(world, handle) == []


async def test_no_button_when_cancelled(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    day = planned.occurrence_date.isoformat()
    skipped = await world.sim.slash(
        handle.leader, "schedule skip", channel=handle.lobby, options={"date": day}
    )
    assert skipped.ephemeral
    cancelled = await schedule_store.get_session(world.bot.db, planned.id)
    assert cancelled is not None and cancelled.status == "cancelled"
    await world.advance(days=2)
    assert start_messages(world, handle) == []


async def test_a_moved_session_offers_the_button_at_its_new_time(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    tomorrow = (world.clock.now() + timedelta(days=1)).date()
    series = await world.sim.slash(
        handle.leader,
        "schedule set",
        channel=handle.lobby,
        options={"cadence": "weekly", "weekday": tomorrow.weekday(), "time": "19:00"},
    )
    (planned,) = await schedule_store.planned_for_group(
        world.bot.db, handle.group.id, ending_after=world.clock.now()
    )
    assert planned.occurrence_date == tomorrow, series.text
    day = tomorrow.isoformat()
    moved = await world.sim.slash(
        handle.leader,
        "schedule move",
        channel=handle.lobby,
        options={"date": day, "new_date": day, "new_time": "20:30"},
    )
    assert moved.ephemeral, moved.text
    await until_due(world, planned)
    await world.advance(minutes=1)
    assert start_messages(world, handle) == []  # the old time
    await world.advance(minutes=90)
    (message,) = start_messages(world, handle)
    assert message.custom_ids() == {f"{PREFIX}{planned.id}"}


async def test_button_starts_its_own_session_late_in_a_long_one(scenario) -> None:
    """Pressed 2.5 h into a 4-hour session: that session, not an ad-hoc one (±2 h window)."""
    world = scenario
    handle = await make_group(world, size=2)
    when = (world.clock.now() + timedelta(days=1)).date().isoformat()
    await world.sim.slash(
        handle.leader,
        "schedule once",
        channel=handle.lobby,
        options={"date": when, "time": "12:00", "duration": 240},
    )
    (planned,) = await schedule_store.planned_for_group(
        world.bot.db, handle.group.id, ending_after=world.clock.now()
    )
    await until_due(world, planned)
    await world.advance(minutes=1)
    (message,) = start_messages(world, handle)
    await world.advance(minutes=150)
    started = await world.sim.click(handle.leader, message, f"{PREFIX}{planned.id}")
    assert "The session has started" in started.text, started.text
    live = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert live is not None and live.id == planned.id
    assert live.scheduled_end == planned.scheduled_end
    count = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM sessions")
    assert count["n"] == 1  # no ad-hoc row


async def test_members_pressing_the_start_button_learn_what_happens_and_where(scenario) -> None:
    """A member presses the leaders' button: told a leader starts it and the message will
    say where; once started (by the button or by /session start), the lobby message and
    a press of a stale button both point to the session's channel."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    member = handle.members[0]
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    await world.advance(minutes=1)
    (message,) = start_messages(world, handle)
    custom_id = f"{PREFIX}{planned.id}"
    early = await sim.click(member, message, custom_id)
    assert early.ephemeral and texts.DUE_MEMBER in early.text
    await sim.click(handle.leader, message, custom_id)
    live = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert live is not None
    channel = f"<#{live.text_channel_id}>"
    assert channel in world.sim.world.messages[message.id].content

    other = await make_group(
        world, name="Thursday group", leader=world.people[5], size=0, members=[world.people[6]]
    )
    planned = await schedule_tomorrow(world, other)
    await until_due(world, planned)
    await world.advance(minutes=1)
    (stale,) = start_messages(world, other)
    await world.sim.slash(other.leader, "session start", channel=other.lobby)
    live = await session_store.live_for_group(world.bot.db, other.group.id)
    assert live is not None and live.id == planned.id
    late = await sim.click(world.people[6], stale, f"{PREFIX}{planned.id}")
    assert late.ephemeral and f"<#{live.text_channel_id}>" in late.text, late.text


async def test_a_slash_start_tells_the_lobby_where_the_session_is(scenario) -> None:
    """Started with /session start (early, or with no button offered), the members waiting
    in the lobby are told where the session is, once, without a ping."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    before = len(sim.messages_in(handle.lobby))
    await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    live = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert live is not None
    posted = [m for m in sim.messages_in(handle.lobby)[before:] if not m.ephemeral]
    assert [m.content for m in posted] == [
        texts.SESSION_OPEN.format(group=handle.name, channel=f"<#{live.text_channel_id}>")
    ]


@pytest.mark.parametrize(("status", "code"), [(403, 50001), (403, 50013), (404, 10003)])
async def test_a_lobby_refusing_the_button_tells_the_leaders(scenario, status, code) -> None:
    """The lobby hidden from my role, closed to my posts or just deleted: no error in the
    log (it is a server setting, not a bug), and the leaders learn how to start anyway."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    sim.inject("POST", "/channels/{channel_id}/messages", status, code)
    await world.advance(minutes=1)
    assert start_messages(world, handle) == []
    assert not world.problems(), world.problems()
    told = [m.content for m in sim.messages_in(sim.channel(handle.group.leaders_channel_id))]
    assert texts.DUE_NOT_POSTED.format(group=handle.group.name) in told
