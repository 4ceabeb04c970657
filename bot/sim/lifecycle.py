"""Attaching a discord.py client to the simulator, detaching it, and settling."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord.http import Route

from . import payloads as P
from .transport import FakeSession

if TYPE_CHECKING:
    from .simulator import Simulator
    from .world import Guild


class Gateway:
    """The gateway's answer to a member request (opcode 8): all discord.py asks of `client.ws`.

    With the members intent discord.py requests every member of each guild at start-up
    (GUILD_CREATE holds only the bot and the users in voice); Discord answers with
    GUILD_MEMBERS_CHUNK events, which are dispatched here like any other gateway event.
    """

    open = False  # no socket: Client.close() closes the websocket only when it is open

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    async def request_chunks(
        self,
        guild_id: int,
        query: str | None = None,
        *,
        limit: int,
        user_ids: list[int] | None = None,
        presences: bool = False,
        nonce: str | None = None,
    ) -> None:
        bot = self.sim.bot
        if bot is None or not bot.intents.members:
            self.sim.errors.append(AssertionError("member request without the members intent"))
            return
        if query or limit or user_ids or presences:
            self.sim.errors.append(AssertionError("the simulator answers only requests for all"))
            return
        for chunk in P.members_chunks(self.sim.guild(guild_id), nonce):
            self.sim.dispatch("GUILD_MEMBERS_CHUNK", chunk)


async def attach(
    self: Simulator,
    bot: discord.Client,
    token: str = "x",
    *,
    sync: bool = True,
    max_wait: float = 5.0,
) -> None:
    """Log `bot` in against the fake, feed READY + GUILD_CREATE, sync its tree, wait ready."""
    if self.bot is not None:
        raise AssertionError("a bot is already attached; detach it first")
    self.tracker.install()
    self.bot = bot
    http = bot.http
    sim = self

    async def static_login(tok: str) -> Any:
        http._HTTPClient__session = FakeSession(sim)  # type: ignore[attr-defined]
        http._global_over = asyncio.Event()
        http._global_over.set()
        http.token = tok
        return await http.request(Route("GET", "/users/@me"))

    http.static_login = static_login  # type: ignore[method-assign]
    state = bot._connection
    state.guild_ready_timeout = 0.002
    await bot.login(token)
    bot.ws = Gateway(self)  # type: ignore[assignment]
    guilds = joined(self)
    state.parse_ready(P.ready(self.bot_user, guilds))
    for g in guilds:
        state.parse_guild_create(P.guild(g, self.world.users, self_id=self.bot_user.id))
    await asyncio.wait_for(bot.wait_until_ready(), max_wait)
    tree = getattr(bot, "tree", None)
    if sync and tree is not None:
        await tree.sync()
        for g in guilds:
            if tree.get_commands(guild=discord.Object(g.id)):
                await tree.sync(guild=discord.Object(g.id))
    await self.settle()


def guild_snapshots(self: Simulator) -> list[dict[str, Any]]:
    """Each guild's GUILD_CREATE as Discord would send it now (for `reconnect`)."""
    users, me = self.world.users, self.bot_user.id
    return [P.guild(g, users, self_id=me) for g in joined(self)]


def joined(self: Simulator) -> list[Guild]:
    """The servers the bot is in: READY and GUILD_CREATE name only these."""
    return [g for g in self.world.guilds.values() if self.bot_user.id in g.members]


async def reconnect(
    self: Simulator, snapshots: list[dict[str, Any]] | None = None, *, late: list[Any] = ()
) -> None:
    """A fresh IDENTIFY while the bot runs (discord.py re-identifies when a RESUME is
    refused): READY empties discord.py's cache, each guild's GUILD_CREATE fills it again,
    and on_ready is dispatched once more.

    `snapshots`: the GUILD_CREATE payloads as Discord took them (default: now). `late`:
    (event, data) gateway events for changes made after that snapshot, handled only after
    on_ready's listeners: Discord sends them after GUILD_CREATE, and orders no gateway
    event with a REST answer, so the change's REST answer may come before them.
    """
    bot = self.bot
    assert bot is not None, "attach a bot first"
    state = bot._connection
    state.parse_ready(P.ready(self.bot_user, joined(self)))
    for data in snapshots if snapshots is not None else guild_snapshots(self):
        state.parse_guild_create(data)
    ready = state._ready_task
    if ready is not None:
        await ready
    await self.settle()
    for event, data in late:
        self.dispatch(event, data)
    await self.settle()


async def detach(self: Simulator, bot: discord.Client | None = None) -> None:
    """Close the bot (as a process exit would); the world stays for the next bot."""
    bot = bot or self.bot
    if bot is None:
        return
    try:
        await self.settle()
    finally:
        await bot.close()
        await self.tracker.settle(max_wait=2.0)
        if bot is self.bot:
            self.bot = None
        self.tracker.uninstall()


async def settle(self: Simulator, max_wait: float = 5.0) -> None:
    """Wait until every task the bot started (bar view timeouts and loops) has finished."""
    await self.tracker.settle(max_wait)
