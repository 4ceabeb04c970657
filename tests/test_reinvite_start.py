"""The lobby's start button when the bot was removed from the server and invited back."""

from __future__ import annotations

from datetime import timedelta

from tests.support import make_group
from tests.test_lobby_start import PREFIX, schedule_tomorrow, start_messages


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
