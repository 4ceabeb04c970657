"""The 2-minute phase warning says what will happen at the phase's end, and when.

Why: with auto-advance or auto-end on, a leader reads the warning to know whether to
act. "“Who has a case?” ends in 2 minutes; then I move on by myself" when nobody was
chosen to present leaves the meeting waiting for a move that never comes; "or move
on" in the closing hides that the meeting only ends by `/session end` (or at its
scheduled time with auto-end); "then I move on" when the scheduled end comes first
hides that the bot ends the meeting there.
"""

from __future__ import annotations

from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from tests.session_support import leader, phase, reload, start_session
from tests.support import GroupHandle, make_group


def _warnings(world: Scenario, handle: GroupHandle, phase_name: str) -> list[str]:
    said = f"“{phase_name}” ends"
    return [m.content for m in world.sim.dms_to(handle.leader) if said in m.content]


async def _group(world: Scenario, **settings: int) -> GroupHandle:
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, **settings)
    return handle


async def test_auto_advance_names_the_phase_it_moves_on_to(scenario: Scenario) -> None:
    handle = await _group(scenario, auto_advance=1)
    await start_session(scenario, handle)
    await scenario.advance(minutes=3, seconds=30)
    (warning,) = _warnings(scenario, handle, "Check-in")
    assert "then I move on to “Who has a case?” by myself" in warning, warning
    assert "<t:" in warning and ":R>" in warning, warning


async def test_a_case_call_with_nobody_chosen_says_the_bot_waits(scenario: Scenario) -> None:
    """Auto-advance cannot choose a presenter: the warning asks for one, not for a move."""
    handle = await _group(scenario, auto_advance=1)
    session, _ = await start_session(scenario, handle)
    await scenario.advance(minutes=5)  # check-in over: the bot moved on
    assert await phase(scenario, session) == "case_call"
    await scenario.advance(minutes=3, seconds=30)
    (warning,) = _warnings(scenario, handle, "Who has a case?")
    assert "/case pick" in warning, warning
    assert "I will not move on by myself" in warning and "or move on" not in warning, warning
    assert "`/case pick` before then" in warning, warning  # a pick after it: /phase next
    await scenario.advance(minutes=5)
    assert await phase(scenario, session) == "case_call"  # as the warning said: it waits


async def test_the_closing_with_auto_advance_alone_asks_for_session_end(
    scenario: Scenario,
) -> None:
    handle = await _group(scenario, auto_advance=1)
    session, channel = await start_session(scenario, handle)
    await leader(scenario, handle, "phase goto", channel, phase="closing")
    await scenario.advance(minutes=3, seconds=30)
    (warning,) = _warnings(scenario, handle, "Closing")
    assert "/session end" in warning and "or move on" not in warning, warning
    await scenario.advance(minutes=5)
    assert (await reload(scenario, session)).status == "live"  # nothing ended it


async def test_the_closing_without_auto_settings_asks_for_session_end(
    scenario: Scenario,
) -> None:
    """`/phase next` in the closing ends the meeting: "move on" did not say so."""
    handle = await _group(scenario)
    _, channel = await start_session(scenario, handle)
    await leader(scenario, handle, "phase goto", channel, phase="closing")
    await scenario.advance(minutes=3, seconds=30)
    (warning,) = _warnings(scenario, handle, "Closing")
    assert "/session end" in warning and "or move on" not in warning, warning


async def test_auto_end_before_the_phase_ends_says_the_bot_ends_the_session_then(
    scenario: Scenario,
) -> None:
    """The scheduled end (auto-end on) falls within the check-in's last 2 minutes: the
    warning says the bot ends the session at the scheduled time, not that it moves on."""
    handle = await _group(scenario, auto_advance=1, auto_end=1)
    session, channel = await start_session(scenario, handle)
    end = (await reload(scenario, session)).scheduled_end
    assert end is not None
    await leader(scenario, handle, "phase extend", channel, minutes=60)
    minutes = int((end - scenario.clock.now()).total_seconds() // 60) - 65 + 1
    await leader(scenario, handle, "phase extend", channel, minutes=minutes)
    deadline = (await reload(scenario, session)).phase_deadline
    assert deadline is not None and end < deadline <= end + timedelta(minutes=2)
    await scenario.advance(seconds=(deadline - scenario.clock.now()).total_seconds() - 110)
    (warning,) = [
        m.content for m in scenario.sim.dms_to(handle.leader) if "“Check-in”" in m.content
    ]
    assert "I move on" not in warning, warning
    assert "the session is due to end" in warning and "I will end it then" in warning, warning
    assert f"<t:{int(end.timestamp())}:R>" in warning, warning
    await scenario.advance(seconds=(end - scenario.clock.now()).total_seconds())
    assert (await reload(scenario, session)).status == "ended"
