"""Background rounds carry on when the network breaks under one of their calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset:
a round that caught only HTTPException stopped at the first member it could not reach.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.sim.scenario import Scenario
from bot.texts import pulse as texts
from tests.support import make_group
from tests.test_pulse_survey import session_with, survey_dm

QUESTION = next(iter(texts.QUESTION_TEXT.values()))


def first_survey_dm_resets(scenario: Scenario) -> list[str]:
    """The first survey DM fails below HTTP; returns the list it notes the failure in."""
    handle = scenario.sim._handle_request
    failed: list[str] = []

    def failing(method: str, url: str, kw: dict[str, Any]) -> Any:
        body = str(kw.get("data", kw.get("json")))
        if not failed and method == "POST" and "/messages" in url and QUESTION in body:
            failed.append(url)
            raise aiohttp.ClientOSError(104, "Connection reset by peer")
        return handle(method, url, kw)

    scenario.sim._handle_request = failing  # type: ignore[method-assign]
    return failed


async def test_one_survey_dm_the_network_breaks_does_not_stop_the_others(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=3)
    failed = first_survey_dm_resets(scenario)
    await session_with(scenario, handle, handle.members)
    assert failed, "no survey DM was attempted"
    got = [m for m in handle.members if survey_dm(scenario, m) is not None]
    assert len(got) == 2, f"{len(got)} of 3 members got the survey after one reset"
    assert scenario.sim.errors == []
