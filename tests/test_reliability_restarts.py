"""Restarts at every phase: a new bot on the same database keeps the plan, timers and buttons."""

from __future__ import annotations

import pytest

from bot.store import session_perms
from bot.store import sessions as session_store
from bot.texts import common as common_texts
from tests.reliability_table import status_button
from tests.reliability_world import build_world, start_live_session

PHASES = ["check_in", "case_call", "presentation", "questions", "discussion", "return", "closing"]


async def _snapshot(rw) -> dict:  # noqa: ANN001
    session = await rw.reload_session()
    channels = [rw.channel, rw.a.lobby]
    people = rw.a.everyone + [rw.world.outsider]
    plan = {
        (u.name, c.name, perm): rw.sim.can(u, c, perm)
        for u in people
        for c in channels
        for perm in ("view_channel", "send_messages")
    }
    timers = [
        tuple(row)
        for row in await rw.bot.db.fetchall(
            "SELECT kind, dedupe_key, due_at, state FROM timers WHERE state = 'pending' "
            "ORDER BY dedupe_key"
        )
    ]
    queue = [
        tuple(row)
        for row in await rw.bot.db.fetchall(
            "SELECT kind, user_id FROM session_queue WHERE session_id = ? ORDER BY kind, user_id",
            (session.id,),
        )
    ]
    return {
        "phase": session.phase,
        "floor": session.floor_holder_id,
        "plan": plan,
        "timers": timers,
        "queue": queue,
    }


@pytest.mark.parametrize("phase", PHASES)
async def test_restart_keeps_plan_timers_and_buttons(scenario, phase: str) -> None:
    world = scenario
    rw = await build_world(world, live=False)
    await start_live_session(rw)  # case call, presenter chosen
    if phase in ("check_in", "closing"):
        await rw.leader_runs("phase goto", phase=phase)
    else:
        target = PHASES.index(phase)
        for _ in range(target - 1):
            await rw.leader_runs("phase next")
    assert (await rw.reload_session()).phase == phase
    await rw.leader_runs("turns", mode="strict")
    hands = rw.a.members[1:4]
    for member in hands:
        await status_button("raise")(rw, member)
    await rw.leader_runs("floor give", member=rw.a.members[4])
    before = await _snapshot(rw)
    assert before["floor"] == rw.a.members[4].id
    world.sim.reset_calls()

    await world.restart()
    await world.sim.settle()

    after = await _snapshot(rw)
    assert after == before
    # Buttons of the old status message still work on the new bot.
    raised = await status_button("raise")(rw, rw.a.members[5])
    assert raised is not None and common_texts.UNEXPECTED_ERROR not in raised.text
    moved = await status_button("next")(rw, rw.a.leader)
    assert moved is not None and common_texts.UNEXPECTED_ERROR not in moved.text
    session = await session_store.get(world.bot.db, rw.session.id)
    assert session is not None
    assert session.phase != phase or phase == "case_call"


async def test_restart_takes_back_a_send_allow_the_store_does_not_know(scenario) -> None:
    """A crash after an overwrite PUT but before the state was stored: Discord holds an
    allow for a member the stored plan does not entitle; the restart removes it."""
    from bot.sim.world import Overwrite

    world = scenario
    rw = await build_world(world, live=False)
    await start_live_session(rw)
    await rw.leader_runs("turns", mode="strict")
    await rw.leader_runs("floor give", member=rw.a.members[4])
    stray = rw.a.members[5]
    assert not rw.sim.can(stray, rw.channel, "send_messages")
    # The half-done change, as the applier makes it: the member's overwrite before the
    # session is saved first, then the allow is written; the crash comes before the state.
    await session_perms.save_overwrites(
        world.bot.db, rw.channel.id, [(stray.id, 0, 0)], world.bot.now()
    )
    rw.channel.overwrites[stray.id] = Overwrite(stray.id, 1, allow=1 << 11)
    assert rw.sim.can(stray, rw.channel, "send_messages")

    await world.restart()
    await world.sim.settle()

    assert not rw.sim.can(stray, rw.channel, "send_messages")
    assert rw.sim.can(rw.a.members[4], rw.channel, "send_messages")
    assert (await rw.reload_session()).floor_holder_id == rw.a.members[4].id
