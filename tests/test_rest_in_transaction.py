"""The harness catches a REST call made inside a store transaction.

Why: the transaction holds the store's write lock for the whole round trip (and any
429 wait), so every interaction that writes before its first answer waits behind it
and can miss Discord's 3-second deadline. tests/conftest.py fails any test whose bot
did this; these tests check that the detector sees what it must and nothing else.
"""

from __future__ import annotations

import asyncio

from bot.sim.scenario import Scenario


async def test_a_call_inside_a_transaction_is_recorded(scenario: Scenario) -> None:
    bot, sim = scenario.bot, scenario.sim
    channel = bot.get_channel(scenario.guild.channel_named("general").id)
    async with bot.db.transaction():
        await channel.send("inside")
    assert len(sim.calls_in_transaction) == 1
    assert sim.calls_in_transaction[0].startswith("POST /channels/")
    sim.calls_in_transaction.clear()  # seen: the autouse check would fail the test


async def test_a_task_the_transaction_waits_for_is_inside_it(scenario: Scenario) -> None:
    """`asyncio.gather` runs each call in a task of its own; the lock is held all the same."""
    bot, sim = scenario.bot, scenario.sim
    channel = bot.get_channel(scenario.guild.channel_named("general").id)
    async with bot.db.transaction():
        await asyncio.gather(channel.send("one"), channel.send("two"))
    assert len(sim.calls_in_transaction) == 2
    sim.calls_in_transaction.clear()


async def test_calls_before_after_or_beside_a_transaction_are_not(scenario: Scenario) -> None:
    bot, sim = scenario.bot, scenario.sim
    channel = bot.get_channel(scenario.guild.channel_named("general").id)
    await channel.send("before")
    opened, sent = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with bot.db.transaction():
            opened.set()
            await sent.wait()

    task = asyncio.create_task(holder())
    await opened.wait()
    await channel.send("another task's transaction is open meanwhile")
    sent.set()
    await task
    await channel.send("after")
    assert sim.calls_in_transaction == []
