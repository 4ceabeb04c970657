"""The hand queue is stored by its changes, not rewritten: the same order, fewer statements.

bot/store/session_save.py writes a raised hand as one row added, a lowered hand or a
"Next speaker" as one row removed (the ones behind move up a place), instead of deleting
and inserting the whole queue.  What the store holds must stay exactly the queue: in
order, places 0, 1, 2 ... (the privacy export shows them), and the same after a restart.
"""

from __future__ import annotations

from typing import Any

from bot.sim.scenario import Scenario
from tests.session_support import leader, press, start_session
from tests.support import make_group


async def stored_hands(world: Scenario, session_id: int) -> list[tuple[int, int]]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id, position FROM session_queue WHERE session_id = ? AND kind = 'hand' "
        "ORDER BY position",
        (session_id,),
    )
    return [(r["user_id"], r["position"]) for r in rows]


async def traced(world: Scenario, action: Any) -> list[str]:
    seen: list[str] = []
    world.bot.db.conn.set_trace_callback(seen.append)
    try:
        await action()
        await world.sim.settle()
    finally:
        world.bot.db.conn.set_trace_callback(None)
    return seen


async def test_the_queue_keeps_its_order_and_places_through_every_change(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b, c, d = handle.members[:4]
    for user in (a, b, c, d):
        await press(world, user, session, "raise")
    assert await stored_hands(world, session.id) == [(a.id, 0), (b.id, 1), (c.id, 2), (d.id, 3)]
    await press(world, b, session, "lower")  # from the middle
    assert await stored_hands(world, session.id) == [(a.id, 0), (c.id, 1), (d.id, 2)]
    await press(world, d, session, "lower")  # the last
    assert await stored_hands(world, session.id) == [(a.id, 0), (c.id, 1)]
    await press(world, handle.leader, session, "nextspk")  # the first
    assert await stored_hands(world, session.id) == [(c.id, 0)]
    await press(world, b, session, "raise")
    await press(world, d, session, "raise")
    assert await stored_hands(world, session.id) == [(c.id, 0), (b.id, 1), (d.id, 2)]
    await world.restart()
    await world.sim.settle()
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert live is not None and live.state.hand_queue == (c.id, b.id, d.id)
    assert live.state.floor_holder == a.id  # "Next speaker" gave a the floor


async def test_a_raised_hand_adds_one_row_and_rewrites_none(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b, c = handle.members[:3]
    for user in (a, b):
        await press(world, user, session, "raise")
    seen = await traced(world, lambda: press(world, c, session, "raise"))
    queue = [s for s in seen if "session_queue" in s and not s.startswith("SELECT")]
    assert len(queue) == 1 and queue[0].startswith("INSERT"), queue
    assert await stored_hands(world, session.id) == [(a.id, 0), (b.id, 1), (c.id, 2)]


async def test_a_hand_raised_after_a_gap_goes_after_the_last_place(scenario):
    """A row removed behind the bot's back (/privacy forget of a member mid-meeting) leaves
    a gap; a hand raised next still goes to the end, not onto someone else's place."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b, c, d = handle.members[:4]
    for user in (a, b, c):
        await press(world, user, session, "raise")
    await world.bot.db.execute(
        "DELETE FROM session_queue WHERE session_id = ? AND user_id = ?", (session.id, b.id)
    )
    await press(world, d, session, "raise")
    hands = await stored_hands(world, session.id)
    assert [u for u, _ in hands] == [a.id, c.id, d.id]
    assert len({p for _, p in hands}) == 3, hands
    await press(world, a, session, "lower")
    assert [u for u, _ in await stored_hands(world, session.id)] == [c.id, d.id]


async def test_a_raised_hand_is_one_statement_without_a_transaction(scenario):
    """The session's row does not change when a hand goes up: it is not written again."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b = handle.members[:2]
    await press(world, a, session, "raise")
    await press(world, b, session, "here")  # b's first signal: attendance recorded
    seen = await traced(world, lambda: press(world, b, session, "raise"))
    session_writes = [
        s
        for s in seen
        if not s.startswith("SELECT")
        and ("session" in s or s in ("BEGIN IMMEDIATE", "COMMIT"))
        and "attendance" not in s
    ]
    assert len(session_writes) == 1 and "session_queue" in session_writes[0], session_writes
    assert await stored_hands(world, session.id) == [(a.id, 0), (b.id, 1)]


async def test_a_row_whose_plan_is_not_recorded_as_applied_is_written_again(scenario):
    """The row is skipped only when it already says the plan is in place."""
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    await world.bot.db.execute(
        "UPDATE sessions SET applied_phase = NULL WHERE id = ?", (session.id,)
    )
    await press(world, handle.members[0], session, "raise")
    row = await world.bot.db.fetchone(
        "SELECT phase, applied_phase FROM sessions WHERE id = ?", (session.id,)
    )
    assert row is not None and row["applied_phase"] == row["phase"] == "check_in"
