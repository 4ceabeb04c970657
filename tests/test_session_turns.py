"""Turn-taking: hands, strict floor, Done, Pass, rounds, /away, timers, enforced voice."""

from __future__ import annotations

from bot.sim import payloads
from bot.store import session_perms
from bot.texts import facilitation as texts
from tests.session_support import (
    enforced_voice_session,
    leader,
    press,
    reload,
    start_session,
    who_can_post,
)
from tests.support import make_group


async def test_hands_queue_order_and_next_speaker_in_strict(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members[:3]
    for user in (b, a, c):
        await press(world, user, session, "raise")
    again = await press(world, a, session, "raise")
    assert "number 2" in again.text
    await press(world, c, session, "lower")
    state = await world.bot.db.fetchall(
        "SELECT user_id FROM session_queue WHERE session_id = ? AND kind = 'hand' "
        "ORDER BY position",
        (session.id,),
    )
    assert [r["user_id"] for r in state] == [b.id, a.id]
    assert who_can_post(world, channel, [a, b, c]) == set()
    await press(world, handle.leader, session, "nextspk")
    assert who_can_post(world, channel, [a, b, c]) == {b.name}
    refused = await press(world, a, session, "done")
    assert "do not have the floor" in refused.text
    await press(world, b, session, "done")
    assert who_can_post(world, channel, [a, b, c]) == set()
    await press(world, handle.leader, session, "nextspk")
    assert who_can_post(world, channel, [a, b, c]) == {a.name}
    await leader(world, handle, "floor give", channel, member=c)
    assert who_can_post(world, channel, [a, b, c]) == {c.name}
    assert (await reload(world, session)).floor_holder_id == c.id


async def test_round_with_done_pass_and_turn_timer(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    await leader(world, handle, "round start", channel, phase="closing", turn_minutes=2)
    fresh = await reload(world, session)
    assert fresh.phase == "closing" and fresh.floor_holder_id == a.id
    assert who_can_post(world, channel, handle.members) == {a.name}
    refused = await press(world, b, session, "pass")
    assert "not your turn" in refused.text
    await press(world, a, session, "done")
    assert who_can_post(world, channel, handle.members) == {b.name}
    await press(world, b, session, "pass")
    assert who_can_post(world, channel, handle.members) == {c.name}
    await world.advance(minutes=3)  # c's turn runs out: the round ends, gently
    fresh = await reload(world, session)
    assert fresh.floor_holder_id is None and fresh.round_phase is None
    lines = [m.content for m in sim.messages_in(channel)]
    assert any("Time for this turn is up; thank you" in line for line in lines)


async def test_away_waits_two_minutes_then_drops_the_hand(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b = handle.members[:2]
    await press(world, a, session, "raise")
    await press(world, b, session, "raise")
    result = await sim.slash(a, "away", channel=channel)
    assert "waits for you" in result.text
    lines = [m.content for m in sim.messages_in(channel)]
    assert any("lost connection; the group waits 2 minutes" in line for line in lines)
    assert any("lost connection" in m.content for m in sim.dms_to(handle.leader))
    await world.advance(minutes=1)
    back = await sim.slash(b, "back", channel=channel)
    assert "were not marked as away" in back.text
    await world.advance(minutes=2)
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_queue WHERE session_id = ? AND kind = 'hand'", (session.id,)
    )
    assert [r["user_id"] for r in rows] == [b.id]
    result = await sim.slash(a, "back", channel=channel)
    assert "Welcome back" in result.text


async def test_phase_warning_scheduled_end_and_silence_nudge(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await world.advance(minutes=3, seconds=30)
    assert any("“Check-in” ends" in m.content for m in sim.dms_to(handle.leader))
    assert not any("ends" in m.content for m in sim.dms_to(handle.members[0]))
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase goto", channel, phase="discussion")
    await world.advance(minutes=2)
    await sim.post(handle.members[1], channel, "a thought")
    await world.advance(minutes=2)
    assert not any("no message" in m.content for m in sim.dms_to(handle.leader))
    await world.advance(minutes=2)
    assert any("no message in the discussion" in m.content for m in sim.dms_to(handle.leader))
    assert not any("no message" in m.content for m in sim.dms_to(handle.members[1]))
    await world.advance(minutes=105)  # the ad-hoc session is planned for 110 minutes
    dms = [m.content for m in sim.dms_to(handle.leader)]
    assert any("due to end" in d for d in dms) and any("time is up" in d for d in dms)
    assert (await reload(world, session)).status == "live"  # never ended by itself


async def test_a_leader_moves_a_round_on_past_a_member_who_is_not_there(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    await leader(world, handle, "round start", channel, phase="check_in")
    assert (await reload(world, session)).floor_holder_id == a.id
    refused = await press(world, a, session, "nextspk")  # for leaders only
    assert refused.ephemeral
    assert (await reload(world, session)).floor_holder_id == a.id
    moved = await press(world, handle.leader, session, "nextspk")  # a is not there
    assert moved.messages[-1].ephemeral
    assert f"<@{b.id}> has the floor" in moved.messages[-1].content
    assert who_can_post(world, channel, handle.members) == {b.name}
    assert any(f"<@{b.id}>, your turn" in m.content for m in sim.messages_in(channel))
    await press(world, b, session, "done")
    last = await press(world, handle.leader, session, "nextspk")
    assert "round is complete" in last.messages[-1].content
    fresh = await reload(world, session)
    assert fresh.floor_holder_id is None and fresh.round_phase is None


async def test_closed_dms_leaders_notices_stay_with_the_leaders(scenario):
    """A leader with closed DMs: the phase warning in the session channel (the plan allows
    it), the silence nudge in the leaders' channel, never where members read."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    handle.leader.dms_closed = True
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    session, channel = await start_session(world, handle)
    await world.advance(minutes=3, seconds=30)
    assert any("“Check-in” ends" in m.content for m in sim.messages_in(channel))
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase goto", channel, phase="discussion")
    await world.advance(minutes=4)
    nudge = "no message in the discussion"
    assert not any(nudge in m.content for m in sim.messages_in(channel))
    assert any(nudge in m.content for m in sim.messages_in(leaders_channel))
    assert not sim.can(handle.members[1], leaders_channel, "view_channel")


async def test_enforced_voice_mutes_exactly_and_lifts(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    a, b, c, d = handle.members
    session, channel, voice = await enforced_voice_session(world, handle, [a, b, c])
    world.member(c).mute = True  # muted by a moderator, not by the bot
    sim.dispatch("VOICE_STATE_UPDATE", payloads.voice_state(world.member(c)))
    await sim.settle()
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    sim.reset_calls()
    await leader(world, handle, "phase next", channel)  # presentation: only a and leaders
    edits = [c_ for c_ in sim.calls if c_.route == "/guilds/{guild_id}/members/{user_id}"]
    assert sorted(int(e.params["user_id"]) for e in edits) == [b.id]
    assert (
        world.member(b).mute and not world.member(a).mute and not world.member(handle.leader).mute
    )
    assert await sim.voice_join(d, voice)  # joins mid-presentation: muted on join
    assert world.member(d).mute
    await leader(world, handle, "phase next", channel)  # questions: everyone speaks again
    assert not world.member(b).mute and not world.member(d).mute
    assert world.member(c).mute  # never unmuted by the bot
    await leader(world, handle, "phase next", channel)  # discussion: a listens
    assert world.member(a).mute
    await sim.voice_leave(a)
    assert await session_perms.mute_of(world.bot.db, world.guild.id, a.id) is not None
    other = sim.add_channel(world.guild, "lounge", "voice")
    assert await sim.voice_join(a, other)  # lifted at the next join anywhere
    assert not world.member(a).mute
    assert await sim.voice_join(a, voice)
    assert world.member(a).mute
    await world.stop()
    world.member(a).voice_channel_id = other.id  # moved while the bot was down
    await world.start()
    await sim.settle()
    assert not world.member(a).mute
    await sim.voice_join(a, voice)
    assert world.member(a).mute
    await leader(world, handle, "session end", channel)
    assert not world.member(a).mute and world.member(c).mute
    assert await world.bot.db.fetchall("SELECT * FROM voice_mutes") == []


async def test_voice_turned_advisory_mid_session_lifts_the_bots_mutes_at_once(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    a, b, c = handle.members[:3]
    session, channel, voice = await enforced_voice_session(world, handle, [a, b, c])
    world.member(c).mute = True  # muted by a moderator, not by the bot
    sim.dispatch("VOICE_STATE_UPDATE", payloads.voice_state(world.member(c)))
    await sim.settle()
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)  # presentation: b muted by the bot
    assert world.member(b).mute
    result = await sim.slash(
        handle.leader,
        "settings set",
        channel=channel,
        options={"setting": "voice_mode", "value": "advisory"},
    )
    await sim.settle()
    assert result.ephemeral
    assert not world.member(b).mute
    assert world.member(c).mute  # not the bot's to lift
    assert await session_perms.mutes_for_session(world.bot.db, session.id) == []


async def test_a_mute_set_while_enforced_is_lifted_at_the_end_whatever_the_mode(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    a, b = handle.members[:2]
    session, channel, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)
    assert world.member(b).mute
    # The mode changed behind the bot's back (no event): the end still lifts the mute.
    await world.bot.db.execute(
        "UPDATE groups SET voice_mode = 'advisory' WHERE id = ?", (handle.group.id,)
    )
    await leader(world, handle, "session end", channel)
    assert not world.member(b).mute


async def test_round_start_and_phase_answers_say_what_happened(scenario):
    """A leader reads "Now: Who has a case?" (not "?."), and who speaks first in a round."""
    world = scenario
    handle = await make_group(world, size=3)
    _, channel = await start_session(world, handle)
    result = await leader(world, handle, "phase goto", channel, phase="case_call")
    assert result.text.startswith("Now: Who has a case?") and "?." not in result.text
    result = await leader(world, handle, "round start", channel)
    assert f"<@{handle.members[0].id}>" in result.text, result.text


def test_an_attendance_table_of_one_session_says_so() -> None:
    from datetime import date

    from cogs._attendance_render import group_table

    title = group_table("Thursday", [date(2026, 11, 26)], [("gp-01", ["present"])])
    assert "last session" in title.splitlines()[0] and "1 sessions" not in title


async def test_floor_given_mid_round_says_the_round_was_stopped_not_complete(scenario):
    """A leader gives the floor to someone in the middle of a go-round: the round is cut
    short, and the channel must not thank everyone for a round most never had."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    a, b, c, d = handle.members
    await sim.slash(c, "away", channel=channel)
    await leader(world, handle, "round start", channel, phase="check_in")
    assert (await reload(world, session)).floor_holder_id == a.id
    before = len(sim.messages_in(channel))
    await leader(world, handle, "floor give", channel, member=c)
    lines = "\n".join(m.content for m in sim.messages_in(channel)[before:])
    assert texts.LINE_ROUND_END not in lines
    assert texts.LINE_ROUND_STOPPED in lines
    assert f"{c.mention}, you have the floor." in lines
