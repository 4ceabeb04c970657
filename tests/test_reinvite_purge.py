"""A meeting's channels whose purge failed while the bot was removed from the server."""

from __future__ import annotations

from tests.session_support import leader, start_session
from tests.support import make_group


async def test_invited_back_the_meeting_channels_are_purged_at_once(scenario) -> None:
    """The meeting ends; the bot is removed before its channels are deleted, so the purge
    and its retries are refused (403 Missing Access), and the retries space out to every
    six hours. Invited back a day later, the bot deletes the channels that still hold
    the case at once, not at the next retry hours later."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "session end", channel)
    await sim.remove_bot(world.guild)
    await world.advance(hours=24)
    assert channel.id in sim.world.channels  # the bot could not delete it
    await sim.reinvite_bot(world.guild)
    await world.advance(minutes=1)
    assert channel.id not in sim.world.channels, "the case's channel stays readable"
    row = await world.bot.db.fetchone("SELECT purged_at FROM sessions WHERE id = ?", (session.id,))
    assert row["purged_at"] is not None
    assert not world.problems()
