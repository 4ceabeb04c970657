"""The bot's role loses Manage Roles mid-meeting: what the leaders are told.

Why: a change the bot cannot apply is refused and the store stays at the last phase
fully applied; a leader who asked is told why. But the automatic end at the scheduled
time asked nobody: its refusal escaped the timer as an error, and the leaders, told
"the time is up", never learnt that the meeting had not ended, nor why.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import User
from tests.session_support import leader, reload, start_session
from tests.support import make_group

MANAGE_ROLES = 1 << 28


def dms_with(world: Scenario, user: User, words: str) -> list[str]:
    return [m.content for m in world.sim.dms_to(user) if words in m.content]


async def test_an_automatic_end_refused_is_told_to_the_leaders_once(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    await world.bot.db.execute("UPDATE groups SET auto_end = 1 WHERE id = ?", (handle.group.id,))
    session, room = await start_session(world, handle)
    before = await reload(world, session)
    bot_role = world.sim.bot_role(world.guild)
    world.sim.set_bot_permissions(world.guild, bot_role.permissions & ~MANAGE_ROLES)
    await world.sim.settle()
    await world.advance(hours=2)  # past the scheduled end (1 h 50 min)
    after = await reload(world, session)
    assert after.live and after.phase == before.phase  # the last phase fully applied
    told = dms_with(world, handle.leader, "could not end")
    assert len(told) == 1 and "Manage Roles" in told[0] and "/session end" in told[0]
    await world.advance(hours=1)
    assert len(dms_with(world, handle.leader, "could not end")) == 1
    world.sim.set_bot_permissions(world.guild, bot_role.permissions | MANAGE_ROLES)
    await world.sim.settle()
    await leader(world, handle, "session end", room)
    assert not (await reload(world, session)).live


async def test_an_automatic_phase_change_refused_is_told_to_the_leaders(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    await world.bot.db.execute(
        "UPDATE groups SET auto_advance = 1 WHERE id = ?", (handle.group.id,)
    )
    session, room = await start_session(world, handle)
    await leader(world, handle, "phase goto", room, phase="case_call")
    await leader(world, handle, "session presenter", room, member=handle.members[0])
    await leader(world, handle, "phase next", room)  # presentation: only the presenter speaks
    before = await reload(world, session)
    assert before.phase == "presentation"
    assert before.phase_deadline is not None
    bot_role = world.sim.bot_role(world.guild)
    world.sim.set_bot_permissions(world.guild, bot_role.permissions & ~MANAGE_ROLES)
    await world.sim.settle()
    await world.advance(minutes=(before.phase_deadline - world.bot.now()).seconds // 60 + 1)
    after = await reload(world, session)
    assert after.live and after.phase == before.phase
    told = dms_with(world, handle.leader, "could not move")
    assert len(told) == 1 and "Manage Roles" in told[0]
    assert "/phase next" in told[0]  # what the leaders can do themselves meanwhile
