"""Group-management fixes found by review: the edges around tests/test_groups_fixes.py.

The reviewer's tests cover each bug's main case; these cover the other side of
each fix: the agreement gate on rejoining, a refused grant in /group leaders,
the agreement DM for a former leader, the archive button pressed mid-meeting,
the voice and permanent channels after /group repair, one report per deletion.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import sessions as session_store
from tests.session_support import start_session, who_can_post
from tests.support import make_group
from tests.test_groups_fixes import _add_without_agreeing


async def test_member_who_never_agreed_gets_no_role_on_rejoining_the_server(
    scenario: Scenario,
) -> None:
    """The rejoin path keeps the agreement gate: no "I agree", no group role."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    newcomer = scenario.people[8]
    await _add_without_agreeing(scenario, handle, newcomer)
    await sim.leave_server(newcomer)
    sim.add_member(scenario.guild, newcomer)
    await sim.settle()
    assert handle.role.id not in scenario.member(newcomer).role_ids
    assert not sim.can(newcomer, handle.lobby)


async def test_refused_grant_to_a_new_leader_puts_the_leaders_channel_back(
    scenario: Scenario,
) -> None:
    """The other half of all-or-nothing: the channel is edited first, then the grant is
    refused; the leaders' channel is put back, so the outsider cannot read it either."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    outsider = scenario.outsider
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    sim.inject("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", 403, 50013)
    failed = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.leader, "co_leader": outsider},
    )
    assert "refused" in failed.text, failed.text
    assert await group_store.membership(scenario.bot.db, handle.group.id, outsider.id) is None
    assert handle.role.id not in scenario.member(outsider).role_ids
    assert not sim.can(outsider, leaders_channel)
    assert sim.can(handle.leader, leaders_channel)


async def test_leader_who_steps_down_without_having_agreed_is_asked_and_can_come_back(
    scenario: Scenario,
) -> None:
    """The former leader gets the agreement DM; pressing "I agree" gives the role back."""
    sim = scenario.sim
    first, second = scenario.people[0], scenario.people[1]
    await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Tuesday group", "timezone": "Europe/London", "leader": first},
    )
    await sim.settle()
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Tuesday group")
    assert group is not None
    lobby = sim.channel(group.lobby_channel_id)
    before = len(sim.dms_to(first))
    await sim.slash(
        scenario.organiser, "group leaders", options={"leader": second, "group": "Tuesday group"}
    )
    await sim.settle()
    dms = sim.dms_to(first)[before:]
    assert len(dms) == 1 and "no longer lead" in dms[0].content, [m.content for m in dms]
    agree = f"balint:agree:{group.id}:{group.agreement_version}"
    await sim.click(first, dms[0], agree)
    await sim.settle()
    assert sim.can(first, lobby)


async def test_leader_who_agreed_keeps_the_role_on_stepping_down(scenario: Scenario) -> None:
    """Only the leaders' exception is withdrawn: an agreed former leader keeps access."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.people[8]
    before = len(sim.dms_to(handle.leader))
    await sim.slash(
        handle.leader, "group leaders", channel=handle.lobby, options={"leader": newcomer}
    )
    await sim.settle()
    assert sim.can(handle.leader, handle.lobby)
    assert len(sim.dms_to(handle.leader)) == before


async def test_archive_confirmed_after_a_session_started_is_refused_too(
    scenario: Scenario,
) -> None:
    """The button asked for before the meeting and pressed during it: refused, nothing changed."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    asked = await sim.slash(scenario.organiser, "group archive", options={"group": handle.name})
    session, channel = await start_session(scenario, handle)
    custom_id = f"balint:archive:{handle.group.id}:{scenario.organiser.id}"
    pressed = await sim.click(scenario.organiser, asked.original, custom_id)
    assert "End the session first" in pressed.text, pressed.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and not group.archived
    assert sim.can(handle.members[0], channel)


async def test_archive_during_a_live_meeting_says_to_end_it_first(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await start_session(scenario, handle)
    asked = await sim.slash(scenario.organiser, "group archive", options={"group": handle.name})
    assert asked.ephemeral and "End the session first" in asked.text, asked.text


async def test_repair_of_a_deleted_role_refits_the_voice_channel_and_keeps_the_plan(
    scenario: Scenario,
) -> None:
    """The voice channel gets the new role too, and the text channel's Send bits follow the
    phase's plan (check-in: members write), not a blanket allow or deny."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    stored = await session_store.get(scenario.bot.db, session.id)
    assert stored is not None and stored.voice_channel_id is not None
    voice = sim.channel(stored.voice_channel_id)
    member = handle.members[0]
    writers_before = who_can_post(scenario, channel, handle.members)
    await sim.delete_role(handle.role)
    assert not sim.can(member, voice)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    await sim.settle()
    assert sim.can(member, voice, "connect")
    assert who_can_post(scenario, channel, handle.members) == writers_before


async def test_repair_of_a_deleted_role_between_sessions_reopens_the_permanent_channel(
    scenario: Scenario,
) -> None:
    """A permanent session channel between meetings: readable by the group again, not
    writable (as the end of the last session left it)."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await sim.slash(
        handle.leader,
        "settings set",
        channel=handle.lobby,
        options={"setting": "session_channel", "value": "permanent"},
    )
    session, room = await start_session(scenario, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    member = handle.members[0]
    assert sim.can(member, room)
    await sim.delete_role(handle.role)
    assert not sim.can(member, room)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    await sim.settle()
    assert sim.can(member, room)
    assert who_can_post(scenario, room, handle.members) == set()


async def test_a_deletion_is_reported_once_across_restarts(scenario: Scenario) -> None:
    """Told at the first start after the deletion; not again at the next, nor after an
    online deletion notice; /group repair still recreates what was reported."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await sim.delete_role(handle.role)  # seen online: reported at once
    await scenario.stop()
    sim.remove_channel(handle.lobby)  # missed while the bot is down
    await scenario.start()
    await sim.settle()
    await scenario.stop()
    await scenario.start()
    await sim.settle()
    notices = [m.content for m in sim.messages_in(leaders_channel)]
    assert sum("the lobby" in n for n in notices) == 1, notices
    assert sum("the role" in n for n in notices) == 1, notices
    repaired = await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    assert "the role" in repaired.text and "the lobby" in repaired.text, repaired.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.lobby_channel_id is not None
    assert sim.can(handle.members[0], sim.channel(group.lobby_channel_id))


async def test_nothing_is_reported_at_a_restart_when_nothing_was_deleted(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    before = len(sim.messages_in(leaders_channel))
    await scenario.stop()
    await scenario.start()
    await sim.settle()
    assert len(sim.messages_in(leaders_channel)) == before
