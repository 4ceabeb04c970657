"""Threads are no part of a meeting: nobody in the group opens or writes in one, in any phase.

Why: Discord's Send Messages does not cover threads; a new server's @everyone holds
Create Public Threads, Create Private Threads and Send Messages in Threads. A plan
that denied only Send Messages let any member open a thread beside the presenter.
"""

from __future__ import annotations

import discord

from bot.sim import DEFAULT_EVERYONE
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, User
from cogs._session_apply import THREADS, desired
from tests.session_support import leader, start_session
from tests.support import make_group
from tests.test_permanent_channel import permanent_group

THREAD_BITS = ("create_public_threads", "create_private_threads", "send_messages_in_threads")


def thread_or_send(world: Scenario, channel: Channel, user: User) -> list[str]:
    """What of sending and threads `user` may do in `channel` (empty: nothing)."""
    return [p for p in ("send_messages", *THREAD_BITS) if world.sim.can(user, channel, p)]


async def _to_presentation(world: Scenario, handle, channel: Channel) -> None:
    await leader(world, handle, "phase next", channel)  # case call
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase next", channel)  # presentation


def test_the_simulated_everyone_role_has_discords_thread_defaults():
    everyone = discord.Permissions(DEFAULT_EVERYONE)
    assert everyone.create_public_threads
    assert everyone.create_private_threads
    assert everyone.send_messages_in_threads


async def test_no_threads_during_presentation_and_after_the_end(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    listener = handle.members[1]
    assert world.sim.can(listener, channel, "view_channel", "send_messages")
    assert thread_or_send(world, channel, listener) == ["send_messages"]  # check-in
    await _to_presentation(world, handle, channel)
    assert thread_or_send(world, channel, listener) == []
    assert thread_or_send(world, channel, handle.members[0]) == ["send_messages"]  # presenter
    await leader(world, handle, "session end", channel)
    for user in handle.members:
        assert world.sim.can(user, channel, "view_channel", "read_message_history")
        assert thread_or_send(world, channel, user) == []


async def test_no_threads_in_strict_turns_nor_after_a_restart(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    floor, other = handle.members[2], handle.members[3]
    await leader(world, handle, "floor give", channel, member=floor)
    assert thread_or_send(world, channel, floor) == ["send_messages"]
    assert thread_or_send(world, channel, other) == []
    await world.restart()
    assert thread_or_send(world, channel, floor) == ["send_messages"]
    assert thread_or_send(world, channel, other) == []


async def test_no_threads_in_the_permanent_channel_between_and_during_sessions(scenario):
    world = scenario
    handle = await permanent_group(world)
    _, channel = await start_session(world, handle)
    member = handle.members[1]
    assert thread_or_send(world, channel, member) == ["send_messages"]
    await leader(world, handle, "session end", channel)
    assert thread_or_send(world, channel, member) == []
    await world.advance(minutes=61)  # the purge empties the channel and keeps it
    assert world.sim.channel(channel.id) is channel
    assert thread_or_send(world, channel, member) == []
    _, same = await start_session(world, handle)
    assert same is channel
    assert thread_or_send(world, channel, member) == ["send_messages"]


async def test_the_bot_holds_the_thread_bits_it_denies_when_everyone_lacks_them(tmp_path):
    """A server that took threads from @everyone: the deny still needs the bot's own role."""
    world = Scenario(tmp_path / "no-threads.sqlite3")
    world.guild.everyone.permissions &= ~THREADS
    await world.start()
    try:
        handle = await make_group(world, size=5)
        session, channel = await start_session(world, handle)
        await _to_presentation(world, handle, channel)
        await leader(world, handle, "session end", channel)
        assert thread_or_send(world, channel, handle.members[1]) == []
        assert not world.problems(), world.problems()
    finally:
        await world.stop()


def test_a_saved_overwrite_without_the_thread_deny_gets_it_on_the_next_role_write():
    """A session started before threads were denied: its saved role base lacks the deny."""
    view = discord.Permissions(view_channel=True, read_message_history=True).value
    send = discord.Permissions(send_messages=True).value
    for plan_send in (True, False):
        allow, deny = desired((view | THREADS, 0), plan_send, threads=False)
        assert deny & THREADS == THREADS and not allow & THREADS
        assert bool(allow & send) is plan_send
    assert desired((0, 0), True) == (send, 0)  # members: threads as saved
