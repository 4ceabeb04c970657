"""Scheduling bugs confirmed by a second hunt: each test failed before its fix.

The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
"""

from __future__ import annotations

from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.texts import scheduling as texts
from tests.support import GroupHandle, make_group


async def weekly_tuesdays(world, g: GroupHandle) -> None:
    saved = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in saved.text, saved.text


async def once(world, g: GroupHandle, day: str, at: str) -> str:
    result = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": day, "time": at}
    )
    assert result.ephemeral, result.text
    return result.text


async def move(world, g: GroupHandle, day: str, new_date: str, new_time: str) -> str:
    result = await world.sim.slash(
        g.leader,
        "schedule move",
        channel=g.lobby,
        options={"date": day, "new_date": new_date, "new_time": new_time},
    )
    assert result.ephemeral, result.text
    return result.text


async def test_a_move_to_late_evening_may_not_overlap_a_one_off_after_midnight(scenario) -> None:
    """Two sessions of one group at once: the check compared dates, not times."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly_tuesdays(world, g)
    assert "One-off" in await once(world, g, "2026-11-26", "00:15")  # Thursday 00:15-01:45
    refused = await move(world, g, "2026-11-24", "2026-11-25", "23:30")  # until 01:00
    assert refused == texts.MOVE_PROBLEMS["clash"]
    assert "One-off" in await once(world, g, "2026-12-02", "23:30")  # Wednesday until 01:00
    refused = await move(world, g, "2026-12-01", "2026-12-03", "00:30")
    assert refused == texts.MOVE_PROBLEMS["clash"]
    state = await store.load(world.bot.db, g.group.id, g.group.zone)
    assert state.series is not None and not state.series.moves
    moved = await move(world, g, "2026-11-24", "2026-11-25", "22:00")  # ends 23:30: fine
    assert "moved" in moved.lower() or "<t:" in moved, moved


async def test_the_quorum_warning_counts_only_members_with_access(scenario) -> None:
    """A member who never accepted the agreement cannot come: neither their yes nor
    their silence counts towards the quorum."""
    world = scenario
    g = await make_group(world, size=3)  # quorum 4
    newcomer = world.people[8]
    added = await world.sim.slash(
        g.leader, "group add", channel=g.lobby, options={"member": newcomer, "group": g.name}
    )
    assert added.ephemeral, added.text
    await weekly_tuesdays(world, g)
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    for user in [g.leader, *g.members[:2], newcomer]:
        await rsvp_store.answer(world.bot.db, row.id, user.id, "yes", world.clock.now())
    await world.advance(hours=10)  # Monday 19:00: the quorum check
    (warning,) = [m for m in world.sim.dms_to(g.leader) if m.content.startswith("Heads-up")]
    assert "only 3 of the 4" in warning.content
    assert f"<@{g.members[2].id}>" in warning.content
    assert f"<@{newcomer.id}>" not in warning.content
