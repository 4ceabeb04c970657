"""The simulator's hand deletions send what Discord sends (Delete/Close Channel, Delete Role).

Deleting a category does not delete its channels: Discord removes their parent_id and
fires a Channel Update for each (channel resource, Delete/Close Channel). Without it the
simulated channels stayed under a category that no longer existed.
"""

from __future__ import annotations

import discord
import pytest

from bot.sim import Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio


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


async def test_a_deleted_category_leaves_its_channels_uncategorised(world):
    sim, guild, bot = world
    category = sim.add_channel(guild, "group", "category")
    room = sim.add_channel(guild, "room", parent=category)
    voice = sim.add_channel(guild, "room-voice", "voice", parent=category)
    other = sim.add_channel(guild, "elsewhere")
    await sim.settle()
    assert bot.get_channel(room.id).category is not None
    await sim.delete_channel(category)
    assert sim.channel(room.id) is room and room.parent_id is None and voice.parent_id is None
    assert bot.get_channel(category.id) is None
    for channel in (room, voice):
        cached = bot.get_channel(channel.id)
        assert isinstance(cached, discord.abc.GuildChannel) and cached.category is None
    assert bot.get_channel(other.id) is not None


async def test_a_deleted_channel_takes_its_messages_with_it(world):
    """Discord deletes a channel's messages with it (a message of a deleted channel is
    Unknown Channel): the simulator keeps none of them, and other channels keep theirs."""
    sim, guild, bot = world
    member = sim.add_member(guild, sim.add_user("gp"))
    room = sim.add_channel(guild, "room")
    other = sim.add_channel(guild, "elsewhere")
    await sim.settle()
    gone = await sim.post(member, room, "said in the room")
    kept = await sim.post(member, other, "said elsewhere")
    assert gone is not None and kept is not None
    assert gone.id in sim.world.messages
    await sim.delete_channel(room)
    assert gone.id not in sim.world.messages
    assert sim.world.messages.get(kept.id) is kept
