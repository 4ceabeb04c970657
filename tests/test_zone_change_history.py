"""Past meetings keep the date they were held on after /group timezone.

A group that met late in the evening in London and then moved to Tokyo (or fixed a wrong
zone) saw its past meetings a day off: their dates were computed in the CURRENT zone, so
the certificate and the attendance table said 18 November for the meeting of the 17th.
The zone a meeting was held in is now kept with it when the group's zone changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sim.scenario import Scenario
from tests.support import GroupHandle, make_group
from tests.test_attendance_support import add_session, files_of, present

LATE = datetime(2026, 11, 17, 22, 30, tzinfo=UTC)  # 22:30 in London; 07:30 next day in Tokyo


async def _held_in_london_then_tokyo(world: Scenario) -> GroupHandle:
    g = await make_group(world, size=2)
    sid = await add_session(world, g.group.id, LATE)
    await present(world, sid, g.members[0])
    world.bot.dispatch("balint_session_ended", sid)
    await world.sim.settle()
    opts = {"zone": "Asia/Tokyo", "group": g.name}
    result = await world.sim.slash(g.leader, "group timezone", channel=g.lobby, options=opts)
    assert "Asia/Tokyo" in result.text, result.text
    await world.sim.settle()
    return g


async def test_the_certificate_keeps_the_date_held(scenario: Scenario) -> None:
    g = await _held_in_london_then_tokyo(scenario)
    member = g.members[0]
    result = await scenario.sim.slash(
        member, "attendance certificate", channel=g.lobby, options={"member": member}
    )
    [(_, data)] = files_of(result)
    text = data.decode("utf-8")
    assert "**Period:** 2026-11-17 to 2026-11-17" in text, text
    assert "- 2026-11-17 (led by" in text, text
    assert "2026-11-18" not in text


async def test_the_attendance_table_keeps_the_date_held(scenario: Scenario) -> None:
    g = await _held_in_london_then_tokyo(scenario)
    result = await scenario.sim.slash(g.leader, "attendance group", channel=g.lobby)
    assert "17Nov" in result.text and "18Nov" not in result.text, result.text
