"""The demo's safeguards steps: what the bot does when the frame is broken by accident.

A member puts an identifier in a thread's title, an admin hands the group's role to
someone outside the group, and a member removed during a meeting is still in its voice
channel. All go through the simulator as the people's own actions.
"""

from __future__ import annotations

from typing import Any

from bot.demo_script import Transcript
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store

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


async def step_voice_removed(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("Safeguards: a member removed during the meeting is taken out of its voice")
    sim, lobby, leader = world.sim, state["lobby"], state["leader"]
    session = await session_store.get(world.bot.db, state["session_id"])
    voice = sim.channel(session.voice_channel_id or 0) if session else None
    assert voice is not None, "the session has no voice channel"
    leaving = state["members"][-1]
    assert await sim.voice_join(leaving, voice), "Discord refused the member's voice join"
    out.person(leaving, f"joins the session's voice channel #{voice.name}")
    out.person(leader, f"/group remove member:{leaving.name} (they have changed practice)")
    result = await sim.slash(leader, "group remove", channel=lobby, options={"member": leaving})
    out.bot(result.text, to=f"{leader.name} (only you)")
    await sim.settle()
    still_in = world.member(leaving).voice_channel_id == voice.id
    out.note(f"{leaving.name} still hears the meeting: {still_in}")
    assert not still_in, "a removed member was left in the session's voice channel"
    state["members"] = state["members"][:-1]
    state["everyone"] = [p for p in state["everyone"] if p is not leaving]
