"""A whole meeting with two cases, in each turn mode, through the simulator."""

from __future__ import annotations

import pytest

from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.session_support import leader, phase, press, reload, start_session, who_can_post
from tests.support import make_group

ORDER = [
    "check_in",
    "case_call",
    "presentation",
    "questions",
    "discussion",
    "return",
    "case_call",
    "presentation",
    "questions",
    "discussion",
    "return",
    "closing",
]


def expected(mode: str, step: str, everyone: set[str], lead: str, presenter: str) -> set[str]:
    if step in ("presentation", "return"):
        return {lead, presenter}
    if mode == "strict":
        return {lead}
    if step == "discussion":
        return everyone - {presenter}
    return everyone


@pytest.mark.parametrize("mode", ["open", "hands", "strict"])
async def test_whole_meeting_two_cases(scenario, mode):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    people = handle.everyone
    names = {u.name for u in people}
    lead = handle.leader.name
    assert who_can_post(world, channel, [world.outsider]) == set()
    assert not sim.can(world.outsider, channel, "view_channel")
    if mode != "open":
        result = await leader(world, handle, "turns", channel, mode=mode)
        assert "Turns are now" in result.text
    presenters = iter(handle.members[:2])
    presenter = None
    for step in ORDER:
        assert await phase(world, session) == step
        if step == "case_call":
            presenter = next(presenters)
            refused = await leader(world, handle, "phase next", channel)
            assert "Nobody has been chosen" in refused.text
            chosen = await leader(world, handle, "session presenter", channel, member=presenter)
            assert "presents (case" in chosen.text
        want = expected(mode, step, names, lead, presenter.name if presenter else "")
        assert who_can_post(world, channel, people) == want, step
        outsider_post = await sim.post(world.outsider, channel, "x")
        assert outsider_post is None
        for user in people:
            posted = await sim.post(user, channel, "a line")
            assert (posted is not None) == (user.name in want), (step, user.name)
        result = await leader(world, handle, "phase next", channel)
        assert result.ephemeral
    fresh = await reload(world, session)
    assert fresh.status == "ended" and fresh.phase == "ended"
    assert who_can_post(world, channel, people) == set()
    assert sim.can(handle.members[0], channel, "view_channel", "read_message_history")
    assert fresh.cases_done == 2
    rows = await world.bot.db.fetchall(
        "SELECT presenter_id, started_at, ended_at FROM cases WHERE session_id = ? "
        "ORDER BY position",
        (session.id,),
    )
    assert [r["presenter_id"] for r in rows] == [u.id for u in handle.members[:2]]
    assert all(r["started_at"] and r["ended_at"] for r in rows)
    assert fresh.message_count > 0


async def test_presenter_reads_but_cannot_post_in_discussion(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    presenter = handle.members[0]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=presenter)
    await leader(world, handle, "phase goto", channel, phase="discussion")
    assert await phase(world, session) == "discussion"
    assert sim.can(presenter, channel, "view_channel", "read_message_history")
    assert await sim.post(presenter, channel, "may I?") is None
    assert await sim.post(handle.members[1], channel, "I wonder") is not None
    refused = await sim.slash(
        presenter, "floor give", channel=channel, options={"member": presenter}
    )
    assert "Only the group's leaders" in refused.text


async def test_start_twice_and_end_is_idempotent(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    again = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert "already running" in again.text
    refused = await sim.slash(handle.members[0], "session end", channel=channel)
    assert "Only the group's leaders" in refused.text
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    assert "has ended" in ended.text
    assert session.id not in world.bot.get_cog("Facilitation").engine.locks  # none kept for ever
    calls = len(sim.calls)
    again = await sim.slash(handle.leader, "session end", channel=channel)
    assert "already ended" in again.text
    assert not [c for c in sim.calls[calls:] if "permissions" in c.route]
    fresh = await reload(world, session)
    assert fresh.status == "ended" and fresh.ended_at is not None
    events = await world.bot.db.fetchall(
        "SELECT state FROM timers WHERE dedupe_key = ?", (f"purge:{session.id}",)
    )
    assert [e["state"] for e in events] == ["pending"]


async def test_purge_deletes_channels_after_delay_also_after_restart(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    voice_id = (await reload(world, session)).voice_channel_id
    assert sim.channel(voice_id) is not None
    await sim.slash(handle.leader, "session end", channel=channel)
    await world.advance(minutes=30)
    assert sim.channel(channel.id) is not None
    await world.restart()
    await world.advance(minutes=31)
    assert sim.channel(channel.id) is None
    assert sim.channel(voice_id) is None
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None and fresh.purged_at is not None
    rows = await world.bot.db.fetchall(
        "SELECT * FROM saved_overwrites WHERE channel_id = ?", (channel.id,)
    )
    assert rows == []


async def test_purge_tolerates_channel_deleted_by_hand(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=channel)
    await sim.delete_channel(channel)
    await world.advance(minutes=61)
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None and fresh.purged_at is not None


async def test_the_presenter_pushed_back_is_told_when_they_speak_again(scenario):
    """Pressing "Raise hand" in the discussion: the presenter learns they speak again at
    the return, and at the return the channel calls them back in by name."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    presenter = handle.members[0]
    await leader(world, handle, "turns", channel, mode="hands")
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=presenter)
    await leader(world, handle, "phase goto", channel, phase="discussion")
    refused = await press(world, presenter, session, "raise")
    assert texts.REASONS["presenter_listens"] in refused.text
    assert "return" in texts.REASONS["presenter_listens"]
    given = await leader(world, handle, "floor give", channel, member=presenter)
    assert given.text == texts.REASONS["presenter_listens_floor"]
    before = len(sim.messages_in(channel))
    await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "return"
    lines = "\n".join(m.content for m in sim.messages_in(channel)[before:])
    assert texts.LINE_RETURN.format(member=presenter.mention) in lines
    assert await sim.post(presenter, channel, "What struck me") is not None
