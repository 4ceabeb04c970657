"""The demo's turn-taking scenes: a strict go-round, /away and /back, a restart.

Strict turns are the mode where only the member who has the floor (and the leaders)
may write; the go-round hands the floor on at each "Done" or "Pass".
"""

from __future__ import annotations

from typing import Any

from bot.demo_actions import bot_lines, press_status, say, slash, voice_note, who_can_post
from bot.demo_script import Transcript
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store

CHECK_IN = "Long week, glad to be here."


async def step_check_in(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("Check-in: a go-round in strict turns")
    channel, leader, members = state["channel"], state["leader"], state["members"][:7]
    await slash(world, out, leader, "turns", channel, mode="strict")
    seen = len(world.sim.messages_in(channel))
    await slash(world, out, leader, "round start", channel)
    seen = bot_lines(world, out, channel, seen)
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")
    voice_note(world, out, state)
    await say(world, out, members[1], channel, "Can I go first?")
    passer = members[5]
    for member in members:
        if member is passer:
            await press_status(world, out, state, member, "pass", "Pass")
        else:
            await say(world, out, member, channel, CHECK_IN)
            await press_status(world, out, state, member, "done", "Done")
        seen = bot_lines(world, out, channel, seen)
        voice_note(world, out, state)
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


async def step_restart(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The bot's process restarts mid-meeting")
    channel, leader, asker = state["channel"], state["leader"], state["others"][0]
    before = await session_store.get(world.bot.db, state["session_id"])
    assert before is not None and before.status_message_id is not None
    status = world.sim.world.messages[before.status_message_id]
    seen = len(world.sim.messages_in(channel))
    out.note("the host restarts the bot's process")
    await world.restart()
    await world.sim.settle()
    bot_lines(world, out, channel, seen)
    after = await session_store.get(world.bot.db, state["session_id"])
    assert after is not None
    holder = world.sim.world.users.get(after.floor_holder_id or 0)
    out.note(f"after the restart: phase {after.phase}, floor with {getattr(holder, 'name', '-')}")
    assert (after.phase, after.floor_holder_id) == (before.phase, before.floor_holder_id)
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")
    voice_note(world, out, state)
    out.note(f"{asker.name} uses the status message shown before the restart")
    await press_status(world, out, state, asker, "raise", "Raise hand", message=status)
    await press_status(world, out, state, leader, "nextspk", "Next speaker")
    await say(world, out, asker, channel, "Could it be that she wanted to be seen?")
