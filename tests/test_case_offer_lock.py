""" "I have a case" pressed on the meeting's call is stored under the meeting's lock.

The press was checked (a member, the meeting running) before its answer to Discord and
stored after it: whatever happened while Discord took the answer was not seen. Each test
failed before its fix.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.store import privacy as privacy_store
from bot.texts import cases as texts
from tests.case_helpers import call_message
from tests.session_support import hold_first_answer, leader, start_session
from tests.support import make_group
from tests.test_privacy_completeness import traces


async def test_an_offer_answered_during_the_members_erasure_stores_nothing_of_them(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """a presses "I have a case" on the call and erases themselves with /privacy forget
    while Discord takes the press's answer: the offer, checked before the erasure, was
    stored after it (their id back in the store) and the leaders were told a offered."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    call = call_message(world, channel)
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
    offer = asyncio.create_task(
        sim.click(a, call, f"balint:offer:{session.id}:case"), name="sim-ignore-offer"
    )
    await asyncio.wait_for(gate["reached"].wait(), 5)
    erased = await sim.click(a, asked.original, f"balint:forget:{a.id}")
    pressed = await offer
    await sim.settle()
    assert "erased" in erased.text.lower()
    assert texts.THANKS["case"] not in pressed.text
    assert traces(world, a) == {}
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    told = texts.LEADERS_OFFERED["case"].format(member=f"<@{a.id}>")
    assert told not in [m.content for m in sim.messages_in(leaders_channel)]
