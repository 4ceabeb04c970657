"""The simulator answers as Discord does where a thread listing's query is out of bounds.

* List Public/Private Archived Threads take ``limit`` from 2 to 100 (discord.py clamps
  its own requests to that range); outside it, or not a number, Discord refuses the
  query as an invalid form body (50035) rather than picking a number for the bot.
"""

from __future__ import annotations

from typing import Any

import discord
import discord.http
import pytest

from bot.sim import DEFAULT_BOT, Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio

VIEW = discord.Permissions(view_channel=True).value
SEND = discord.Permissions(send_messages=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value


@pytest.fixture
async def world():
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    alice = sim.add_user("alice")
    sim.add_member(guild, alice)
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, alice, bot
    if sim.bot is not None:
        await sim.detach()


async def _status(
    bot: SimBot, method: str, path: str, at: dict[str, Any], **kwargs: Any
) -> tuple[int, Any]:
    """(status, code) of a refusal, else (200, None)."""
    route = discord.http.Route(method, path, **at)
    try:
        await bot.http.request(route, **kwargs)
    except discord.HTTPException as exc:
        return exc.status, exc.code
    return 200, None


@pytest.mark.parametrize("private", [False, True])
async def test_archived_thread_lists_take_a_limit_from_2_to_100(world, private):
    sim, guild, _alice, bot = world
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    general = sim.channel("general", guild)
    path = f"/channels/{{channel_id}}/threads/archived/{'private' if private else 'public'}"
    at = {"channel_id": general.id}
    for limit in (2, 50, 100):
        assert await _status(bot, "GET", path, at, params={"limit": limit}) == (200, None)
    for limit in (1, 0, 101, "many"):
        assert await _status(bot, "GET", path, at, params={"limit": limit}) == (400, 50035)
    assert await _status(bot, "GET", path, at) == (200, None)  # no limit: the default
    sim.errors.clear()  # discord.py logs the refused requests
