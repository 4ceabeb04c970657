"""README step 5: the bot's role must stay above its groups' roles. An admin who tidies
Server Settings > Roles and drags a group's role above the bot's breaks the group
(members cannot be given or relieved of the role) and nothing says so until a leader
runs /group add. The start-up log names the groups and what to drag.
"""

from __future__ import annotations

import logging

import pytest

from bot.sim.scenario import Scenario
from tests.support import make_group


def _startup_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.startup"]


async def test_a_group_role_dragged_above_the_bots_is_named_at_start(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    handle = await make_group(scenario, name="Thursday GPs", size=2)
    await make_group(scenario, name="Monday GPs", size=2)
    top = scenario.sim.bot_role(scenario.guild).position
    handle.role.position = top + 1  # as an admin's drag in Server Settings > Roles
    caplog.set_level(logging.WARNING)
    caplog.clear()
    await scenario.restart()
    warned = [line for line in _startup_lines(caplog) if "Thursday GPs" in line]
    assert len(warned) == 1, _startup_lines(caplog)
    assert "Monday GPs" not in warned[0]
    assert "Rural GPs" in warned[0] and "drag my role above" in warned[0]
    # The admin drags it back: the next start is quiet about it.
    handle.role.position = 1
    caplog.clear()
    await scenario.restart()
    assert not [line for line in _startup_lines(caplog) if "GPs" in line and "role" in line]


async def test_start_up_is_quiet_when_the_bots_role_is_on_top(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    await make_group(scenario, name="Thursday GPs", size=2)
    caplog.set_level(logging.WARNING)
    caplog.clear()
    await scenario.restart()
    assert _startup_lines(caplog) == []
