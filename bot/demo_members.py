"""The demo's membership scenes: a new member's group agreement, the leaders' settings.

A member added to the group sees none of its channels until they press "I agree" on
the agreement the bot sends them by DM; the demo shows one newcomer doing so.
"""

from __future__ import annotations

from typing import Any

from bot.demo_actions import slash
from bot.demo_script import Transcript
from bot.sim.scenario import Scenario

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
