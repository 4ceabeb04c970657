"""Helpers for the cases tests: meetings as facilitation and scheduling store them.

Sessions belong to facilitation (live, ended) and scheduling (planned); these
helpers write the rows through their store functions and dispatch the events
facilitation dispatches, on the real bot through the simulator.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.sim.permissions import READ_HISTORY, SEND_MESSAGES, VIEW_CHANNEL
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User
from bot.store import schedules as schedule_store
from bot.store import sessions as session_store
from tests.support import GroupHandle

SEE_AND_SEND = VIEW_CHANNEL | SEND_MESSAGES | READ_HISTORY


async def planned_meeting(world: Scenario, handle: GroupHandle, start: datetime) -> int:
    """A planned session row, as scheduling materialises the next occurrence (with its
    occurrence date: a 'planned' row without one is an ad-hoc start under way)."""
    day = start.astimezone(ZoneInfo(handle.group.zone)).date()
    return await schedule_store.insert_planned(
        world.bot.db, handle.group.id, day, start, start + timedelta(minutes=90)
    )


async def adhoc_meeting(world: Scenario, handle: GroupHandle, start: datetime) -> int:
    """The row of an ad-hoc /session start, made live at once by `start_meeting`."""
    return await session_store.create_adhoc(
        world.bot.db, handle.group.id, start, start + timedelta(minutes=90)
    )


async def start_meeting(
    world: Scenario, handle: GroupHandle, session_id: int | None = None
) -> tuple[int, Channel]:
    """Make the session live with a private channel of the group, as /session start does."""
    db = world.bot.db
    now = world.clock.now()
    if session_id is None:
        session_id = await adhoc_meeting(world, handle, now)
    everyone = world.guild.roles[world.guild.id]
    channel = world.sim.add_channel(
        world.guild,
        f"session-{session_id}",
        parent=world.sim.channel(handle.group.category_id),
        overwrites={
            everyone: (0, VIEW_CHANNEL),
            handle.role: (SEE_AND_SEND, 0),
            world.sim.bot_user: (SEE_AND_SEND, 0),
        },
    )
    await session_store.set_channels(
        db, session_id, text_channel_id=channel.id, voice_channel_id=None
    )
    await session_store.mark_live(db, session_id, now, None)
    world.bot.dispatch("balint_session_started", session_id)
    await world.sim.settle()
    return session_id, channel


async def case_call(world: Scenario, session_id: int) -> None:
    """Enter the case-call phase as facilitation stores and announces it."""
    await world.bot.db.execute(
        "UPDATE sessions SET phase = 'case_call' WHERE id = ?", (session_id,)
    )
    world.bot.dispatch("balint_phase_changed", session_id, "check_in", "case_call")
    await world.sim.settle()


async def end_meeting(world: Scenario, session_id: int) -> None:
    """Store the end as facilitation does, then dispatch the event once."""
    assert await session_store.mark_ended(world.bot.db, session_id, world.clock.now())
    world.bot.dispatch("balint_session_ended", session_id)
    await world.sim.settle()


def call_message(world: Scenario, channel: Channel) -> Message:
    found = [
        m
        for m in world.sim.messages_in(channel)
        if any(c.startswith("balint:offer:") for c in m.custom_ids())
    ]
    assert found, "no case call in the channel"
    return found[-1]


def visible_text(world: Scenario, channel: Channel) -> str:
    """Everything a member sees in the channel: contents, embeds and button labels."""
    parts: list[str] = []
    for message in world.sim.messages_in(channel):
        parts.append(message.content)
        parts.extend(str(e) for e in message.embeds)
        parts.append(str(message.components))
    return "\n".join(parts)


def last_dm(world: Scenario, user: User) -> Message:
    dms = world.sim.dms_to(user)
    assert dms, f"no DM to {user.name}"
    return dms[-1]
