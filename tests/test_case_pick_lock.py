"""/case pick and the meeting it changes: one presenter per case.

Each test failed before its fix, for the reason in its docstring.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import cases as case_texts
from tests.session_support import leader, start_session, who_can_post
from tests.support import make_group


async def _open_cases(world: Scenario, session_id: int) -> list[tuple[int, bool]]:
    rows = await world.bot.db.fetchall(
        "SELECT presenter_id, started_at FROM cases WHERE session_id = ? AND ended_at IS NULL "
        "ORDER BY position",
        (session_id,),
    )
    return [(r["presenter_id"], r["started_at"] is not None) for r in rows]


async def test_a_second_pick_before_the_case_begins_replaces_the_first(
    scenario: Scenario,
) -> None:
    """The leader picks a, then changes their mind and picks b before moving on. The
    second pick was added beside the first (the pick looked for a setter that had moved
    to bot.store.session_cases), so the presentation began two cases, a's and b's: a was
    recorded as having presented a case they never told."""
    world = scenario
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    a, b = handle.members[:2]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "case pick", channel, member=a)
    second = await leader(world, handle, "case pick", channel, member=b)
    assert second.text == case_texts.PICK_DONE.format(member=f"<@{b.id}>", position=1, max_cases=2)
    await leader(world, handle, "phase next", channel)
    assert await _open_cases(world, session.id) == [(b.id, True)]
    assert who_can_post(world, channel, handle.members) == {b.name}
