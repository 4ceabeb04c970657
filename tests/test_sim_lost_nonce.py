"""Why a lost 502 on Create Message leaves one message after a plain `channel.send`.

A helper saw the lobby's old start post (`lobby.send(...)`, no nonce in the bot's code)
made once under `inject_lost(..., 502)`, though discord.py sends a 502'd request again.
The cause is discord.py, not the simulator: `Messageable.send` (discord/abc.py) puts a
random nonce with `enforce_nonce` on every message, and its retry of a 500/502/504/524
(`HTTPClient.request`) sends the same body again, so Discord returns the message already
made. A Create Message that really has no enforced nonce (the raw route, a nonce without
`enforce_nonce`) is made twice, as on Discord.
"""

from __future__ import annotations

from typing import Any

import pytest
from discord.http import Route, handle_message_parameters

from bot.sim import Simulator

pytestmark = pytest.mark.asyncio

POST = "/channels/{channel_id}/messages"


@pytest.fixture
async def world(bare_sim):
    sim, guild, _alice, bot = bare_sim
    room = sim.add_channel(guild, "room")
    await sim.settle()
    yield sim, bot, room
    assert not sim.errors and not sim.unhandled


def posts(sim: Simulator) -> list[Any]:
    return [c for c in sim.calls if c.method == "POST" and c.route == POST]


def made(sim: Simulator, room: Any, content: str) -> list[Any]:
    return [m for m in sim.messages_in(room) if m.content == content]


async def test_a_plain_send_carries_discord_pys_own_nonce_on_both_tries(world) -> None:
    """No nonce in the caller's code, yet both tries carry the same enforced nonce."""
    sim, bot, room = world
    sim.inject_lost("POST", POST, 502)
    sent = await bot.get_channel(room.id).send("start")
    first, second = posts(sim)
    assert [first.status, second.status] == [502, 200]
    assert first.json["enforce_nonce"] is True and first.json["nonce"]
    assert second.json["nonce"] == first.json["nonce"], "the retry sends the same body"
    assert [m.id for m in made(sim, room, "start")] == [sent.id]


async def test_a_post_without_a_nonce_is_made_twice_by_discord_pys_retry(world) -> None:
    """The same 502 on a Create Message with no nonce: two messages, as on Discord."""
    sim, bot, room = world
    sim.inject_lost("POST", POST, 502)
    with handle_message_parameters(content="raw") as params:
        data = await bot.http.send_message(room.id, params=params)
    assert "nonce" not in posts(sim)[0].json
    assert [c.status for c in posts(sim)] == [502, 200]
    twice = made(sim, room, "raw")
    assert len(twice) == 2 and int(data["id"]) == twice[1].id


async def test_a_nonce_without_enforce_nonce_is_not_checked(world) -> None:
    """Discord checks a nonce's uniqueness only with `enforce_nonce`: two messages."""
    sim, bot, room = world
    sim.inject_lost("POST", POST, 502)
    route = Route("POST", POST, channel_id=room.id)
    await bot.http.request(route, json={"content": "loose", "nonce": "42"})
    assert [c.status for c in posts(sim)] == [502, 200]
    assert len(made(sim, room, "loose")) == 2


async def test_an_enforced_nonce_returns_the_first_message(world) -> None:
    """With `enforce_nonce` and the same nonce, Discord returns the message it made."""
    sim, bot, room = world
    sim.inject_lost("POST", POST, 502)
    with handle_message_parameters(content="kept", nonce=7) as params:
        data = await bot.http.send_message(room.id, params=params)
    (message,) = made(sim, room, "kept")
    assert int(data["id"]) == message.id
