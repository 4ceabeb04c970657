"""A crash in the middle of the session-start round of agreement reminders.

At each session start, every member who has not agreed to a changed agreement gets a DM
(a stored timer's round, `agreement_session:<session id>`). A process killed while the
round runs must cost nobody their reminder and send nobody two, whichever DM was in
flight, whether or not Discord had carried it out. The crash is the bot's task
cancelled at a chosen REST call (`crash_on`)."""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from bot.texts import agreement as texts
from cogs._dm_round import DmRound
from tests.crash_support import crash_on, session_start_killed
from tests.session_support import start_session
from tests.support import make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import change, reminder_dms

MESSAGES = "/channels/{channel_id}/messages"
PREFIX = texts.SESSION_REMINDER_DM.split("“")[0]


@pytest.mark.parametrize("nth", [1, 2], ids=["first-dm", "second-dm"])
@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_mid_round_reminds_each_member_exactly_once(
    scenario: Scenario, nth: int, after: bool
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await change(scenario, handle)  # nobody but the leader has agreed to version 2
    seen: list[int] = []

    def reminder(call) -> bool:  # type: ignore[no-untyped-def]
        if str((call.json or {}).get("content") or "").startswith(PREFIX):
            seen.append(1)
            return len(seen) == nth
        return False

    hit = crash_on(sim, "POST", MESSAGES, when=reminder, after=after)
    await session_start_killed(scenario, handle)
    await sim.settle()
    assert hit, "the crash point was not reached"
    for _ in range(2):
        await scenario.restart()
        await sim.settle()
        got = {p.name: len(reminder_dms(scenario, p)) for p in handle.members}
        assert all(n == 1 for n in got.values()), got
    assert not reminder_dms(scenario, handle.leader)


async def test_a_member_who_agrees_while_the_round_runs_is_not_reminded(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The channel line comes first ("press I agree in your DMs"): a member who does so at
    once, while the round is still DMing the others, must not be told a moment later that
    they have not agreed yet."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await change(scenario, handle)
    first, quick, third = handle.members
    original = DmRound.send
    order: list[int] = []

    async def send(self: DmRound, user_id: int, *args: object, **kw: object) -> None:
        if not order:  # the round's first DM: `quick` presses "I agree" meanwhile
            newest = agreement_dms(scenario, quick)[-1]
            pressed = await sim.click(quick, newest, agree_id(newest))
            assert "recorded" in pressed.text, pressed.text
        order.append(user_id)
        await original(self, user_id, *args, **kw)

    monkeypatch.setattr(DmRound, "send", send)
    await start_session(scenario, handle)
    await sim.settle()  # the round's task, the click inside it included
    assert order == [first.id, third.id], order  # `quick` had agreed by their turn
    assert reminder_dms(scenario, first)
    assert not reminder_dms(scenario, quick)
