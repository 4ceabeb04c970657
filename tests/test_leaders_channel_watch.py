"""Who sees the leaders' channel is set again from the store at each READY.

Why: /group leaders edits the leaders' channel before it stores the change, and a
/privacy forget takes a leader's overwrite away after the erasure; a crash between
the two steps leaves someone who is not a leader of the group able to read where the
leaders talk about the members. The store is the truth: at each READY a member
overwrite on a group's leaders' channel for anyone but its stored leaders (and the
bot) goes, and a stored leader who lacks one gets it.
"""

from __future__ import annotations

from bot.sim import payloads
from bot.sim.scenario import Scenario
from bot.sim.world import Overwrite
from bot.store import groups as group_store
from tests.crash_support import crash_on, until_killed
from tests.support import make_group

CHANNEL = "/channels/{channel_id}"
VIEW_CHANNEL = 1 << 10


async def test_a_crash_after_the_leaders_channel_edit_leaves_no_reader_who_is_no_leader(
    scenario: Scenario,
) -> None:
    """Killed once Discord applied the leaders' channel edit, before the store was written:
    after the restart the would-be co-leader cannot read the leaders' channel."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    newcomer = scenario.outsider
    hit = crash_on(sim, "PATCH", CHANNEL, after=True)
    options = {"leader": handle.leader, "co_leader": newcomer, "group": handle.name}
    await until_killed(
        sim.slash(scenario.organiser, "group leaders", options=options), "sim-ignore-leaders"
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    assert await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id) is None
    assert sim.can(newcomer, leaders_channel)  # Discord applied the edit
    await scenario.restart()
    await sim.settle()
    assert not sim.can(newcomer, leaders_channel)
    assert sim.can(handle.leader, leaders_channel)


async def test_a_leader_whose_overwrite_went_by_hand_gets_it_back_at_ready(
    scenario: Scenario,
) -> None:
    """An admin removed a stored leader's overwrite while the bot was down: the leader can
    read the leaders' channel again after the restart; nothing else changes."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    await scenario.stop()
    leaders_channel.overwrites.pop(handle.leader.id, None)
    assert not sim.can(handle.leader, leaders_channel)
    await scenario.start()
    await sim.settle()
    assert sim.can(handle.leader, leaders_channel)
    assert not sim.can(handle.members[0], leaders_channel)


async def test_group_repair_takes_a_hand_made_reader_off_the_leaders_channel(
    scenario: Scenario,
) -> None:
    """An admin let a member read the leaders' channel: /group repair takes that away,
    says so, and leaves the leaders' own access as it was."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    member = handle.members[0]
    # An admin's edit in Discord: the overwrite, and the CHANNEL_UPDATE that tells the bot.
    leaders_channel.overwrites[member.id] = Overwrite(member.id, 1, allow=VIEW_CHANNEL)
    sim.dispatch("CHANNEL_UPDATE", payloads.channel(leaders_channel))
    await sim.settle()
    assert sim.can(member, leaders_channel)
    result = await sim.slash(handle.leader, "group repair", options={"group": handle.name})
    await sim.settle()
    assert not sim.can(member, leaders_channel)
    assert sim.can(handle.leader, leaders_channel)
    assert "leaders' channel is again readable by the group's leaders only" in result.text
