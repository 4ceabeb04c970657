"""Review of the stored timers added together: how they interact across changes and crashes.

Each test plays one interaction the timers met in use: a second agreement change while the
first change's round of DMs is still going, a removal's meeting work cut off by a crash,
and the lobby's Start button after a crash at the end of a meeting.
"""

from __future__ import annotations

import asyncio

from bot.sim.routes import ROUTER
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from tests.support import make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import NEW_TEXT

MESSAGES = "/channels/{channel_id}/messages"
NEWER_TEXT = NEW_TEXT + "\n3. We start and end on time."


async def test_a_second_change_during_the_first_rounds_dms_asks_each_member_once(
    scenario: Scenario,
) -> None:
    """The co-leader fixes a typo while the bot is still DMing the group the first change:
    each member gets the newest version once. The first round went on after the second
    change and sent its remaining members the newest text, which the second round sent
    them again."""
    sim = scenario.sim
    handle = await make_group(scenario, size=4, co_leader=scenario.people[-1])
    assert handle.co_leader is not None
    first = await sim.slash(handle.leader, "group agreement set", channel=handle.lobby)
    second = await sim.slash(handle.co_leader, "group agreement set", channel=handle.lobby)
    original = sim._handle_request
    seen: list[int] = []
    fixes: list[asyncio.Task[object]] = []

    def hook(m: str, url: str, kwargs: dict) -> object:
        call, path = make_call(m, url, kwargs)
        match = ROUTER.match(call.method, path)
        components = str((call.json or {}).get("components"))
        if match is not None and match[0] == MESSAGES and "balint:agree:1:2" in components:
            seen.append(1)
            if len(seen) == 2:  # the first round is part-way: the co-leader submits
                fix = sim.submit_modal(
                    handle.co_leader, second.modal["custom_id"], {"text": NEWER_TEXT}
                )
                fixes.append(asyncio.get_running_loop().create_task(fix))
        return original(m, url, kwargs)

    sim._handle_request = hook
    await sim.submit_modal(handle.leader, first.modal["custom_id"], {"text": NEW_TEXT})
    await sim.settle()
    sim._handle_request = original
    assert fixes and fixes[0].done(), "the second change was not made"
    for person in handle.members:
        newest = [m for m in agreement_dms(scenario, person) if agree_id(m).endswith(":3")]
        assert len(newest) == 1, (person.name, len(newest))
