"""Facilitation paths beyond the whole meeting: auto-advance and auto-end, a rate limit and a
server error on a phase change, a restart in the closing phase, a co-leader named during the
session, and the leader leaving the server."""

from __future__ import annotations

import pytest

from bot.store import groups as group_store
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.session_support import leader, phase, press, reload, start_session, who_can_post
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"


async def test_auto_advance_moves_the_phase_at_its_deadline(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await world.advance(minutes=4, seconds=59)
    assert await phase(world, session) == "check_in"
    await world.advance(seconds=1)
    assert await phase(world, session) == "case_call"
    assert any("Who has a case?" in m.content for m in world.sim.messages_in(channel))
    # The case call cannot move on by itself without a presenter: the leaders decide.
    await world.advance(minutes=10)
    assert await phase(world, session) == "case_call"
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase next", channel)
    await world.advance(minutes=10)
    assert await phase(world, session) == "questions"
    assert who_can_post(world, channel, handle.everyone) == {u.name for u in handle.everyone}


async def test_auto_advance_off_never_moves(scenario):
    world = scenario
    handle = await make_group(world, size=2)
    session, _ = await start_session(world, handle)
    await world.advance(minutes=30)
    assert await phase(world, session) == "check_in"


async def test_auto_end_ends_at_the_scheduled_end(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_end=1)
    session, channel = await start_session(world, handle)
    end = (await reload(world, session)).scheduled_end
    assert end is not None
    await world.advance(seconds=(end - world.clock.now()).total_seconds() - 1)
    assert (await reload(world, session)).status == "live"
    await world.advance(seconds=1)
    fresh = await reload(world, session)
    assert fresh.status == "ended" and fresh.ended_at == end
    assert who_can_post(world, channel, handle.everyone) == set()
    time_up = [m.content for m in sim.dms_to(handle.leader) if "time is up" in m.content]
    # The bot ends it itself: the leaders are not told to run /session end.
    assert time_up and not any("/session end" in text for text in time_up)
    purge = await world.bot.db.fetchone(
        "SELECT 1 FROM timers WHERE dedupe_key = ?", (f"purge:{session.id}",)
    )
    assert purge is not None


@pytest.mark.parametrize(("status", "times", "what"), [(429, 5, 429), (503, 1, 500)])
async def test_rate_limit_or_server_error_on_a_phase_change(scenario, status, times, what):
    """429 beyond discord.py's 5 tries, or a 503 (not retried): the store stays, the leader
    is told what failed, and the next try moves the meeting on."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject("PUT", PERMISSION_ROUTE, status, times=times, retry_after=0)
    result = await leader(world, handle, "phase next", channel)
    assert result.ephemeral
    assert result.text == texts.APPLY_FAILED.format(
        what=texts.APPLY_FAILED_WHAT[what],
        phase=texts.PHASE_NAMES["case_call"],
        todo=texts.APPLY_FAILED_TODO[what],
    )
    assert "Manage Roles" not in result.text  # Discord was busy: no admin can help
    fresh = await reload(world, session)
    assert fresh.phase == "case_call" and fresh.applied_phase == "case_call"
    assert len(sim.calls_matching("PUT", PERMISSION_ROUTE)) >= times
    result = await leader(world, handle, "phase next", channel)
    assert result.text == texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["presentation"])
    assert (await reload(world, session)).applied_phase == "presentation"
    assert who_can_post(world, channel, handle.everyone) == {
        handle.leader.name,
        handle.members[0].name,
    }


async def test_a_channel_deleted_during_a_phase_change_is_not_blamed_on_discord(scenario):
    """404 Unknown Channel on an overwrite: deleted by hand meanwhile, not Discord failing."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject("PUT", PERMISSION_ROUTE, 404, 10003)
    result = await leader(world, handle, "phase next", channel)
    assert result.text == texts.APPLY_FAILED.format(
        what=texts.APPLY_FAILED_WHAT[404],
        phase=texts.PHASE_NAMES["case_call"],
        todo=texts.APPLY_FAILED_TODO[404],
    )
    assert "did not answer properly" not in result.text
    assert (await reload(world, session)).applied_phase == "case_call"


async def test_restart_in_the_closing_phase(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="closing")
    everyone = {u.name for u in handle.everyone}
    assert who_can_post(world, channel, handle.everyone) == everyone
    await world.restart()
    assert who_can_post(world, channel, handle.everyone) == everyone
    await world.advance(minutes=3, seconds=30)  # the phase warning was re-armed from the store
    warned = f"{handle.name}: “{texts.PHASE_NAMES['closing']}” ends"
    assert any(m.content.startswith(warned) for m in sim.dms_to(handle.leader))
    result = await press(world, handle.leader, session, "next")
    assert texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["ended"]) in result.text
    fresh = await reload(world, session)
    assert fresh.status == "ended" and fresh.phase == "ended"
    assert who_can_post(world, channel, handle.everyone) == set()


async def test_co_leader_named_during_the_session_gets_the_leaders_allow(scenario):
    """A co-leader named mid-meeting may write at once: one PUT, his, with the naming."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    co = handle.members[0]
    assert not sim.can(co, channel, "send_messages")
    sim.reset_calls()
    named = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.leader, "co_leader": co, "group": handle.name},
    )
    assert named.ephemeral, named.text
    puts = [
        c for c in sim.calls_matching("PUT", PERMISSION_ROUTE) if c.url.find(str(channel.id)) > 0
    ]
    assert [c.params["overwrite_id"] for c in puts] == [str(co.id)]  # one call, only his
    assert who_can_post(world, channel, handle.everyone) == {handle.leader.name, co.name}
    sim.reset_calls()
    result = await sim.slash(co, "phase next", channel=channel)  # full control too
    assert result.text == texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["case_call"])
    puts = sim.calls_matching("PUT", PERMISSION_ROUTE)
    assert [c.params["overwrite_id"] for c in puts if c.params["overwrite_id"] == str(co.id)] == []
    assert who_can_post(world, channel, handle.everyone) == {handle.leader.name, co.name}
    await leader(world, handle, "phase next", channel)  # no presenter: refused, nothing written
    await sim.slash(co, "session end", channel=channel)
    assert who_can_post(world, channel, handle.everyone) == set()  # his allow lifted too


async def test_leader_leaves_the_server_co_leader_keeps_control(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    co = handle.co_leader
    assert co is not None
    await sim.leave_server(handle.leader)
    assert sim.member(world.guild, handle.leader) is None
    result = await sim.slash(co, "phase next", channel=channel)
    assert result.text == texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["case_call"])
    picked = await sim.slash(
        co, "session presenter", channel=channel, options={"member": handle.members[0]}
    )
    assert "presents (case 1" in picked.text
    result = await press(world, co, session, "next")
    assert texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["presentation"]) in result.text
    assert await phase(world, session) == "presentation"
    assert who_can_post(world, channel, handle.members + [co]) == {co.name, handle.members[0].name}
    await world.advance(minutes=9)  # the warning goes to the leaders still on the server
    assert any("“Presentation” ends" in m.content for m in sim.dms_to(co))
    ended = await sim.slash(co, "session end", channel=channel)
    assert ended.ephemeral
    assert (await session_store.get(world.bot.db, session.id)).status == "ended"


async def test_a_leader_who_steps_down_loses_the_leaders_allow(scenario):
    """The allow written at the start goes as soon as he steps down."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    former = handle.co_leader
    await leader(world, handle, "turns", channel, mode="strict")
    assert who_can_post(world, channel, [*handle.everyone, former]) == {
        handle.leader.name,
        former.name,
    }
    named = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.leader, "group": handle.name},
    )
    assert named.ephemeral, named.text
    assert who_can_post(world, channel, [*handle.everyone, former]) == {handle.leader.name}
    await leader(world, handle, "turns", channel, mode="open")
    await leader(world, handle, "phase next", channel)  # case call: everyone may write
    presenter = handle.members[1]
    await leader(world, handle, "session presenter", channel, member=presenter)
    await leader(world, handle, "phase next", channel)  # presentation
    assert await phase(world, session) == "presentation"
    assert who_can_post(world, channel, [*handle.everyone, former]) == {
        handle.leader.name,
        presenter.name,
    }
    await leader(world, handle, "session end", channel)
    assert who_can_post(world, channel, [*handle.everyone, former]) == set()
