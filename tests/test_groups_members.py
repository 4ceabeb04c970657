"""/group add, remove and leaders through the simulator, and who may run them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import common as common_texts
from bot.texts import groups as texts
from tests.support import accept_agreements, make_group

GRANT = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def test_add_stores_asks_once_and_grants_after_agreeing(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=0)
    newcomer = scenario.people[4]

    def asked() -> int:
        return sum(
            any(c.startswith("balint:agree:") for c in m.custom_ids())
            for m in scenario.sim.dms_to(newcomer)
        )

    assert not scenario.sim.can(newcomer, handle.lobby)
    result = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": newcomer}
    )
    assert result.ephemeral and "is now a member" in result.text
    await scenario.sim.settle()
    assert asked() == 1
    await accept_agreements(scenario, [newcomer])  # the role comes after "I agree"
    assert scenario.sim.can(newcomer, handle.lobby, "send_messages")
    membership = await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id)
    assert membership is not None and membership.role == "member"
    again = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": newcomer}
    )
    assert again.text == texts.ALREADY_MEMBER.format(user=f"<@{newcomer.id}>", name=handle.name)
    await scenario.sim.settle()
    assert asked() == 1


async def test_add_refuses_bots_and_warns_then_refuses_by_size(tmp_path: Any) -> None:
    world = Scenario(tmp_path / "db.sqlite3", people=16, max_group_size=13)
    await world.start()
    try:
        handle = await make_group(world, size=12)
        bot_add = await world.sim.slash(
            handle.leader, "group add", channel=handle.lobby, options={"member": world.sim.bot_user}
        )
        assert bot_add.text == texts.NO_BOTS_AS_MEMBER
        thirteenth = await world.sim.slash(
            handle.leader, "group add", channel=handle.lobby, options={"member": world.people[13]}
        )
        assert "is now a member" in thirteenth.text and "works best with 6 to 12" in thirteenth.text
        too_many = await world.sim.slash(
            handle.leader, "group add", channel=handle.lobby, options={"member": world.people[14]}
        )
        assert "the most this server allows (13)" in too_many.text
        assert not world.sim.can(world.people[14], handle.lobby)
        members = await group_store.members(world.bot.db, handle.group.id)
        assert sum(1 for m in members if not m.is_leader) == 13
    finally:
        await world.stop()
    assert not world.problems()


async def test_remove_takes_the_role_and_keeps_the_record(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    leaving = handle.members[0]
    result = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    assert "has left" in result.text and result.ephemeral
    assert not scenario.sim.can(leaving, handle.lobby)
    membership = await group_store.membership(scenario.bot.db, handle.group.id, leaving.id)
    assert membership is not None and membership.left_at is not None
    twice = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    assert "is not a member" in twice.text
    leader = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": handle.leader}
    )
    assert "/group leaders" in leader.text
    assert scenario.sim.can(handle.leader, handle.lobby)
    back = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": leaving}
    )
    assert "is now a member" in back.text and scenario.sim.can(leaving, handle.lobby)


async def test_leaders_swap_and_fix_the_leaders_channel(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    new_co, outsider_lead = handle.members[0], scenario.people[9]
    result = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": outsider_lead, "co_leader": new_co},
    )
    assert "Leaders of" in result.text and "Now members" in result.text
    roles = {m.user_id: m.role for m in await group_store.members(scenario.bot.db, handle.group.id)}
    assert roles[outsider_lead.id] == "leader"
    assert roles[new_co.id] == "co_leader"
    assert roles[handle.leader.id] == "member"
    assert sim.can(outsider_lead, handle.lobby) and sim.can(outsider_lead, leaders_channel)
    assert sim.can(new_co, leaders_channel)
    assert not sim.can(handle.leader, leaders_channel)
    assert sim.can(handle.leader, handle.lobby)
    # The old leader is no longer a leader: refused.
    refused = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": scenario.people[10]}
    )
    assert refused.text == common_texts.WHO_MAY["leaders"]
    # An organiser may name leaders too.
    by_organiser = await sim.slash(
        scenario.organiser,
        "group leaders",
        options={"leader": new_co, "group": handle.name},
    )
    assert "Leaders of" in by_organiser.text
    leaders = await group_store.leaders(scenario.bot.db, handle.group.id)
    assert [(m.user_id, m.role) for m in leaders] == [(new_co.id, "leader")]


COMMANDS: list[tuple[str, str, dict[str, Any]]] = [
    ("group add", "leaders", {"member": 10}),
    ("group remove", "leaders", {"member": 1}),
    ("group leaders", "leaders_or_organisers", {"leader": 10}),
    ("group archive", "leaders_or_organisers", {}),
    ("group repair", "leaders_or_organisers", {}),
    ("group info", "group_members_or_organisers", {}),
]


CASES = [
    (who, *command)
    for command in COMMANDS
    for who in ("member", "outsider", "other_group_leader")
    if not (command[0] == "group info" and who == "member")  # members may see their info
]


@pytest.mark.parametrize(
    ("who", "command", "key", "options"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES]
)
async def test_every_command_refuses_the_wrong_caller(
    scenario: Scenario, who: str, command: str, key: str, options: dict[str, Any]
) -> None:
    sim = scenario.sim
    sim.enforce_default_permissions = False
    handle = await make_group(scenario, size=4)
    other = await make_group(scenario, name="Other", leader=scenario.people[11], members=[])
    caller = {
        "member": handle.members[0],
        "outsider": scenario.outsider,
        "other_group_leader": other.leader,
    }[who]
    resolved = {k: scenario.people[v] for k, v in options.items()}
    sim.reset_calls()
    result = await sim.slash(caller, command, options={**resolved, "group": handle.name})
    assert result.ephemeral
    assert result.text == common_texts.WHO_MAY[key]
    assert not sim.calls_matching("PUT", GRANT)
    assert not sim.calls_matching("DELETE", GRANT)


async def test_two_adds_at_once_cannot_pass_the_size_limit(tmp_path: Any) -> None:
    """Leader and co-leader each add one member at the same moment, one place left."""
    import asyncio

    world = Scenario(tmp_path / "db.sqlite3", people=16, max_group_size=13)
    await world.start()
    try:
        handle = await make_group(world, size=12, co_leader=world.people[15])
        asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
        first, second = await asyncio.gather(
            world.sim.slash(
                handle.leader,
                "group add",
                channel=handle.lobby,
                options={"member": world.people[13]},
            ),
            world.sim.slash(
                handle.co_leader,
                "group add",
                channel=handle.lobby,
                options={"member": world.people[14]},
            ),
        )
        members = await group_store.members(world.bot.db, handle.group.id)
        assert sum(1 for m in members if not m.is_leader) == 13, (first.text, second.text)
        assert sum("the most this server allows" in r.text for r in (first, second)) == 1
    finally:
        await world.stop()
    assert not world.problems()


async def test_handing_over_mid_series_tells_the_leaders_channel_and_pings_the_new_one(
    scenario: Scenario,
) -> None:
    """The leader hands over to the co-leader and names a member as the new co-leader:
    the member suddenly sees the leaders' channel, so a line there says who leads now
    and mentions them (a ping), and who stepped down."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3, co_leader=scenario.people[10])
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    new_co = handle.members[0]
    before = len(sim.messages_in(leaders_channel))
    result = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.co_leader, "co_leader": new_co},
    )
    assert "Leaders of" in result.text
    posted = sim.messages_in(leaders_channel)[before:]
    assert len(posted) == 1, [m.content for m in posted]
    line = posted[0].content
    assert new_co.mention in line and handle.co_leader.mention in line
    assert handle.leader.mention in line  # who stepped down
    assert sim.can(new_co, leaders_channel)
    sent = [
        c
        for c in sim.calls
        if c.method == "POST" and c.params.get("channel_id") == str(leaders_channel.id) and c.json
    ][-1]
    assert [int(u) for u in sent.json["allowed_mentions"]["users"]] == [new_co.id]


async def test_a_removed_member_is_told_once_by_dm(scenario: Scenario) -> None:
    """Removed from the group, a member is told by DM, kindly and once (a restart does not
    tell them again), rather than finding the group's channels gone without a word."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    leaving = handle.members[0]
    before = len(sim.dms_to(leaving))
    others = {m.id: len(sim.dms_to(m)) for m in handle.members[1:]}
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    await sim.settle()
    told = [m.content for m in sim.dms_to(leaving)[before:]]
    assert len(told) == 1 and handle.name in told[0] and "no longer a member" in told[0]
    await scenario.restart()
    await sim.settle()
    assert len(sim.dms_to(leaving)) == before + 1
    assert {m.id: len(sim.dms_to(m)) for m in handle.members[1:]} == others


async def test_a_leaders_notice_the_network_breaks_leaves_the_change_answered(
    scenario: Scenario,
) -> None:
    """The line in the leaders' channel is only a notice: lost to a connection reset, the
    leader still reads that the leaders changed (they did), not "nothing was changed"."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3, co_leader=scenario.people[10])
    new_co = handle.members[0]
    sim.inject_network("POST", "/channels/{channel_id}/messages")
    result = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.co_leader, "co_leader": new_co},
    )
    assert "Leaders of" in result.text, result.text
    leaders = {m.user_id for m in await group_store.leaders(scenario.bot.db, handle.group.id)}
    assert leaders == {handle.co_leader.id, new_co.id}
    assert sim.errors == []
