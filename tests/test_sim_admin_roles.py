"""The simulator's admin hand edits of roles, and the gateway event that may beat REST."""

from __future__ import annotations

import asyncio

import discord
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
    admin = sim.add_user("admin")
    sim.add_member(guild, admin, admin=True)
    bot = SimBot()
    seen: list[tuple[list[int], list[int]]] = []

    async def on_member_update(before: discord.Member, after: discord.Member) -> None:
        seen.append(([r.id for r in before.roles], [r.id for r in after.roles]))

    bot.add_listener(on_member_update)
    await sim.attach(bot)
    yield sim, guild, alice, admin, bot, seen
    if sim.bot is not None:
        await sim.detach()


async def test_an_admin_gives_a_role_by_hand_and_the_bot_sees_the_update(world) -> None:
    sim, guild, alice, admin, bot, seen = world
    role = sim.add_role(guild, "group")
    sim.reset_calls()
    assert await sim.give_role(admin, alice, role)
    assert role.id in sim.member(guild, alice).role_ids
    assert seen and role.id not in seen[-1][0] and role.id in seen[-1][1]
    cached = bot.get_guild(guild.id).get_member(alice.id)
    assert any(r.id == role.id for r in cached.roles)
    assert not sim.calls  # a hand edit is not a REST call of the bot
    count = len(seen)
    assert await sim.give_role(admin, alice, role)  # already has it: no event
    assert len(seen) == count
    assert await sim.take_role(admin, alice, role)
    assert role.id in seen[-1][0] and role.id not in seen[-1][1]
    assert not any(r.id == role.id for r in cached.roles)
    assert not sim.errors and not sim.unhandled


async def test_giving_a_role_by_hand_needs_manage_roles_and_a_higher_role(world) -> None:
    sim, guild, alice, admin, _bot, seen = world
    role = sim.add_role(guild, "group")
    bob = sim.add_user("bob")
    sim.add_member(guild, bob)
    assert not await sim.give_role(alice, bob, role)  # no Manage Roles
    assert not await sim.give_role(admin, alice, sim.bot_role(guild))  # a managed role
    assert role.id not in sim.member(guild, bob).role_ids
    assert not seen


async def test_gateway_first_handles_the_echo_before_the_rest_answer(world) -> None:
    sim, guild, alice, _admin, bot, seen = world
    role = sim.add_role(guild, "group")
    await sim.settle()
    order: list[str] = []

    async def on_member_update(before: discord.Member, after: discord.Member) -> None:
        for _ in range(5):  # a handler that awaits (a store read, a REST call)
            await asyncio.sleep(0)
        order.append("event")

    bot.add_listener(on_member_update)
    member = bot.get_guild(guild.id).get_member(alice.id)
    sim.gateway_first = True
    await member.add_roles(discord.Object(role.id))
    order.append("answer")
    await sim.settle()
    assert order == ["event", "answer"]
    sim.gateway_first = False
    order.clear()
    await member.remove_roles(discord.Object(role.id))
    order.append("answer")
    await sim.settle()
    assert order == ["answer", "event"]
