"""/privacy forget during a meeting: the erased member's place goes with the meeting's
own rules, under the session's lock, and the leaders are told once.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.crash_support import strict_round_on_first
from tests.session_support import press, reload, who_can_post
from tests.test_privacy_completeness import forget, traces


async def queue_rows(world: Scenario, session_id: int) -> list[tuple[str, int, int]]:
    rows = await world.bot.db.fetchall(
        "SELECT kind, position, user_id FROM session_queue WHERE session_id = ? "
        "ORDER BY kind, position",
        (session_id,),
    )
    return [(r["kind"], r["position"], r["user_id"]) for r in rows]


async def test_erasing_a_member_whose_turn_passed_keeps_the_round_going(
    scenario: Scenario,
) -> None:
    """The erasure deleted the member's round place (their turn had passed) straight from
    the store: the places had a gap (0 gone, 1 and 2 left) and the round, read again,
    pointed past the member speaking, so "Done" refused them and the last was skipped."""
    world = scenario
    handle, session, channel = await strict_round_on_first(world)
    a, b, c = handle.members
    await press(world, a, session, "done")
    assert (await reload(world, session)).floor_holder_id == b.id
    await forget(world, a)
    assert traces(world, a) == {}
    assert await queue_rows(world, session.id) == [("round", 0, b.id), ("round", 1, c.id)]
    assert (await reload(world, session)).floor_holder_id == b.id
    done = await press(world, b, session, "done")
    assert (await reload(world, session)).floor_holder_id == c.id, done.text
    assert who_can_post(world, channel, [b, c]) == {c.name}
