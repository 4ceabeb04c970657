"""A crash in the middle of a round of DMs must cost nobody their DM, and send nobody two.

The 24 h reminder and the pre-session case prompt each go to a whole group from one
timer. A reviewer found that a process killed after the 2nd of 6 reminder DMs left the
timer half-run; at restart it was marked missed and the 4 people not yet reached never
heard of the meeting. Standard: a reminder is neither lost nor sent twice across restarts.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import timers as timer_store
from bot.texts.cases import PROMPT_DM
from tests.case_helpers import planned_meeting
from tests.crash_support import crash_on
from tests.support import make_group


async def test_a_crash_halfway_through_a_reminder_round_loses_no_ones_reminder(scenario) -> None:
    """The 24 h reminder goes to 6 people; the bot dies after the second DM."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=5)  # the leader and five members
    result = await sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text
    sent = 0

    def third_reminder(call) -> bool:
        nonlocal sent
        if (call.json or {}).get("content", "").startswith("Reminder:"):
            sent += 1
        return sent == 3

    crash_on(sim, "POST", "/channels/{channel_id}/messages", when=third_reminder)
    asyncio.current_task().set_name("sim-ignore-test")
    due_24h = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    try:
        await world.bot.timers.advance(due_24h - world.clock.now())
    except asyncio.CancelledError:
        pass  # the process is gone
    assert sent == 3, sent
    await world.restart()  # back within a minute: well inside the 30-minute grace
    await world.advance(minutes=5)
    got = {
        u.name: sum(m.content.startswith("Reminder:") for m in sim.dms_to(u)) for u in g.everyone
    }
    assert all(n == 1 for n in got.values()), (
        f"24 h reminders per person after a crash mid-round: {got}; timers: "
        f"{[(t.dedupe_key, t.state) for t in await timer_store.in_state(world.bot.db, 'missed')]}"
    )


# -- more crash points: the DM in flight, closed DMs, the grace, the case prompt -------------

DUE_24H = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # for the weekly Tuesday 19:00 group


async def _group_with_a_schedule(world):  # noqa: ANN001, ANN202
    g = await make_group(world, size=5)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text
    return g


def _crash_at_the_nth(sim, nth: int, prefix: str, *, after: bool = False) -> list[object]:  # noqa: ANN001
    """Die at the nth DM whose text starts with prefix (Discord got it if `after`)."""
    seen = 0

    def nth_one(call) -> bool:  # noqa: ANN001
        nonlocal seen
        if (call.json or {}).get("content", "").startswith(prefix):
            seen += 1
        return seen == nth

    return crash_on(sim, "POST", "/channels/{channel_id}/messages", when=nth_one, after=after)


async def _run_until_it_dies(world, due: datetime) -> None:  # noqa: ANN001
    asyncio.current_task().set_name("sim-ignore-test")
    try:
        await world.bot.timers.advance(due - world.clock.now())
    except asyncio.CancelledError:
        pass  # the process is gone


def _reminders(world, users) -> dict[str, int]:  # noqa: ANN001
    return {
        u.name: sum(m.content.startswith("Reminder:") for m in world.sim.dms_to(u)) for u in users
    }


@pytest.mark.parametrize(
    ("nth", "after"),
    [(1, False), (1, True), (3, True), (6, False), (6, True)],
    ids=["first-lost", "first-delivered", "third-delivered", "last-lost", "last-delivered"],
)
async def test_the_dm_in_flight_at_the_crash_is_sent_once_whether_or_not_discord_got_it(
    scenario, nth: int, after: bool
) -> None:
    """`after`: Discord delivered the DM and the bot died before it heard back."""
    world = scenario
    g = await _group_with_a_schedule(world)
    hit = _crash_at_the_nth(world.sim, nth, "Reminder:", after=after)
    await _run_until_it_dies(world, DUE_24H)
    assert hit
    await world.restart()
    await world.advance(minutes=5)
    got = _reminders(world, g.everyone)
    assert all(n == 1 for n in got.values()), got
    left = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM timer_deliveries")
    assert left["n"] == 0  # the round is over: nobody's DM is kept track of any more


async def test_closed_dms_before_the_crash_are_still_mentioned_in_the_lobby_once(
    scenario,
) -> None:
    world = scenario
    closed = world.add_person("closed-dms")
    g = await make_group(world, members=[closed, *world.people[1:5]])
    closed.dms_closed = True  # agreed, then closed their DMs
    await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    before = len(world.sim.messages_in(g.lobby))
    _crash_at_the_nth(world.sim, 4, "Reminder:")  # the refused DM to `closed` counts too
    await _run_until_it_dies(world, DUE_24H)
    await world.restart()
    await world.advance(minutes=5)
    mentions = [
        m for m in world.sim.messages_in(g.lobby)[before:] if f"<@{closed.id}>" in m.content
    ]
    assert len(mentions) == 1, [m.content for m in world.sim.messages_in(g.lobby)[before:]]
    got = _reminders(world, [u for u in g.everyone if u is not closed])
    assert all(n == 1 for n in got.values()), got


async def test_back_after_the_grace_the_round_is_missed_and_forgotten(scenario) -> None:
    """Past the grace a reminder is stale ("tomorrow" would be wrong): nobody else gets it."""
    world = scenario
    g = await _group_with_a_schedule(world)
    _crash_at_the_nth(world.sim, 3, "Reminder:")
    await _run_until_it_dies(world, DUE_24H)
    await world.sim.detach(world.bot)
    world.clock.set(DUE_24H + timedelta(minutes=31))  # the grace is 30 minutes
    await world.start()
    await world.sim.settle()
    assert sorted(_reminders(world, g.everyone).values()) == [0, 0, 0, 0, 1, 1]
    left = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM timer_deliveries")
    assert left["n"] == 0


@pytest.mark.parametrize("after", [False, True], ids=["lost", "delivered"])
async def test_the_first_1h_dm_in_flight_at_a_crash_is_sent_once(scenario, after: bool) -> None:
    """The 24 h reminder of the same session carries the same buttons. At the 1 h round's
    first DM there was no DM of this round to compare with, so the 24 h one was taken for
    it: lost in the crash, the 1 h reminder was never sent. Only what Discord stamped
    since the 1 h timer was due is looked at now: lost, it goes; delivered, not twice."""
    world = scenario
    g = await _group_with_a_schedule(world)
    await world.advance(hours=11)  # past the 24 h reminders (19:00 on 23 November)
    hit = _crash_at_the_nth(world.sim, 1, "Reminder:", after=after)
    await _run_until_it_dies(world, DUE_24H + timedelta(hours=23))
    assert hit
    await world.restart()
    await world.advance(minutes=5)
    got = _reminders(world, g.everyone)
    assert all(n == 2 for n in got.values()), got


async def test_a_crash_halfway_through_the_case_prompts_asks_everyone_once(scenario) -> None:
    """The pre-session "Do you have a case?" goes to a group the same way: one timer."""
    world = scenario
    g = await make_group(world, size=5)
    meeting = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    await planned_meeting(world, g, meeting)
    _crash_at_the_nth(world.sim, 3, PROMPT_DM.split("{when}")[0].format(group=g.name))
    await _run_until_it_dies(world, meeting - timedelta(hours=47))
    await world.restart()  # a case prompt has no grace: useful as long as the meeting is ahead
    await world.advance(minutes=5)
    got = {
        u.name: sum("Do you have a case" in m.content for m in world.sim.dms_to(u))
        for u in g.members
    }
    assert all(n == 1 for n in got.values()), got
