"""The demo's turn-taking scenes: a strict go-round with Done and Pass.

Strict turns are the mode where only the member who has the floor (and the leaders)
may write; the go-round hands the floor on at each "Done" or "Pass".
"""

from __future__ import annotations

from typing import Any

from bot.demo_actions import bot_lines, press_status, say, slash, who_can_post
from bot.demo_script import Transcript
from bot.sim.scenario import Scenario

CHECK_IN = "Long week, glad to be here."


async def step_check_in(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("Check-in: a go-round in strict turns")
    channel, leader, members = state["channel"], state["leader"], state["members"][:7]
    await slash(world, out, leader, "turns", channel, mode="strict")
    seen = len(world.sim.messages_in(channel))
    await slash(world, out, leader, "round start", channel)
    seen = bot_lines(world, out, channel, seen)
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")
    await say(world, out, members[1], channel, "Can I go first?")
    passer = members[5]
    for member in members:
        if member is passer:
            await press_status(world, out, state, member, "pass", "Pass")
        else:
            await say(world, out, member, channel, CHECK_IN)
            await press_status(world, out, state, member, "done", "Done")
        seen = bot_lines(world, out, channel, seen)
    await slash(world, out, leader, "turns", channel, mode="open")


async def step_away(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("A member drops out and comes back; the leader gives the floor")
    channel, leader, queue = state["channel"], state["leader"], state["hands"]
    dropped, next_up = queue[1], queue[2]
    seen = len(world.sim.messages_in(channel))
    await slash(world, out, dropped, "away", channel)
    seen = bot_lines(world, out, channel, seen)
    await press_status(world, out, state, leader, "nextspk", "Next speaker")
    seen = bot_lines(world, out, channel, seen)
    await say(world, out, next_up, channel, "It reminds me of a patient of mine.")
    await slash(world, out, dropped, "back", channel)
    seen = bot_lines(world, out, channel, seen)
    await press_status(world, out, state, leader, "nextspk", "Next speaker")
    seen = bot_lines(world, out, channel, seen)
    await say(world, out, dropped, channel, "Sorry, my connection dropped. I think she was afraid.")
    given = state["others"][1]
    await slash(world, out, leader, "floor give", channel, member=given)
    seen = bot_lines(world, out, channel, seen)
    await say(world, out, given, channel, "I noticed I felt impatient with her.")
