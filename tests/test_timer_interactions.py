"""Review of the stored timers added together: how they interact across changes and crashes.

Each test plays one interaction the timers met in use: a second agreement change while the
first change's round of DMs is still going, a removal's meeting work cut off by a crash,
the lobby's Start button after a crash at the end of a meeting, and a role given by hand
while the bot was down to a member whose add a crash cut short."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from bot.sim.routes import ROUTER
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from tests.crash_support import crash_on, killed_as_the_floor_moves_on
from tests.session_support import start_session
from tests.support import GroupHandle, make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import NEW_TEXT
from tests.test_several_planned import two_on_tuesday, weekly

MESSAGES = "/channels/{channel_id}/messages"
START = "balint:startnow:"
NEWER_TEXT = NEW_TEXT + "\n3. We start and end on time."


def at_second_v2_dm(sim, action):  # type: ignore[no-untyped-def]
    """Hook the simulator: when the bot sends the second "agree to version 2" DM (the
    round part-way), start `action()` as a task. Returns the started tasks and the undo."""
    original = sim._handle_request
    seen: list[int] = []
    started: list[asyncio.Task[object]] = []

    def hook(m: str, url: str, kwargs: dict) -> object:
        call, path = make_call(m, url, kwargs)
        match = ROUTER.match(call.method, path)
        components = str((call.json or {}).get("components"))
        if match is not None and match[0] == MESSAGES and "balint:agree:1:2" in components:
            seen.append(1)
            if len(seen) == 2:
                started.append(asyncio.get_running_loop().create_task(action()))
        return original(m, url, kwargs)

    sim._handle_request = hook

    def undo() -> None:
        sim._handle_request = original

    return started, undo


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
    fixes, undo = at_second_v2_dm(  # the first round is part-way: the co-leader submits
        sim,
        lambda: sim.submit_modal(handle.co_leader, second.modal["custom_id"], {"text": NEWER_TEXT}),
    )
    await sim.submit_modal(handle.leader, first.modal["custom_id"], {"text": NEW_TEXT})
    await sim.settle()
    undo()
    assert fixes and fixes[0].done(), "the second change was not made"
    for person in handle.members:
        newest = [m for m in agreement_dms(scenario, person) if agree_id(m).endswith(":3")]
        assert len(newest) == 1, (person.name, len(newest))


async def test_a_crash_as_a_removed_member_gives_up_the_floor_is_finished_by_the_restart(
    scenario: Scenario,
) -> None:
    """Strict turns, a go-round on a; a leader removes a, and the bot dies as the floor
    moves on (the session channel's permission write). After the restart the floor is not
    a's: the removal's follow-up runs the meeting's part again. It was a separate task,
    so the follow-up was marked done without it and the round stayed on someone who
    could no longer see the channel."""

    async def remove(handle: GroupHandle) -> Coroutine[Any, Any, object]:
        options = {"member": handle.members[0], "group": handle.name}
        return scenario.sim.slash(
            handle.leader, "group remove", channel=handle.lobby, options=options
        )

    await killed_as_the_floor_moves_on(scenario, remove)


async def test_a_meeting_ended_before_the_next_ones_start_does_not_offer_its_button_twice(
    scenario: Scenario,
) -> None:
    """Tuesday 10:00 and 12:00. The 10:00 meeting ends at 11:30 and the bot dies as it
    posts the end; it is back at 12:05. The 12:00 session's start button is offered once:
    the end's re-run took it for a meeting that had run past 12:00 and offered it too."""
    sim = scenario.sim
    g = await make_group(scenario, size=3)
    await weekly(scenario, g, 1, "10:00")
    _moved, second = await two_on_tuesday(scenario, g)
    await scenario.advance(hours=25)  # Tuesday 10:00
    _, room = await start_session(scenario, g)
    await scenario.advance(hours=1, minutes=30)
    hit = crash_on(
        sim, "POST", MESSAGES, when=lambda call: int(call.params["channel_id"]) == room.id
    )
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(g.leader, "session end", channel=room), name="sim-ignore-end"
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    scenario.clock.set(second.scheduled_start + timedelta(minutes=5))  # down until 12:05
    await scenario.restart()
    await sim.settle()
    offers = [m for m in sim.messages_in(g.lobby) if f"{START}{second.id}" in m.custom_ids()]
    assert len(offers) == 1, [m.content for m in sim.messages_in(g.lobby)]


async def test_a_role_given_by_hand_while_down_to_a_member_being_added_is_taken_back(
    scenario: Scenario,
) -> None:
    """The bot dies as it DMs a new member the agreement; while it is down an admin gives
    them the group role by hand. After the restart they have not agreed, so they may not
    read the group: the role is taken back. The start-up check left them alone because the
    add's follow-up was open, and that follow-up gives roles, it never takes one."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.outsider
    hit = crash_on(
        sim, "POST", MESSAGES, when=lambda call: "balint:agree:" in str(call.json.get("components"))
    )
    asyncio.current_task().set_name("sim-ignore-test")
    options = {"member": newcomer, "group": handle.name}
    await asyncio.create_task(
        sim.slash(handle.leader, "group add", channel=handle.lobby, options=options),
        name="sim-ignore-command",
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    await sim.detach(scenario.bot)
    assert await sim.give_role(scenario.admin, newcomer, handle.role)
    await scenario.start()
    await sim.settle()
    assert len(agreement_dms(scenario, newcomer)) == 1
    assert not sim.can(newcomer, handle.lobby)


async def test_the_author_erasing_their_records_mid_round_stops_no_one_elses_dm(
    scenario: Scenario,
) -> None:
    """The co-leader who changed the text erases their records while the bot is still
    DMing the group. The round's timer named them (to skip them), so the erasure deleted
    it, and the round's next delivery broke on the missing timer: the rest of the group
    was never asked to agree again."""
    sim = scenario.sim
    handle = await make_group(scenario, size=4, co_leader=scenario.people[-1])
    author = handle.co_leader
    assert author is not None
    opened = await sim.slash(author, "group agreement set", channel=handle.lobby)
    asked = await sim.slash(author, "privacy forget", in_dm=True)
    erasures, undo = at_second_v2_dm(  # part-way through the round: the author erases
        sim, lambda: sim.click(author, asked.original, f"balint:forget:{author.id}")
    )
    asyncio.current_task().set_name("sim-ignore-test")  # type: ignore[union-attr]
    await sim.submit_modal(author, opened.modal["custom_id"], {"text": NEW_TEXT})
    undo()  # submit_modal settled: the erasure's click inside the round included
    assert erasures and erasures[0].done(), "the erasure was not made"
    for person in [handle.leader, *handle.members]:
        newest = [m for m in agreement_dms(scenario, person) if agree_id(m).endswith(":2")]
        assert len(newest) == 1, (person.name, len(newest))
