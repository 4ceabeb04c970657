"""The pulse and attendance reports as leaders read them: bugs found in review, fixed.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import attendance as attendance_texts
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


async def test_the_attendance_table_keeps_who_came_before_leaving_the_group(
    scenario: Scenario,
) -> None:
    """A member who came to two of the three sessions shown was then removed: the table
    dropped them, so it said one member came on 11-03 when two did (the chart and the
    CSV export, over the same sessions, counted two). Former members with a record in
    the sessions shown are listed under their own heading."""
    from tests.test_attendance import _history

    world = scenario
    handle, _ = await _history(world, size=3)
    gone = handle.members[1]
    await world.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": gone}
    )
    table = await world.sim.slash(handle.leader, "attendance group", channel=handle.lobby)
    lines = table.text.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.startswith("gp-")}
    assert rows[handle.members[0].name] == ["P", "E", "P", "2/1/0"]
    assert rows[gone.name] == ["P", "A", "P", "2/0/1"]
    assert attendance_texts.GROUP_FORMER in lines
    assert lines.index(attendance_texts.GROUP_FORMER) < lines.index(
        next(line for line in lines if line.startswith(gone.name))
    )
    never = handle.members[2]  # absent at all three, then removed: still their record
    await world.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": never}
    )
    again = await world.sim.slash(handle.leader, "attendance group", channel=handle.lobby)
    assert any(line.startswith(never.name) for line in again.text.splitlines())
