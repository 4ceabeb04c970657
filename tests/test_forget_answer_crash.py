"""/privacy forget killed after its erasure was committed: the rest is finished at restart.

Why: the erasure's stored request went in the erasure's own transaction, and what came
after it (taking the group role, leaving the leaders' channel, the answer to the person,
the leaders' note) ran only in memory. A process killed there left the member holding the
group role with no record behind it, their leaders untold, and the member never learnt
that their records were erased. The confirmation comes exactly once: by DM after a
restart, not again once given.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.texts import privacy as texts
from tests.crash_support import crash_on, until_killed
from tests.support import GroupHandle, make_group
from tests.test_privacy import rows_about
from tests.test_privacy_completeness import forget, traces

ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
ANSWER = "/webhooks/{application_id}/{token}/messages/@original"
MESSAGES = "/channels/{channel_id}/messages"
DONE = texts.FORGET_DONE.split("(")[0]  # "Done: I erased every record I kept about you"


def confirmations(world: Scenario, user: User, before: int) -> list[str]:
    return [m.content for m in world.sim.dms_to(user)[before:] if DONE in m.content]


def leaders_notes(world: Scenario, handle: GroupHandle) -> int:
    channel = world.sim.channel(handle.group.leaders_channel_id)
    return sum(m.content == texts.LEADERS_ERASED for m in world.sim.messages_in(channel))


async def press_killed(world: Scenario, user: User, hit: list[object]) -> bool:
    """/privacy forget and its button, pressed as the process dies at the crash point;
    whether the press was answered that the records were erased."""
    asked = await world.sim.slash(user, "privacy forget", in_dm=True)
    assert asked.original is not None
    press = world.sim.click(user, asked.original, f"balint:forget:{user.id}")
    await until_killed(press, "sim-ignore-command")
    await world.sim.settle()
    assert hit, "the crash point was not reached"
    return DONE in asked.text


async def assert_finished(world: Scenario, handle: GroupHandle, user: User) -> None:
    """Erased, the role taken, the leaders told once and only that (the role watch took
    the role left on them for one "given by hand", naming them), nothing names them."""
    assert await rows_about(world, user) == {}
    assert handle.role.id not in world.member(user).role_ids, "the group role was kept"
    channel = world.sim.channel(handle.group.leaders_channel_id)
    assert not [m.content for m in world.sim.messages_in(channel) if str(user.id) in m.content]
    assert leaders_notes(world, handle) == 1
    assert traces(world, user) == {}, "a row naming them was left"


@pytest.mark.parametrize("point", ["role", "answer", "answer-shown"])
async def test_a_crash_after_the_erasure_is_committed_still_tells_them_once(
    scenario: Scenario, point: str
) -> None:
    """Killed at the group role's removal or at the press's answer (the erasure already
    committed): after a restart the role is taken, the leaders told and the member gets
    one DM saying their records were erased, and no second one at the next restart.
    "answer-shown": Discord showed the press's answer as the process died; that cannot
    be looked at afterwards, so the DM comes too (twice rather than never)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    me = handle.members[0]
    before = len(sim.dms_to(me))
    if point == "role":
        hit = crash_on(sim, "DELETE", ROLE)
    else:
        hit = crash_on(sim, "PATCH", ANSWER, after=point == "answer-shown")
    assert await press_killed(world, me, hit) == (point == "answer-shown")
    left = await rows_about(world, me)
    assert left == {"timers.user_id": 1}, "the crash point is after the erasure (its timer left)"
    for _ in range(2):
        await world.restart()
        await sim.settle()
        await assert_finished(world, handle, me)
        told = confirmations(world, me, before)
        assert len(told) == 1, told
    assert await forget(world, me) == texts.FORGET_NOTHING


async def test_a_crash_at_the_leaders_note_gives_no_second_answer(scenario: Scenario) -> None:
    """Killed after the press was answered, as the leaders were being told: the restart
    tells them, and the member, already answered, gets no DM."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    me = handle.members[0]
    before = len(sim.dms_to(me))
    leaders = handle.group.leaders_channel_id
    hit = crash_on(
        sim,
        "POST",
        MESSAGES,
        when=lambda call: int(call.params["channel_id"]) == leaders,
    )
    assert await press_killed(world, me, hit), "the press was answered before the crash"
    assert leaders_notes(world, handle) == 0
    for _ in range(2):
        await world.restart()
        await sim.settle()
        await assert_finished(world, handle, me)
        assert confirmations(world, me, before) == []


@pytest.mark.parametrize("after", [False, True], ids=["dm-not-sent", "dm-sent"])
async def test_a_crash_at_the_restarts_dm_sends_it_once(scenario: Scenario, after: bool) -> None:
    """The restart's DM itself killed in flight: sent at the next restart if Discord did
    not post it, not again if it did."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    me = handle.members[0]
    before = len(sim.dms_to(me))
    await press_killed(world, me, crash_on(sim, "DELETE", ROLE))

    def to_me(call: object) -> bool:
        dm = sim.world.dm_channels.get(me.id)  # made by the restart, just before its POST
        return dm is not None and int(call.params["channel_id"]) == dm.id  # type: ignore[attr-defined]

    hit = crash_on(sim, "POST", MESSAGES, when=to_me, after=after)

    async def restart() -> None:
        await world.restart()
        await sim.settle()

    await until_killed(restart(), "sim-ignore-restart")
    await sim.settle()
    assert hit, "the crash point was not reached"
    for _ in range(2):
        await world.restart()
        await sim.settle()
        await assert_finished(world, handle, me)
        assert len(confirmations(world, me, before)) == 1


async def test_a_second_press_does_not_erase_the_first_erasures_request(scenario: Scenario) -> None:
    """Erase pressed on two /privacy forget answers at once: the second erasure deleted
    the first one's stored request (a timer naming the person) as one of their records
    ("1 in all"). Killed as the first took the group role, the restart had nothing left
    to finish: no confirmation, the leaders untold, and the role watch took the role
    back with a note naming the member ("given by hand")."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    me = handle.members[0]
    before = len(sim.dms_to(me))
    asked = [await sim.slash(me, "privacy forget", in_dm=True) for _ in range(2)]
    hit = crash_on(sim, "DELETE", ROLE)
    current = asyncio.current_task()
    assert current is not None
    current.set_name("sim-ignore-test")  # each click's settle() does not wait for the other
    presses = [
        asyncio.create_task(
            sim.click(me, a.original, f"balint:forget:{me.id}"), name=f"sim-ignore-{n}"
        )
        for n, a in enumerate(asked)
    ]
    done = await asyncio.gather(*presses, return_exceptions=True)
    await sim.settle()
    assert hit, "the crash point was not reached"
    answers = [r.text for r in done if not isinstance(r, BaseException)]
    answered = [t for t in answers if DONE in t or t == texts.FORGET_NOTHING]
    assert answered == [texts.FORGET_NOTHING], answers  # the other was killed unanswered
    await world.restart()
    await sim.settle()
    await assert_finished(world, handle, me)
    assert len(confirmations(world, me, before)) == 1
