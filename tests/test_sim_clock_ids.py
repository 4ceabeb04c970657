"""The simulator's ids tell the time on the scenario's clock, as Discord's tell its own.

On Discord an id encodes when its object was made, and discord.py derives a message's
`created_at` from it. The bot compares such times with its clock (a DM round's look
for the DM in flight at a crash, `history(after=...)`), so in tests the ids must come
from the same clock the bot runs on, not from the real time of the test run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.sim import Simulator
from bot.sim.scenario import Scenario
from bot.sim.world import snowflake_time


def _to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def test_a_message_sent_next_week_on_the_clock_carries_next_weeks_time(
    scenario: Scenario,
) -> None:
    world = scenario
    await world.advance(days=7)
    now = world.clock.now()
    member = world.people[0]
    posted = await world.sim.post(member, world.guild.channel_named("general"), "hello")
    assert posted is not None and posted.created_at == _to_ms(now)
    channel = await world.bot.create_dm(discord.Object(member.id))
    sent = await channel.send("a DM from the bot")
    assert sent.created_at == _to_ms(now)  # as discord.py reads it from the id


async def test_ids_grow_strictly_while_the_clock_stands_still(scenario: Scenario) -> None:
    world = scenario
    users = [world.sim.add_user(f"user-{n}") for n in range(50)]
    ids = [u.id for u in users]
    assert ids == sorted(set(ids))
    assert {snowflake_time(i) for i in ids} == {_to_ms(world.clock.now())}


async def test_history_after_a_moment_on_the_clock_holds_what_came_since(
    scenario: Scenario,
) -> None:
    """What a DM round relies on after a crash: `after=` a time of the bot's clock."""
    world = scenario
    channel = await world.bot.create_dm(discord.Object(world.people[0].id))
    await channel.send("yesterday's")
    await world.advance(days=1)
    since = world.clock.now() - timedelta(minutes=1)
    await channel.send("today's")
    got = [m.content async for m in channel.history(after=since)]
    assert got == ["today's"]


async def test_bulk_delete_refuses_messages_two_weeks_old_on_the_clock(
    scenario: Scenario,
) -> None:
    world = scenario
    general = world.guild.channel_named("general")
    first = await world.sim.post(world.people[0], general, "one")
    second = await world.sim.post(world.people[1], general, "two")
    assert first is not None and second is not None
    await world.advance(days=15)
    with pytest.raises(discord.HTTPException) as refused:
        await world.bot.http.delete_messages(general.id, [first.id, second.id])
    assert refused.value.code == 50034
    world.sim.errors.clear()  # discord.py logs the refused request


def test_without_a_clock_or_a_bot_ids_tell_the_real_time() -> None:
    sim = Simulator()
    made = snowflake_time(sim.add_user("alice").id)
    assert abs(made - datetime.now(UTC)) < timedelta(seconds=5)


async def test_two_edits_while_the_clock_stands_still_have_their_own_times(
    scenario: Scenario,
) -> None:
    """Only a new `edited_timestamp` marks an edit (the guard reads each one): as on
    Discord, two edits never share it, though a test's clock has not moved."""
    world = scenario
    member = world.people[0]
    posted = await world.sim.post(member, world.guild.channel_named("general"), "one")
    assert posted is not None
    await world.sim.edit(member, posted, "two")
    first = posted.edited
    await world.sim.edit(member, posted, "three")
    assert first is not None and posted.edited is not None
    assert world.clock.now() <= first < posted.edited
