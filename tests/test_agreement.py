"""The agreement gate through the simulator: no role before "I agree", then access."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Message, User
from bot.store import consents
from bot.store import groups as group_store
from bot.texts import agreement as texts
from bot.texts import common as common_texts
from tests.support import GroupHandle, make_group


def agreement_dms(scenario: Scenario, user: User) -> list[Message]:
    return [
        m
        for m in scenario.sim.dms_to(user)
        if any(c.startswith("balint:agree:") for c in m.custom_ids())
    ]


def agree_id(message: Message) -> str:
    return next(c for c in message.custom_ids() if c.startswith("balint:agree:"))


async def add(scenario: Scenario, handle: GroupHandle, user: User):
    result = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": user}
    )
    await scenario.sim.settle()
    return result


async def test_no_role_until_i_agree_then_access_and_time_stored(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=0)
    newcomer = scenario.people[5]
    result = await add(scenario, handle, newcomer)
    assert result.ephemeral
    assert result.text == texts.ADDED_PENDING.format(
        user=f"<@{newcomer.id}>", name=handle.name, size=1
    )
    assert not sim.can(newcomer, handle.lobby)
    assert await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id)
    [dm] = agreement_dms(scenario, newcomer)
    assert agree_id(dm) == f"balint:agree:{handle.group.id}:1"
    assert scenario.bot.settings.agreement_text in dm.embeds[0]["description"]
    assert await consents.latest(scenario.bot.db, handle.group.id, newcomer.id) is None

    pressed = await sim.click(newcomer, dm, agree_id(dm))
    assert pressed.ephemeral
    assert pressed.text == texts.AGREED_ACCESS.format(lobby=f"<#{handle.lobby.id}>")
    assert sim.can(newcomer, handle.lobby, "send_messages")
    when = await consents.accepted_at(scenario.bot.db, handle.group.id, newcomer.id, 1)
    assert when == scenario.bot.clock.now()

    again = await sim.click(newcomer, dm, agree_id(dm))
    assert again.text == texts.ALREADY_AGREED.format(version=1, name=handle.name)


async def test_leaders_get_the_role_at_once_and_the_agreement_too(scenario: Scenario) -> None:
    sim = scenario.sim
    leader, co = scenario.people[0], scenario.people[1]
    result = await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Ward", "timezone": "Europe/London", "leader": leader, "co_leader": co},
    )
    await sim.settle()
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Ward")
    assert group is not None, result.text
    lobby = sim.channel(group.lobby_channel_id)
    for person in (leader, co):
        assert sim.can(person, lobby, "send_messages")
        [dm] = agreement_dms(scenario, person)
        assert texts.DM_INTRO_LEADER.format(name="Ward") in dm.content
    [dm] = agreement_dms(scenario, leader)
    pressed = await sim.click(leader, dm, agree_id(dm))
    assert pressed.text == texts.AGREED.format(version=1, name="Ward")
    assert await consents.latest(scenario.bot.db, group.id, leader.id) == 1


async def test_a_returning_member_who_agreed_gets_the_role_at_once(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    removed = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": member}
    )
    assert not sim.can(member, handle.lobby), removed.text
    before = len(sim.dms_to(member))
    result = await add(scenario, handle, member)
    assert "is now a member" in result.text and "agreement" not in result.text
    assert sim.can(member, handle.lobby)
    assert len(sim.dms_to(member)) == before


async def test_someone_no_longer_in_the_group_is_refused(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=0)
    newcomer = scenario.people[5]
    await add(scenario, handle, newcomer)
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": newcomer}
    )
    [dm] = agreement_dms(scenario, newcomer)
    pressed = await sim.click(newcomer, dm, agree_id(dm))
    assert pressed.ephemeral
    assert pressed.text == texts.NOT_A_MEMBER.format(name=handle.name)
    assert not sim.can(newcomer, handle.lobby)
    assert await consents.latest(scenario.bot.db, handle.group.id, newcomer.id) is None


async def test_closed_dms_are_told_to_the_leaders_and_resend_works(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=0)
    newcomer = scenario.people[5]
    newcomer.dms_closed = True
    await add(scenario, handle, newcomer)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    notice = texts.UNREACHABLE.format(user=f"<@{newcomer.id}>")
    assert [m.content for m in sim.messages_in(leaders_channel)].count(notice) == 1
    assert not agreement_dms(scenario, newcomer)
    assert not sim.can(newcomer, handle.lobby)

    options = {"member": newcomer}
    closed = await sim.slash(
        handle.leader, "group agreement resend", channel=handle.lobby, options=options
    )
    assert closed.text == texts.RESEND_UNREACHABLE.format(user=f"<@{newcomer.id}>")
    newcomer.dms_closed = False
    sent = await sim.slash(
        handle.leader, "group agreement resend", channel=handle.lobby, options=options
    )
    assert sent.ephemeral
    assert sent.text == texts.RESENT.format(name=handle.name, user=f"<@{newcomer.id}>")
    [dm] = agreement_dms(scenario, newcomer)
    await sim.click(newcomer, dm, agree_id(dm))
    assert sim.can(newcomer, handle.lobby, "send_messages")
    done = await sim.slash(
        handle.leader, "group agreement resend", channel=handle.lobby, options=options
    )
    assert done.text == texts.RESEND_ALREADY.format(user=f"<@{newcomer.id}>", name=handle.name)


async def test_closed_dms_without_a_leaders_channel_are_told_to_the_leaders_by_dm(
    scenario: Scenario,
) -> None:
    """The leaders' channel deleted by hand: the notice used to go nowhere, so nobody
    learned that the new member never got the agreement. Each leader gets it by DM."""
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=0)
    await sim.delete_channel(sim.channel(handle.group.leaders_channel_id))
    newcomer = scenario.people[5]
    newcomer.dms_closed = True
    await add(scenario, handle, newcomer)
    notice = texts.UNREACHABLE.format(user=f"<@{newcomer.id}>")
    for leader in (handle.leader, scenario.people[1]):
        told = [m.content for m in sim.dms_to(leader) if notice in m.content]
        assert told == [f"{handle.name}: {notice}"], told


async def test_show_for_members_and_pending_list_for_leaders(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    waiting = scenario.people[6]
    await add(scenario, handle, waiting)
    member = handle.members[0]
    seen = await sim.slash(member, "group agreement show", channel=handle.lobby)
    assert seen.ephemeral
    assert scenario.bot.settings.agreement_text in seen.text
    assert texts.SHOW_PENDING not in seen.text
    led = await sim.slash(handle.leader, "group agreement show", channel=handle.lobby)
    assert f"{texts.SHOW_PENDING}: <@{waiting.id}>" in led.text
    # The one waiting may not read it with the command (not yet in the channels), but has it
    # by DM; an outsider is refused.
    refused = await sim.slash(
        scenario.outsider, "group agreement show", options={"group": handle.name}
    )
    assert refused.text == common_texts.WHO_MAY["group_members_or_organisers"]


async def test_wrong_callers_are_refused(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    leaders_only = common_texts.WHO_MAY["leaders"]
    result = await sim.slash(member, "group agreement set", channel=handle.lobby)
    assert result.modal is None and result.text == leaders_only
    result = await sim.slash(
        member, "group agreement resend", channel=handle.lobby, options={"member": member}
    )
    assert result.text == leaders_only
    result = await sim.slash(
        scenario.organiser, "group agreement set", options={"group": handle.name}
    )
    assert result.text == leaders_only
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.agreement_version == 1
