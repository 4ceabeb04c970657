"""Runners and setups of the authorization table: how each command or button is performed.

Split from tests/reliability_table.py so that the table itself reads as one list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.sim.interactions import InteractionResult
from bot.sim.world import Message, User
from bot.store import sessions as session_store
from tests.reliability_world import ReliabilityWorld

Runner = Callable[[ReliabilityWorld, User], Awaitable[InteractionResult | None]]
Setup = Callable[[ReliabilityWorld], Awaitable[None]]


# --- runners -------------------------------------------------------------------------------


def slash(command: str, **fixed: Any) -> Runner:
    """Run the command in group A's lobby; callables in `fixed` get (rw, user)."""

    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult:
        options = {k: (v(rw, user) if callable(v) else v) for k, v in fixed.items()}
        channel = rw.a.lobby
        if not rw.sim.can(user, channel):
            channel = rw.world.guild.channel_named("general")
        return await rw.sim.slash(user, command, channel=channel, options=options)

    return run


GROUP = "Group A"


def second_member(rw: ReliabilityWorld, _user: User) -> User:
    return rw.a.members[1]


def removable_member(rw: ReliabilityWorld, _user: User) -> User:
    return rw.a.members[-2]


def newcomer(rw: ReliabilityWorld, user: User) -> User:
    return rw.world.add_person(f"new-{user.name}-{len(rw.world.people)}")


def oneself(_rw: ReliabilityWorld, user: User) -> User:
    return user


def new_group_name(rw: ReliabilityWorld, user: User) -> str:
    return f"New group {len(rw.world.people)} {user.name}"[:90]


async def _message_with(rw: ReliabilityWorld, message_id: int | None) -> Message:
    assert message_id is not None
    return rw.sim.world.messages[message_id]


def _sees(rw: ReliabilityWorld, user: User, message: Message) -> bool:
    """Discord shows a channel's buttons only to those who can see the channel."""
    channel = rw.sim.world.channels[message.channel_id]
    return channel.type == 1 or rw.sim.can(user, channel, "view_channel")


def status_button(action: str) -> Runner:
    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult:
        session = await rw.reload_session()
        message = await _message_with(rw, session.status_message_id)
        if not _sees(rw, user, message):
            return None
        ids = [c for c in message.custom_ids() if c.split(":")[3] == action]
        assert ids, f"no {action} on the status message: {sorted(message.custom_ids())}"
        return await rw.sim.click(user, message, ids[0])

    return run


def frame_button(custom: str) -> Runner:
    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult:
        session = await rw.reload_session()
        message = await _message_with(rw, session.frame_message_id)
        if not _sees(rw, user, message):
            return None
        return await rw.sim.click(user, message, f"{custom}:{session.id}")

    return run


def channel_button(prefix: str) -> Runner:
    """A button on the latest message in the session channel that carries one."""

    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult:
        assert rw.channel is not None
        for message in reversed(rw.sim.messages_in(rw.channel)):
            ids = sorted(c for c in message.custom_ids() if c.startswith(prefix))
            if ids and not message.deleted:
                if not _sees(rw, user, message):
                    return None
                return await rw.sim.click(user, message, ids[0])
        raise AssertionError(f"no {prefix} button in the session channel")

    return run


def dm_button(prefix: str) -> Runner:
    """A button the bot DMed to a member of group A (any of them), pressed by `user`."""

    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult:
        for person in rw.a.everyone:
            for message in reversed(rw.sim.dms_to(person)):
                ids = sorted(c for c in message.custom_ids() if c.startswith(prefix))
                if ids:
                    return await rw.sim.click(user, message, ids[0])
        raise AssertionError(f"no DM with a {prefix} button")

    return run


def after_command(command: str, prefix: str, *, select: bool = False, **fixed: Any) -> Runner:
    """An ephemeral button: the actor runs the command; if it offers the button, press it."""
    first = slash(command, **fixed)

    async def run(rw: ReliabilityWorld, user: User) -> InteractionResult | None:
        shown = await first(rw, user)
        for message in shown.messages:
            ids = sorted(c for c in message.custom_ids() if c.startswith(prefix))
            if not ids:
                continue
            values = None
            if select:
                values = [_first_option(message, ids[0])]
            return await rw.sim.click(user, message, ids[0], values=values)
        return shown

    return run


def _first_option(message: Message, custom_id: str) -> str:
    stack = list(message.components)
    while stack:
        comp = stack.pop()
        if comp.get("custom_id") == custom_id:
            return comp["options"][0]["value"]
        stack.extend(comp.get("components") or [])
    raise AssertionError(f"no select {custom_id}")


# --- setups for rows whose button needs history ----------------------------------------------


async def member_offers_case(rw: ReliabilityWorld) -> None:
    await channel_button("balint:offer:")(rw, rw.a.members[1])


async def everyone_here(rw: ReliabilityWorld) -> None:
    for person in rw.a.everyone:
        await status_button("here")(rw, person)


async def session_ended(rw: ReliabilityWorld) -> None:
    await everyone_here(rw)
    await rw.leader_runs("session end", group=GROUP)
    for _ in range(8):
        if any(
            c.startswith("balint:pulse:")
            for p in rw.a.everyone
            for m in rw.sim.dms_to(p)
            for c in m.custom_ids()
        ):
            return
        await rw.world.advance(minutes=30)
    raise AssertionError("no pulse DM after the session ended")


async def reminder_sent(rw: ReliabilityWorld) -> None:
    tomorrow = (rw.world.clock.now() + timedelta(days=1)).date().isoformat()
    done = await rw.leader_runs("schedule once", date=tomorrow, time="19:00", group=GROUP)
    assert "19:00" in done.text or done.ephemeral, done.text
    for _ in range(30):
        if any(
            c.startswith("balint:rsvp:")
            for m in rw.sim.dms_to(rw.plain_member)
            for c in m.custom_ids()
        ):
            return
        await rw.world.advance(hours=1)
    raise AssertionError("no reminder DM")


async def followup_asked(rw: ReliabilityWorld) -> None:
    soon = (rw.world.clock.now() + timedelta(days=3)).date().isoformat()
    await rw.leader_runs("schedule once", date=soon, time="19:00", group=GROUP)
    for _ in range(5):  # presentation, questions, discussion, return, closing
        await rw.leader_runs("phase next", group=GROUP)
    await rw.leader_runs("session end", group=GROUP)
    assert rw.presenter is not None
    for _ in range(12):
        if any(
            c.startswith("balint:fu:") for m in rw.sim.dms_to(rw.presenter) for c in m.custom_ids()
        ):
            return
        await rw.world.advance(hours=6)
    dms = [m.content for m in rw.sim.dms_to(rw.presenter)]
    raise AssertionError(f"no follow-up DM to the presenter: {dms} {rw.world.clock.now()}")


async def start_button_due(rw: ReliabilityWorld) -> None:
    """End the live session, schedule one for tomorrow, and wait for the lobby button."""
    if await session_store.live_for_group(rw.bot.db, rw.a.group.id) is not None:
        await rw.sim.slash(rw.a.leader, "session end", channel=rw.a.lobby, options={"group": GROUP})
    day = (rw.world.clock.now() + timedelta(days=1)).date().isoformat()
    await rw.sim.slash(
        rw.a.leader,
        "schedule once",
        channel=rw.a.lobby,
        options={"date": day, "time": "19:00", "group": GROUP},
    )
    for _ in range(48):
        if _lobby_start_message(rw) is not None:
            return
        await rw.world.advance(hours=1)
    raise AssertionError("no Start the session button in the lobby")


async def start_button_ready(rw: ReliabilityWorld) -> None:
    """The lobby button is there: a start that worked in spite of a fault used it up."""
    if _lobby_start_message(rw) is None:
        await start_button_due(rw)
        await rw.sim.settle()


def _lobby_start_message(rw: ReliabilityWorld) -> Message | None:
    for message in reversed(rw.sim.messages_in(rw.a.lobby)):
        if not message.deleted and any(
            c.startswith("balint:startnow:") for c in message.custom_ids()
        ):
            return message
    return None


async def press_start_button(rw: ReliabilityWorld, user: User) -> InteractionResult | None:
    """The lobby button; once a leader used it (it goes away), the next leader gets a new one."""
    message = _lobby_start_message(rw)
    if message is None:
        await start_button_due(rw)
        message = _lobby_start_message(rw)
        assert message is not None
    if not _sees(rw, user, message):
        return None
    (custom_id,) = message.custom_ids()
    return await rw.sim.click(user, message, custom_id)
