"""The simulator refuses scheduled events as Discord documents (guild-scheduled-event).

Create and modify: name 1-100 characters, description up to 1,000, an external
event's location 1-100 and an end after its start, a start not in the past,
privacy level GUILD_ONLY (2). Modify checks the event as it would be after the edit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.sim import Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def world():
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, bot
    if sim.bot is not None:
        await sim.detach()


def _body(**changes: object) -> dict[str, object]:
    start = datetime.now(UTC) + timedelta(days=1)
    body: dict[str, object] = {
        "name": "Tuesday group: Balint group session",
        "privacy_level": 2,
        "entity_type": 3,
        "entity_metadata": {"location": "https://discord.com/channels/1/2"},
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + timedelta(minutes=90)).isoformat(),
        "description": "Session",
    }
    body.update(changes)
    return body


async def _refused(coro) -> str:  # noqa: ANN001
    with pytest.raises(discord.HTTPException) as refused:
        await coro
    assert refused.value.status == 400 and refused.value.code == 50035
    return str(refused.value)


async def test_create_refuses_what_discord_refuses(world):
    sim, guild, bot = world
    create = bot.http.create_guild_scheduled_event
    made = await create(guild.id, **_body())
    assert int(made["id"]) in guild.events
    for bad in (
        _body(name=""),
        _body(name="x" * 101),
        _body(description="x" * 1001),
        _body(entity_metadata={"location": "x" * 101}),
        _body(privacy_level=1),
    ):
        await _refused(create(guild.id, **bad))
    assert len(guild.events) == 1
    assert len(await create(guild.id, **_body(name="x" * 100, description="x" * 1000))) > 0


async def test_modify_checks_the_event_as_it_would_be(world):
    sim, guild, bot = world
    made = await bot.http.create_guild_scheduled_event(guild.id, **_body())
    event_id = int(made["id"])
    edit = bot.http.edit_scheduled_event
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    await _refused(edit(guild.id, event_id, scheduled_start_time=past))
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    # A start after the stored end, without a new end: the end would come first.
    await _refused(edit(guild.id, event_id, scheduled_start_time=later))
    await _refused(edit(guild.id, event_id, entity_metadata={"location": "x" * 101}))
    await _refused(edit(guild.id, event_id, name="x" * 101))
    assert guild.events[event_id].start == made["scheduled_start_time"]
    end = (datetime.now(UTC) + timedelta(days=3, hours=1)).isoformat()
    moved = await edit(guild.id, event_id, scheduled_start_time=later, scheduled_end_time=end)
    assert moved["scheduled_start_time"] == later


async def test_a_fault_injected_as_done_does_the_work_then_answers_the_error(world) -> None:
    """`inject_lost`: Discord did the work, then its answer was lost to a 5xx,
    as when its edge answers 503 after the API made the event."""
    sim, guild, bot = world
    sim.inject_lost("POST", "/guilds/{guild_id}/scheduled-events", 503)
    start = datetime.now(UTC) + timedelta(days=1)
    body = {
        "name": "x",
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + timedelta(hours=1)).isoformat(),
        "entity_type": 3,
        "entity_metadata": {"location": "here"},
        "privacy_level": 2,
    }
    with pytest.raises(discord.DiscordServerError):
        await bot.http.create_guild_scheduled_event(guild.id, **body)
    assert [e.name for e in guild.events.values()] == ["x"]


@pytest.mark.parametrize("intent", [True, False])
async def test_event_changes_reach_only_a_bot_with_the_scheduled_events_intent(intent) -> None:
    """Discord sends GUILD_SCHEDULED_EVENT_CREATE/UPDATE/DELETE only to a bot that asked
    for the GUILD_SCHEDULED_EVENTS intent: the simulator sent them to every bot, so a bot
    without it could rely on events it would never get."""
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    intents = discord.Intents.default()
    intents.members, intents.guild_scheduled_events = True, intent
    bot = SimBot(intents)
    await sim.attach(bot)
    made = await bot.http.create_guild_scheduled_event(guild.id, **_body())
    await sim.settle()
    seen = bot.get_guild(guild.id).get_scheduled_event(int(made["id"]))
    assert (seen is not None) is intent
    await sim.detach()
    assert not sim.errors and not sim.unhandled
