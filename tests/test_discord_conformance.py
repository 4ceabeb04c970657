"""What real Discord refuses that a lenient simulator would accept, with the README's invite.

The simulator follows Discord's documented rules here (bot/sim): Create Guild Channel
"If setting permission overwrites, only permissions your bot has in the guild can be
allowed/denied. Setting MANAGE_ROLES permission in channels is only possible for guild
administrators"; a scheduled event may not start in the past; an interaction's first
answer must come within 3 seconds.  Each test failed before its fix.
"""

from __future__ import annotations

import discord
import pytest

from bot.permissions_needed import REQUIRED
from bot.sim import DEFAULT_EVERYONE
from bot.sim.permissions import MANAGE_ROLES
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import sessions as session_store
from tests.support import make_group

CHANNELS = "/guilds/{guild_id}/channels"


async def test_group_create_works_with_the_readme_invite(scenario: Scenario) -> None:
    """README step 4 invites the bot without Administrator: /group create must still work."""
    world = scenario
    assert not discord.Permissions(REQUIRED.value).administrator
    world.sim.reset_calls()
    result = await world.sim.slash(
        world.organiser,
        "group create",
        options={"name": "Tuesday group", "timezone": "Europe/London", "leader": world.people[0]},
    )
    # What the bot sent: its own overwrite must not allow Manage Roles at creation.
    creates = world.sim.calls_matching("POST", CHANNELS)
    bot_id = world.sim.bot_user.id
    sent = [
        int(ow.get("allow") or 0) | int(ow.get("deny") or 0)
        for call in creates
        for ow in call.json.get("permission_overwrites", [])
        if int(ow["id"]) == bot_id
    ]
    group = await group_store.by_name(world.bot.db, world.guild.id, "Tuesday group")
    assert group is not None, (
        f"/group create refused: {result.text!r}; Manage Roles in the bot's create-time "
        f"overwrite: {[bool(bits & MANAGE_ROLES) for bits in sent]}"
    )


@pytest.fixture
async def voice_locked(tmp_path):
    """A server where @everyone may not use voice (voice given by role), bot invited per README."""
    world = Scenario(tmp_path / "voice.sqlite3")
    everyone = world.guild.roles[world.guild.id]
    everyone.permissions = DEFAULT_EVERYONE & ~discord.Permissions(connect=True, speak=True).value
    await world.start()
    yield world
    await world.stop()


async def test_session_with_voice_starts_with_the_readme_invite(voice_locked: Scenario) -> None:
    """The session's voice channel allows Connect and Speak: the invite must give them, or
    the bot holds them only where @everyone does (Discord refuses the create otherwise)."""
    world = voice_locked
    handle = await make_group(world, size=4)
    assert handle.group.voice_enabled
    result = await world.sim.slash(handle.leader, "session start", channel=handle.lobby)
    session = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert session is not None, f"/session start refused: {result.text!r}"
    assert session.voice_channel_id is not None


def test_invite_covers_the_voice_overwrites() -> None:
    """Static form of the test above: every bit the bot writes unmasked is in the invite."""
    from cogs._session_lifecycle import BOT_ALLOW, VOICE_BOT, VOICE_ROLE

    written = BOT_ALLOW.value
    for ow in (
        VOICE_ROLE,
        VOICE_BOT,
        discord.PermissionOverwrite(view_channel=False, connect=False),
    ):
        allow, deny = ow.pair()
        written |= allow.value | deny.value
    missing = discord.Permissions(written & ~REQUIRED.value)
    assert not missing.value, f"not in the README invite: {[n for n, v in missing if v]}"


async def test_voice_channel_create_is_the_refused_call(voice_locked: Scenario) -> None:
    """Both channels are made, the text (type 0) and the voice (type 2) one."""
    world = voice_locked
    handle = await make_group(world, size=4)
    world.sim.reset_calls()
    await world.sim.slash(handle.leader, "session start", channel=handle.lobby)
    creates = [(c.json.get("type"), c.status) for c in world.sim.calls_matching("POST", CHANNELS)]
    assert creates == [(0, 201), (2, 201)], creates


EVENTS = "/guilds/{guild_id}/scheduled-events"


async def test_events_on_during_a_due_session_sends_no_event_in_the_past(
    voice_locked: Scenario,
) -> None:
    """Discord refuses a scheduled event whose start has passed (400/50035): events turned
    on while a session is due but not started make no event for that session."""
    world = voice_locked
    g = await make_group(world, size=3)
    await world.sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"})
    await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    # Tuesday 24 Nov 2026, 19:10 London: the session is due, the leaders have not started it.
    await world.advance(hours=34, minutes=10)
    world.sim.reset_calls()
    result = await world.sim.slash(
        g.leader, "schedule events", channel=g.lobby, options={"state": "on"}
    )
    refused = [c for c in world.sim.calls_matching("POST", EVENTS) if c.status >= 400]
    assert not refused, (
        f"event sent with start {refused[0].json['scheduled_start_time']} at "
        f"{world.clock.now().isoformat()}: {refused[0].response}; answer: {result.text!r}"
    )


async def test_forget_button_answers_before_its_role_removals(scenario: Scenario) -> None:
    """ "Erase my records" answers before removing roles: a rate-limited removal (discord.py
    sleeps through the 429) must not push the answer past Discord's 3 seconds."""
    from tests.test_privacy import seed

    made = await seed(scenario)
    me = scenario.people[1]
    asked = await scenario.sim.slash(me, "privacy forget", channel=made["lobby"])
    scenario.sim.inject(
        "DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", 429, retry_after=3.2
    )
    pressed = await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    scenario.sim.errors.clear()  # the failed answer is logged; the assertion says it
    assert pressed.responded, "no answer reached Discord within 3 s of the click"
