"""The demo's membership scenes: a new member's group agreement, enforced voice turns.

A member added to the group sees none of its channels until they press "I agree" on
the agreement the bot sends them by DM; the demo shows one newcomer doing so.
"""

from __future__ import annotations

from typing import Any

from bot.demo_actions import slash, voice_note
from bot.demo_script import Transcript
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store

AGREE = "balint:agree:"


async def step_agreement(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("A new member reads the group agreement and agrees")
    sim, lobby, newcomer = world.sim, state["lobby"], state["newcomer"]
    dms = [m for m in sim.dms_to(newcomer) if any(c.startswith(AGREE) for c in m.custom_ids())]
    assert dms, "the agreement did not reach the new member"
    out.message(dms[-1], to=newcomer.name)
    before = sim.can(newcomer, lobby, "view_channel")
    out.note(f"{newcomer.name} can see the group's lobby before agreeing: {before}")
    assert not before, "a member who has not agreed sees the group's channels"
    custom_id = next(c for c in dms[-1].custom_ids() if c.startswith(AGREE))
    result = await sim.click(newcomer, dms[-1], custom_id)
    await sim.settle()
    out.pressed(newcomer, "I agree")
    out.bot(result.text, to=f"{newcomer.name} (only you)")
    after = sim.can(newcomer, lobby, "view_channel", "send_messages")
    out.note(f"{newcomer.name} can see the group's lobby now: {after}")
    assert after, "the member who agreed still cannot see the lobby"
    await slash(world, out, newcomer, "group info", lobby)


async def step_voice_mode(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The leaders choose enforced voice turns")
    await slash(
        world,
        out,
        state["leader"],
        "settings set",
        state["lobby"],
        setting="voice_mode",
        value="enforced",
    )


async def step_join_voice(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The members join the session's voice channel")
    session = await session_store.get(world.bot.db, state["session_id"])
    voice = world.sim.channel(session.voice_channel_id or 0) if session else None
    assert voice is not None, "the session has no voice channel"
    joining = [state["leader"], *state["members"][:7]]
    for person in joining:
        assert await world.sim.voice_join(person, voice), f"Discord refused {person.name}"
    out.note(f"{', '.join(p.name for p in joining)} join #{voice.name}")
    state.update(voice=voice, in_voice=joining)
    voice_note(world, out, state)
