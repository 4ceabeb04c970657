"""The bot removed from a server, re-invited, and a server's outage, as Discord sends them.

Discord's gateway documentation: GUILD_DELETE is sent "when the user leaves or is removed
from a guild", and with `"unavailable": true` when a guild becomes unavailable in an
outage (the bot is still in it; GUILD_CREATE follows when it comes back). A bot removed
from a server can no longer reach anything in it: REST calls on the server or on its
channels answer 403 Missing Access (50001).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads as P
from .routes_guild import fail
from .world import Member

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call
    from .world import Guild


def bot_in(sim: Simulator, guild: Guild) -> bool:
    """Whether the bot is a member of `guild` (False once it was removed)."""
    return sim.bot_user.id in guild.members


def refuse_outside(sim: Simulator, call: Call) -> None:
    """403 Missing Access for a call on a server the bot is not in, or on one of its channels."""
    params = call.params
    gid = int(params["guild_id"]) if "guild_id" in params else None
    if gid is None and "channel_id" in params:
        channel = sim.world.channels.get(int(params["channel_id"]))
        gid = channel.guild_id if channel is not None else None
    guild = sim.world.guilds.get(gid) if gid else None
    if guild is not None and not bot_in(sim, guild):
        raise fail(P.MISSING_ACCESS)


async def remove_bot(sim: Simulator, guild: Guild) -> None:
    """An admin kicks the bot (or it leaves): GUILD_DELETE without `unavailable`.

    The server, its channels and its roles stay as they were (bar the bot's managed
    role, which Discord deletes with the bot); the bot no longer sees any of it.
    """
    guild.members.pop(sim.bot_user.id, None)
    managed = [r for r in guild.roles.values() if r.managed and r.name == sim.bot_user.name]
    for role in managed:
        guild.roles.pop(role.id, None)
        sim.world.roles.pop(role.id, None)
    sim.dispatch("GUILD_DELETE", {"id": str(guild.id)})
    await sim.settle()


async def reinvite_bot(sim: Simulator, guild: Guild) -> None:
    """The bot is invited back: a new managed role, then GUILD_CREATE (as on joining)."""
    if bot_in(sim, guild):
        return
    role = sim.add_role(guild, sim.bot_user.name, permissions=sim.bot_permissions)
    role.managed = True
    me = Member(user=sim.bot_user, guild_id=guild.id, role_ids=[role.id], joined_at=sim.now())
    guild.members[sim.bot_user.id] = me
    await _guild_create(sim, guild, joined=True)


async def outage(sim: Simulator, guild: Guild) -> None:
    """A Discord outage: GUILD_DELETE with `unavailable: true`; the bot is still in the server."""
    sim.dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": True})
    await sim.settle()


async def outage_over(sim: Simulator, guild: Guild) -> None:
    """The server is back: GUILD_CREATE with its whole state, as at start-up."""
    await _guild_create(sim, guild)


def joined_payload(sim: Simulator, guild: Guild) -> dict[str, Any]:
    """GUILD_CREATE for a server the bot has just joined: Discord leaves `unavailable` out
    (it sends `false` only at start-up and when a server is back from an outage), and
    discord.py tells the two apart by it: `on_guild_join` against `on_guild_available`
    (discord-api-docs #4518, #5124)."""
    data = P.guild(guild, sim.world.users, self_id=sim.bot_user.id)
    data.pop("unavailable", None)
    return data


async def _guild_create(sim: Simulator, guild: Guild, *, joined: bool = False) -> None:
    data = P.guild(guild, sim.world.users, self_id=sim.bot_user.id)
    sim.dispatch("GUILD_CREATE", joined_payload(sim, guild) if joined else data)
    await sim.settle()  # discord.py then asks for the members (opcode 8): the Gateway answers
