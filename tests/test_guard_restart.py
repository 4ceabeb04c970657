"""The identifier guard across a restart: an edit it warned about is not warned about
again when Discord later sends the message for a pin, while an edit it never read (made
while the bot was down) is still read when such an update brings it."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.test_guard_cog import WARNING, post, seed_group
from tests.test_guard_updates import warnings_to

CLEAN = "she came alone again, and I felt tired"
WITH_DOB = "she came alone again, DOB 12/03/1956"


async def test_a_pin_after_a_restart_does_not_warn_again_about_an_edit(
    scenario: Scenario,
) -> None:
    """A member edited a date of birth in and was warned; the bot restarted; a leader pinned
    the message. The pin arrives as the whole message with its old `edited_timestamp`,
    which the emptied memory took for a new edit: a second DM about the same edit."""
    world = scenario
    _group_id, lobby, _leaders = await seed_group(world)
    author = world.people[1]
    message = await post(world, author, lobby, CLEAN)
    assert await world.sim.edit(author, message, WITH_DOB)
    assert warnings_to(world, author) == 1
    await world.restart()
    assert await world.sim.pin(world.admin, message)
    assert warnings_to(world, author) == 1
    # A later edit that keeps the date is a new edit: read, and warned about.
    assert await world.sim.edit(author, message, WITH_DOB + ", came alone")
    assert warnings_to(world, author) == 2


async def test_an_edit_made_while_the_bot_was_down_is_read_when_it_shows_up(
    scenario: Scenario,
) -> None:
    """A missed name is worse than a second warning: an edit the bot never read is checked
    when an update brings it, however old its `edited_timestamp`."""
    world = scenario
    _group_id, lobby, _leaders = await seed_group(world)
    author = world.people[1]
    message = await post(world, author, lobby, CLEAN)
    await world.stop()
    assert await world.sim.edit(author, message, WITH_DOB)  # nobody is listening
    await world.start()
    assert warnings_to(world, author) == 0
    assert await world.sim.pin(world.admin, message)
    assert warnings_to(world, author) == 1 and WARNING in message.reactions


async def test_a_warned_edit_is_forgotten_after_thirty_days(scenario: Scenario) -> None:
    """The memory of a warned edit is a message id kept about someone's words: the daily
    retention job lets it go after a month (bot.domain.guard.WARNED_EDITS_KEPT)."""
    world = scenario
    _group_id, lobby, _leaders = await seed_group(world)
    author = world.people[1]
    message = await post(world, author, lobby, CLEAN)
    assert await world.sim.edit(author, message, WITH_DOB)
    assert await kept(world) == [message.id]
    await world.advance(days=29)
    assert await kept(world) == [message.id]
    await world.advance(days=2)
    assert await kept(world) == []


async def kept(world: Scenario) -> list[int]:
    rows = await world.bot.db.fetchall("SELECT message_id FROM guard_warned_edits")
    return [row["message_id"] for row in rows]
