"""A group's role given by hand in Discord: taken back unless the holder may hold it.

Nobody reads a group's channels without being a member who agreed to the group
agreement (leaders excepted, as everywhere). An admin who gives the role by hand
to someone else sees it taken back, and the leaders are told who and what to do;
/group repair and each start-up check the holders too. The bot's own grants
(create, add, "I agree", leaders) are never undone, even when the gateway event
of a grant is handled before its REST answer.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, User
from bot.store import groups as group_store
from bot.texts import groups as texts
from cogs import _groups_role_watch as role_watch
from tests.support import GroupHandle, accept_agreements, make_group
from tests.test_agreement_changes import change as change_agreement

ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


def _take_backs(scenario: Scenario) -> list:
    return [
        c
        for c in scenario.sim.calls_matching("DELETE", ROLE)
        if c.reason == texts.AUDIT_REASON_HAND_GIVEN
    ]


def _leaders_channel(scenario: Scenario, handle: GroupHandle) -> Channel:
    channel = scenario.sim.channel(handle.group.leaders_channel_id)
    assert channel is not None
    return channel


def _notices(scenario: Scenario, handle: GroupHandle) -> list[str]:
    """What the bot told the leaders about hand-given roles, in their channel."""
    return [
        m.content
        for m in scenario.sim.messages_in(_leaders_channel(scenario, handle))
        if "by hand" in m.content
    ]


def _holds(scenario: Scenario, handle: GroupHandle, user: User) -> bool:
    return handle.role.id in scenario.member(user).role_ids


async def test_a_non_member_given_the_role_by_hand_loses_it_and_the_leaders_are_told(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    assert not _holds(scenario, handle, scenario.outsider)
    assert not sim.can(scenario.outsider, handle.lobby)
    assert len(_take_backs(scenario)) == 1
    [notice] = _notices(scenario, handle)
    assert f"<@{scenario.outsider.id}>" in notice and "/group add" in notice
    assert "is not in the group" in notice


async def test_a_member_who_has_not_agreed_loses_a_hand_given_role(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.people[6]
    added = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": newcomer}
    )
    assert "agree" in added.text
    await sim.settle()
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, newcomer, handle.role)
    assert not _holds(scenario, handle, newcomer)
    assert len(_take_backs(scenario)) == 1
    [notice] = _notices(scenario, handle)
    assert f"<@{newcomer.id}>" in notice and "I agree" in notice
    # Agreeing still works afterwards: the bot's own grant stays.
    await accept_agreements(scenario, [newcomer])
    assert _holds(scenario, handle, newcomer) and sim.can(newcomer, handle.lobby)
    assert len(_take_backs(scenario)) == 1


async def test_a_member_who_agreed_keeps_a_hand_given_role(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    assert await sim.take_role(scenario.admin, member, handle.role)
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, member, handle.role)
    assert _holds(scenario, handle, member)
    assert not sim.calls_matching("DELETE", ROLE) and not _notices(scenario, handle)


async def test_a_member_with_an_outdated_agreement_keeps_a_hand_given_role(
    scenario: Scenario,
) -> None:
    """Access survives a new version of the agreement (has_access): so does the role."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    await change_agreement(scenario, handle)
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.agreement_version == handle.group.agreement_version + 1
    assert await sim.take_role(scenario.admin, member, handle.role)
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, member, handle.role)
    assert _holds(scenario, handle, member)
    assert not _take_backs(scenario)


async def test_a_leader_who_has_not_agreed_keeps_a_hand_given_role(scenario: Scenario) -> None:
    sim = scenario.sim
    leader = scenario.people[0]
    await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Tuesday group", "timezone": "Europe/London", "leader": leader},
    )
    await sim.settle()
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Tuesday group")
    assert group is not None and group.role_id is not None
    role = sim.role(group.role_id)
    assert await sim.take_role(scenario.admin, leader, role)
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, leader, role)
    assert role.id in scenario.member(leader).role_ids
    assert not _take_backs(scenario)


async def test_other_bots_and_other_roles_are_left_alone(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    helper = sim.add_user("another bot", bot=True)
    sim.add_member(scenario.guild, helper)
    other = sim.add_role(scenario.guild, "Volunteers")
    await sim.settle()
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, helper, handle.role)
    assert await sim.give_role(scenario.admin, scenario.outsider, other)
    assert _holds(scenario, handle, helper)
    assert other.id in scenario.member(scenario.outsider).role_ids
    assert not sim.calls_matching("DELETE", ROLE) and not _notices(scenario, handle)


async def test_the_bots_own_grants_are_not_undone_when_the_gateway_is_first(
    scenario: Scenario,
) -> None:
    """Create, add, "I agree", re-adding a member who agreed, new leaders: with every
    grant's GUILD_MEMBER_UPDATE handled before its REST answer, nothing is taken back."""
    sim = scenario.sim
    sim.gateway_first = True
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3)
    for user in handle.everyone:
        assert _holds(scenario, handle, user), user.name
    leaving = handle.members[0]
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    back = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": leaving}
    )
    assert "is now a member" in back.text and _holds(scenario, handle, leaving)
    new_leader = scenario.people[10]
    named = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.leader, "co_leader": new_leader},
    )
    assert "Leaders of" in named.text, named.text
    await sim.settle()
    assert _holds(scenario, handle, new_leader)
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert repaired.text == texts.NOTHING_TO_REPAIR.format(name=handle.name)
    assert not _take_backs(scenario) and not _notices(scenario, handle)


async def test_repair_takes_back_a_role_the_bot_could_not_take_at_once(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    sim.inject("DELETE", ROLE, 403, 50013)
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    assert _holds(scenario, handle, scenario.outsider)  # Discord refused the removal
    [stuck] = _notices(scenario, handle)
    assert "refused" in stuck and f"<@{scenario.outsider.id}>" in stuck
    sim.reset_calls()
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert texts.NOTHING_TO_REPAIR.format(name=handle.name) in repaired.text
    assert f"Took the role back from <@{scenario.outsider.id}>" in repaired.text
    assert not _holds(scenario, handle, scenario.outsider)
    assert len(_take_backs(scenario)) == 1
    assert sum("/group add" in n for n in _notices(scenario, handle)) == 1


async def test_a_role_given_while_the_bot_was_down_is_taken_back_at_start(
    scenario: Scenario,
) -> None:
    """Discord replays no member updates after a fresh start: each holder is checked once,
    one removal each, and the leaders get one message for all of them."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.people[7]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": newcomer})
    await sim.settle()
    strangers = [scenario.add_person(f"stranger-{i}") for i in range(5)]
    await sim.detach(scenario.bot)
    for user in [*strangers, newcomer, handle.members[0]]:
        assert await sim.give_role(scenario.admin, user, handle.role)
    sim.reset_calls()
    await scenario.start()
    taken = _take_backs(scenario)
    assert sorted(int(c.params["user_id"]) for c in taken) == sorted(
        u.id for u in [*strangers, newcomer]
    )
    for user in [*strangers, newcomer]:
        assert not _holds(scenario, handle, user)
    assert _holds(scenario, handle, handle.members[0])  # agreed: keeps it
    notices = [
        m for m in sim.messages_in(_leaders_channel(scenario, handle)) if "by hand" in m.content
    ]
    assert len(notices) == 1
    assert notices[0].content.count("\n") == 5  # one line each


async def test_members_the_bot_has_not_cached_are_not_judged(scenario: Scenario) -> None:
    """An uncached member's roles are unknown: the start-up check makes no call for them."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    unseen = scenario.people[9]
    guild = scenario.bot.get_guild(scenario.guild.id)
    guild._remove_member(guild.get_member(unseen.id))  # say the member list was incomplete
    sim.member(scenario.guild, unseen).role_ids.append(handle.role.id)
    sim.reset_calls()
    assert await role_watch.check_all(scenario.bot) == 0
    assert not sim.calls
    assert _holds(scenario, handle, unseen)


async def test_an_archived_groups_role_is_taken_back_without_a_to_do(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    asked = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    await sim.click(handle.leader, asked.original, next(iter(asked.original.custom_ids())))
    await sim.settle()
    sim.reset_calls()
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    assert not _holds(scenario, handle, scenario.outsider)
    [notice] = _notices(scenario, handle)
    assert notice.endswith("so I took it back.") and "/group add" not in notice


async def test_many_holders_one_removal_each_and_messages_within_discords_limit(
    scenario: Scenario,
) -> None:
    """80 strangers given the role while the bot was down, Discord refusing the removals at
    start: the leaders' lines are packed (each message under 2,000 characters); /group
    repair then makes one removal each and its answer names them within one message."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    strangers = [scenario.add_person(f"stranger-{i:02d}") for i in range(80)]
    await sim.detach(scenario.bot)
    for user in strangers:
        assert await sim.give_role(scenario.admin, user, handle.role)
    sim.inject("DELETE", ROLE, 403, 50013, times=80)
    await scenario.start()
    stuck = [
        m for m in sim.messages_in(_leaders_channel(scenario, handle)) if "refused" in m.content
    ]
    assert 2 <= len(stuck) <= 8
    assert sum(m.content.count("\n") + 1 for m in stuck) == 80
    sim.reset_calls()
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert len(_take_backs(scenario)) == 80
    assert "Took the role back from" in repaired.text and "more" in repaired.text
    assert not any(_holds(scenario, handle, u) for u in strangers)


async def test_without_a_leaders_channel_each_leader_is_told_by_dm(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=2)
    await sim.delete_channel(_leaders_channel(scenario, handle))
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    assert not _holds(scenario, handle, scenario.outsider)
    for leader in (handle.leader, scenario.people[1]):
        told = [m.content for m in sim.dms_to(leader) if "by hand" in m.content]
        assert len(told) == 1 and f"<@{scenario.outsider.id}>" in told[0], told


async def test_repair_does_not_say_it_took_back_a_role_discord_kept(scenario: Scenario) -> None:
    """Discord refuses the removal at /group repair too: the answer must not claim it was
    taken back (the leaders' channel says to ask a server admin)."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    sim.inject("DELETE", ROLE, 403, 50013, times=2)
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert _holds(scenario, handle, scenario.outsider)
    assert "Took the role back" not in repaired.text
    assert f"<@{scenario.outsider.id}>" in repaired.text  # named, as still holding it
    # Told once: the leaders heard it at the hand grant (tests/test_role_watch_crash.py).
    assert sum("refused" in n for n in _notices(scenario, handle)) == 1


async def test_many_lines_by_dm_name_the_group_and_stay_within_discords_limit(
    scenario: Scenario,
) -> None:
    """By DM each message starts with the group's name: the lines are packed tighter."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    strangers = [scenario.add_person(f"stranger-{i:02d}") for i in range(80)]
    await sim.delete_channel(_leaders_channel(scenario, handle))
    await sim.detach(scenario.bot)
    for user in strangers:
        assert await sim.give_role(scenario.admin, user, handle.role)
    sim.inject("DELETE", ROLE, 403, 50013, times=80)
    await scenario.start()
    stuck = [m.content for m in sim.dms_to(handle.leader) if "refused" in m.content]
    assert len(stuck) >= 2 and all(len(text) <= 2000 for text in stuck)
    assert all(text.startswith(f"{handle.name}: <@") for text in stuck), stuck[0][:80]
    assert sum(text.count("\n") + 1 for text in stuck) == 80
