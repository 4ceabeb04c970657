"""The role watch across crashes and start-ups: each hand-given role told once.

A crash after the role was taken back but before the leaders heard of it used to lose
the notice (nothing stored said a take-back was under way). A role Discord refuses to
take back used to be told again at every start-up and every /group repair.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.texts import groups as texts
from tests.crash_support import crash_on
from tests.support import make_group
from tests.test_groups_role_watch import ROLE, _holds, _notices


def _hand_given(call) -> bool:  # type: ignore[no-untyped-def]
    return call.reason == texts.AUDIT_REASON_HAND_GIVEN


async def _give_dying(scenario: Scenario, handle, method: str, route: str, when, after) -> None:
    hit = crash_on(scenario.sim, method, route, when=when, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        scenario.sim.give_role(scenario.admin, scenario.outsider, handle.role),
        name="sim-ignore-give",
    )
    await scenario.sim.settle()
    assert hit, "the crash point was not reached"


@pytest.mark.parametrize("after", [False, True], ids=["not-taken", "taken"])
async def test_a_crash_at_the_take_back_still_tells_the_leaders_once(
    scenario: Scenario, after: bool
) -> None:
    """Killed at the removal (made or not): after the restart the role is gone and the
    leaders have one line about it."""
    handle = await make_group(scenario, size=2)
    await _give_dying(scenario, handle, "DELETE", ROLE, _hand_given, after)
    assert _notices(scenario, handle) == []
    await scenario.restart()
    await scenario.sim.settle()
    assert not _holds(scenario, handle, scenario.outsider)
    [notice] = _notices(scenario, handle)
    assert f"<@{scenario.outsider.id}>" in notice and "took it back" in notice
    await scenario.restart()
    await scenario.sim.settle()
    assert len(_notices(scenario, handle)) == 1


async def test_a_crash_at_the_leaders_notice_tells_them_after_the_restart(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=2)
    leaders_channel = handle.group.leaders_channel_id

    def notice(call) -> bool:  # type: ignore[no-untyped-def]
        return int(call.params["channel_id"]) == leaders_channel

    await _give_dying(scenario, handle, "POST", "/channels/{channel_id}/messages", notice, False)
    assert not _holds(scenario, handle, scenario.outsider)
    await scenario.restart()
    await scenario.sim.settle()
    [told] = _notices(scenario, handle)
    assert f"<@{scenario.outsider.id}>" in told and "took it back" in told


async def test_a_role_discord_keeps_is_told_once_until_it_changes(scenario: Scenario) -> None:
    """Discord refuses every removal: one line, not one per start-up and /group repair.
    Once the role is gone (an admin removed it) and given again, the leaders hear again."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    sim.inject("DELETE", ROLE, 403, 50013, times=6)
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)

    def stuck() -> int:
        return sum("refused" in n for n in _notices(scenario, handle))

    assert stuck() == 1
    await scenario.restart()
    await sim.settle()
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert f"<@{scenario.outsider.id}>" in repaired.text  # whoever runs repair is told
    await scenario.restart()
    await sim.settle()
    assert _holds(scenario, handle, scenario.outsider)
    assert stuck() == 1
    assert await sim.take_role(scenario.admin, scenario.outsider, handle.role)
    await sim.settle()
    assert await sim.give_role(scenario.admin, scenario.outsider, handle.role)
    assert stuck() == 2
    await scenario.restart()
    await sim.settle()
    assert stuck() == 2
