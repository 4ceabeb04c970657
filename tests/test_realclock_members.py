"""/group add, /group remove and /group leaders on the real clock (APScheduler, as in production).

Why: each stores its follow-up timer (due now) with the change, then grants or takes
the role. Armed at once, the scheduler claimed the timer while that REST call was
under way; when Discord refused it, the roll-back could no longer withdraw the timer,
which then ran and stayed as a finished row naming the person: their /privacy export
showed a removal (or an add) that never happened. With the manual clock no row is left.
"""

from __future__ import annotations

from bot.store import groups as group_store
from tests.realclock_support import real_clock_world
from tests.support import make_group

ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def follow_ups_of(world, user_id: int) -> list[str]:
    rows = await world.bot.db.fetchall(
        "SELECT dedupe_key, state FROM timers WHERE kind = 'member_follow_up' AND user_id = ?",
        (user_id,),
    )
    return [f"{row['dedupe_key'].split(':')[3]} {row['state']}" for row in rows]


async def test_a_refused_remove_leaves_no_timer_naming_the_member(tmp_path) -> None:
    async with real_clock_world(tmp_path) as world:
        handle = await make_group(world, size=2)
        member = handle.members[0]
        before = await follow_ups_of(world, member.id)
        assert before == ["added done"]
        world.sim.inject("DELETE", ROLE, 403, code=50013)
        answer = await world.sim.slash(
            handle.leader, "group remove", channel=handle.lobby, options={"member": member}
        )
        assert answer.text.startswith("Discord refused"), answer.text
        await world.sim.settle()
        membership = await group_store.membership(world.bot.db, handle.group.id, member.id)
        assert membership is not None and membership.left_at is None
        assert handle.role.id in world.member(member).role_ids
        assert await follow_ups_of(world, member.id) == before, "a removal that never was"


async def test_a_refused_re_add_leaves_no_timer_naming_the_member(tmp_path) -> None:
    async with real_clock_world(tmp_path) as world:
        handle = await make_group(world, size=2)
        member = handle.members[0]
        options = {"member": member}
        await world.sim.slash(handle.leader, "group remove", channel=handle.lobby, options=options)
        await world.sim.settle()
        assert handle.role.id not in world.member(member).role_ids
        before = await follow_ups_of(world, member.id)
        world.sim.inject("PUT", ROLE, 403, code=50013)  # they agreed: the role is given at once
        await world.sim.slash(handle.leader, "group add", channel=handle.lobby, options=options)
        await world.sim.settle()
        membership = await group_store.membership(world.bot.db, handle.group.id, member.id)
        assert membership is not None and membership.left_at is not None
        assert await follow_ups_of(world, member.id) == before, "an add that never was"


async def leader_follow_ups_of(world, user_id: int) -> list[str]:
    rows = await world.bot.db.fetchall(
        "SELECT dedupe_key, state FROM timers WHERE kind = 'leader_follow_up' AND user_id = ?",
        (user_id,),
    )
    return [f"{row['dedupe_key'].split(':')[3]} {row['state']}" for row in rows]


async def test_a_refused_leaders_grant_leaves_no_timer_naming_anyone(tmp_path) -> None:
    """/group leaders naming an outsider co-leader, the grant refused: the change is undone,
    and no follow-up row names the outsider (nor the leader) for a change that never was."""
    async with real_clock_world(tmp_path) as world:
        handle = await make_group(world, size=2)
        outsider = world.outsider
        before = await leader_follow_ups_of(world, handle.leader.id)
        world.sim.inject("PUT", ROLE, 403, code=50013)
        answer = await world.sim.slash(
            handle.leader,
            "group leaders",
            channel=handle.lobby,
            options={"leader": handle.leader, "co_leader": outsider},
        )
        assert "refused" in answer.text, answer.text
        await world.sim.settle()
        db = world.bot.db
        assert await group_store.membership(db, handle.group.id, outsider.id) is None
        assert handle.role.id not in world.member(outsider).role_ids
        assert await leader_follow_ups_of(world, outsider.id) == [], "a co-leader who never was"
        assert await leader_follow_ups_of(world, handle.leader.id) == before
