"""The simulator refuses what Discord refuses beyond sizes: mentions, components, empty
messages, autocomplete answers, channel and role limits, expired interaction tokens.

Each check is Discord's documented rule; a bot path that breaks one fails in the tests
as it would fail on a real server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import discord.http
import pytest

from bot.clock import ManualClock
from bot.sim import Simulator
from bot.sim import interactions as I
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio


@pytest.fixture
def world(bare_sim: tuple) -> tuple:
    return bare_sim


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


def _button(custom_id: str = "b", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id, **extra}


def _select(values: list[str], **extra: Any) -> dict[str, Any]:
    options = [{"label": f"Option {v}", "value": v} for v in values]
    return {"type": 3, "custom_id": "pick", "options": options, **extra}


def _rows(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"content": "hi", "components": [{"type": 1, "components": row} for row in rows]}


COMPONENT_RULES = [
    (
        "custom ids unique",
        _rows([_button("a"), _button("b")]),
        _rows([_button("a")], [_button("a")]),
    ),
    ("select has options", _rows([_select(["1"])]), _rows([_select([])])),
    ("option values unique", _rows([_select(["1", "2"])]), _rows([_select(["1", "1"])])),
    (
        "max_values within the options",
        _rows([_select(["1", "2"], max_values=2)]),
        _rows([_select(["1", "2"], max_values=3)]),
    ),
    (
        "min_values not above max_values",
        _rows([_select(["1", "2"], min_values=2, max_values=2)]),
        _rows([_select(["1", "2"], min_values=2, max_values=1)]),
    ),
    (
        "a select takes its row",
        _rows([_select(["1"])], [_button()]),
        _rows([_select(["1"]), _button()]),
    ),
    (
        "a button has a label or an emoji",
        _rows([_button(label=None, emoji={"name": "👍"})]),
        _rows([_button(label="")]),
    ),
    ("a button has a custom id", _rows([_button("b")]), _rows([_button("")])),
]


@pytest.mark.parametrize(
    ("rule", "ok", "bad"), COMPONENT_RULES, ids=[r[0] for r in COMPONENT_RULES]
)
async def test_component_rules_are_refused_like_discord(world, rule, ok, bad):
    sim, guild, _alice, bot = world
    assert await _post(sim, guild, bot, ok) == (200, None)
    assert await _post(sim, guild, bot, bad) == (400, 50035)


async def test_a_message_with_nothing_in_it_is_refused_like_discord(world):
    sim, guild, _alice, bot = world
    assert await _post(sim, guild, bot, {"content": ""}) == (400, 50006)
    assert await _post(sim, guild, bot, {"content": "  \n"}) == (400, 50006)
    assert await _post(sim, guild, bot, {"embeds": [{"title": "t"}]}) == (200, None)
    room = bot.get_partial_messageable(sim.add_channel(guild, "room").id)
    sent = await room.send("hello")
    with pytest.raises(discord.HTTPException) as refused:
        await sent.edit(content="")
    assert (refused.value.status, refused.value.code) == (400, 50006)
    assert sim.world.messages[sent.id].content == "hello"
    sim.errors.clear()  # discord.py logs the refused request


async def _answer_autocomplete(sim: Simulator, guild: Any, alice: Any, bot: SimBot, choices: list):
    """Answer a fresh autocomplete interaction with `choices`: its status and code."""
    payload, rec = I.base_payload(sim, 4, alice, guild, sim.add_channel(guild, "room"))
    sim.interactions[rec.id] = rec
    sim.interactions_by_token[rec.token] = rec
    path = "/interactions/{interaction_id}/{interaction_token}/callback"
    route = discord.http.Route("POST", path, interaction_id=rec.id, interaction_token=rec.token)
    try:
        await bot.http.request(route, json={"type": 8, "data": {"choices": choices}})
    except discord.HTTPException as exc:
        sim.errors.clear()  # discord.py logs the refused request
        return exc.status, exc.code
    return 200, None


async def test_autocomplete_takes_25_choices_of_100_characters(world):
    sim, guild, alice, bot = world

    def choices(count: int, name: int = 5, value: int = 5) -> list[dict[str, str]]:
        return [{"name": "n" * name, "value": f"{n}" + "v" * value} for n in range(count)]

    assert await _answer_autocomplete(sim, guild, alice, bot, choices(25)) == (200, None)
    assert await _answer_autocomplete(sim, guild, alice, bot, choices(26)) == (400, 50035)
    long_name = choices(1, name=101)
    assert await _answer_autocomplete(sim, guild, alice, bot, long_name) == (400, 50035)
    long_value = choices(1, value=100)
    assert await _answer_autocomplete(sim, guild, alice, bot, long_value) == (400, 50035)


async def test_an_interaction_token_expires_after_15_minutes(world):
    sim, _guild, alice, bot = world
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    bot.clock = ManualClock(start)
    answered = await sim.slash(alice, "probe ping")
    path = "/webhooks/{webhook_id}/{webhook_token}"
    route = discord.http.Route(
        "POST", path, webhook_id=sim.bot_user.id, webhook_token=answered.token
    )
    bot.clock.set(start + timedelta(minutes=15))
    await bot.http.request(route, json={"content": "still in time"})
    bot.clock.set(start + timedelta(minutes=15, seconds=1))
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.request(route, json={"content": "too late"})
    assert (refused.value.status, refused.value.code) == (401, 50027)
    assert [m.content for m in answered.followups] == ["still in time"]
    sim.errors.clear()  # discord.py logs the refused request


async def _create(bot: SimBot, guild: Any, body: dict[str, Any]) -> tuple[int, Any]:
    route = discord.http.Route("POST", "/guilds/{guild_id}/channels", guild_id=guild.id)
    try:
        return 201, await bot.http.request(route, json=body)
    except discord.HTTPException as exc:
        return exc.status, exc.code


async def test_channel_names_limits_and_normalising_as_on_discord(world):
    sim, guild, _alice, bot = world
    status, made = await _create(bot, guild, {"name": "Tuesday Group lobby", "type": 0})
    assert status == 201 and made["name"] == "tuesday-group-lobby"
    status, made = await _create(bot, guild, {"name": "Session voice", "type": 2})
    assert status == 201 and made["name"] == "Session voice"
    assert (await _create(bot, guild, {"name": "x" * 101, "type": 0}))[0] == 400
    assert (await _create(bot, guild, {"name": "", "type": 0}))[0] == 400
    sim.errors.clear()  # discord.py logs the refused requests


async def test_a_category_holds_50_channels_and_a_server_500(world):
    sim, guild, _alice, bot = world
    category = sim.add_channel(guild, "Group", "category")
    for n in range(49):
        sim.add_channel(guild, f"room-{n}", parent=category)
    assert (await _create(bot, guild, {"name": "fifty", "parent_id": str(category.id)}))[0] == 201
    refused = await _create(bot, guild, {"name": "fifty-one", "parent_id": str(category.id)})
    assert refused == (400, 50035)
    while len(guild.channels) < 500:
        sim.add_channel(guild, f"more-{len(guild.channels)}")
    assert await _create(bot, guild, {"name": "one-too-many"}) == (400, 30013)
    sim.errors.clear()  # discord.py logs the refused requests


async def test_role_names_take_100_characters(world):
    sim, guild, _alice, bot = world
    await guild_of(bot, guild).create_role(name="r" * 100)
    with pytest.raises(discord.HTTPException) as refused:
        await guild_of(bot, guild).create_role(name="r" * 101)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    sim.errors.clear()  # discord.py logs the refused request


def guild_of(bot: SimBot, guild: Any) -> discord.Guild:
    found = bot.get_guild(guild.id)
    assert found is not None
    return found


@pytest.mark.parametrize("deferred_ephemeral", [True, False])
async def test_the_first_followup_after_thinking_edits_it_and_keeps_its_visibility(
    world, deferred_ephemeral
):
    """Discord: a followup "directly after" a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE edits the
    loading message; "the ephemeral flag will be ignored, and the value you provided in the
    initial defer response will be preserved" (receiving-and-responding#create-followup-
    message). Later followups are new messages with their own flag."""
    sim, _guild, alice, _bot = world
    result = await sim.slash(alice, "probe deferred", options={"ephemeral": deferred_ephemeral})
    first, second = result.messages
    assert first is result.original and first.content == "first"
    assert first.ephemeral is deferred_ephemeral and not first.flags & 128  # no longer loading
    assert result.edited_after_defer
    assert second.content == "second" and second.ephemeral is not deferred_ephemeral
    assert result.followups == [second]
