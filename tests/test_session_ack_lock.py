""" "I have read this" on the frame is stored under the meeting's lock, checked again there.

The press was checked (a member, the meeting live) when it arrived, then stored later,
outside the session's lock: whatever happened meanwhile (an erasure, the end of the
meeting, each holding the meeting's lock) was not seen. Each test failed before its fix.
Here the press arrives while the erasure or the end holds the lock, and waits for it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.store import privacy as privacy_store
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.session_support import reload, start_session
from tests.support import make_group
from tests.test_privacy_completeness import traces


async def _acks(world: Scenario, session_id: int) -> list[int]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_acks WHERE session_id = ?", (session_id,)
    )
    return [r["user_id"] for r in rows]


def held_while_pressed(world: Scenario, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`gate["asked"]` is set when anything asks for a meeting's lock once `armed`: the
    press, arriving while the erasure or the end holds it."""
    engine = world.bot.get_cog("Facilitation").engine
    lock = engine.lock
    gate: dict[str, Any] = {"armed": False, "asked": asyncio.Event(), "go": asyncio.Event()}

    def asking(session_id: int) -> Any:
        if gate["armed"]:
            gate["asked"].set()
        return lock(session_id)

    monkeypatch.setattr(engine, "lock", asking)
    return gate


async def test_a_press_answered_during_the_members_erasure_stores_nothing_of_them(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """a presses "I have read this" and erases themselves with /privacy forget while
    Discord takes the press's answer: the press, checked before the erasure, stored a's
    id in the meeting's acknowledgements after it, against the erasure."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, _ = await start_session(world, handle)
    frame_id = (await reload(world, session)).frame_message_id
    a = handle.members[0]
    asked = await sim.slash(a, "privacy forget", in_dm=True)
    gate = held_while_pressed(world, monkeypatch)
    erase = privacy_store.forget

    async def erasing(*args: Any, **kwargs: Any) -> dict[str, int]:
        gate["go"].set()  # the erasure holds the meeting's lock: now the press comes
        await asyncio.wait_for(gate["asked"].wait(), 5)
        return await erase(*args, **kwargs)

    monkeypatch.setattr(privacy_store, "forget", erasing)
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")
    erasure = asyncio.create_task(
        sim.click(a, asked.original, f"balint:forget:{a.id}"), name="sim-ignore-erase"
    )
    await asyncio.wait_for(gate["go"].wait(), 5)
    gate["armed"] = True
    pressed = await sim.click(a, frame_id, f"balint:ack:{session.id}")
    erased = await erasure
    await sim.settle()
    assert "erased" in erased.text.lower()
    answer = pressed.messages[-1]
    assert answer.ephemeral and answer.content != texts.ACK_OK
    assert await _acks(world, session.id) == []
    assert traces(world, a) == {}


async def test_a_press_answered_as_the_meeting_ends_is_told_it_ended(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """a presses "I have read this" as the leader ends the meeting: the press, checked
    while the meeting was live, thanked a and stored the acknowledgement in the ended
    meeting after the end."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    frame_id = (await reload(world, session)).frame_message_id
    a = handle.members[0]
    gate = held_while_pressed(world, monkeypatch)
    mark_ended = session_store.mark_ended

    async def ending(*args: Any, **kwargs: Any) -> Any:
        gate["go"].set()  # the end holds the meeting's lock: now the press comes
        await asyncio.wait_for(gate["asked"].wait(), 5)
        return await mark_ended(*args, **kwargs)

    monkeypatch.setattr(session_store, "mark_ended", ending)
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")
    end = asyncio.create_task(
        sim.slash(handle.leader, "session end", channel=channel), name="sim-ignore-end"
    )
    await asyncio.wait_for(gate["go"].wait(), 5)
    gate["armed"] = True
    pressed = await sim.click(a, frame_id, f"balint:ack:{session.id}")
    ended = await end
    await sim.settle()
    assert (await reload(world, session)).status == "ended", ended.text
    answer = pressed.messages[-1]
    assert answer.ephemeral and answer.content == texts.ALREADY_ENDED
    assert await _acks(world, session.id) == []
