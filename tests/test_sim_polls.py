"""The simulator's polls keep to Discord's documented shapes and rules (bot/sim/polls.py).

A member's poll reaches the bot as MESSAGE_CREATE with the `poll` object Discord
documents, which discord.py turns into `Message.poll`; sending one needs Send
Messages (Send Messages in Threads in a thread) and Send Polls.
"""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from bot.sim import DEFAULT_EVERYONE, Simulator
from bot.sim.world import Overwrite
from tests.sim_bot import SimBot

SEND_POLLS = discord.Permissions(send_polls=True).value
SEND = discord.Permissions(send_messages=True).value


@pytest.fixture
async def world():
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    alice = sim.add_user("alice")
    sim.add_member(guild, alice)
    bot = SimBot()
    seen: list[discord.Message] = []

    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    bot.add_listener(on_message)
    await sim.attach(bot)
    yield sim, guild, alice, seen
    if sim.bot is not None:
        await sim.detach()
    assert not sim.errors and not sim.unhandled


async def test_a_poll_reaches_the_bot_as_discord_sends_it(world):
    sim, guild, alice, seen = world
    general = sim.channel("general", guild)
    posted = await sim.post_poll(alice, general, "Lunch?", ["Soup", "Salad"], duration=48)
    assert posted is not None and posted in general.messages
    (message,) = [m for m in seen if m.id == posted.id]
    poll = message.poll
    assert poll is not None and message.content == ""
    assert poll.question == "Lunch?"
    assert [(a.id, a.text) for a in poll.answers] == [(1, "Soup"), (2, "Salad")]
    assert not poll.multiple and poll.duration == dt.timedelta(hours=48)
    assert poll.expires_at == posted.created_at + dt.timedelta(hours=48)


def test_a_new_servers_everyone_may_send_polls():
    """Discord turned Create Polls on for @everyone when polls came (2024)."""
    assert DEFAULT_EVERYONE & SEND_POLLS


async def test_without_send_polls_a_poll_is_refused(world):
    sim, guild, alice, seen = world
    no_polls = sim.add_channel(guild, "no-polls", overwrites={guild.everyone: (0, SEND_POLLS)})
    assert await sim.post(alice, no_polls, "plain words are fine") is not None
    assert await sim.post_poll(alice, no_polls, "Lunch?", ["Soup"]) is None
    assert not [m for m in no_polls.messages if m.poll is not None]
    assert sim.refused_posts[-1][:2] == (alice, no_polls)


async def test_send_polls_without_send_messages_is_refused(world):
    """A poll is a message: Send Polls alone does not let one post it."""
    sim, guild, alice, _seen = world
    quiet = sim.add_channel(guild, "quiet", overwrites={guild.everyone: (SEND_POLLS, SEND)})
    assert sim.can(alice, quiet, "send_polls")
    assert await sim.post_poll(alice, quiet, "Lunch?", ["Soup"]) is None
    assert quiet.messages == []


async def test_in_a_thread_a_poll_needs_send_messages_in_threads(world):
    """Send Messages has no effect in a thread; Send Messages in Threads does."""
    sim, guild, alice, seen = world
    general = sim.channel("general", guild)
    thread = await sim.create_thread(alice, general, "rota")
    assert thread is not None
    posted = await sim.post_poll(alice, thread, "Who brings cake?", ["Me", "Not me"])
    assert posted is not None and any(m.id == posted.id and m.poll for m in seen)
    in_threads = discord.Permissions(send_messages_in_threads=True).value
    general.overwrites[guild.id] = Overwrite(guild.id, 0, SEND, in_threads)
    assert await sim.post_poll(alice, thread, "Cake?", ["Yes"]) is None


@pytest.mark.parametrize(
    ("question", "answers", "duration"),
    [
        ("", ["Soup"], 24),
        ("q" * 301, ["Soup"], 24),
        ("Lunch?", [], 24),
        ("Lunch?", [str(i) for i in range(11)], 24),
        ("Lunch?", ["a" * 56], 24),
        ("Lunch?", ["Soup"], 0),
        ("Lunch?", ["Soup"], 769),
    ],
)
async def test_a_poll_discord_would_answer_400_to_fails_loudly(world, question, answers, duration):
    sim, guild, alice, _seen = world
    general = sim.channel("general", guild)
    with pytest.raises(AssertionError):
        await sim.post_poll(alice, general, question, answers, duration=duration)
    assert general.messages == []


async def test_a_poll_cannot_be_edited(world):
    """Discord's Poll resource: "After creation, the poll message cannot be edited"."""
    sim, guild, alice, _seen = world
    posted = await sim.post_poll(alice, sim.channel("general", guild), "Lunch?", ["Soup"])
    assert posted is not None
    assert not await sim.edit(alice, posted, "and DOB 12/03/1956")
    assert posted.content == "" and posted.edited is None


@pytest.fixture
def events(world, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict]]:
    """Every gateway event the simulator sends from now on."""
    sim = world[0]
    seen: list[tuple[str, dict]] = []
    send = sim.dispatch

    def record(event: str, data: dict) -> None:
        seen.append((event, data))
        send(event, data)

    monkeypatch.setattr(sim, "dispatch", record)
    return seen


async def test_a_poll_ends_with_its_results_and_a_notice(world, events):
    """At its expiry: MESSAGE_UPDATE (finalized, no edit), then the type 46 notice."""
    sim, guild, alice, seen = world
    general = sim.channel("general", guild)
    posted = await sim.post_poll(alice, general, "Lunch?", ["Soup", "Salad", "Both"])
    assert posted is not None
    events.clear()
    notice = await sim.end_poll(posted, votes={2: 3, 3: 1})
    assert notice is not None and notice in general.messages
    assert [event for event, _ in events] == ["MESSAGE_UPDATE", "MESSAGE_CREATE"]
    update, created = events[0][1], events[1][1]
    assert update["id"] == str(posted.id) and update["edited_timestamp"] is None
    assert update["poll"]["results"]["is_finalized"] is True
    assert update["poll"]["results"]["answer_counts"] == [
        {"id": 2, "count": 3, "me_voted": False},
        {"id": 3, "count": 1, "me_voted": False},
    ]
    assert created["type"] == 46 and created["content"] == ""
    assert created["author"]["id"] == str(alice.id)
    assert created["message_reference"]["message_id"] == str(posted.id)
    (embed,) = created["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["type"] == "poll_result"
    assert fields == {
        "poll_question_text": "Lunch?",
        "victor_answer_votes": "3",
        "total_votes": "4",
        "victor_answer_id": "2",
        "victor_answer_text": "Salad",
    }
    (message,) = [m for m in seen if m.id == notice.id]
    assert message.type is discord.MessageType.poll_result
    assert message.system_content == "alice's poll Lunch? has closed."
    assert await sim.end_poll(posted) is None  # ended already
    assert await sim.end_poll(await sim.post(alice, general, "no poll")) is None


async def test_a_tie_or_no_votes_names_no_winner(world):
    sim, guild, alice, _seen = world
    general = sim.channel("general", guild)
    for votes in ({}, {1: 2, 2: 2}):
        posted = await sim.post_poll(alice, general, "Tea?", ["Yes", "No"])
        assert posted is not None
        notice = await sim.end_poll(posted, votes=votes)
        assert notice is not None
        names = [f["name"] for f in notice.embeds[0]["fields"]]
        assert names == ["poll_question_text", "victor_answer_votes", "total_votes"]


async def test_only_the_polls_author_may_end_it_early(world, events):
    """End Poll: the bot ends its own poll, once; never a member's, nor a plain message."""
    sim, guild, alice, seen = world
    general = sim.channel("general", guild)
    own = await sim.post_poll(sim.bot_user, general, "Which date?", ["Mon", "Tue"])
    theirs = await sim.post_poll(alice, general, "Lunch?", ["Soup"])
    plain = await sim.post(alice, general, "hello")
    assert own is not None and theirs is not None and plain is not None
    mine = next(m for m in seen if m.id == own.id)
    events.clear()
    ended = await mine.end_poll()
    await sim.settle()
    assert ended.poll is not None and ended.poll.is_finalized()
    expiry = ended.poll.expires_at
    assert expiry is not None and expiry < own.created_at + dt.timedelta(hours=1)  # now
    assert [event for event, _ in events] == ["MESSAGE_UPDATE", "MESSAGE_CREATE"]
    assert events[1][1]["type"] == 46 and events[1][1]["author"]["id"] == str(sim.bot_user.id)
    with pytest.raises(discord.HTTPException) as again:
        await mine.end_poll()
    assert again.value.code == 520001
    with pytest.raises(discord.Forbidden) as other:
        await next(m for m in seen if m.id == theirs.id).end_poll()
    assert other.value.code == 50005 and not theirs.poll["results"]["is_finalized"]
    with pytest.raises(discord.HTTPException) as not_poll:
        await next(m for m in seen if m.id == plain.id).end_poll()
    assert not_poll.value.code == 520006
    assert len([m for m in general.messages if m.type == 46]) == 1
