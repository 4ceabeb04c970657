"""The pulse and attendance reports as leaders read them: bugs found in review, fixed.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import pulse as texts
from tests.support import make_group
from tests.test_pulse_survey import answer, session_with


async def test_the_pulse_shows_no_figures_while_answers_still_come_in(scenario: Scenario) -> None:
    """Three answers shown, then a fourth: a leader who looked before and after (or who
    knows who answered last) worked out that one member's answer, 4 * 3.25 - 3 * 4.00 = 1.
    A session's figures are shown once its survey has closed and they can change no more."""
    world = scenario
    handle = await make_group(world, size=4)
    sid = await session_with(world, handle, handle.members)
    for user in handle.members[:3]:
        await answer(world, user, sid, "useful", 4)
    before = await world.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    await answer(world, handle.members[3], sid, "useful", 1)
    after = await world.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    for shown in (before, after):
        assert "useful" not in shown.text and "n=" not in shown.text, shown.text
        assert "open" in shown.text.splitlines()[1]
    await world.advance(hours=48)
    closed = await world.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    assert closed.text.splitlines()[1].endswith("useful 3.25 (n=4)")
    assert texts.VIEW_NO_CHART not in closed.text
