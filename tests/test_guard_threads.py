"""Thread titles in a group's channels: the identifier guard reads them on open and on rename.

Why: members may open threads in the lobby (the permission plan denies threads only
in the session channel), and a thread's title shows to everyone who can see the
channel, or the thread. Before the guard listened to THREAD_CREATE and THREAD_UPDATE
no title was ever read, and a private thread was not even seen without Manage Threads.
Every test drives the real bot through the simulator (bot/sim/threads.py).
"""

from __future__ import annotations

import logging

import discord
import pytest

from bot.permissions_needed import REQUIRED
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User
from bot.texts import confidentiality as texts
from tests.session_support import start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, post, seed_group, without_mentions

TITLE = "Mrs Kowalczyk DOB 12/03/1956 what now"
THREAD_CREATED, CHANNEL_NAME_CHANGE = 18, 4


def renames(world: Scenario) -> list[str]:
    """The names the bot gave channels or threads (PATCH /channels/{id} with a name)."""
    calls = world.sim.calls_matching("PATCH", "/channels/{channel_id}")
    return [call.json["name"] for call in calls if call.json and "name" in call.json]


def title_warnings(world: Scenario, user: User) -> list[Message]:
    """The guard's DMs to someone about a thread's title."""
    return [m for m in world.sim.dms_to(user) if "title" in m.content]


def copies(world: Scenario, channel: Channel, kind: int) -> list[Message]:
    """System messages of one type in a channel, deleted ones included."""
    return [
        m
        for m in world.sim.world.messages.values()
        if m.channel_id == channel.id and m.type == kind
    ]


async def test_members_may_open_threads_in_the_lobby_not_in_the_session_channel(
    scenario: Scenario,
) -> None:
    """Why the guard must read titles: the lobby leaves threads to @everyone's defaults."""
    world = scenario
    handle = await make_group(world, size=3)
    member = handle.members[0]
    assert await world.sim.create_thread(member, handle.lobby, "who brings the kettle") is not None
    assert await world.sim.create_thread(member, handle.lobby, "us two", private=True) is not None
    _session, room = await start_session(world, handle)
    assert await world.sim.create_thread(member, room, "an aside") is None
    assert await world.sim.create_thread(member, room, "an aside", private=True) is None


async def test_a_title_with_an_identifier_is_warned_about(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, TITLE)
    assert thread is not None
    (dm,) = scenario.sim.dms_to(author)
    assert "title" in dm.content and "a full date" in dm.content
    assert f"<#{lobby.id}>" in dm.content and f"<#{thread.id}>" not in dm.content
    assert "12/03/1956" not in without_mentions(dm.content) and "Kowalczyk" not in dm.content
    assert thread.name == TITLE and renames(scenario) == []  # warn mode leaves it
    # Discord's "started a thread: <title>" in the lobby is the same title: no second warning.
    (started,) = copies(scenario, lobby, THREAD_CREATED)
    assert not started.reactions and not started.deleted
    assert "Kowalczyk" not in caplog.text and "12/03/1956" not in caplog.text


async def test_remove_mode_gives_the_thread_a_neutral_title(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, "ring her on 0044 7700 900123")
    assert thread is not None
    assert thread.name == texts.THREAD_NEUTRAL_NAME
    assert renames(scenario) == [texts.THREAD_NEUTRAL_NAME]
    (dm,) = scenario.sim.dms_to(author)
    assert "renamed" in dm.content and "a phone number" in dm.content
    assert "0044" not in without_mentions(dm.content)
    (started,) = copies(scenario, lobby, THREAD_CREATED)
    assert started.deleted, "the title's copy in the lobby stayed"


async def test_a_rename_is_checked_like_a_new_title(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, "logistics")
    assert thread is not None and scenario.sim.dms_to(author) == []
    assert await scenario.sim.rename_thread(author, thread, "Mr B, NHS 943 476 5919")
    (dm,) = scenario.sim.dms_to(author)
    assert "an NHS number" in dm.content and "943" not in without_mentions(dm.content)
    (changed,) = copies(scenario, thread, CHANNEL_NAME_CHANGE)
    assert not changed.reactions  # the rename's system message is no second warning
    assert await scenario.sim.rename_thread(author, thread, "logistics again")
    assert len(scenario.sim.dms_to(author)) == 1


async def test_renaming_an_archived_thread_is_checked(scenario: Scenario) -> None:
    """discord.py forgets an archived thread; the THREAD_UPDATE that unarchives and renames
    it has no old name to compare with (on_thread_join, not on_thread_update)."""
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, "logistics")
    assert thread is not None
    await scenario.sim.archive_thread(thread)
    assert scenario.bot.get_guild(scenario.guild.id).get_thread(thread.id) is None
    assert await scenario.sim.rename_thread(author, thread, "Mrs K 0412 345 678")
    (dm,) = scenario.sim.dms_to(author)
    assert "a phone number" in dm.content


async def test_a_rename_in_remove_mode_is_undone_and_its_copy_removed(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[2]
    thread = await scenario.sim.create_thread(author, lobby, "logistics")
    assert thread is not None
    assert await scenario.sim.rename_thread(author, thread, "SSN 078 05 1120")
    assert thread.name == texts.THREAD_NEUTRAL_NAME
    theirs = [m for m in copies(scenario, thread, CHANNEL_NAME_CHANGE) if m.author.id == author.id]
    assert [m.deleted for m in theirs] == [True]
    (dm,) = scenario.sim.dms_to(author)
    assert "a social security number" in dm.content


async def test_a_private_thread_is_seen_with_manage_threads(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, TITLE, private=True)
    assert thread is not None
    (dm,) = scenario.sim.dms_to(author)
    assert "a full date" in dm.content
    message = await post(scenario, author, thread, "her MRN 00123456")
    assert WARNING in message.reactions


async def test_without_manage_threads_a_private_thread_is_never_seen(scenario: Scenario) -> None:
    """Discord shows a private thread only to its members and moderators: the reason the
    bot asks for Manage Threads."""
    without = REQUIRED.value & ~discord.Permissions(manage_threads=True).value
    scenario.sim.set_bot_permissions(scenario.guild, without)
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, TITLE, private=True)
    assert thread is not None
    message = await post(scenario, author, thread, "her MRN 00123456")
    assert not message.reactions and scenario.sim.dms_to(author) == []


async def test_a_title_in_a_session_channel_is_counted(scenario: Scenario) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    session, room = await start_session(world, handle)
    # Only an administrator may open one there; private: no "started a thread" message.
    thread = await world.sim.create_thread(world.admin, room, "born 3 March 1956", private=True)
    assert thread is not None
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session.id,))
    assert row["guard_hits"] == 1
    assert len(world.sim.dms_to(world.admin)) == 1


async def test_a_forum_post_title_in_the_groups_category(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    category = scenario.sim.channel(lobby.parent_id or 0)
    assert category is not None
    forum = scenario.sim.add_channel(scenario.guild, "cases", "forum", parent=category)
    await scenario.sim.settle()
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(
        author, forum, "jo.bloggs@example.org wrote again", content="What would you do?"
    )
    assert thread is not None
    (dm,) = scenario.sim.dms_to(author)
    assert "an e-mail address" in dm.content and f"<#{forum.id}>" in dm.content


async def test_closed_dms_get_a_line_in_the_thread_that_quotes_nothing(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.add_person("closed-dms", dms_closed=True)
    thread = await scenario.sim.create_thread(author, lobby, "MRN 00123456")
    assert thread is not None
    bot_id = scenario.sim.bot_user.id
    (line,) = [m for m in thread.messages if m.author.id == bot_id and m.type == 0]
    assert f"<@{author.id}>" in line.content and "a medical record number" in line.content
    assert "00123456" not in without_mentions(line.content)


async def test_off_mode_and_other_channels_leave_titles_alone(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="off")
    author = scenario.people[1]
    general = scenario.sim.channel("general", scenario.guild)
    assert await scenario.sim.create_thread(author, lobby, TITLE) is not None
    assert await scenario.sim.create_thread(author, general, TITLE) is not None
    assert scenario.sim.dms_to(author) == [] and renames(scenario) == []


async def test_a_title_is_not_warned_about_again_when_its_thread_wakes_up(
    scenario: Scenario,
) -> None:
    """A message in an archived thread unarchives it (THREAD_UPDATE, same name): that is no
    new title. discord.py forgot the thread while it was archived, so the guard must know
    the title was already judged; a real rename after that is still checked."""
    handle = await make_group(scenario, size=3)
    author = handle.members[0]
    thread = await scenario.sim.create_thread(author, handle.lobby, TITLE)
    assert thread is not None
    assert len(title_warnings(scenario, author)) == 1
    for _ in range(2):  # archived after a quiet day, woken by a message
        await scenario.sim.archive_thread(thread)
        assert await scenario.sim.post(handle.members[1], thread, "see you tuesday") is not None
        await scenario.sim.settle()
        assert not thread.archived
    assert len(title_warnings(scenario, author)) == 1, "the same title was warned about again"
    await scenario.sim.archive_thread(thread)
    assert await scenario.sim.rename_thread(author, thread, "Mr B, NHS 943 476 5919")
    assert len(title_warnings(scenario, author)) == 2


async def test_a_warning_about_a_message_in_a_thread_does_not_show_the_threads_title(
    scenario: Scenario,
) -> None:
    """A DM that mentions a thread (<#thread>) is shown by Discord with the thread's title,
    which its opener wrote (here with an identifier, left in warn mode). A warning about a
    message in a thread names the parent channel, as the title warnings do."""
    _group_id, lobby, _leaders = await seed_group(scenario)
    opener, writer = scenario.people[1], scenario.people[2]
    thread = await scenario.sim.create_thread(opener, lobby, TITLE)
    assert thread is not None
    message = await post(scenario, writer, thread, "her MRN 00123456")
    assert WARNING in message.reactions
    (dm,) = scenario.sim.dms_to(writer)
    assert "a medical record number" in dm.content
    assert f"<#{thread.id}>" not in dm.content and f"<#{lobby.id}>" in dm.content


async def test_a_third_identifier_title_within_ten_minutes_is_warned_not_renamed(
    scenario: Scenario,
) -> None:
    """Discord lets a bot rename one channel or thread twice per 10 minutes; the third
    rename is answered 429 with minutes to wait, and discord.py sleeps that long before
    trying again: the guard's handler hung and the opener heard nothing meanwhile. The
    guard now warns instead of renaming a third time, and renames again once it may."""
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    thread = await scenario.sim.create_thread(author, lobby, "ring her on 0044 7700 900123")
    assert thread is not None
    assert await scenario.sim.rename_thread(author, thread, "SSN 078 05 1120")
    assert renames(scenario) == [texts.THREAD_NEUTRAL_NAME] * 2
    third = "Mrs K 0412 345 678"
    assert await scenario.sim.rename_thread(author, thread, third)
    assert renames(scenario) == [texts.THREAD_NEUTRAL_NAME] * 2, "a third rename was sent"
    assert not [c for c in scenario.sim.calls if c.status == 429]
    assert thread.name == third
    last = title_warnings(scenario, author)[-1]
    assert "renamed" not in last.content and "a phone number" in last.content
    await scenario.advance(minutes=11)
    assert await scenario.sim.rename_thread(author, thread, "SSN 078 05 1120 again")
    assert thread.name == texts.THREAD_NEUTRAL_NAME
