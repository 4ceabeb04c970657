"""The leaders' timed DMs say who acts: with auto-advance on, the bot does.

Why: "Extend with /phase extend or move on" asks a tired leader to do what the bot is
about to do by itself; they may press /phase next a moment after it moved on (and skip
a phase).
"""

from __future__ import annotations

from tests.session_support import start_session
from tests.support import make_group


def _dms(world, user, words: str) -> list[str]:
    return [m.content for m in world.sim.dms_to(user) if words in m.content]


async def test_phase_warning_with_auto_advance_says_the_bot_moves_on(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    saved = await world.sim.slash(
        handle.leader,
        "settings set",
        channel=handle.lobby,
        options={"setting": "auto_advance", "value": "on"},
    )
    assert "is now on" in saved.text, saved.text
    await start_session(world, handle)
    await world.advance(minutes=3, seconds=30)  # two minutes before check-in ends
    (warning,) = _dms(world, handle.leader, "Check-in ends")
    assert "or move on" not in warning, warning
    assert "I move on by myself" in warning, warning


async def test_phase_warning_without_auto_advance_still_asks_the_leaders(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    await start_session(world, handle)
    await world.advance(minutes=3, seconds=30)
    (warning,) = _dms(world, handle.leader, "Check-in ends")
    assert "or move on" in warning, warning
