"""The identifier guard carries on when the network breaks under its corrective calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset
after its retries. The guard caught only Discord's answered errors, so a broken delete
in remove mode stopped it halfway: the message with the identifier stayed up with no
reaction and its author was never told.
"""

from __future__ import annotations

import logging

import pytest

from bot.sim.scenario import Scenario
from tests.support import network_down
from tests.test_guard_cog import WARNING, post, seed_group


async def test_a_delete_the_network_breaks_falls_back_to_warning(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    working = scenario.sim._handle_request
    network_down(scenario.sim, "DELETE")
    message = await post(scenario, author, lobby, "NHS 943 476 5919")
    scenario.sim._handle_request = working  # type: ignore[method-assign]
    assert not message.deleted and WARNING in message.reactions
    (dm,) = scenario.sim.dms_to(author)
    assert "an NHS number" in dm.content and "removed" not in dm.content
    assert any("ClientConnectionError" in r.getMessage() for r in caplog.records)
    assert scenario.sim.errors == []


async def test_a_dm_the_network_breaks_is_logged_not_raised(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    working = scenario.sim._handle_request
    network_down(scenario.sim, "POST")
    message = await post(scenario, author, lobby, "DOB 12/03/1956")
    scenario.sim._handle_request = working  # type: ignore[method-assign]
    assert message.deleted
    assert any(
        "could not DM" in r.getMessage() and "ClientConnectionError" in r.getMessage()
        for r in caplog.records
    )
    assert scenario.sim.errors == []
