"""Answers first: a few REST requests in flight at once, and answers never wait for one.

Six groups start their meetings in the same moment while the network is slow (the
simulator holds every request but an interaction's answer). The bot has at most
REST_IN_FLIGHT requests out; the others wait for a slot in the bot, and every leader's
command, and a member's unrelated command, is answered meanwhile (bot/rest_slots.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.rest_slots import REST_IN_FLIGHT, is_answer
from bot.sim import interactions as I
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Guild, User
from bot.store import sessions as session_store
from tests.support import make_group

GROUPS = 6


@pytest.fixture
async def crowd(tmp_path) -> AsyncIterator[tuple[Scenario, list[tuple[Guild, list[User]]]]]:
    """A group's server each: discord.py itself sends one request at a time per route
    and server until Discord's first answer gives the bucket's size."""
    world = Scenario(tmp_path / "balint.sqlite3")
    practices = []
    for index in range(GROUPS):
        guild = world.sim.add_guild(f"Practice {index}")
        world.sim.add_member(guild, world.organiser, manage_guild=True)
        people = [world.sim.add_user(f"gp-{index}-{number}") for number in range(5)]
        for person in people:
            world.sim.add_member(guild, person)
        practices.append((guild, people))
    await world.start()
    yield world, practices
    problems = world.problems()
    await world.stop()
    assert not problems, "\n".join(problems)


def dispatch(world: Scenario, user: User, command: str, channel: Channel) -> I.InteractionResult:
    """Send a slash command to the bot without waiting for it (what `sim.slash` settles)."""
    sim = world.sim
    guild = sim.world.guilds[channel.guild_id]
    payload, rec = I.base_payload(sim, 2, user, guild, channel)
    payload["data"] = I.command_data(sim, command, guild, {})
    sim.interactions[rec.id] = rec
    sim.interactions_by_token[rec.token] = rec
    rec.received_at = time.monotonic()  # type: ignore[attr-defined]
    sim.bot._connection.parsers["INTERACTION_CREATE"](payload)
    return rec


async def until(done: Callable[[], bool], what: str) -> None:
    for _ in range(2000):
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"never happened: {what}")


async def test_a_few_requests_in_flight_and_answers_meanwhile(crowd: Any) -> None:
    world, practices = crowd
    sim = world.sim
    handles = [
        await make_group(world, leader=people[0], members=people[1:], guild=guild)
        for guild, people in practices
    ]
    slow = sim.hold_network()
    starts = [dispatch(world, h.leader, "session start", h.lobby) for h in handles]
    await until(lambda: sim.held_now >= REST_IN_FLIGHT, "requests reached Discord")
    for _ in range(200):  # every start had its chance to send its first request
        await asyncio.sleep(0)
    assert sim.held_now == REST_IN_FLIGHT  # one per meeting without the bound: six
    await until(lambda: all(rec.responded for rec in starts), "every start was answered")
    member = handles[0].members[0]
    about = dispatch(world, member, "balint about", handles[0].lobby)
    await until(lambda: about.responded, "a member's command was answered")
    assert sim.held_now == REST_IN_FLIGHT
    slow.set()
    await sim.settle()
    for handle in handles:
        live = await session_store.live_for_group(world.bot.db, handle.group.id)
        assert live is not None, f"{handle.name} did not start"
        assert live.status_message_id is not None


@pytest.mark.parametrize(
    ("url", "answer"),
    [
        ("https://discord.com/api/v10/interactions/1/tok/callback", True),
        ("https://discord.com/api/v10/webhooks/2/tok/messages/@original", True),
        ("https://discord.com/api/v10/channels/3/messages", False),
        ("https://discord.com/api/v10/channels/3/permissions/4", False),
    ],
)
def test_only_answers_skip_the_queue(url: Any, answer: bool) -> None:
    assert is_answer(url) is answer
