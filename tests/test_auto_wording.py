"""The leaders' timed DMs say who acts: with auto-advance or auto-end on, the bot does.

Why: "Extend with /phase extend or move on" asks a tired leader to do what the bot is
about to do by itself; they may press /phase next a moment after it moved on (and skip
a phase), or never learn that the meeting closes on its own.
"""

from __future__ import annotations

from bot.store import groups as group_store
from bot.texts import facilitation as texts
from tests.session_support import reload, start_session
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
    (warning,) = _dms(world, handle.leader, "“Check-in” ends")
    assert "or move on" not in warning, warning
    assert "then I move on to “Who has a case?” by myself" in warning, warning


async def test_phase_warning_without_auto_advance_still_asks_the_leaders(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    await start_session(world, handle)
    await world.advance(minutes=3, seconds=30)
    (warning,) = _dms(world, handle.leader, "“Check-in” ends")
    assert "or move on" in warning, warning


async def test_end_soon_dm_with_auto_end_says_the_bot_ends_it(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_end=1)
    session, _channel = await start_session(world, handle)
    end = (await reload(world, session)).scheduled_end
    await world.advance(seconds=(end - world.clock.now()).total_seconds() - 9 * 60)
    (soon,) = _dms(world, handle.leader, "due to end")
    assert "I will end it then" in soon, soon
    await world.advance(minutes=10)
    assert _dms(world, handle.leader, "I am ending it now"), world.sim.dms_to(handle.leader)
    assert not _dms(world, handle.leader, "/session end")


async def test_end_soon_dm_without_auto_end_promises_nothing(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    session, _channel = await start_session(world, handle)
    end = (await reload(world, session)).scheduled_end
    await world.advance(seconds=(end - world.clock.now()).total_seconds() - 9 * 60)
    (soon,) = _dms(world, handle.leader, "due to end")
    assert "I will end it" not in soon, soon
    await world.advance(minutes=10)
    assert _dms(world, handle.leader, texts.DM_END_NOW.split(": ", 1)[1][:30])
