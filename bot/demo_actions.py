"""What people do in the demo, through the simulator: commands, posts, button presses.

Shared by the demo's scene modules, so each prints what the person did and what the
bot answered the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.demo_script import Transcript
from bot.sim.interactions import message_text
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User
from bot.store import sessions as session_store


def with_prefix(messages: list[Message], prefix: str) -> tuple[Message, str]:
    for message in reversed(messages):
        for custom_id in sorted(message.custom_ids()):
            if custom_id.startswith(prefix):
                return message, custom_id
    raise AssertionError(f"no button starting {prefix!r} was shown")


def who_can_post(world: Scenario, channel: Channel, people: list[User]) -> str:
    allowed = [p.name for p in people if world.sim.can(p, channel, "view_channel", "send_messages")]
    return ", ".join(allowed) or "nobody"


async def slash(
    world: Scenario,
    out: Transcript,
    user: User,
    command: str,
    channel: Channel | None = None,
    **options: Any,
) -> Any:
    shown = " ".join(f"{k}:{getattr(v, 'name', v)}" for k, v in options.items())
    out.person(user, f"/{command} {shown}".strip())
    result = await world.sim.slash(user, command, channel=channel, options=options)
    await world.sim.settle()
    out.bot(result.text, to=f"{user.name} (only you)" if result.ephemeral else "")
    return result


async def say(world: Scenario, out: Transcript, user: User, channel: Channel, text: str) -> None:
    posted = await world.sim.post(user, channel, text)
    if posted is None:
        out.emit(f"  {user.name} tries to write, but Discord does not let them post now")
    else:
        out.person(user, text)


async def phase(
    world: Scenario, out: Transcript, state: dict[str, Any], command: str, **options: Any
) -> str:
    leader, channel = state["leader"], state["channel"]
    await slash(world, out, leader, command, channel, **options)
    session = await session_store.get(world.bot.db, state["session_id"])
    assert session is not None
    out.phase_changes += 1
    out.section(f"Phase: {session.phase}")
    out.note(f"who can post now: {who_can_post(world, channel, state['everyone'])}")
    voice_note(world, out, state)
    return session.phase or ""


async def jump(world: Scenario, out: Transcript, moment: datetime) -> None:
    delta = moment - world.clock.now()
    if delta.total_seconds() > 0:
        fired = await world.advance(seconds=delta.total_seconds())
        out.note(f"clock jumps to {moment:%a %d %b %H:%M} UTC; {fired} timers fired")


async def press_status(
    world: Scenario,
    out: Transcript,
    state: dict[str, Any],
    user: User,
    action: str,
    label: str,
    message: Message | None = None,
) -> Any:
    """Press a button of the session's status message (`message`: one shown earlier)."""
    session = await session_store.get(world.bot.db, state["session_id"])
    assert session is not None and session.status_message_id is not None
    message = message or world.sim.world.messages[session.status_message_id]
    prefix = f"balint:s:{session.id}:{action}"
    custom_id = next(
        (c for c in message.custom_ids() if c == prefix or c.startswith(prefix + ":")), None
    )
    assert custom_id is not None, f"no {label} button on the status message"
    result = await world.sim.click(user, message, custom_id)
    await world.sim.settle()
    out.pressed(user, label)
    for followup in result.followups:
        if followup.ephemeral and message_text(followup):
            out.bot(message_text(followup), to=f"{user.name} (only you)")
    if result.ephemeral and result.text:
        out.bot(result.text, to=f"{user.name} (only you)")
    return result


def bot_lines(world: Scenario, out: Transcript, channel: Channel, seen: int) -> int:
    """Print what the bot posted in the channel since the first `seen` messages; the new count.

    The status message is edited in place, not posted, so it never shows up here twice.
    """
    messages = world.sim.messages_in(channel)
    for message in messages[seen:]:
        if message.author.id == world.sim.bot_user.id and message_text(message):
            out.message(message)
    return len(messages)


def voice_note(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    """Who of those in the session's voice channel is server-muted now (enforced voice)."""
    voice, people = state.get("voice"), state.get("in_voice")
    if voice is None or not people:
        return
    here = [p for p in people if world.member(p).voice_channel_id == voice.id]
    muted = [p.name for p in here if world.member(p).mute]
    out.note(f"server-muted in voice: {', '.join(muted) or 'nobody'}")
