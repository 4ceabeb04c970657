""" "I have read this" on the frame is stored under the meeting's lock, checked again there.

The press was checked (a member, the meeting live) before its answer to Discord, then
stored after it, outside the session's lock: whatever happened while Discord took the
answer (an erasure, the end of the meeting) was not seen. Each test failed before its fix.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.store import privacy as privacy_store
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.session_support import hold_first_answer, reload, start_session
from tests.support import make_group
from tests.test_privacy_completeness import traces


async def _acks(world: Scenario, session_id: int) -> list[int]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_acks WHERE session_id = ?", (session_id,)
    )
    return [r["user_id"] for r in rows]


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
    gate = hold_first_answer(monkeypatch)
    erase = privacy_store.forget

    async def erasing(*args: Any, **kwargs: Any) -> dict[str, int]:
        counts = await erase(*args, **kwargs)
        gate["release"].set()
        return counts

    monkeypatch.setattr(privacy_store, "forget", erasing)
    gate["armed"] = True
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")
    ack = asyncio.create_task(
        sim.click(a, frame_id, f"balint:ack:{session.id}"), name="sim-ignore-ack"
    )
    await asyncio.wait_for(gate["reached"].wait(), 5)
    erased = await sim.click(a, asked.original, f"balint:forget:{a.id}")
    pressed = await ack
    await sim.settle()
    assert "erased" in erased.text.lower()
    answer = pressed.followups[-1]
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
    gate = hold_first_answer(monkeypatch)
    mark_ended = session_store.mark_ended

    async def ending(*args: Any, **kwargs: Any) -> Any:
        done = await mark_ended(*args, **kwargs)
        gate["release"].set()
        return done

    monkeypatch.setattr(session_store, "mark_ended", ending)
    gate["armed"] = True
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")
    ack = asyncio.create_task(
        sim.click(a, frame_id, f"balint:ack:{session.id}"), name="sim-ignore-ack"
    )
    await asyncio.wait_for(gate["reached"].wait(), 5)
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    pressed = await ack
    await sim.settle()
    assert (await reload(world, session)).status == "ended", ended.text
    answer = pressed.followups[-1]
    assert answer.ephemeral and answer.content == texts.ALREADY_ENDED
    assert await _acks(world, session.id) == []
