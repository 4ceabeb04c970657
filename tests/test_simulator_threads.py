"""The simulator's threads keep to Discord's documented rules (bot/sim/threads.py)."""

from __future__ import annotations

import discord
import pytest

from bot.sim import DEFAULT_BOT, Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio

MANAGE_THREADS = discord.Permissions(manage_threads=True).value


@pytest.fixture
async def world():
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    alice, bob = sim.add_user("alice"), sim.add_user("bob")
    sim.add_member(guild, alice)
    sim.add_member(guild, bob)
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, alice, bob, bot
    if sim.bot is not None:
        await sim.detach()
    assert not sim.errors and not sim.unhandled


async def test_a_public_thread_reaches_the_bot_with_its_system_message(world):
    sim, guild, alice, _bob, bot = world
    general = sim.channel("general", guild)
    thread = await sim.create_thread(alice, general, "kettle rota")
    assert thread is not None and thread.id not in guild.channels  # threads are apart
    cached = bot.get_guild(guild.id).get_thread(thread.id)
    assert isinstance(cached, discord.Thread)
    assert (cached.name, cached.owner_id, cached.parent_id) == ("kettle rota", alice.id, general.id)
    (started,) = [m for m in general.messages if m.type == 18]
    assert started.content == "kettle rota" and started.author is alice


async def test_a_private_thread_is_seen_by_its_members_and_moderators_only(world):
    sim, guild, alice, bob, bot = world
    general = sim.channel("general", guild)
    hidden = await sim.create_thread(alice, general, "just me", private=True)
    assert hidden is not None
    assert sim.can(alice, hidden) and not sim.can(bob, hidden)
    assert bot.get_guild(guild.id).get_thread(hidden.id) is None
    assert not [m for m in general.messages if m.type == 18]
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    seen = await sim.create_thread(alice, general, "now seen", private=True)
    assert seen is not None and bot.get_guild(guild.id).get_thread(seen.id) is not None


async def test_only_the_opener_or_a_moderator_renames(world):
    sim, guild, alice, bob, bot = world
    thread = await sim.create_thread(alice, sim.channel("general", guild), "first")
    assert thread is not None
    assert not await sim.rename_thread(bob, thread, "bob's")
    assert await sim.rename_thread(alice, thread, "second")
    assert bot.get_guild(guild.id).get_thread(thread.id).name == "second"
    (changed,) = [m for m in thread.messages if m.type == 4]
    assert changed.content == "second" and changed.author is alice


async def test_the_bot_needs_manage_threads_to_rename_or_delete(world):
    sim, guild, alice, _bob, bot = world
    thread = await sim.create_thread(alice, sim.channel("general", guild), "first")
    assert thread is not None
    cached = bot.get_guild(guild.id).get_thread(thread.id)
    with pytest.raises(discord.Forbidden):
        await cached.edit(name="renamed")
    with pytest.raises(discord.Forbidden):
        await cached.delete()
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    await cached.edit(name="renamed")
    await sim.settle()
    assert thread.name == "renamed" and cached.name == "renamed"
    await cached.delete()
    await sim.settle()
    assert sim.channel(thread.id) is None and bot.get_guild(guild.id).get_thread(thread.id) is None


async def test_writing_in_a_thread_needs_send_messages_in_threads(world):
    sim, guild, alice, _bob, _bot = world
    deny = discord.Permissions(send_messages_in_threads=True).value
    room = sim.add_channel(guild, "room", overwrites={guild.everyone: (0, deny)})
    await sim.settle()
    thread = await sim.create_thread(alice, room, "aside")
    assert thread is not None  # opening is Create Public Threads
    assert await sim.post(alice, thread, "hello") is None
    assert await sim.post(alice, room, "hello") is not None


async def test_a_thread_goes_with_its_channel(world):
    sim, guild, alice, _bob, _bot = world
    room = sim.add_channel(guild, "room")
    await sim.settle()
    thread = await sim.create_thread(alice, room, "aside")
    assert thread is not None
    await sim.delete_channel(room)
    assert sim.channel(thread.id) is None and thread.id not in guild.threads


async def test_active_threads_are_the_unarchived_ones_the_bot_sees(world):
    sim, guild, alice, _bob, bot = world
    general = sim.channel("general", guild)
    older = await sim.create_thread(alice, general, "older")
    newer = await sim.create_thread(alice, general, "newer")
    hidden = await sim.create_thread(alice, general, "hidden", private=True)
    asleep = await sim.create_thread(alice, general, "asleep")
    assert older and newer and hidden and asleep
    await sim.archive_thread(asleep)
    answer = await bot.http.get_active_threads(guild.id)
    assert [t["name"] for t in answer["threads"]] == ["newer", "older"]  # newest first
    assert answer["members"] == []  # the bot is in none of them
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    answer = await bot.http.get_active_threads(guild.id)
    assert {t["name"] for t in answer["threads"]} == {"older", "newer", "hidden"}


async def test_archived_threads_come_by_archive_time_page_by_page(world):
    sim, guild, alice, _bob, bot = world
    general = sim.channel("general", guild)
    made = []
    for name in ("a", "b", "c", "d", "e"):
        thread = await sim.create_thread(alice, general, name)
        assert thread is not None
        made.append(thread)
    for thread in reversed(made):  # archived e first, a last
        await sim.archive_thread(thread)
    await sim.create_thread(alice, general, "awake")
    page = await bot.http.get_public_archived_threads(general.id, limit=2)
    assert [t["name"] for t in page["threads"]] == ["a", "b"] and page["has_more"]
    before = page["threads"][-1]["thread_metadata"]["archive_timestamp"]
    page = await bot.http.get_public_archived_threads(general.id, before=before, limit=2)
    assert [t["name"] for t in page["threads"]] == ["c", "d"] and page["has_more"]
    before = page["threads"][-1]["thread_metadata"]["archive_timestamp"]
    page = await bot.http.get_public_archived_threads(general.id, before=before, limit=2)
    assert [t["name"] for t in page["threads"]] == ["e"] and not page["has_more"]


async def test_archived_private_threads_need_manage_threads(world):
    sim, guild, alice, _bob, bot = world
    general = sim.channel("general", guild)
    hidden = await sim.create_thread(alice, general, "hidden", private=True)
    assert hidden is not None
    await sim.archive_thread(hidden)
    with pytest.raises(discord.Forbidden):
        await bot.http.get_private_archived_threads(general.id)
    public = await bot.http.get_public_archived_threads(general.id)
    assert public["threads"] == [] and not public["has_more"]
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    private = await bot.http.get_private_archived_threads(general.id)
    assert [t["name"] for t in private["threads"]] == ["hidden"]
    with pytest.raises(discord.NotFound):
        await bot.http.get_public_archived_threads(123)


async def test_a_third_rename_within_ten_minutes_is_answered_429(world):
    """Discord's rename limit: two name or topic changes per channel or thread per 10
    minutes, the third a 429 whose retry_after is the rest of the window (discord.py
    waits that long unless max_ratelimit_timeout is lower: then discord.RateLimited)."""
    sim, guild, alice, _bob, bot = world
    sim.set_bot_permissions(guild, DEFAULT_BOT | MANAGE_THREADS)
    bot.http.max_ratelimit_timeout = 30.0  # raise rather than sleep ten minutes in a test
    general = sim.channel("general", guild)
    thread = await sim.create_thread(alice, general, "first")
    assert thread is not None
    for name in ("second", "third"):
        await bot.http.edit_channel(thread.id, name=name)
    with pytest.raises(discord.RateLimited) as limited:
        await bot.http.edit_channel(thread.id, name="fourth")
    assert 500 < limited.value.retry_after <= 600 and thread.name == "third"
    assert await sim.rename_thread(alice, thread, "members are not limited")
    await bot.http.edit_channel(thread.id, archived=True)  # no name: not a rename
    await bot.http.edit_channel(general.id, topic="kettle")
    await bot.http.edit_channel(general.id, name="general-2")
    with pytest.raises(discord.RateLimited):
        await bot.http.edit_channel(general.id, topic="tea")
    await bot.http.edit_channel(general.id, position=3)  # neither name nor topic
    assert general.topic == "kettle" and general.position == 3
