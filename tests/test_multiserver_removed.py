"""The bot removed from one of its servers, re-invited, or the server briefly unavailable."""

from __future__ import annotations

from bot.store import groups as group_store
from tests.multiserver_support import dm_count, second_server, weekly
from tests.support import make_group


async def two_servers(world):
    """A Thursday group on each server, with different people, both scheduled."""
    coastal = await second_server(world)
    here = await make_group(world, name="Thursday Balint", members=world.people[1:4])
    there = await make_group(
        world,
        name="Thursday Balint",
        leader=world.people[5],
        members=world.people[6:9],
        guild=coastal,
    )
    await weekly(world, here)
    await weekly(world, there)
    return coastal, here, there


async def test_no_reminders_or_prompts_for_a_server_the_bot_was_removed_from(scenario) -> None:
    world = scenario
    coastal, here, there = await two_servers(world)
    await world.sim.remove_bot(coastal)
    before_there = dm_count(world, there.everyone)
    before_here = dm_count(world, here.everyone)
    await world.advance(days=9)
    assert dm_count(world, there.everyone) == before_there  # no reminder for a bot-less server
    assert all(dm_count(world, here.everyone)[k] > v for k, v in before_here.items())
    assert await group_store.get(world.bot.db, there.group.id) is not None  # the store stays
    await world.sim.reinvite_bot(coastal)
    await world.advance(days=7)  # invited back: the next week's reminders come again
    after = dm_count(world, there.everyone)
    assert all(after[k] > v for k, v in before_there.items()), after
    assert not world.problems()


async def test_an_outage_is_not_a_removal(scenario) -> None:
    """GUILD_DELETE with unavailable: nothing deleted, reminders still go, all works after."""
    world = scenario
    coastal, _here, there = await two_servers(world)
    lobby_id, role_id = there.group.lobby_channel_id, there.group.role_id
    await world.sim.outage(coastal)
    before = dm_count(world, there.everyone)
    await world.advance(days=3)  # past Wednesday 19:00, the 24 h reminder
    assert all(dm_count(world, there.everyone)[k] > v for k, v in before.items())
    assert world.sim.calls_matching("DELETE", "/channels/{channel_id}") == []
    await world.sim.outage_over(coastal)
    group = await group_store.get(world.bot.db, there.group.id)
    assert group is not None and not group.archived
    assert (group.lobby_channel_id, group.role_id) == (lobby_id, role_id)
    info = await world.sim.slash(there.leader, "group info", channel=there.lobby)
    assert "Thursday Balint" in info.text, info.text
    assert not world.problems()
