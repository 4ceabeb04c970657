"""/group create through the simulator: the objects, their overwrites, and the rollback."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sim.permissions import CONNECT, READ_HISTORY, SEND_MESSAGES, VIEW_CHANNEL
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import common as common_texts
from bot.texts import groups as texts
from tests.support import inject_after, make_group

ROLES = "/guilds/{guild_id}/roles"
CHANNELS = "/guilds/{guild_id}/channels"
GRANT = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


def _ow(call_json: dict[str, Any], target_id: int) -> dict[str, Any]:
    for ow in call_json["permission_overwrites"]:
        if int(ow["id"]) == target_id:
            return ow
    raise AssertionError(f"no overwrite for {target_id}")


@pytest.mark.parametrize(
    ("give_leader", "give_co_leader"),
    [(False, False), (True, False), (False, True), (True, True)],
)
async def test_create_with_each_combination_of_options(
    scenario: Scenario, give_leader: bool, give_co_leader: bool
) -> None:
    sim, world = scenario.sim, scenario
    lead, co = world.people[0], world.people[1]
    options: dict[str, Any] = {"name": "Tuesday group", "timezone": "Europe/Berlin"}
    if give_leader:
        options["leader"] = lead
    if give_co_leader:
        options["co_leader"] = co
    creator = world.organiser
    sim.reset_calls()
    result = await sim.slash(creator, "group create", options=options)
    assert result.ephemeral
    assert result.deferred
    assert "Tuesday group" in result.text and "is ready" in result.text
    group = await group_store.by_name(world.bot.db, world.guild.id, "Tuesday group")
    assert group is not None and group.zone == "Europe/Berlin"
    expected_leader = lead if give_leader else creator
    leaders = await group_store.leaders(world.bot.db, group.id)
    roles = {m.user_id: m.role for m in leaders}
    expected = {expected_leader.id: "leader"}
    if give_co_leader:
        expected[co.id] = "co_leader"
    assert roles == expected
    # One role, three channels (category, lobby, leaders'), one grant per leader.
    role_calls = sim.calls_matching("POST", ROLES)
    assert len(role_calls) == 1
    assert role_calls[0].json["name"] == "Tuesday group"
    assert int(role_calls[0].json["permissions"]) == 0
    assert not role_calls[0].json.get("hoist") and not role_calls[0].json.get("mentionable")
    channel_calls = sim.calls_matching("POST", CHANNELS)
    assert [c.json["type"] for c in channel_calls] == [4, 0, 0]
    grants = sim.calls_matching("PUT", GRANT)
    assert sorted(int(c.params["user_id"]) for c in grants) == sorted(expected)
    role = sim.role(group.role_id)
    assert role is not None and not role.hoist and not role.mentionable
    for user_id in expected:
        assert role.id in sim.member(world.guild, user_id).role_ids
    # Overwrites: @everyone denied View Channel, the role allowed, the bot keeps access.
    category_call, lobby_call, leaders_call = channel_calls
    for call in (category_call, lobby_call):
        everyone = _ow(call.json, world.guild.id)
        assert int(everyone["deny"]) & VIEW_CHANNEL
        member_ow = _ow(call.json, role.id)
        want = VIEW_CHANNEL | SEND_MESSAGES | READ_HISTORY
        assert int(member_ow["allow"]) & want == want
        assert int(member_ow["allow"]) & CONNECT  # voice too: the bot has it via @everyone
        bot_ow = _ow(call.json, sim.bot_user.id)
        assert int(bot_ow["allow"]) & VIEW_CHANNEL
    assert int(lobby_call.json["parent_id"]) == group.category_id
    assert int(_ow(leaders_call.json, role.id)["deny"]) & VIEW_CHANNEL
    for user_id in expected:
        assert int(_ow(leaders_call.json, user_id)["allow"]) & VIEW_CHANNEL
    # Who sees what.
    lobby = sim.channel(group.lobby_channel_id)
    leaders_channel = sim.channel(group.leaders_channel_id)
    for user_id in expected:
        assert sim.can(sim.world.users[user_id], lobby, "view_channel", "send_messages")
        assert sim.can(sim.world.users[user_id], leaders_channel, "view_channel", "send_messages")
    for stranger in (world.outsider, world.people[5]):
        assert not sim.can(stranger, lobby)
        assert not sim.can(stranger, leaders_channel)
        assert not sim.can(stranger, sim.channel(group.category_id))


async def test_a_member_cannot_see_the_leaders_channel(scenario: Scenario) -> None:
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3)
    leaders = scenario.sim.channel(handle.group.leaders_channel_id)
    assert scenario.sim.can(handle.co_leader, leaders)
    for member in handle.members:
        assert scenario.sim.can(member, handle.lobby, "send_messages")
        assert not scenario.sim.can(member, leaders)


async def test_zone_autocomplete_offers_names_and_refuses_offsets(scenario: Scenario) -> None:
    sim = scenario.sim
    choices = await sim.autocomplete(
        scenario.organiser, "group create", focused="timezone", name="x", timezone="Lon"
    )
    assert choices[0]["value"] == "Europe/London"
    assert (
        await sim.autocomplete(
            scenario.organiser, "group create", focused="timezone", name="x", timezone="+2"
        )
        == []
    )
    sim.reset_calls()
    result = await sim.slash(
        scenario.organiser, "group create", options={"name": "Group", "timezone": "+2"}
    )
    assert "daylight saving" in result.text and "zone name" in result.text
    assert result.ephemeral
    assert not sim.calls_matching("POST", ROLES)
    unknown = await sim.slash(
        scenario.organiser, "group create", options={"name": "Group", "timezone": "Mars/Olympus"}
    )
    assert "I do not know the time zone" in unknown.text
    assert await group_store.in_guild(scenario.bot.db, scenario.guild.id) == []


async def test_duplicate_name_bad_name_and_same_leader_twice(scenario: Scenario) -> None:
    sim = scenario.sim
    await make_group(scenario, name="Tuesday group", size=0)
    again = await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "tuesday  GROUP", "timezone": "Europe/London"},
    )
    assert "already a group called" in again.text
    bad = await sim.slash(
        scenario.organiser, "group create", options={"name": "@everyone", "timezone": "UTC"}
    )
    assert "without @" in bad.text
    twice = await sim.slash(
        scenario.organiser,
        "group create",
        options={
            "name": "Other",
            "timezone": "UTC",
            "leader": scenario.people[3],
            "co_leader": scenario.people[3],
        },
    )
    assert twice.text == texts.SAME_LEADER_TWICE
    bot_lead = await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Other", "timezone": "UTC", "leader": sim.bot_user},
    )
    assert bot_lead.text == texts.NO_BOTS_AS_LEADER
    assert len(await group_store.in_guild(scenario.bot.db, scenario.guild.id)) == 1


@pytest.mark.parametrize("who", ["outsider", "person"])
async def test_only_organisers_create(scenario: Scenario, who: str) -> None:
    sim = scenario.sim
    sim.enforce_default_permissions = False
    user = scenario.outsider if who == "outsider" else scenario.people[0]
    sim.reset_calls()
    result = await sim.slash(
        user, "group create", options={"name": "Mine", "timezone": "Europe/London"}
    )
    assert result.ephemeral
    assert result.text == common_texts.WHO_MAY["organisers"].format(
        organiser_role=scenario.bot.settings.organiser_role
    )
    assert not sim.calls_matching("POST", ROLES)


async def test_the_organiser_role_may_create(scenario: Scenario) -> None:
    sim = scenario.sim
    sim.add_role(scenario.guild, "Balint organiser")
    helper = scenario.add_person("helper")
    sim.add_member(scenario.guild, helper, roles=["Balint organiser"])
    result = await sim.slash(
        helper, "group create", options={"name": "Mine", "timezone": "Europe/London"}
    )
    assert "is ready" in result.text


async def test_missing_manage_roles_is_named_before_anything_is_made(scenario: Scenario) -> None:
    sim = scenario.sim
    bot_role = sim.bot_role(scenario.guild)
    sim.set_bot_permissions(scenario.guild, bot_role.permissions & ~(1 << 28))  # Manage Roles
    await sim.settle()
    sim.reset_calls()
    result = await sim.slash(
        scenario.organiser, "group create", options={"name": "G", "timezone": "UTC"}
    )
    assert "Manage Roles" in result.text and "Manage Channels" not in result.text
    assert not sim.calls_matching("POST", ROLES)


STEPS = [
    ("POST", ROLES, 0, "role"),
    ("POST", CHANNELS, 0, "channel"),  # the category
    ("POST", CHANNELS, 1, "channel"),  # the lobby
    ("POST", CHANNELS, 2, "channel"),  # the leaders' channel
    ("PUT", GRANT, 0, "grant"),  # the leader's role
    ("PUT", GRANT, 1, "grant"),  # the co-leader's role
]


def _world_snapshot(scenario: Scenario) -> tuple[set[int], set[int]]:
    return set(scenario.guild.roles), set(scenario.guild.channels)


async def _create_with_failure(
    scenario: Scenario, step: tuple[str, str, int, str], status: int, **kw: Any
) -> Any:
    method, route, after, _ = step
    before = _world_snapshot(scenario)
    inject_after(scenario.sim, method, route, after, status, **kw)
    result = await scenario.sim.slash(
        scenario.organiser,
        "group create",
        options={
            "name": "Doomed",
            "timezone": "Europe/London",
            "leader": scenario.people[0],
            "co_leader": scenario.people[1],
        },
    )
    await scenario.sim.settle()
    assert _world_snapshot(scenario) == before, "something was left half-made"
    assert await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed") is None
    for person in scenario.people[:2]:
        assert len(scenario.member(person).role_ids) == 0
    assert result.ephemeral
    return result


@pytest.mark.parametrize("step", STEPS, ids=[f"{s[0]}-{s[3]}-{s[2]}" for s in STEPS])
async def test_rollback_after_403_at_each_step(
    scenario: Scenario, step: tuple[str, str, int, str]
) -> None:
    result = await _create_with_failure(scenario, step, 403, code=50013)
    assert result.text == texts.STEP_FAILED[step[3]]
    if step[3] == "grant":
        assert "drag my role above" in result.text
    else:
        assert "Manage" in result.text


@pytest.mark.parametrize("step", STEPS, ids=[f"{s[0]}-{s[3]}-{s[2]}" for s in STEPS])
async def test_rollback_after_429_at_each_step(
    scenario: Scenario, step: tuple[str, str, int, str]
) -> None:
    # discord.py retries a 429 five times, then raises; retry_after=0 keeps it instant.
    result = await _create_with_failure(scenario, step, 429, times=5, retry_after=0)
    assert result.text == texts.CREATE_RATE_LIMITED


async def test_rollback_after_a_503(scenario: Scenario) -> None:
    # 503 is not among the statuses discord.py retries, so it fails at once.
    result = await _create_with_failure(scenario, STEPS[2], 503)
    assert result.text == texts.CREATE_DISCORD_DOWN


async def test_a_create_after_a_rollback_works(scenario: Scenario) -> None:
    await _create_with_failure(scenario, STEPS[3], 403, code=50013)
    handle = await make_group(scenario, name="Doomed", size=2)
    assert scenario.sim.can(handle.members[0], handle.lobby)
