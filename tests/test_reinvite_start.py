"""The lobby's start button when the bot was removed from the server and invited back."""

from __future__ import annotations

from datetime import timedelta

from tests.session_support import start_session
from tests.support import make_group
from tests.test_lobby_start import PREFIX, schedule_tomorrow, start_messages
from tests.test_several_planned import two_on_tuesday, weekly


async def _advance_to(world, moment) -> None:  # noqa: ANN001
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_invited_back_during_the_meeting_the_start_button_is_offered(scenario) -> None:
    """Removed ten minutes before the meeting, invited back five minutes into it: the
    leaders find the button in the lobby, as they would have at the start (it was not
    posted while the bot could not reach the server)."""
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await _advance_to(world, planned.scheduled_start - timedelta(minutes=10))
    await world.sim.remove_bot(world.guild)
    await world.advance(minutes=15)
    assert start_messages(world, handle) == []
    await world.sim.reinvite_bot(world.guild)
    await world.advance(seconds=1)
    (message,) = start_messages(world, handle)
    assert message.custom_ids() == {f"{PREFIX}{planned.id}"}
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1  # once


async def test_invited_back_before_the_meeting_the_button_comes_at_its_time(scenario) -> None:
    """Back five minutes before the start: the button at the start, not at once."""
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await _advance_to(world, planned.scheduled_start - timedelta(hours=2))
    await world.sim.remove_bot(world.guild)
    await world.advance(minutes=115)
    await world.sim.reinvite_bot(world.guild)
    await world.advance(minutes=4)
    assert start_messages(world, handle) == []
    await world.advance(minutes=2)
    assert len(start_messages(world, handle)) == 1


async def test_invited_back_after_the_meeting_no_button(scenario) -> None:
    """Back once the meeting's time is over: nothing to start, no button."""
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await _advance_to(world, planned.scheduled_start - timedelta(minutes=10))
    await world.sim.remove_bot(world.guild)
    await _advance_to(world, planned.scheduled_end + timedelta(minutes=5))
    await world.sim.reinvite_bot(world.guild)
    await world.advance(minutes=5)
    assert start_messages(world, handle) == []


async def test_a_held_back_button_missed_while_removed_is_offered_when_invited_back(
    scenario,
) -> None:
    """Tuesday 10:00 and 12:00; the 10:00 meeting runs on to 12:10, so the 12:00 button
    is held back until its end. The bot goes down as that meeting ends and comes back
    removed from the server: the held-back button cannot be posted. Invited back at
    12:20, the leaders find it in the lobby."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    await weekly(world, g, 1, "10:00")
    _moved, planned_second = await two_on_tuesday(world, g)
    second = planned_second.id
    await world.advance(hours=25)  # Tuesday 10:00
    _first, channel = await start_session(world, g)
    await world.advance(hours=2, minutes=10)  # 12:10: still live
    await sim.slash(g.leader, "session end", channel=channel)
    await sim.detach(world.bot)  # down before the held-back offer ran
    await sim.remove_bot(world.guild)
    await world.start()
    await world.advance(minutes=10)

    def offers() -> list:
        return [m for m in sim.messages_in(g.lobby) if f"{PREFIX}{second}" in m.custom_ids()]

    assert offers() == []
    await sim.reinvite_bot(world.guild)
    await world.advance(seconds=1)
    assert len(offers()) == 1
    await world.advance(minutes=30)
    assert len(offers()) == 1


async def test_invited_back_while_the_bot_was_down_the_start_button_is_offered(scenario) -> None:
    """Removed ten minutes before the meeting (its button is not posted), then the bot
    restarts, and the server invites it back while it is down: the server is simply in
    READY at start-up, with no 'joined' event. Five minutes into the meeting the leaders
    still find the button in the lobby, as when the bot is invited back while running."""
    world = scenario
    handle = await make_group(world, size=2)
    planned = await schedule_tomorrow(world, handle)
    await _advance_to(world, planned.scheduled_start - timedelta(minutes=10))
    await world.sim.remove_bot(world.guild)
    await world.advance(minutes=13)
    await world.sim.detach(world.bot)
    await world.sim.reinvite_bot(world.guild)
    await world.start()
    await world.advance(minutes=2)
    (message,) = start_messages(world, handle)
    assert message.custom_ids() == {f"{PREFIX}{planned.id}"}
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1  # once
