"""A crash while the bot asks everyone again after the leaders changed the agreement.

The round of DMs ran as a bare background task: a crash part-way left the rest of the
group never asked to agree to the new text (they kept access and were never told).
The crash is the bot's task cancelled at a chosen REST call (`crash_on`)."""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.store import consents
from tests.crash_support import crash_on
from tests.support import make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import NEW_TEXT

MESSAGES = "/channels/{channel_id}/messages"


def _agreement_dm(call) -> bool:  # type: ignore[no-untyped-def]
    return "balint:agree:" in str((call.json or {}).get("components"))


@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_while_asking_again_after_a_change_still_asks_everyone_once(
    scenario: Scenario, after: bool
) -> None:
    """The leaders change the text; the bot dies as it DMs the 2nd member: after the
    restart every member has the new version's DM, exactly once."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    seen: list[int] = []

    def second(call) -> bool:  # type: ignore[no-untyped-def]
        if _agreement_dm(call) and ":2" in str(call.json.get("components")):
            seen.append(1)
            return len(seen) == 2
        return False

    hit = crash_on(sim, "POST", MESSAGES, when=second, after=after)
    asyncio.current_task().set_name("sim-ignore-test")
    opened = await sim.slash(handle.leader, "group agreement set", channel=handle.lobby)
    custom_id = opened.modal["custom_id"]

    async def submit() -> None:
        await sim.submit_modal(handle.leader, custom_id, {"text": NEW_TEXT})
        await sim.settle()

    await asyncio.create_task(submit(), name="sim-ignore-set")
    await sim.settle()
    assert hit, "the crash point was not reached"
    await scenario.restart()
    await sim.settle()
    for person in handle.members:
        newest = [m for m in agreement_dms(scenario, person) if agree_id(m).endswith(":2")]
        assert len(newest) == 1, (person.name, len(newest))
    await scenario.restart()
    await sim.settle()
    for person in handle.members:
        newest = [m for m in agreement_dms(scenario, person) if agree_id(m).endswith(":2")]
        assert len(newest) == 1
    assert await consents.latest(scenario.bot.db, handle.group.id, handle.leader.id) == 2


async def test_a_member_whose_dms_are_closed_is_told_to_the_leaders_once(
    scenario: Scenario,
) -> None:
    """The leaders hear once that a member cannot get the new version, restart or not."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    closed = handle.members[1]
    closed.dms_closed = True
    opened = await sim.slash(handle.leader, "group agreement set", channel=handle.lobby)
    await sim.submit_modal(handle.leader, opened.modal["custom_id"], {"text": NEW_TEXT})
    await sim.settle()
    await scenario.restart()
    await sim.settle()
    leaders = sim.channel(handle.group.leaders_channel_id)
    told = [m for m in sim.messages_in(leaders) if f"<@{closed.id}>" in m.content]
    assert len(told) == 1
    newest = [m for m in agreement_dms(scenario, handle.members[0]) if agree_id(m).endswith(":2")]
    assert len(newest) == 1
