"""The demo's safeguards step: what the bot does when the frame is broken by accident.

A member puts an identifier in a thread's title, and an admin hands the group's role
to someone outside the group. Both go through the simulator as the people's own actions.
"""

from __future__ import annotations

from typing import Any

from bot.demo_script import Transcript
from bot.sim.scenario import Scenario

THREAD_TITLE = "Mrs Jones DOB 12/03/1956 - advice?"


async def step_safeguards(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("Safeguards: an identifier in a thread title; a role given by hand")
    sim, lobby, group = world.sim, state["lobby"], state["group"]
    member = state["members"][1]
    seen = len(sim.dms_to(member))
    out.person(member, f"opens a thread in the lobby titled {THREAD_TITLE!r}")
    thread = await sim.create_thread(member, lobby, THREAD_TITLE)
    assert thread is not None, "Discord refused the member's thread"
    await sim.settle()
    warnings = sim.dms_to(member)[seen:]
    assert warnings, "the guard did not notice the thread's title"
    out.message(warnings[-1], to=member.name)

    leaders_channel = sim.channel(group.leaders_channel_id or 0)
    before = len(sim.messages_in(leaders_channel)) if leaders_channel else 0
    role = sim.world.guilds[world.guild.id].roles[group.role_id]
    out.person(world.admin, f"gives {world.outsider.name} the group's role by hand")
    assert await sim.give_role(world.admin, world.outsider, role), "Discord refused the admin"
    await sim.settle()
    can_see = sim.can(world.outsider, lobby, "view_channel")
    out.note(f"{world.outsider.name} can see the lobby afterwards: {can_see}")
    assert not can_see, "a hand-given role was left with someone outside the group"
    if leaders_channel is not None:
        for notice in sim.messages_in(leaders_channel)[before:]:
            out.message(notice, to="the leaders' channel")
