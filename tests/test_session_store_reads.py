"""What one interaction of a meeting costs the store, and that reading less shows the same.

Issue #5 wants session commands fast at 1,000 interactions/s; store statements are a
large part of the bot's own work per interaction.  The budgets are what the bot needs
now (a hand lowered took 17 statements, a phase change 23, before the session, its
group, its leaders and its state were read once each per change; 11 and 14 before a
change wrote only what changed and read the session, group and state in one statement):
a change that reads the same rows twice again fails here.  The status message is
rendered from the state the change stored rather than read back: it must show what the
store holds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.domain.phases import Phase
from bot.sim.scenario import Scenario
from bot.store import attendance as attendance_store
from bot.texts import facilitation as facilitation_texts
from bot.texts.common import WHO_MAY
from cogs._session_status import render
from cogs._session_views import status_components, status_view
from tests.session_support import button, leader, press, reload, start_session, status_message
from tests.support import make_group

WRITES_AND_READS = ("fetchone", "fetchall", "execute", "rowcount", "executemany", "insert_id")


async def statements(world: Scenario, action: Callable[[], Awaitable[Any]]) -> int:
    """Store statements `action` caused, everything it set off included (it settles)."""
    db = world.bot.db
    count = 0

    def counting(name: str) -> Any:
        original = getattr(db, name)

        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            return await original(*args, **kwargs)

        return wrapped

    saved = {name: getattr(db, name) for name in WRITES_AND_READS}
    for name in WRITES_AND_READS:
        setattr(db, name, counting(name))
    try:
        await action()
        await world.sim.settle()
    finally:
        for name, original in saved.items():
            setattr(db, name, original)
    return count


async def test_a_lowered_hand_costs_at_most_four_statements(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    message = await status_message(world, session)
    await world.sim.click(a, message, button(message, "raise"))  # a's first signal: recorded
    message = await status_message(world, session)
    # Read the session with its group, the caller's membership and entry (the presence
    # facts), the session again under its lock with its group and state (one statement),
    # the save (a's row removed from the queue; the session's row is as it was), the acks.
    used = await statements(world, lambda: world.sim.click(a, message, button(message, "lower")))
    assert used <= 4, used


async def test_a_first_raised_hand_costs_at_most_six_statements(scenario):
    """The first signal of a member writes their entry with one statement (written only if
    the entry is still as read), not a transaction that reads it again."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    message = await status_message(world, session)
    seen: list[str] = []
    world.bot.db.conn.set_trace_callback(seen.append)
    try:
        press = world.sim.click(a, message, button(message, "raise"))
        used = await statements(world, lambda: press)
    finally:
        world.bot.db.conn.set_trace_callback(None)
    entry = await attendance_store.entry(world.bot.db, session.id, a.id)
    assert entry is not None and (entry.status, entry.source) == ("present", "command")
    # The session with its group, a's membership and the presence facts, a's entry, the
    # session under its lock with its state and a's membership again (checked there: a
    # removal meanwhile is not undone, tests/test_stale_member_reads.py), a's place in the
    # queue, the arrival's check (a round under way without a?), the acks; no BEGIN and
    # COMMIT (each write is one).
    assert used <= 6, used
    assert [s for s in seen if s.startswith("BEGIN")] == []


async def test_a_button_checks_the_caller_with_the_membership_read_with_the_session(scenario):
    """The press reads the caller's membership with the session: a member is still refused a
    leader's button, and a leader still may."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    message = await status_message(world, session)
    await world.sim.click(a, message, button(message, "raise"))
    message = await status_message(world, session)
    refused = await world.sim.click(a, message, button(message, "nextspk"))
    assert refused.ephemeral and "leader" in refused.text.lower(), refused.text
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert (
        live is not None
        and live.state.floor_holder is None
        and list(live.state.hand_queue) == [a.id]
    )
    message = await status_message(world, session)
    await world.sim.click(handle.leader, message, button(message, "nextspk"))
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert live is not None and live.state.floor_holder == a.id


async def test_a_phase_change_costs_at_most_thirteen_statements(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)  # the leader's presence is recorded
    assert (await reload(world, session)).phase == "case_call"
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    used = await statements(world, lambda: leader(world, handle, "phase next", channel))
    assert (await reload(world, session)).phase == "presentation"
    assert used <= 10, used


async def test_the_status_shows_what_the_store_holds(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b, c = handle.members[:3]
    for user, action in ((b, "raise"), (a, "raise"), (c, "raise"), (b, "lower")):
        message = await status_message(world, session)
        await world.sim.click(user, message, button(message, action))
    message = await status_message(world, session)
    await world.sim.click(handle.leader, message, button(message, "nextspk"))
    message = await status_message(world, session)
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert live is not None and live.state.floor_holder == a.id
    embed, view = await render(world.bot, live)
    assert message.embeds == [embed.to_dict()]
    assert message.custom_ids() == {item.custom_id for item in view.children}  # type: ignore[attr-defined]


def test_the_status_buttons_payload_is_what_the_view_gives():
    """The edit sends a payload built without a View: it must be the very same buttons."""
    for phase in Phase:
        for holder in (None, 0, 1234):
            expected = status_view(77, phase, holder).to_components()
            sent = status_components(77, phase, holder).to_components()
            assert sent == expected
            sent[0]["components"][0]["label"] = "changed"  # one edit's payload is its own
            assert status_components(77, phase, holder).to_components() == expected


def test_the_status_buttons_payload_builds_no_discord_view(monkeypatch):
    """Every status edit shows a new state (phase, floor holder): building a View and its
    eight buttons for it cost more CPU than the rest of the render (issue #5)."""

    def no_button(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a discord.py Button was built for the status payload")

    monkeypatch.setattr(discord.ui.Button, "__init__", no_button)
    for holder in (None, 4321, 8765):
        assert len(status_components(91, Phase.DISCUSSION, holder).to_components()) == 3


async def test_a_phase_change_that_moves_only_the_phase_opens_no_transaction(scenario):
    """The session's row alone is one statement, atomic by itself: no BEGIN and COMMIT."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    seen: list[str] = []
    world.bot.db.conn.set_trace_callback(seen.append)
    try:
        await leader(world, handle, "phase next", channel)  # check-in -> case call
        await world.sim.settle()
    finally:
        world.bot.db.conn.set_trace_callback(None)
    assert (await reload(world, session)).phase == "case_call"
    began = [s for s in seen if s.startswith("BEGIN")]
    assert began == [], began


async def _end_costs(world: Scenario, name: str, people: list[Any]) -> int:
    """Statements of `/session end` (its follow-up work included) for a group of `people`."""
    handle = await make_group(world, name=name, leader=people[0], members=people[1:])
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)  # the leader is present
    used = await statements(world, lambda: leader(world, handle, "session end", channel))
    assert (await reload(world, session)).status == "ended"
    return used


async def test_the_end_costs_the_same_for_a_small_and_a_large_group(scenario):
    """Attendance and who led it are written by one statement each, not one per member."""
    world = scenario
    small = await _end_costs(world, "Small group", world.people[:3])
    large = await _end_costs(world, "Large group", world.people[3:12])
    assert large == small, (small, large)


async def test_a_session_command_reads_group_caller_and_session_together_and_checks_the_same(
    scenario,
):
    """One statement finds the group from the channel (the lobby, or the session channel by
    its category), the caller's membership and the live session: the answers are as before."""
    world = scenario
    handle = await make_group(world, name="Monday group", size=4)
    other = await make_group(
        world, name="Friday group", leader=world.people[5], members=[handle.leader]
    )
    general = world.sim.add_channel(world.guild, "general")
    no_session = await leader(world, handle, "phase next", handle.lobby)
    assert no_session.text == facilitation_texts.NO_LIVE_SESSION
    session, channel = await start_session(world, handle)
    member = await world.sim.slash(handle.members[0], "phase next", channel=channel)
    assert member.text == WHO_MAY["leaders"]
    assert (await reload(world, session)).phase == "check_in"
    stranger = await world.sim.slash(
        other.leader, "phase next", channel=general, options={"group": "Monday group"}
    )
    assert stranger.text == WHO_MAY["leaders"]
    named = await world.sim.slash(
        handle.leader, "phase next", channel=general, options={"group": "Monday group"}
    )
    assert (await reload(world, session)).phase == "case_call", named.text
    elsewhere = await world.sim.slash(handle.leader, "phase next", channel=other.lobby)
    assert elsewhere.text == WHO_MAY["leaders"]  # the Friday group's lobby means that group
    await leader(world, handle, "turns", handle.lobby, mode="hands")  # from the lobby
    assert (await reload(world, session)).turn_mode == "hands"


async def test_a_presence_write_is_made_only_on_the_entry_it_was_decided_on(scenario):
    """The one-statement write of a presence signal does nothing if the entry changed since
    it was read (a leader's mark in between): the signal then decides again."""
    world = scenario
    handle = await make_group(world, size=3)
    session, _ = await start_session(world, handle)
    db, now, a = world.bot.db, world.bot.now(), handle.members[0]
    put = attendance_store.put_if_unchanged
    assert await put(db, session.id, a.id, "present", "button", now, None)
    written = await attendance_store.entry(db, session.id, a.id)
    assert written is not None and written.status == "present"
    await attendance_store.put(db, session.id, a.id, "absent", "leader", now)  # a's mark
    assert not await put(db, session.id, a.id, "present", "voice", now, None)
    assert not await put(db, session.id, a.id, "present", "voice", now, written)
    kept = await attendance_store.entry(db, session.id, a.id)
    assert kept is not None and (kept.status, kept.source) == ("absent", "leader")
    assert await put(db, session.id, a.id, "excused", "leader", now, kept)
    # The cog's signal after the mark: a leader's correction is never overwritten.
    world.bot.dispatch("balint_member_present", session.id, a.id, "voice")
    await world.sim.settle()
    last = await attendance_store.entry(db, session.id, a.id)
    assert last is not None and (last.status, last.source) == ("excused", "leader")


async def test_done_in_a_go_round_costs_at_most_eight_statements(scenario):
    """ "Done" passes the turn on: the turn's start time is stored with the turn time read
    under the lock with the session, not read back from the session's row again."""
    world = scenario
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    for member in handle.members:
        await press(world, member, session, "here")
    await leader(world, handle, "turns", channel, mode="strict")
    await leader(world, handle, "round start", channel, turn_minutes=2)
    first = (await reload(world, session)).floor_holder_id
    holder = next(m for m in handle.members if m.id == first)
    message = await status_message(world, session)
    # The session with its group, the caller's membership and the presence facts, the
    # session under its lock with its state, the saved overwrites, the next speaker's
    # overwrite as it was, the row, the turn's start, the turn's timer, the acks.
    used = await statements(
        world, lambda: world.sim.click(holder, message, button(message, "done"))
    )
    fresh = await reload(world, session)
    assert fresh.floor_holder_id not in (None, first)
    assert fresh.round_turn_minutes == 2 and fresh.turn_started_at == world.bot.now()
    assert used <= 8, used


async def test_i_am_here_once_recorded_costs_one_statement(scenario):
    """The press reads the presser's entry with the session (session_group.get_for): its
    presence signal decides on those facts ("already present": nothing to write) and reads
    nothing again; the first press still records them present, from the button."""
    world = scenario
    handle = await make_group(world, size=3)
    session, _ = await start_session(world, handle)
    a = handle.members[0]
    await press(world, a, session, "here")
    entry = await attendance_store.entry(world.bot.db, session.id, a.id)
    assert entry is not None and (entry.status, entry.source) == ("present", "button")
    message = await status_message(world, session)
    used = await statements(world, lambda: world.sim.click(a, message, button(message, "here")))
    assert used <= 1, used
