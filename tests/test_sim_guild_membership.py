"""The simulator's server comings and goings, as Discord's gateway documents them.

GUILD_CREATE when the bot joins a server while running; GUILD_DELETE without
`unavailable` when it is removed (then 403 Missing Access on the server and its
channels); GUILD_DELETE with `unavailable: true` in an outage, the bot still a member.
"""

from __future__ import annotations

import discord
import pytest

pytestmark = pytest.mark.asyncio


async def test_a_server_joined_while_running_reaches_the_bot(bare_sim: tuple) -> None:
    sim, _guild, alice, bot = bare_sim
    later = sim.add_guild("Coastal GPs")
    sim.add_member(later, alice)
    await sim.settle()
    known = bot.get_guild(later.id)
    assert known is not None and not known.unavailable
    assert known.get_member(alice.id) is not None


async def test_removed_bot_loses_the_server_and_its_channels(bare_sim: tuple) -> None:
    sim, guild, _alice, bot = bare_sim
    general = guild.channel_named("general")
    await sim.remove_bot(guild)
    assert bot.get_guild(guild.id) is None
    with pytest.raises(discord.Forbidden) as refused:
        await bot.http.send_message(general.id, params=discord.http.handle_message_parameters("x"))
    assert refused.value.code == 50001
    with pytest.raises(discord.Forbidden):
        await bot.fetch_guild(guild.id)
    assert general.id in sim.world.channels  # the server's channels stay, unseen
    await sim.reinvite_bot(guild)
    assert bot.get_guild(guild.id) is not None
    message = await bot.get_channel(general.id).send("back")
    assert message.content == "back"


async def test_an_outage_keeps_the_server_marked_unavailable(bare_sim: tuple) -> None:
    sim, guild, alice, bot = bare_sim
    await sim.outage(guild)
    cached = bot.get_guild(guild.id)
    assert cached is not None and cached.unavailable
    await sim.outage_over(guild)
    back = bot.get_guild(guild.id)
    assert back is not None and not back.unavailable and back.get_member(alice.id) is not None


async def test_a_restart_after_removal_does_not_name_the_server(bare_sim: tuple) -> None:
    sim, guild, _alice, bot = bare_sim
    await sim.remove_bot(guild)
    await sim.reconnect()
    assert bot.get_guild(guild.id) is None
