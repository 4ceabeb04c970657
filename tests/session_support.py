"""Helpers for the facilitation tests: start a session, find its messages, drive phases."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from bot.sim import transport
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User
from bot.store import sessions as session_store
from bot.store.sessions import Session
from tests.support import GroupHandle


async def start_session(world: Scenario, handle: GroupHandle) -> tuple[Session, Channel]:
    result = await world.sim.slash(handle.leader, "session start", channel=handle.lobby)
    session = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert session is not None, result.text
    return session, world.sim.channel(session.text_channel_id)


async def reload(world: Scenario, session: Session) -> Session:
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None
    return fresh


async def status_message(world: Scenario, session: Session) -> Message:
    fresh = await reload(world, session)
    return world.sim.world.messages[fresh.status_message_id]


def button(message: Message, action: str) -> str:
    found = [c for c in message.custom_ids() if c.split(":")[3] == action]
    assert found, f"no {action} button on {sorted(message.custom_ids())}"
    return found[0]


async def press(world: Scenario, user: User, session: Session, action: str):
    message = await status_message(world, session)
    return await world.sim.click(user, message, button(message, action))


async def leader(world: Scenario, handle: GroupHandle, command: str, channel: Channel, **options):
    return await world.sim.slash(handle.leader, command, channel=channel, options=options)


async def phase(world: Scenario, session: Session) -> str:
    return (await reload(world, session)).phase or ""


def who_can_post(world: Scenario, channel: Channel, users: list[User]) -> set[str]:
    return {u.name for u in users if world.sim.can(u, channel, "view_channel", "send_messages")}


async def enforced_voice_session(
    world: Scenario, handle: GroupHandle, in_voice: list[User]
) -> tuple[Session, Channel, Channel]:
    """A live session of a group with enforced voice turns; the leader and `in_voice` joined.

    Returns the session, its text channel and its voice channel.
    """
    await world.bot.db.execute(
        "UPDATE groups SET voice_mode = 'enforced' WHERE id = ?", (handle.group.id,)
    )
    session, channel = await start_session(world, handle)
    voice = world.sim.channel((await reload(world, session)).voice_channel_id)
    assert voice is not None
    for user in (handle.leader, *in_voice):
        assert await world.sim.voice_join(user, voice)
    return session, channel, voice


async def round_order(world: Scenario, session_id: int) -> list[int]:
    """The go-round's order as stored: who is called on, in turn."""
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_queue WHERE session_id = ? AND kind = 'round' "
        "ORDER BY position",
        (session_id,),
    )
    return [r["user_id"] for r in rows]


def during_permission_write(world: Scenario, channel_id: int, action: Awaitable[Any]) -> list[Any]:
    """Run `action` once a permission write on the channel is sent (a change of the meeting
    being applied to Discord), as a second leader's command arriving meanwhile would.
    Returns a list that holds the action's task once it started."""
    sim, started = world.sim, []
    original = sim._handle_request

    def watching(method: str, url: str, kw: dict[str, Any]) -> Any:
        if not started and method == "PUT" and f"/channels/{channel_id}/permissions/" in url:
            sim._handle_request = original  # type: ignore[method-assign]
            started.append(asyncio.create_task(action, name="sim-ignore-second"))  # type: ignore[arg-type]
        return original(method, url, kw)

    sim._handle_request = watching  # type: ignore[method-assign]
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")  # the first's settle() does not wait for the second
    return started


def hold_first_answer(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Once armed, the next interaction answer (a press's defer) waits, as a slow Discord
    would, until `gate["release"]` is set."""
    original = transport._Pending.__aenter__
    gate: dict[str, Any] = {
        "armed": False,
        "reached": asyncio.Event(),
        "release": asyncio.Event(),
    }

    async def held(self: Any) -> Any:
        if gate["armed"] and self.method == "POST" and "/callback" in self.url:
            gate["armed"] = False
            gate["reached"].set()
            await asyncio.wait_for(gate["release"].wait(), 5)
        return await original(self)

    monkeypatch.setattr(transport._Pending, "__aenter__", held)
    return gate
