"""Meeting-flow edges found by review: a removal's answers, rounds and who is in them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import rsvps as rsvp_store
from bot.texts import facilitation as texts
from tests.case_helpers import planned_meeting
from tests.session_support import (
    enforced_voice_session,
    leader,
    press,
    reload,
    round_order,
    start_session,
    status_message,
    who_can_post,
)
from tests.support import make_group

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00


async def test_removed_and_added_back_a_member_starts_fresh_for_the_next_meeting(
    scenario: Scenario,
) -> None:
    """Removed, then added back before the meeting: their old "yes" and their case offer
    came back with them, so the leaders counted on a presence and a case nobody renewed."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    member, other = handle.members[:2]
    session_id = await planned_meeting(scenario, handle, MEETING)
    now = scenario.clock.now()
    for user in (member, other):
        await rsvp_store.answer(scenario.bot.db, session_id, user.id, "yes", now)
        await case_store.set_offer(scenario.bot.db, session_id, user.id, "case", now)
    removed = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": member}
    )
    assert not sim.can(member, handle.lobby), removed.text
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": member})
    await sim.settle()
    assert sim.can(member, handle.lobby)
    roster = await sim.slash(handle.leader, "schedule roster", channel=handle.lobby)
    said_yes = roster.text.split("\n")[1]
    assert f"<@{other.id}>" in said_yes and f"<@{member.id}>" not in said_yes, roster.text
    offers = await sim.slash(handle.leader, "case offers", channel=handle.lobby)
    assert f"<@{other.id}>" in offers.text and f"<@{member.id}>" not in offers.text, offers.text
    assert await rsvp_store.for_session(scenario.bot.db, session_id) == {other.id: "yes"}


async def test_a_member_back_from_away_during_a_round_takes_a_turn_at_its_end(
    scenario: Scenario,
) -> None:
    """Away when the round began, back with /back during it: they were left out, so the
    check-in went round without them; now they speak after the last one in the order."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    await sim.slash(a, "away", channel=channel)
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [b.id, c.id]
    back = await sim.slash(a, "back", channel=channel)
    assert "Welcome back" in back.text
    assert await round_order(world, session.id) == [b.id, c.id, a.id]
    assert any(
        f"<@{a.id}>" in m.content and "end of the round" in m.content
        for m in sim.messages_in(channel)
    )
    await press(world, b, session, "done")
    await press(world, c, session, "done")
    fresh = await reload(world, session)
    assert fresh.floor_holder_id == a.id and fresh.round_phase == "check_in"
    assert who_can_post(world, channel, handle.members) == {a.name}


async def test_a_member_who_joins_the_voice_late_has_their_turn_in_theround_order(
    scenario: Scenario,
) -> None:
    """Present by voice only, joined after /round start: the round calls on those present
    (a and b, in the voice channel), and c, first seen when they join, gets a turn at its
    end: their turn comes and the bot unmutes them."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    a, b, c = handle.members
    session, channel, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id]
    assert await sim.voice_join(c, voice)
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id, c.id]
    assert world.member(c).mute and not world.member(a).mute  # a's turn
    await press(world, a, session, "done")
    await press(world, b, session, "done")
    assert (await reload(world, session)).floor_holder_id == c.id
    assert not world.member(c).mute and world.member(b).mute


async def test_rejoining_the_voice_after_dropping_out_is_being_back(scenario: Scenario) -> None:
    """Said /away (connection lost) before the round, then rejoined the session's voice:
    they are back, so they are no longer shown away and take a turn at the round's end."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    a, b, c = handle.members
    session, channel, voice = await enforced_voice_session(world, handle, [a, b, c])
    await sim.slash(c, "away", channel=channel)
    await sim.voice_leave(c)
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id]
    assert await sim.voice_join(c, voice)
    assert await round_order(world, session.id) == [a.id, b.id, c.id]
    away = await world.bot.db.fetchall(
        "SELECT user_id FROM session_away WHERE session_id = ?", (session.id,)
    )
    assert not away


def _field(message, name: str) -> str:  # noqa: ANN001
    fields = {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}
    return fields.get(name, "")


async def test_the_status_shows_whose_turn_who_is_next_and_who_in_the_round_is_away(
    scenario: Scenario,
) -> None:
    """A leader running the round from a phone reads the status message: the round named
    whose turn it is and who follows, but not that the one due next had dropped out."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    await leader(world, handle, "round start", channel, phase="check_in")
    await sim.slash(b, "away", channel=channel)
    shown = _field(await status_message(world, session), texts.STATUS_FIELD_ROUND)
    assert shown == f"**<@{a.id}>** → <@{b.id}> (away) → <@{c.id}>", shown
    await press(world, a, session, "done")  # b's turn comes while b is away
    status = await status_message(world, session)
    assert _field(status, texts.STATUS_FIELD_FLOOR) == f"<@{b.id}> (away)"
    assert _field(status, texts.STATUS_FIELD_ROUND).startswith(f"<@{a.id}> → **<@{b.id}>** (away)")


async def test_a_round_calls_on_those_present_and_a_late_arrival_at_its_end(
    scenario: Scenario,
) -> None:
    """Of four members, two are at the meeting (they wrote in the channel): the round calls
    on those two, not on the two who never came, whom the leader would have had to skip.
    One of the others arrives during the round (their first message): a turn at its end."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    a, b, c, d = handle.members
    session, channel = await start_session(world, handle)
    for member in (b, a):
        assert await sim.post(member, channel, "here") is not None
    await sim.settle()
    await leader(world, handle, "round start", channel, phase="check_in")
    assert await round_order(world, session.id) == [a.id, b.id]  # the group's order
    assert await sim.post(c, channel, "sorry, just got here") is not None
    await sim.settle()
    assert await round_order(world, session.id) == [a.id, b.id, c.id]
    assert d.id not in await round_order(world, session.id)
