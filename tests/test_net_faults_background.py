"""Background rounds carry on when the network breaks under one of their calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset:
a round that caught only HTTPException stopped at the first member it could not reach.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import session_perms
from bot.texts import pulse as texts
from tests.session_support import enforced_voice_session, leader
from tests.support import make_group
from tests.test_pulse_survey import session_with, survey_dm

MEMBER = "/guilds/{guild_id}/members/{user_id}"
QUESTION = next(iter(texts.QUESTION_TEXT.values()))


def first_survey_dm_resets(scenario: Scenario, marker: str = QUESTION) -> list[str]:
    """The first survey DM (or the first message holding `marker`) fails below HTTP;
    returns the list it notes the failure in."""
    handle = scenario.sim._handle_request
    failed: list[str] = []

    def failing(method: str, url: str, kw: dict[str, Any]) -> Any:
        body = str(kw.get("data", kw.get("json")))
        if not failed and method == "POST" and "/messages" in url and marker in body:
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


async def test_a_voice_mute_the_network_breaks_is_not_recorded_and_the_others_follow(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=3)
    members = handle.members
    session, channel, _voice = await enforced_voice_session(scenario, handle, members)
    scenario.sim.inject_network("PATCH", MEMBER)  # the first mute of strict turns
    await leader(scenario, handle, "turns", channel, mode="strict")
    (broken,) = [c for c in scenario.sim.calls if c.route == MEMBER and c.status == NETWORK]
    first = int(broken.params["user_id"])
    muted = {m.user_id for m in await session_perms.mutes_for_session(scenario.bot.db, session.id)}
    voice_state = {m.id: scenario.guild.members[m.id].mute for m in members}
    assert first not in muted and not voice_state[first], "a mute that broke is not recorded"
    others = {m.id for m in members} - {first}
    assert muted == others and all(voice_state[u] for u in others), (muted, voice_state)
    assert scenario.sim.errors == []


async def test_a_quorum_warning_dm_the_network_breaks_does_not_stop_the_other_leader(
    scenario: Scenario,
) -> None:
    """The quorum check DMs each leader: one DM lost to a reset costs that leader only."""
    handle = await make_group(scenario, size=4, co_leader=scenario.people[11])
    failed = first_survey_dm_resets(scenario, marker="Heads-up")
    result = await scenario.sim.slash(
        handle.leader,
        "schedule set",
        channel=handle.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text
    await scenario.advance(hours=10)  # the 24 h quorum check
    assert failed, "no quorum warning was attempted"
    warned = [
        leader
        for leader in (handle.leader, handle.co_leader)
        if any(m.content.startswith("Heads-up") for m in scenario.sim.dms_to(leader))
    ]
    assert len(warned) == 1, f"{len(warned)} of 2 leaders warned after one reset"
    assert scenario.sim.errors == []
