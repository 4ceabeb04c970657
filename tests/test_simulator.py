"""The simulator's own tests, driven through the tiny stand-in bot in tests/sim_bot.py."""

from __future__ import annotations

import discord
import discord.http
import pytest

from bot.sim import Simulator
from tests.sim_bot import SimBot

pytestmark = pytest.mark.asyncio

CALLBACK = "/interactions/{interaction_id}/{token}/callback"


@pytest.fixture
def world(bare_sim: tuple) -> tuple:
    return bare_sim


async def test_ping_round_trip_is_ephemeral(world):
    sim, _guild, alice, _bot = world
    result = await sim.slash(alice, "probe ping")
    assert result.type == 4
    assert result.ephemeral
    assert result.text == "pong"
    assert [c.route for c in sim.calls_matching("POST")][-1] == CALLBACK
    assert not sim.errors and not sim.unhandled


async def test_schema_rejects_unknown_and_missing_options(world):
    sim, _guild, alice, _bot = world
    with pytest.raises(AssertionError, match="unknown option 'colour'"):
        await sim.slash(alice, "probe setup", name="g", colour="red")
    with pytest.raises(AssertionError, match="missing required option 'name'"):
        await sim.slash(alice, "probe setup")
    with pytest.raises(AssertionError, match="expects integer"):
        await sim.slash(alice, "probe setup", name="g", size="six")
    with pytest.raises(AssertionError, match="no subcommand"):
        await sim.slash(alice, "probe pong")


async def test_setup_creates_role_and_private_channel(world):
    sim, guild, alice, _bot = world
    result = await sim.slash(alice, "probe setup", name="group-a")
    assert result.deferred and "created" in result.text
    assert [c.route for c in sim.calls][-3:] == [
        "/guilds/{guild_id}/roles",
        "/guilds/{guild_id}/channels",
        "/webhooks/{application_id}/{token}",
    ]
    assert sim.calls_matching("POST", "/guilds/{guild_id}/roles")[0].reason == "probe setup"
    channel = sim.channel("group-a", guild)
    role = sim.role("group-a", guild)
    assert channel is not None and role is not None
    assert not sim.can(alice, channel, "view_channel")
    member = sim.member(guild, alice)
    member.role_ids.append(role.id)
    assert sim.can(alice, channel, "view_channel", "send_messages")
    assert await sim.post(alice, channel, "hi") is not None


async def test_outsider_cannot_view_or_post(world):
    sim, guild, alice, bot = world
    insiders = sim.add_role(guild, "insiders")
    everyone = guild.everyone
    private = sim.add_channel(
        guild,
        "private",
        overwrites={
            everyone: (0, discord.Permissions(view_channel=True).value),
            insiders: (discord.Permissions(view_channel=True, send_messages=True).value, 0),
        },
    )
    bob = sim.add_user("bob")
    sim.add_member(guild, bob, roles=[insiders])
    await sim.settle()
    assert not sim.can(alice, private, "view_channel")
    assert sim.can(bob, private, "view_channel", "send_messages")
    assert await sim.post(alice, private, "let me in") is None
    assert len(sim.refused_posts) == 1
    assert await sim.post(bob, private, "hello") is not None
    assert bot.seen_messages == ["hello"]
    admin = sim.add_user("admin")
    sim.add_member(guild, admin, admin=True)
    assert sim.can(admin, private, "view_channel", "manage_channels")


async def test_click_on_unknown_custom_id_is_refused(world):
    sim, _guild, alice, _bot = world
    posted = await sim.slash(alice, "probe button")
    message = posted.original
    with pytest.raises(AssertionError, match="refused"):
        await sim.click(alice, message, "probe:nope")
    result = await sim.click(alice, message, "probe:hello")
    assert result.text == "hello alice" and result.ephemeral


async def test_click_after_restart(world):
    sim, _guild, alice, _bot = world
    posted = await sim.slash(alice, "probe button")
    message = posted.original
    await sim.detach()
    new_bot = SimBot()
    await sim.attach(new_bot)
    result = await sim.click(alice, message, "probe:hello")
    assert result.text == "hello alice"
    assert not sim.errors


async def test_403_on_callback_is_recorded_and_surfaced(world):
    sim, _guild, alice, _bot = world
    sim.inject("POST", CALLBACK, 403, 50013)
    result = await sim.slash(alice, "probe ping")
    assert not result.responded
    assert sim.calls_matching("POST", CALLBACK)[-1].status == 403
    assert sim.errors, "the bot's error log must reach sim.errors"
    sim.errors.clear()


async def test_unhandled_route_is_recorded(world):
    sim, guild, _alice, bot = world
    with pytest.raises(discord.NotFound):
        await bot.http.request(
            discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=guild.id)
        )
    assert [c.route for c in sim.unhandled] == [f"GET /guilds/{guild.id}/bans"]
    sim.unhandled.clear()


async def test_dm_to_closed_user_is_403_50007(world):
    sim, guild, _alice, _bot = world
    carol = sim.add_user("carol", dms_closed=True)
    sim.add_member(guild, carol)
    result = await sim.slash(carol, "probe dm")
    assert "cannot DM you (50007)" in result.text
    assert sim.calls_matching("POST", "/channels/{channel_id}/messages")[-1].status == 403
    assert sim.dms_to(carol) == []
    dave = sim.add_user("dave")
    sim.add_member(guild, dave)
    await sim.slash(dave, "probe dm")
    assert [m.content for m in sim.dms_to(dave)] == ["a private word"]


async def test_files_are_parsed_from_multipart(world):
    sim, _guild, alice, _bot = world
    result = await sim.slash(alice, "probe report")
    assert result.files == [("report.csv", b"a,b\n1,2\n")]
    assert sim.calls_matching("POST", CALLBACK)[-1].files == [("report.csv", b"a,b\n1,2\n")]


async def test_bot_without_manage_roles_gets_50013(world):
    sim, guild, alice, _bot = world
    sim.set_bot_permissions(guild, discord.Permissions(view_channel=True, send_messages=True).value)
    await sim.settle()
    await sim.slash(alice, "probe setup", name="g2")
    call = sim.calls_matching("POST", "/guilds/{guild_id}/roles")[-1]
    assert call.status == 403 and call.response["code"] == 50013
    assert sim.errors
    sim.errors.clear()


async def test_custom_api_base_is_used_and_routed():
    old = discord.http.Route.BASE
    discord.http.Route.BASE = "http://localhost:3001/api/v10"
    try:
        sim = Simulator()
        guild = sim.add_guild("Rural GPs")
        alice = sim.add_user("alice")
        sim.add_member(guild, alice)
        await sim.attach(SimBot())
        await sim.slash(alice, "probe setup", name="g3")
        rest = [c for c in sim.calls if not c.route.startswith(("/interactions", "/webhooks"))]
        assert rest and all(c.url.startswith("http://localhost:3001/api/v10/") for c in rest)
        assert not sim.unhandled and not sim.errors
        await sim.detach()
    finally:
        discord.http.Route.BASE = old


async def test_autocomplete_and_modal(world):
    sim, _guild, alice, _bot = world
    choices = await sim.autocomplete(alice, "probe tz", focused="timezone", timezone="Europe")
    assert [c["value"] for c in choices] == ["Europe/Budapest", "Europe/London"]
    with pytest.raises(AssertionError, match="refused"):
        await sim.submit_modal(alice, "nope", {"feedback:text": "x"})
    opened = await sim.slash(alice, "probe feedback")
    assert opened.type == 9
    custom_id = opened.modal["custom_id"]
    result = await sim.submit_modal(alice, custom_id, {"feedback:text": "good session"})
    assert result.text == "thanks: good session"
    assert not sim.errors


async def test_server_mute_needs_voice_and_updates_state(world):
    sim, guild, alice, bot = world
    bob = sim.add_user("bob")
    sim.add_member(guild, bob)
    room = sim.add_channel(guild, "room", "voice")
    await sim.settle()
    await sim.slash(alice, "probe mute", member=bob)
    assert sim.calls_matching("PATCH", "/guilds/{guild_id}/members/{user_id}")[-1].status == 400
    sim.errors.clear()
    assert await sim.voice_join(bob, room)
    result = await sim.slash(alice, "probe mute", member=bob)
    assert result.text == "muted bob"
    assert sim.member(guild, bob).mute
    assert bot.get_guild(guild.id).get_member(bob.id).voice.mute
    assert not sim.errors


async def test_429_is_retried_by_discord_py(world):
    sim, _guild, alice, _bot = world
    sim.inject("POST", "/guilds/{guild_id}/roles", 429, retry_after=0.0, times=2)
    result = await sim.slash(alice, "probe setup", name="g4")
    statuses = [c.status for c in sim.calls_matching("POST", "/guilds/{guild_id}/roles")]
    assert statuses == [429, 429, 200]
    assert "created" in result.text
    sim.errors.clear()  # discord.py logs 429s at WARNING only; nothing else expected


async def test_content_over_2000_characters_is_refused_like_discord(world):
    sim, guild, alice, bot = world
    result = await sim.slash(alice, "probe long")
    answer = result.messages[-1].content
    assert answer.startswith("callback 400/50035 followup 400/50035 edit 400/50035 ")
    assert len(answer) == 2000  # exactly at the limit is allowed
    room = bot.get_partial_messageable(sim.add_channel(guild, "room").id)
    with pytest.raises(discord.HTTPException) as refused:
        await room.send("x" * 2001)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    sent = await room.send("x" * 2000)
    with pytest.raises(discord.HTTPException) as refused:
        await sent.edit(content="x" * 2001)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert sim.world.messages[sent.id].content == "x" * 2000
    sim.errors.clear()  # discord.py logs the refused requests


def _embed(**sizes: int) -> dict[str, object]:
    """An embed whose parts have the given lengths (title, description, footer, author)."""
    embed: dict[str, object] = {}
    for key in ("title", "description"):
        if key in sizes:
            embed[key] = "x" * sizes[key]
    if "footer" in sizes:
        embed["footer"] = {"text": "x" * sizes["footer"]}
    if "author" in sizes:
        embed["author"] = {"name": "x" * sizes["author"]}
    return embed


def _fields(count: int, name: int = 1, value: int = 1) -> dict[str, object]:
    return {"fields": [{"name": "n" * name, "value": "v" * value} for _ in range(count)]}


def _row(*items: dict[str, object]) -> dict[str, object]:
    return {"type": 1, "components": list(items)}


def _button(label: int = 5, custom_id: int = 5) -> dict[str, object]:
    return {"type": 2, "style": 1, "label": "l" * label, "custom_id": "c" * custom_id}


def _select(options: int = 1, label: int = 5, value: int = 5) -> dict[str, object]:
    listed = [{"label": "l" * label, "value": f"{n}" + "v" * (value - 1)} for n in range(options)]
    return {"type": 3, "custom_id": "pick", "options": listed}


EMBED_LIMITS: list[tuple[str, dict[str, object], dict[str, object]]] = [
    ("ten embeds", {"embeds": [_embed(title=1)] * 10}, {"embeds": [_embed(title=1)] * 11}),
    ("title", {"embeds": [_embed(title=256)]}, {"embeds": [_embed(title=257)]}),
    ("description", {"embeds": [_embed(description=4096)]}, {"embeds": [_embed(description=4097)]}),
    ("fields", {"embeds": [_fields(25)]}, {"embeds": [_fields(26)]}),
    ("field name", {"embeds": [_fields(1, name=256)]}, {"embeds": [_fields(1, name=257)]}),
    ("field value", {"embeds": [_fields(1, value=1024)]}, {"embeds": [_fields(1, value=1025)]}),
    ("footer", {"embeds": [_embed(footer=2048)]}, {"embeds": [_embed(footer=2049)]}),
    ("author", {"embeds": [_embed(author=256)]}, {"embeds": [_embed(author=257)]}),
    (
        "6,000 in all embeds",
        {"embeds": [_embed(description=3000), _embed(description=2000, title=256, footer=744)]},
        {"embeds": [_embed(description=3000), _embed(description=2000, title=256, footer=745)]},
    ),
    (
        "button label",
        {"components": [_row(_button(label=80))]},
        {"components": [_row(_button(label=81))]},
    ),
    (
        "custom_id",
        {"components": [_row(_button(custom_id=100))]},
        {"components": [_row(_button(custom_id=101))]},
    ),
    (
        "five rows",
        {"components": [_row(_button(custom_id=n)) for n in range(1, 6)]},
        {"components": [_row(_button(custom_id=n)) for n in range(1, 7)]},
    ),
    ("options", {"components": [_row(_select(25))]}, {"components": [_row(_select(26))]}),
    (
        "option label",
        {"components": [_row(_select(label=100))]},
        {"components": [_row(_select(label=101))]},
    ),
    (
        "option value",
        {"components": [_row(_select(value=100))]},
        {"components": [_row(_select(value=101))]},
    ),
]


@pytest.mark.parametrize(
    ("limit", "at_limit", "over"), EMBED_LIMITS, ids=[e[0] for e in EMBED_LIMITS]
)
async def test_embed_and_component_limits_are_refused_like_discord(world, limit, at_limit, over):
    sim, guild, _alice, bot = world
    channel = sim.add_channel(guild, "room")
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    sent = await bot.http.request(route, json={"content": limit, **at_limit})
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.request(route, json={"content": limit, **over})
    assert (refused.value.status, refused.value.code) == (400, 50035)
    edit = discord.http.Route(
        "PATCH",
        "/channels/{channel_id}/messages/{message_id}",
        channel_id=channel.id,
        message_id=sent["id"],
    )
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.request(edit, json=over)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert sim.world.messages[int(sent["id"])].content == limit
    sim.errors.clear()  # discord.py logs the refused requests


async def test_embed_over_the_limits_is_refused_on_interaction_routes(world):
    sim, _guild, alice, _bot = world
    result = await sim.slash(alice, "probe embeds")
    last = result.messages[-1]
    assert last.content == "callback 400/50035 followup 400/50035 edit 400/50035"
    assert last.embeds[0]["title"] == "t" * 256  # exactly at the limit is allowed
    sim.errors.clear()  # discord.py logs the refused requests


async def test_modal_over_the_limits_is_refused_like_discord(world):
    sim, _guild, alice, _bot = world
    result = await sim.slash(alice, "probe bigmodal")
    assert result.text == "title 400/50035 value 400/50035 max 400/50035"
    assert result.modal is None
    sim.errors.clear()  # discord.py logs the refused requests
