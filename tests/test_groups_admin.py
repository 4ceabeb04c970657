"""/group info, list, archive and repair, hand deletions, and two groups side by side."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import schedules as schedule_store
from bot.store import timers as timer_store
from bot.store.clocktime import to_epoch
from bot.texts import groups as texts
from tests.support import accept_agreements, make_group


async def test_two_groups_on_one_server_stay_apart(scenario: Scenario) -> None:
    sim = scenario.sim
    a = await make_group(scenario, name="Group A", leader=scenario.people[0], size=4)
    b_members = scenario.people[6:10]
    b = await make_group(scenario, name="Group B", leader=scenario.people[5], members=b_members)
    b_leaders = sim.channel(b.group.leaders_channel_id)
    for person in a.everyone:
        assert sim.can(person, a.lobby)
        assert not sim.can(person, b.lobby)
        assert not sim.can(person, b_leaders)
    for person in b.everyone:
        assert not sim.can(person, a.lobby)
    # Someone in both groups sees both lobbies.
    both = a.members[0]
    added = await sim.slash(b.leader, "group add", channel=b.lobby, options={"member": both})
    assert "is now a member" in added.text
    await accept_agreements(scenario, [both])  # B's role comes after agreeing to B's agreement
    assert sim.can(both, a.lobby) and sim.can(both, b.lobby)
    # [group] is implied by the channel: adding in B's lobby went to B.
    assert await group_store.membership(scenario.bot.db, b.group.id, both.id) is not None


async def test_info_shows_people_zone_size_and_next_session(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3, timezone="Asia/Tokyo")
    result = await sim.slash(handle.members[0], "group info", channel=handle.lobby)
    assert result.ephemeral
    assert f"<@{handle.leader.id}>" in result.text and f"<@{handle.co_leader.id}>" in result.text
    for member in handle.members:
        assert f"<@{member.id}>" in result.text
    assert "Asia/Tokyo" in result.text
    assert "3 members, 2 leaders" in result.text
    assert texts.INFO_NOT_SCHEDULED in result.text
    start = scenario.clock.now() + timedelta(days=2)
    await scenario.bot.db.execute(
        "INSERT INTO sessions (group_id, scheduled_start, scheduled_end, status) "
        "VALUES (?, ?, ?, 'planned')",
        (handle.group.id, to_epoch(start), to_epoch(start + timedelta(hours=1))),
    )
    later = await sim.slash(scenario.organiser, "group info", options={"group": handle.name})
    assert f"<t:{to_epoch(start)}:F>" in later.text


async def test_list_shows_own_groups_and_all_for_organisers(scenario: Scenario) -> None:
    sim = scenario.sim
    a = await make_group(scenario, name="Group A", leader=scenario.people[0], size=2)
    await make_group(scenario, name="Group B", leader=scenario.people[5], members=[])
    mine = await sim.slash(a.leader, "group list")
    assert "Group A" in mine.text and "you lead it" in mine.text and "Group B" not in mine.text
    member = await sim.slash(a.members[0], "group list")
    assert "Group A" in member.text and "you lead it" not in member.text
    everyone = await sim.slash(scenario.organiser, "group list")
    assert "Group A" in everyone.text and "Group B" in everyone.text
    nobody = await sim.slash(scenario.outsider, "group list")
    assert nobody.text.endswith(texts.LIST_NONE)


async def test_group_autocomplete_offers_the_callers_groups(scenario: Scenario) -> None:
    a = await make_group(scenario, name="Group A", leader=scenario.people[0], size=1)
    await make_group(scenario, name="Group B", leader=scenario.people[5], members=[])
    choices = await scenario.sim.autocomplete(a.leader, "group info", focused="group", group="gro")
    assert [c["value"] for c in choices] == ["Group A"]


async def test_archive_asks_then_makes_the_lobby_read_only(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3)
    asked = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    assert asked.ephemeral and "Archive" in asked.text
    custom_id = f"balint:archive:{handle.group.id}:{handle.leader.id}"
    assert (await group_store.get(scenario.bot.db, handle.group.id)).archived_at is None
    await scenario.restart()  # the button still works after a restart
    done = await sim.click(handle.leader, asked.original, custom_id)
    assert "is archived" in done.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.archived
    for person in handle.everyone:
        assert handle.role.id not in scenario.member(person).role_ids
    overwrite = handle.lobby.overwrites[handle.role.id]
    assert overwrite.deny & (1 << 11)  # Send Messages denied for the role
    threads = discord.Permissions(
        create_public_threads=True, create_private_threads=True, send_messages_in_threads=True
    )
    assert overwrite.deny & threads.value == threads.value  # and threads
    # Metadata kept: memberships are still there.
    assert len(await group_store.members(scenario.bot.db, group.id)) == 5
    again = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    assert again.text == texts.ALREADY_ARCHIVED.format(name=handle.name)
    add = await sim.slash(
        handle.leader, "group add", options={"member": scenario.people[10], "group": handle.name}
    )
    assert add.text == texts.ARCHIVED.format(name=handle.name)


async def test_repair_after_a_deleted_lobby(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await sim.delete_channel(handle.lobby)
    await sim.settle()
    notices = [m.content for m in sim.messages_in(leaders_channel)]
    assert any("the lobby" in n and "/group repair" in n for n in notices), notices
    result = await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    assert "recreated the lobby" in result.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.lobby_channel_id != handle.lobby.id
    lobby = sim.channel(group.lobby_channel_id)
    assert lobby is not None and lobby.parent_id == group.category_id
    for person in handle.everyone:
        assert sim.can(person, lobby, "send_messages")
    assert not sim.can(scenario.outsider, lobby)
    nothing = await sim.slash(handle.leader, "group repair", channel=lobby)
    assert nothing.text == texts.NOTHING_TO_REPAIR.format(name=handle.name)


async def test_repair_after_a_deleted_role(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await sim.delete_role(handle.role)
    await sim.settle()
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert any("the role" in m.content for m in sim.messages_in(leaders_channel))
    for member in handle.members:
        assert not sim.can(member, handle.lobby)
    result = await sim.slash(scenario.organiser, "group repair", options={"group": handle.name})
    assert "recreated the role" in result.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.role_id != handle.role.id
    for person in handle.everyone:
        assert group.role_id in scenario.member(person).role_ids
        assert sim.can(person, handle.lobby, "send_messages")
    assert not sim.can(handle.members[0], leaders_channel)
    assert sim.can(handle.leader, leaders_channel)
    assert not sim.can(scenario.outsider, handle.lobby)


async def test_deleted_leaders_channel_is_reported_by_dm(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=2)
    await sim.delete_channel(sim.channel(handle.group.leaders_channel_id))
    await sim.settle()
    for leader in (handle.leader, handle.co_leader):
        assert any("leaders' channel" in m.content for m in sim.dms_to(leader))
    assert not any("leaders' channel" in m.content for m in sim.dms_to(handle.members[0]))
    result = await sim.slash(handle.co_leader, "group repair", channel=handle.lobby)
    assert "recreated the leaders' channel" in result.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    channel = sim.channel(group.leaders_channel_id)
    assert sim.can(handle.co_leader, channel) and not sim.can(handle.members[0], channel)


async def test_repair_after_a_deleted_category_moves_the_channels_back(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    await sim.delete_channel(sim.channel(handle.group.category_id))
    await sim.settle()
    result = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert "recreated the category" in result.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.category_id != handle.group.category_id
    assert handle.lobby.parent_id == group.category_id
    assert sim.channel(group.leaders_channel_id).parent_id == group.category_id
    assert not sim.can(scenario.outsider, sim.channel(group.category_id))
    assert sim.can(handle.members[0], handle.lobby)


async def test_archive_cancels_the_planned_session_and_deletes_its_event(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    saved = await sim.slash(
        handle.leader,
        "schedule set",
        channel=handle.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in saved.text, saved.text
    now = scenario.clock.now()
    (planned,) = await schedule_store.planned_for_group(
        scenario.bot.db, handle.group.id, ending_after=now
    )
    assert planned.event_id is not None
    asked = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    custom_id = f"balint:archive:{handle.group.id}:{handle.leader.id}"
    done = await sim.click(handle.leader, asked.original, custom_id)
    assert "is archived" in done.text
    await sim.settle()
    deleted = sim.calls_matching("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}")
    assert [call.params["event_id"] for call in deleted] == [str(planned.event_id)]
    assert not await schedule_store.planned_for_group(
        scenario.bot.db, handle.group.id, ending_after=now
    )
    advance = await timer_store.by_key(scenario.bot.db, f"advance_schedule:{planned.id}:end")
    assert advance is not None and advance.state == timer_store.CANCELLED
