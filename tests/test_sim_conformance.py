"""The simulator refuses what Discord refuses beyond sizes: mentions, components, empty
messages, autocomplete answers, channel and role limits, expired interaction tokens.

Each check is Discord's documented rule; a bot path that breaks one fails in the tests
as it would fail on a real server.
"""

from __future__ import annotations

from typing import Any

import discord
import discord.http
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
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, alice, bot
    if sim.bot is not None:
        await sim.detach()


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
