"""The simulator refuses what Discord refuses on size: application commands, channel
topics, nicknames and uploaded files.

Each check is Discord's documented limit; a bot path that breaks one fails in the
tests as it would on a real server, instead of passing here and failing there.
"""

from __future__ import annotations

import io
from typing import Any

import discord
import discord.http
import pytest

from bot.sim import Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio


@pytest.fixture
def world(bare_sim: tuple) -> tuple:
    return bare_sim


async def _request(
    sim: Simulator, bot: SimBot, route: discord.http.Route, **kwargs: Any
) -> tuple[int, Any]:
    """(status, Discord's error code) of a refusal, else (200, None)."""
    try:
        await bot.http.request(route, **kwargs)
    except discord.HTTPException as exc:
        sim.errors.clear()  # discord.py logs the refused request
        return exc.status, exc.code
    return 200, None


def _slash(name: str = "group", **extra: Any) -> dict[str, Any]:
    return {"type": 1, "name": name, "description": "Balint groups", **extra}


def _option(name: str = "group", **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "Which group", **extra}


def _choice(name: str, value: str | None = None) -> dict[str, Any]:
    return {"name": name, "value": name if value is None else value}


def _wordy(pad: int) -> list[dict[str, Any]]:
    """20 options of 25 choices whose name and value are `pad` + 2 characters each."""
    choices = [_choice(f"{k:02}" + "x" * pad) for k in range(25)]
    return [_option(f"o{n}", choices=choices) for n in range(20)]


COMMANDS = {
    "name of 32": ([_slash("g" * 32)], [_slash("g" * 33)]),
    "lower case": ([_slash("group-info")], [_slash("Group")]),
    "no spaces": ([_slash("group_info")], [_slash("group info")]),
    "description 1-100": ([_slash(description="d" * 100)], [_slash(description="")]),
    "25 options": (
        [_slash(options=[_option(f"o{n}") for n in range(25)])],
        [_slash(options=[_option(f"o{n}") for n in range(26)])],
    ),
    "required first": (
        [_slash(options=[_option("a", required=True), _option("b")])],
        [_slash(options=[_option("a"), _option("b", required=True)])],
    ),
    "25 choices": (
        [_slash(options=[_option(choices=[_choice(f"c{n}") for n in range(25)])])],
        [_slash(options=[_option(choices=[_choice(f"c{n}") for n in range(26)])])],
    ),
    "choice name 100": (
        [_slash(options=[_option(choices=[_choice("c" * 100)])])],
        [_slash(options=[_option(choices=[_choice("c" * 101)])])],
    ),
    "choice value 100": (
        [_slash(options=[_option(choices=[_choice("c", "v" * 100)])])],
        [_slash(options=[_option(choices=[_choice("c", "v" * 101)])])],
    ),
    "option description": (
        [_slash(options=[_option(description="w" * 100)])],
        [_slash(options=[_option(description="w" * 101)])],
    ),
    "unique names": ([_slash("a"), _slash("b")], [_slash("a"), _slash("a")]),
    "100 commands": (
        [_slash(f"c{n}") for n in range(100)],
        [_slash(f"c{n}") for n in range(101)],
    ),
    "8,000 characters": ([_slash(options=_wordy(5))], [_slash(options=_wordy(8))]),
}


@pytest.mark.parametrize("rule", list(COMMANDS))
async def test_application_commands_are_refused_whole_like_discord(world, rule):
    sim, _guild, _alice, bot = world
    ok, bad = COMMANDS[rule]
    route = discord.http.Route("PUT", "/applications/{app}/commands", app=sim.bot_user.id)
    assert await _request(sim, bot, route, json=ok) == (200, None)
    before = list(sim.commands.get(None, []))
    assert await _request(sim, bot, route, json=bad) == (400, 50035)
    assert sim.commands.get(None, []) == before  # nothing of a refused upload is kept


MIB = 1024 * 1024


async def test_a_file_over_10_mib_is_refused_in_a_server_and_in_a_dm(world):
    """Discord's default upload limit, for a server without boosts and for DMs, is
    10 MiB per file (discord.py: utils.DEFAULT_FILE_SIZE_LIMIT_BYTES); past it, 413
    Request entity too large (40005) and no message."""
    sim, guild, alice, bot = world
    room = sim.add_channel(guild, "room")
    await sim.settle()
    channel = bot.get_channel(room.id)
    assert isinstance(channel, discord.TextChannel)
    dm = bot.get_user(alice.id)
    assert dm is not None
    for target, sent in ((channel, lambda: sim.messages_in(room)), (dm, lambda: sim.dms_to(alice))):
        await target.send(file=discord.File(io.BytesIO(b"x" * (10 * MIB)), "export.json"))
        assert len(sent()) == 1 and len(sent()[0].files[0][1]) == 10 * MIB
        with pytest.raises(discord.HTTPException) as refused:
            await target.send(file=discord.File(io.BytesIO(b"x" * (10 * MIB + 1)), "big.json"))
        assert (refused.value.status, refused.value.code) == (413, 40005)
        assert len(sent()) == 1
    sim.errors.clear()  # discord.py logs the refused requests


async def test_an_interaction_tells_the_bot_the_10_mib_limit(world):
    sim, _guild, alice, bot = world
    seen: list[int] = []

    async def note(interaction: discord.Interaction) -> None:
        seen.append(interaction.filesize_limit)

    bot.add_listener(note, "on_interaction")
    await sim.slash(alice, "probe deferred", options={"ephemeral": True})
    assert seen == [10 * MIB]


async def test_a_channel_topic_takes_1024_characters(world):
    sim, guild, _alice, bot = world
    create = discord.http.Route("POST", "/guilds/{guild_id}/channels", guild_id=guild.id)
    ok = {"name": "lobby", "type": 0, "topic": "t" * 1024}
    assert await _request(sim, bot, create, json=ok) == (200, None)
    over = {"name": "lobby-2", "type": 0, "topic": "t" * 1025}
    assert await _request(sim, bot, create, json=over) == (400, 50035)
    room = sim.add_channel(guild, "room")
    edit = discord.http.Route("PATCH", "/channels/{channel_id}", channel_id=room.id)
    assert await _request(sim, bot, edit, json={"topic": "t" * 1025}) == (400, 50035)
    assert room.topic is None


async def test_a_nickname_takes_32_characters(world):
    sim, guild, alice, bot = world
    role = sim.bot_role(guild)
    sim.set_bot_permissions(
        guild, role.permissions | discord.Permissions(manage_nicknames=True).value
    )
    route = discord.http.Route(
        "PATCH", "/guilds/{guild_id}/members/{user_id}", guild_id=guild.id, user_id=alice.id
    )
    assert await _request(sim, bot, route, json={"nick": "n" * 32}) == (200, None)
    assert await _request(sim, bot, route, json={"nick": "n" * 33}) == (400, 50035)
    assert guild.members[alice.id].nick == "n" * 32
    assert await _request(sim, bot, route, json={"nick": None}) == (200, None)
