"""The store is written before the bot gives a group's role, and put back if Discord refuses.

Why: the role's GUILD_MEMBER_UPDATE may be handled before the REST answer of the
grant (the simulator's `gateway_first`), and the role watch
(cogs/_groups_role_watch.py) judges the holder by the store at that moment.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from tests.support import make_group

GRANT = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def test_refused_grant_on_readding_a_member_leaves_them_out_as_before(
    scenario: Scenario,
) -> None:
    """A returning member who agreed is granted at once; Discord refuses: still gone."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaving = handle.members[0]
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    before = await group_store.membership(scenario.bot.db, handle.group.id, leaving.id)
    assert before is not None and before.left_at is not None
    await scenario.advance(days=3)
    sim.inject("PUT", GRANT, 403, 50013)
    refused = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": leaving}
    )
    assert "refused" in refused.text or "permission" in refused.text, refused.text
    assert await group_store.membership(scenario.bot.db, handle.group.id, leaving.id) == before
    assert not sim.can(leaving, handle.lobby)
    again = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": leaving}
    )
    assert "is now a member" in again.text and sim.can(leaving, handle.lobby)


async def test_a_crash_between_storing_and_granting_is_mended_by_the_restart(
    scenario: Scenario,
) -> None:
    """The store is written first: the bot dies before Discord hears of the grant. The
    restart gives the role (its stored follow-up, cogs/_groups_members.py); a role taken
    since by hand is given back by the leader's /group add, not answered "already in the
    group, nothing was changed" for a member who cannot see the lobby."""
    import asyncio

    from tests.crash_support import crash_on

    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaving = handle.members[0]
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    await scenario.advance(days=3)
    hit = crash_on(sim, "PUT", GRANT)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": leaving}),
        name="sim-ignore-add",
    )
    assert hit, "the crash point was not reached"
    await scenario.restart()
    await sim.settle()
    assert sim.can(leaving, handle.lobby)
    assert await sim.take_role(scenario.admin, leaving, handle.role)
    assert not sim.can(leaving, handle.lobby)
    again = await sim.slash(
        handle.leader, "group add", channel=handle.lobby, options={"member": leaving}
    )
    assert "gave it to them again" in again.text
    assert sim.can(leaving, handle.lobby), again.text
