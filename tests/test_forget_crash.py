"""/privacy forget cut short by a crash is finished by the restart.

Why: the meeting's part of an erasure was a stored timer, re-run at start-up, but the
erasure itself ran only in the button's callback: a crash after the meeting part left
every record in place (and the group role, and the leaders untold) until the person,
who got no answer, thought to press Erase again.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.store import privacy as privacy_store
from bot.texts import privacy as texts
from tests.crash_support import strict_round_on_first, until_killed
from tests.session_support import reload, who_can_post
from tests.test_privacy import rows_about
from tests.test_privacy_completeness import forget, traces


def crash_as_the_erasure_begins(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process dies (its task is cancelled) as the erasure's transaction would begin,
    as a kill -9 there would stop it: the meeting part is done, nothing is erased yet."""
    original = privacy_store.forget
    hit: list[int] = []

    async def dying(db: object, user_id: int, **kwargs: object) -> dict[str, int]:
        monkeypatch.setattr(privacy_store, "forget", original)
        hit.append(user_id)
        raise asyncio.CancelledError("process killed here")

    monkeypatch.setattr(privacy_store, "forget", dying)
    return hit


async def test_an_erasure_cut_short_after_the_meeting_part_finishes_at_restart(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, sim = scenario, scenario.sim
    handle, session, channel = await strict_round_on_first(world)
    a, b, _ = handle.members
    dms_before = len(sim.dms_to(a))
    hit = crash_as_the_erasure_begins(monkeypatch)
    asked = await sim.slash(a, "privacy forget", channel=handle.lobby)
    await until_killed(sim.click(a, asked.original, f"balint:forget:{a.id}"), "sim-ignore-command")
    await sim.settle()
    assert hit == [a.id], "the crash point was not reached"
    assert (await reload(world, session)).floor_holder_id == b.id  # the meeting part ran
    assert await rows_about(world, a), "nothing was erased before the crash"
    await world.restart()
    await sim.settle()
    assert await rows_about(world, a) == {}, "the erasure was not finished by the restart"
    assert traces(world, a) == {}  # no row left that holds their id (the request's either)
    assert handle.role.id not in world.member(a).role_ids
    assert who_can_post(world, channel, handle.members[1:]) == {b.name}
    told = [m.content for m in sim.dms_to(a)[dms_before:]]
    assert len(told) == 1 and "erased" in told[0].lower(), told
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    notes = [m for m in sim.messages_in(leaders_channel) if m.content == texts.LEADERS_ERASED]
    assert len(notes) == 1
    await world.restart()  # nothing is left to run again: the confirmation came once
    await sim.settle()
    assert len(sim.dms_to(a)) == dms_before + 1
    assert await forget(world, a) == texts.FORGET_NOTHING
