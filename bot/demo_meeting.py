"""The demo meeting, step by step: every action goes through the simulator as a person's.

Ten people: two leaders and eight members, reading in three time zones. Time is
the injected clock, jumping forward to each reminder.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.demo_actions import (
    jump,
    phase,
    press_status,
    say,
    slash,
    voice_note,
    who_can_post,
    with_prefix,
)
from bot.demo_members import step_agreement, step_join_voice, step_voice_mode
from bot.demo_records import step_records
from bot.demo_safeguards import step_safeguards, step_voice_removed
from bot.demo_script import Step, Transcript
from bot.demo_turns import step_away, step_check_in, step_restart
from bot.demo_zone import step_zone
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.store import schedules as schedule_store
from bot.store import session_perms
from bot.store import sessions as session_store

GROUP = "Thursday Balint"
LINES = {
    "presentation": "(tells the story of a consultation, from memory, without notes)",
    "questions": "How long have you known her?",
    "discussion": "I wonder what she hoped the doctor would do for her.",
    "return": "What struck me is how alone I felt in that room.",
    "closing": "Thank you all.",
}


async def step_about(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("A new member asks what the bot is")
    await slash(world, out, world.people[2], "balint about")


async def step_group(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The organiser creates the group; the leader adds the members")
    leader, co_leader, members = world.people[0], world.people[1], world.people[2:10]
    await slash(
        world,
        out,
        world.organiser,
        "group create",
        name=GROUP,
        timezone="Europe/London",
        leader=leader,
        co_leader=co_leader,
    )
    group = await group_store.by_name(world.bot.db, world.guild.id, GROUP)
    assert group is not None, "the group was not created"
    lobby = world.sim.channel(group.lobby_channel_id)
    for member in members:
        result = await world.sim.slash(
            leader, "group add", channel=lobby, options={"member": member}
        )
        assert result.ephemeral, result.text
    out.person(leader, f"/group add (x{len(members)}: {', '.join(m.name for m in members)})")
    await world.sim.settle()
    newcomer = members[0]  # agrees on screen, in the next step
    for person in [leader, co_leader, *members[1:]]:
        for message in world.sim.dms_to(person):
            for custom_id in message.custom_ids():
                if custom_id.startswith("balint:agree:"):
                    await world.sim.click(person, message, custom_id)
                    out.buttons_pressed += 1
    await world.sim.settle()
    out.note(f"everyone but {newcomer.name} presses [I agree] on the group agreement sent by DM")
    out.note(
        f"an outsider can see the lobby: {world.sim.can(world.outsider, lobby, 'view_channel')}"
    )
    state.update(
        group=group,
        lobby=lobby,
        leader=leader,
        co_leader=co_leader,
        members=members,
        everyone=[leader, co_leader, *members],
        newcomer=newcomer,
    )


async def step_schedule(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The leader sets a weekly session; members are reminded and answer")
    leader, lobby, members = state["leader"], state["lobby"], state["members"]
    await slash(
        world,
        out,
        leader,
        "schedule set",
        lobby,
        cadence="weekly",
        weekday=3,
        time="19:00",
        duration=90,
    )
    await slash(world, out, members[1], "schedule show", lobby)
    planned = await schedule_store.planned_for_group(world.bot.db, state["group"].id)
    assert planned, "no session was planned by /schedule set"
    start = planned[0].scheduled_start
    state["start"] = start
    await jump(world, out, start - timedelta(hours=48) + timedelta(minutes=1))
    case_dm = [m for m in world.sim.dms_to(members[3]) if "case" in m.content.lower()]
    if case_dm:
        out.message(case_dm[-1], to=members[3].name)
        message, custom_id = with_prefix(case_dm, "balint:offer:")
        await world.sim.click(members[3], message, custom_id.rsplit(":", 1)[0] + ":case")
        out.pressed(members[3], "I have a case")
    await jump(world, out, start - timedelta(hours=24) + timedelta(minutes=1))
    reminders = world.sim.dms_to(members[0])
    assert reminders, "no reminder DM was sent"
    out.message(reminders[-1], to=members[0].name)
    for index, member in enumerate(members):
        message, custom_id = with_prefix(world.sim.dms_to(member), "balint:rsvp:")
        answer = "no" if index == 7 else "yes"
        await world.sim.click(member, message, custom_id.rsplit(":", 1)[0] + f":{answer}")
        out.pressed(member, "I'll be there" if answer == "yes" else "Can't make it")
    await world.sim.settle()
    await slash(world, out, leader, "schedule roster", lobby)
    await jump(world, out, start)


async def step_session(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The session opens: frame, confidentiality reminder, status message")
    leader, members = state["leader"], state["members"]
    await slash(world, out, leader, "session start", state["lobby"])
    session = await session_store.live_for_group(world.bot.db, state["group"].id)
    assert session is not None, "/session start did not open a session"
    channel = world.sim.channel(session.text_channel_id)
    state.update(session_id=session.id, channel=channel)
    for message in world.sim.messages_in(channel)[:2]:
        out.message(message)
    for member in members[:7]:
        message, custom_id = with_prefix(world.sim.messages_in(channel), "balint:ack:")
        await world.sim.click(member, message, custom_id)
    out.note("7 members press [I have read this]")
    out.buttons_pressed += 7
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")


async def step_case_call(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    await phase(world, out, state, "phase next")
    channel, leader, members = state["channel"], state["leader"], state["members"]
    volunteer = members[3]
    message, custom_id = with_prefix(world.sim.messages_in(channel), "balint:offer:")
    out.message(message)
    await world.sim.click(volunteer, message, custom_id.rsplit(":", 1)[0] + ":case")
    await world.sim.settle()
    out.pressed(volunteer, "I have a case")
    out.bot(world.sim.world.messages[message.id].content or "")
    listing = await slash(world, out, leader, "case list", channel)
    await world.sim.select(
        leader, listing.original, f"balint:pickmenu:{state['session_id']}", [str(volunteer.id)]
    )
    await world.sim.settle()
    out.emit(f"  {leader.name} picks {volunteer.name} from the menu")
    state["presenter"] = volunteer
    out.message(world.sim.messages_in(channel)[-1])


async def step_case(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    channel, presenter, members = state["channel"], state["presenter"], state["members"]
    others = [m for m in members[:7] if m is not presenter]
    await phase(world, out, state, "phase next")  # presentation
    await say(world, out, presenter, channel, LINES["presentation"])
    await say(world, out, others[0], channel, "Sorry to interrupt, but...")
    await phase(world, out, state, "phase next")  # questions
    await say(world, out, others[1], channel, LINES["questions"])
    await say(world, out, presenter, channel, "About three years.")
    slip = others[2]
    before = len(world.sim.dms_to(slip))
    await say(world, out, slip, channel, "Was she the one born 12/03/1956?")
    await world.sim.settle()
    for message in world.sim.dms_to(slip)[before:]:
        out.message(message, to=slip.name)
    posted = [m for m in world.sim.messages_in(channel) if m.author.id == slip.id]
    if posted and posted[-1].reactions:
        out.note(f"the bot marks that message with {' '.join(posted[-1].reactions)}")
    await phase(world, out, state, "phase next")  # discussion
    await slash(world, out, state["leader"], "turns", channel, mode="hands")
    for member in others[2:5]:
        await press_status(world, out, state, member, "raise", "Raise hand")
    await press_status(world, out, state, presenter, "raise", "Raise hand")
    await press_status(world, out, state, state["leader"], "nextspk", "Next speaker")
    await say(world, out, others[2], channel, LINES["discussion"])
    await say(world, out, presenter, channel, "Can I just explain...")
    state.update(hands=others[2:5], others=others)


async def step_return(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    await phase(world, out, state, "phase next")  # return
    await say(world, out, state["presenter"], state["channel"], LINES["return"])


async def step_close(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    await phase(world, out, state, "phase goto", phase="closing")
    await say(world, out, state["members"][0], channel := state["channel"], LINES["closing"])
    out.section("The end")
    await slash(world, out, state["leader"], "session end", channel)
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")
    voice_note(world, out, state)
    held = await session_perms.mutes_for_session(world.bot.db, state["session_id"])
    out.note(f"server mutes the bot still holds: {len(held)}")
    await jump(world, out, world.clock.now() + timedelta(minutes=61))
    gone = world.sim.world.channels.get(channel.id)
    out.note(
        "session channel deleted with everything said in it"
        if gone is None or getattr(gone, "deleted", False)
        else "session channel still there"
    )


async def step_pulse(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("The anonymous pulse")
    answered = 0
    for member in state["members"][:7]:
        surveys = [
            m
            for m in world.sim.dms_to(member)
            if any(c.startswith("balint:pulse:") for c in m.custom_ids())
        ]
        if not surveys:
            continue
        if answered == 0:
            out.message(surveys[-1], to=member.name)
        for question in ("useful", "safe", "leave_vs_arrive"):
            prefix = f"balint:pulse:{state['session_id']}:{question}:"
            ids = [c for m in surveys for c in m.custom_ids() if c.startswith(prefix)]
            if ids:
                await world.sim.click(member, surveys[-1], prefix + str(4 + answered % 2))
        answered += 1
    out.note(f"{answered} members answered (counts only; no name is kept with an answer)")
    await slash(world, out, state["leader"], "pulse", state["lobby"])
    await slash(world, out, state["leader"], "attendance group", state["lobby"])


async def step_followup(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("A week later: the presenter is asked about a follow-up")
    presenter = state["presenter"]
    await jump(world, out, state["start"] + timedelta(days=5, minutes=1))
    asks = [
        m
        for m in world.sim.dms_to(presenter)
        if any(c.startswith("balint:fu:") for c in m.custom_ids())
    ]
    assert asks, "the follow-up question did not reach the presenter"
    out.message(asks[-1], to=presenter.name)
    message, custom_id = with_prefix(asks, "balint:fu:")
    result = await world.sim.click(presenter, message, custom_id.rsplit(":", 1)[0] + ":yes")
    out.pressed(presenter, "Yes, next time")
    out.bot(result.text, to=f"{presenter.name} (only you)")


STEPS: list[tuple[str, Step | None]] = [
    ("about", step_about),
    ("groups", step_group),
    ("group agreement", step_agreement),
    ("safeguards", step_safeguards),
    ("scheduling, reminders and RSVP", step_schedule),
    ("enforced voice turns", step_voice_mode),
    ("session start", step_session),
    ("members join the voice channel", step_join_voice),
    ("voice safeguard", step_voice_removed),
    ("check-in round", step_check_in),
    ("who has a case?", step_case_call),
    ("presentation, questions, discussion", step_case),
    ("away and back, floor given", step_away),
    ("a restart mid-meeting", step_restart),
    ("presenter's return", step_return),
    ("closing and end", step_close),
    ("pulse and attendance", step_pulse),
    ("privacy and attendance certificate", step_records),
    ("follow-up prompt", step_followup),
    ("a new time zone", step_zone),
]
