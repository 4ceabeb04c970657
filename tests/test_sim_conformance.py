"""The simulator refuses what Discord refuses beyond sizes: mentions, components, empty
messages, autocomplete answers, channel and role limits, expired interaction tokens.

Each check is Discord's documented rule; a bot path that breaks one fails in the tests
as it would fail on a real server.
"""

from __future__ import annotations

from typing import Any

import discord
import discord.http
import pytest

from bot.sim import Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio


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


async def _post(sim: Simulator, guild: Any, bot: SimBot, body: dict[str, Any]) -> tuple[int, Any]:
    """Send `body` as a new message; (status, code) of a refusal, else (200, None)."""
    channel = sim.add_channel(guild, "room")
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    try:
        await bot.http.request(route, json=body)
    except discord.HTTPException as exc:
        sim.errors.clear()  # discord.py logs the refused request
        return exc.status, exc.code
    return 200, None


def _ids(count: int) -> list[str]:
    return [str(10**17 + n) for n in range(count)]


async def test_allowed_mentions_take_at_most_100_ids_and_parse_or_list(world):
    sim, guild, _alice, bot = world
    at_limit = {"content": "hi", "allowed_mentions": {"parse": [], "users": _ids(100)}}
    assert await _post(sim, guild, bot, at_limit) == (200, None)
    over = {"content": "hi", "allowed_mentions": {"parse": [], "users": _ids(101)}}
    assert await _post(sim, guild, bot, over) == (400, 50035)
    roles = {"content": "hi", "allowed_mentions": {"parse": [], "roles": _ids(101)}}
    assert await _post(sim, guild, bot, roles) == (400, 50035)
    both = {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": _ids(1)}}
    assert await _post(sim, guild, bot, both) == (400, 50035)
