"""Group-management fixes found by review: the agreement gate, leaving and rejoining, leaders.

Each test drives the real bot through the simulator: /group repair and a member
rejoining the server give the role back only behind the agreement gate; a leader
stepping down without having agreed loses the role; a refused /group leaders
leaves nobody with the role; /group remove works for someone who left the
server; /group archive waits for the end of a live session; /group repair
refits a live session's channels; a deletion missed while the bot was down is
reported after the restart.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import consents
from bot.store import groups as group_store
from bot.store import sessions as session_store
from tests.session_support import start_session
from tests.support import make_group


async def _add_without_agreeing(scenario: Scenario, handle, person) -> None:  # type: ignore[no-untyped-def]
    added = await scenario.sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": person}
    )
    assert added.ephemeral, added.text
    await scenario.sim.settle()


async def test_repair_does_not_give_the_role_to_a_member_who_never_agreed(
    scenario: Scenario,
) -> None:
    """Issue 7: "the group role (and so the channels) is granted only after they agree".

    /group repair (cogs/_groups_admin.py repair) grants the role to every stored
    membership, agreed or not: a pending member gets into the group's channels
    without ever pressing "I agree" -- even when nothing was missing to repair.
    """
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    newcomer = scenario.people[8]
    await _add_without_agreeing(scenario, handle, newcomer)
    assert handle.role.id not in scenario.member(newcomer).role_ids  # the gate holds
    assert not sim.can(newcomer, handle.lobby)
    await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    latest = await consents.latest(scenario.bot.db, handle.group.id, newcomer.id)
    assert latest is None  # still never agreed
    assert handle.role.id not in scenario.member(newcomer).role_ids, (
        "/group repair gave the group role to a member who never accepted the agreement"
    )
    assert not sim.can(newcomer, handle.lobby)


async def test_member_who_rejoins_the_server_gets_the_group_role_back(
    scenario: Scenario,
) -> None:
    """Discord drops every role of a member who leaves the server; when they come back
    (GUILD_MEMBER_ADD) the bot never gives the group's role back (no on_member_join
    listener anywhere), and /group add refuses them as "already a member": an accepted
    member of a Balint group is locked out of its channels for good (only an unrelated
    /group repair would let them back in)."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    member = handle.members[0]
    assert sim.can(member, handle.lobby)
    await sim.leave_server(member)
    sim.add_member(scenario.guild, member)  # they come back: GUILD_MEMBER_ADD
    await sim.settle()
    still = await group_store.membership(scenario.bot.db, handle.group.id, member.id)
    assert still is not None and still.left_at is None  # the store still counts them in
    again = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": member}
    )
    assert sim.can(member, handle.lobby), (
        f"a rejoined member of the group cannot see its lobby; /group add says: {again.text!r}"
    )


async def test_leader_who_steps_down_without_having_agreed_loses_the_unagreed_access(
    scenario: Scenario,
) -> None:
    """Leaders get the role at /group create before agreeing (the leaders' exception).

    When the organiser names other leaders, the old leader becomes a plain member
    (cogs/_groups_admin.py apply_leaders: set_role 'member') but keeps the role: a
    member who never accepted the agreement keeps seeing the group's channels, and
    is not even reminded at sessions (bot/domain/agreement.py to_remind skips a
    NEVER non-leader because "a member who never agreed has no role").
    """
    sim = scenario.sim
    first, second = scenario.people[0], scenario.people[1]
    made = await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Tuesday group", "timezone": "Europe/London", "leader": first},
    )
    assert made.ephemeral, made.text
    await sim.settle()
    group = await group_store.by_name(scenario.bot.db, scenario.guild.id, "Tuesday group")
    assert group is not None
    lobby = sim.channel(group.lobby_channel_id)
    assert sim.can(first, lobby)  # leaders' exception: role at once, not agreed yet
    changed = await sim.slash(
        scenario.organiser,
        "group leaders",
        options={"leader": second, "group": "Tuesday group"},
    )
    assert "stepped down" in changed.text or str(first.id) in changed.text, changed.text
    await sim.settle()
    now_member = await group_store.membership(scenario.bot.db, group.id, first.id)
    assert now_member is not None and not now_member.is_leader
    assert await consents.latest(scenario.bot.db, group.id, first.id) is None
    assert not sim.can(first, lobby), (
        "a former leader who never accepted the agreement keeps the group's channels as a member"
    )


async def test_failed_leaders_change_does_not_leave_an_outsider_with_the_group_role(
    scenario: Scenario,
) -> None:
    """/group leaders grants the role to the new co-leader first, then edits the leaders'
    channel, then stores the membership (cogs/_groups_admin.py apply_leaders). When the
    channel edit is refused, the grant is not undone: someone who is not in the group
    (not in the store, never agreed) holds the group's role and reads its lobby, while
    the leader is told the change failed. Issue 3: "nothing is left half-made"."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    outsider = scenario.outsider
    assert not sim.can(outsider, handle.lobby)
    sim.inject("PATCH", "/channels/{channel_id}", 403, 50013)
    failed = await sim.slash(
        handle.leader,
        "group leaders",
        channel=handle.lobby,
        options={"leader": handle.leader, "co_leader": outsider},
    )
    assert "refused" in failed.text, failed.text
    assert await group_store.membership(scenario.bot.db, handle.group.id, outsider.id) is None
    assert handle.role.id not in scenario.member(outsider).role_ids, (
        "the refused /group leaders left the group's role on someone outside the group"
    )
    assert not sim.can(outsider, handle.lobby)


async def test_leader_can_remove_a_member_who_left_the_server(scenario: Scenario) -> None:
    """A member leaves the server (Discord: GUILD_MEMBER_REMOVE); the bot keeps them in the
    group (no on_member_remove listener), so they still count towards the size, the
    quorum and the rounds. The leader's only tool, /group remove, takes a
    `discord.Member` (cogs/groups.py remove): for a user who is no longer on the server
    Discord resolves only a User, discord.py's MemberTransformer raises TransformerError,
    and the leader gets "Something went wrong" (and an ERROR is logged)."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    gone = handle.members[0]
    await sim.leave_server(gone)
    result = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": gone}
    )
    sim.errors.clear()  # keep the teardown about this test's assertion, not the logged error
    membership = await group_store.membership(scenario.bot.db, handle.group.id, gone.id)
    assert membership is not None and membership.left_at is not None, (
        f"a member who left the server cannot be removed from the group: {result.text!r}"
    )


async def test_repair_of_a_deleted_role_during_a_session_lets_members_back_into_it(
    scenario: Scenario,
) -> None:
    """The group's role is deleted by hand while a meeting runs (Discord drops the role's
    overwrites with it). /group repair makes a new role and refits the category, lobby
    and leaders' channel (cogs/_groups_admin.py _refit_channels) but not the live
    session's text channel: the members, who got the new role back, cannot see the
    meeting they are in until some later phase change happens to rewrite the role's
    overwrite."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    member = handle.members[0]
    assert sim.can(member, channel)
    await sim.delete_role(handle.role)
    assert not sim.can(member, channel)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    repaired = await sim.slash(handle.leader, "group repair", channel=leaders_channel)
    assert "recreated the role" in repaired.text, repaired.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.role_id in scenario.member(member).role_ids
    assert sim.can(member, handle.lobby)
    assert sim.can(member, channel), (
        "after /group repair the members are still locked out of the live session's channel"
    )


async def test_archive_during_a_live_meeting_does_not_lock_everyone_out_of_it(
    scenario: Scenario,
) -> None:
    """/group archive while a session runs: cogs/_groups_admin.py archive says "a session
    already under way is left to finish", but it first takes the group's role from every
    member *and leader*, so the meeting goes on (timers, nudges, status) in a channel
    nobody but the bot can read. Either archiving waits for the end of the session (refuse
    with "end the session first") or the meeting stays readable until it ends."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    asked = await sim.slash(scenario.organiser, "group archive", options={"group": handle.name})
    custom_id = f"balint:archive:{handle.group.id}:{scenario.organiser.id}"
    if custom_id in asked.original.custom_ids():
        await sim.click(scenario.organiser, asked.original, custom_id)
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None
    live = await session_store.get(scenario.bot.db, session.id)
    assert live is not None and live.live
    if group.archived:
        for person in (handle.leader, handle.members[0]):
            assert sim.can(person, channel), (
                f"archived mid-meeting: {person.name} can no longer read the live session"
            )


async def test_lobby_deleted_while_the_bot_was_offline_is_reported_after_restart(
    scenario: Scenario,
) -> None:
    """Issue 3: "Deleting the group's channel or role by hand in Discord is noticed ... and
    reported to the leaders". The notice only comes from the CHANNEL_DELETE/GUILD_ROLE_DELETE
    gateway events (cogs/groups.py _channel_deleted/_role_deleted); Discord does not replay
    events missed while the bot was down (a fresh IDENTIFY after a restart or an update).
    Nothing compares the stored ids with the GUILD_CREATE the bot gets at start-up, so a
    lobby deleted during a restart is never reported and the members silently lose it."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    await scenario.stop()
    sim.remove_channel(handle.lobby)  # deleted by hand while the bot is down (no event)
    await scenario.start()
    await sim.settle()
    notices = [m.content for m in sim.messages_in(leaders_channel)]
    assert any("lobby" in n and "/group repair" in n for n in notices), (
        f"the leaders were never told that the lobby is gone: {notices}"
    )
