"""The simulator can carry out a request and lose its answer, as real Discord can.

Why: a 502/504 from Discord's edge or a connection reset after the request was sent
means the channel or role WAS made, but the bot never learned its id. `inject` and
`inject_network` only fail a request before Discord acts, so the harm of a lost answer
(an orphan the roll-back cannot delete, a double made by discord.py's own retry of a
502) could not be tested.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import discord
import pytest

from bot.sim import Simulator
from bot.sim.faults import NETWORK
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio

CHANNELS = "/guilds/{guild_id}/channels"


@pytest.fixture
async def world():
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, bot
    if sim.bot is not None:
        await sim.detach()
    assert not sim.errors and not sim.unhandled


def named(guild, name: str) -> list:
    return [c for c in guild.channels.values() if c.name == name]


async def test_a_reset_after_sending_makes_the_channel_and_raises(world):
    sim, guild, bot = world
    sim.inject_lost("POST", CHANNELS)
    with pytest.raises(aiohttp.ClientOSError):
        await bot.get_guild(guild.id).create_text_channel("lost-one")
    await sim.settle()
    made = named(guild, "lost-one")
    assert len(made) == 1, "Discord carried the request out"
    assert bot.get_channel(made[0].id) is not None, "and sent its gateway event"
    assert sim.calls[-1].status == NETWORK and sim.calls[-1].response["id"] == str(made[0].id)


async def test_a_503_after_the_work_is_a_server_error_the_bot_sees(world):
    sim, guild, bot = world
    sim.inject_lost("POST", CHANNELS, 503)
    with pytest.raises(discord.DiscordServerError):
        await bot.get_guild(guild.id).create_text_channel("lost-two")
    assert len(named(guild, "lost-two")) == 1


async def test_a_502_after_the_work_is_retried_by_discord_py_and_makes_two(world):
    """discord.py sends a request that got 500/502/504/524 again (after a 1 s sleep)."""
    sim, guild, bot = world
    sim.inject_lost("POST", CHANNELS, 502)
    channel = await bot.get_guild(guild.id).create_text_channel("twice")
    made = named(guild, "twice")
    assert len(made) == 2 and channel.id in {c.id for c in made}
    assert [c.status for c in sim.calls if c.route == CHANNELS] == [502, 201]


async def test_the_plain_injections_still_fail_before_discord_acts(world):
    sim, guild, bot = world
    sim.inject_network("POST", CHANNELS)
    with pytest.raises(aiohttp.ClientOSError):
        await bot.get_guild(guild.id).create_text_channel("never")
    sim.inject("POST", CHANNELS, 503)
    with pytest.raises(discord.DiscordServerError):
        await bot.get_guild(guild.id).create_text_channel("never")
    assert named(guild, "never") == []


async def test_a_message_sent_again_after_a_502_is_made_once(world):
    """discord.py sends a nonce with enforce_nonce on every message: Discord returns the
    message already made with it instead of a second one (Create Message)."""
    sim, guild, bot = world
    room = sim.add_channel(guild, "room")
    await sim.settle()
    sim.inject_lost("POST", "/channels/{channel_id}/messages", 502)
    sent = await bot.get_channel(room.id).send("once")
    made = [m for m in sim.world.messages.values() if m.channel_id == room.id]
    assert [m.id for m in made] == [sent.id]
    again = await bot.get_channel(room.id).send("once")  # a new send: a new nonce
    assert again.id != sent.id


async def test_a_nonce_is_kept_for_minutes_not_for_ever(world):
    """Discord checks a nonce against "the past few minutes" only: past that, the same nonce
    makes a new message, and the simulator's record of nonces does not grow with every
    message of a long run (it held them all, which the long-run benchmark counted)."""
    sim, guild, bot = world
    room = sim.add_channel(guild, "room")
    await sim.settle()
    now = [datetime.now(UTC)]
    sim.world.now = lambda: now[0]
    channel = bot.get_channel(room.id)
    first = await channel.send("once", nonce=7)
    assert (await channel.send("once", nonce=7)).id == first.id  # within the window
    for n in range(5):
        await channel.send("other", nonce=100 + n)
    now[0] += timedelta(minutes=3)
    later = await channel.send("once", nonce=7)
    assert later.id != first.id  # the window has passed: a new message
    assert list(sim.world.nonces) == [(sim.bot_user.id, "7")]  # the old ones are gone
