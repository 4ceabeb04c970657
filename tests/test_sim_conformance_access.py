"""The simulator answers as Discord does where the bot cannot see a channel, and where a
thread listing's query is out of bounds.

* A channel the bot has no View Channel in: any action on it is 403 Missing Access
  (50001), not Missing Permissions (50013), which Discord keeps for a channel the bot
  sees but lacks a permission in (discord-api-docs #867: "it is expected that you will
  receive Missing Access when trying to do any actions on channels you don't have
  permissions for"). The bot tells users different things for the two.
* List Public/Private Archived Threads take ``limit`` from 2 to 100 (discord.py clamps
  its own requests to that range); outside it, or not a number, Discord refuses the
  query as an invalid form body (50035) rather than picking a number for the bot.
"""

from __future__ import annotations

from typing import Any

import discord
import discord.http
import pytest

from bot.sim import DEFAULT_BOT
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio

VIEW = discord.Permissions(view_channel=True).value
SEND = discord.Permissions(send_messages=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value


@pytest.fixture
def world(bare_sim: tuple) -> tuple:
    return bare_sim


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


async def test_a_channel_the_bot_cannot_see_answers_missing_access(world):
    sim, guild, _alice, bot = world
    me = sim.bot_member(guild)
    hidden = sim.add_channel(guild, "leaders", overwrites={me: (0, VIEW)})
    mute = sim.add_channel(guild, "notices", overwrites={me: (0, SEND)})
    await sim.settle()
    at = {"channel_id": hidden.id}
    assert await _status(bot, "GET", "/channels/{channel_id}", at) == (403, 50001)
    post = "/channels/{channel_id}/messages"
    assert await _status(bot, "POST", post, at, json={"content": "hi"}) == (403, 50001)
    assert await _status(bot, "GET", post, at) == (403, 50001)
    body = {"topic": "kettle"}
    assert await _status(bot, "PATCH", "/channels/{channel_id}", at, json=body) == (
        403,
        50001,
    )
    archived = "/channels/{channel_id}/threads/archived/public"
    assert await _status(bot, "GET", archived, at) == (403, 50001)
    # Seen but not allowed: Missing Permissions, as before.
    seen = {"channel_id": mute.id}
    assert await _status(bot, "GET", "/channels/{channel_id}", seen) == (200, None)
    assert await _status(bot, "POST", post, seen, json={"content": "hi"}) == (403, 50013)
    assert hidden.topic is None and not hidden.messages and not mute.messages
    sim.errors.clear()  # discord.py logs the refused requests


async def test_a_private_thread_the_bot_is_not_in_answers_missing_access(world):
    sim, guild, alice, bot = world
    general = sim.channel("general", guild)
    hidden = await sim.create_thread(alice, general, "just me", private=True)
    assert hidden is not None
    at = {"channel_id": hidden.id}
    assert await _status(bot, "GET", "/channels/{channel_id}", at) == (403, 50001)
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    assert await _status(bot, "GET", "/channels/{channel_id}", at) == (200, None)
    sim.errors.clear()  # discord.py logs the refused request


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
