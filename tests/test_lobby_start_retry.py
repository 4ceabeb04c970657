"""The lobby's start button when Discord fails its post for a passing reason (a 503, a
reset, an answer lost after Discord posted it): tried again by its timer within the
meeting's time, never posted twice, and the leaders told once when the bot gives up.

Before, a passing failure was logged as the timer's error and never tried again: a
leader found no button in the lobby at the meeting's time.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from bot.clock import RETRY_AFTER
from bot.sim.faults import NETWORK
from bot.texts import settings as texts
from tests.crash_support import crash_on, until_killed
from tests.session_support import start_session
from tests.support import make_group
from tests.test_lobby_start import PREFIX, schedule_tomorrow, start_messages, until_due
from tests.test_several_planned import two_on_tuesday, weekly

POST = "/channels/{channel_id}/messages"
FIRST_RETRY = RETRY_AFTER[0].total_seconds()
# Every post of the button a timer makes: each run sends, then once more with its nonce.
EVERY_POST = 2 * (1 + len(RETRY_AFTER))


def _told(world, handle, text: str) -> int:  # noqa: ANN001
    """How often the leaders read `text` (their channel, or a DM)."""
    posted = world.sim.messages_in(world.sim.channel(handle.group.leaders_channel_id))
    dms = [m for m in world.sim.dms_to(handle.leader)]
    return sum(text in m.content for m in [*posted, *dms])


@pytest.mark.parametrize("fault", ["503", "reset", "429"])
async def test_a_passing_failure_of_the_post_is_tried_again_a_minute_later(
    scenario, fault: str
) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    # Twice: send_once sends once more with its nonce after a 5xx or a reset (the answer
    # may have been lost); five 429s in a row use up discord.py's own tries.
    if fault == "503":
        sim.inject("POST", POST, 503, times=2)
    elif fault == "429":
        sim.inject("POST", POST, 429, times=5)
    else:
        sim.inject_network("POST", POST, times=2)
    await world.advance(minutes=1)
    assert start_messages(world, handle) == []
    await world.advance(seconds=FIRST_RETRY)
    (message,) = start_messages(world, handle)
    assert message.custom_ids() == {f"{PREFIX}{planned.id}"}
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1
    assert not world.problems(), world.problems()


async def test_a_lost_answer_leaves_one_button(scenario) -> None:
    """Discord posted the button, the bot never heard (a reset): sent again with its nonce,
    Discord returns the one it made; no second button, no failed timer."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    sim.inject_lost("POST", POST, NETWORK)
    await world.advance(minutes=1)
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1
    assert not world.problems(), world.problems()


async def test_a_lost_answer_then_a_failed_resend_is_not_posted_again_by_the_retry(
    scenario,
) -> None:
    """Posted, answer lost; the resend fails too; a minute later the timer runs again and
    finds the button in the lobby (past the nonce's few minutes too)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    sim.inject_lost("POST", POST, NETWORK)
    sim.inject("POST", POST, 503)
    await world.advance(minutes=1)
    assert len(start_messages(world, handle)) == 1
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1
    assert not world.problems(), world.problems()


async def test_a_crash_after_discord_posted_the_button_leaves_one_after_restart(
    scenario,
) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    hit = crash_on(
        sim, "POST", POST, when=lambda call: "balint:startnow" in str(call.json), after=True
    )
    with contextlib.suppress(asyncio.CancelledError):
        await until_killed(world.advance(minutes=1), "sim-ignore-due")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    await world.advance(minutes=30)
    assert len(start_messages(world, handle)) == 1


async def test_a_crash_before_discord_posted_the_button_posts_it_after_restart(
    scenario,
) -> None:
    """Killed as the post went out, before Discord had it: the restart posts it (before,
    the timer was missed and no button came)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    hit = crash_on(sim, "POST", POST, when=lambda call: "balint:startnow" in str(call.json))
    with contextlib.suppress(asyncio.CancelledError):
        await until_killed(world.advance(minutes=1), "sim-ignore-due")
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    await world.advance(seconds=1)
    assert len(start_messages(world, handle)) == 1


async def test_the_leaders_are_told_once_when_discord_keeps_failing(scenario) -> None:
    """Discord fails every post of the button (each run sends, then sends once more with
    its nonce): the retries are given up and the leaders learn, once, that Discord failed
    (not that the lobby is broken) and how to start anyway; nothing is tried after that."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await schedule_tomorrow(world, handle)
    await until_due(world, planned)
    lobby = handle.lobby.id

    sim.inject("POST", POST, 503, times=EVERY_POST)  # then the leaders' notice goes out
    await world.advance(minutes=1)
    await world.advance(minutes=40)
    assert start_messages(world, handle) == []
    outage = texts.DUE_NOT_POSTED_OUTAGE.format(group=handle.group.name)
    assert _told(world, handle, outage) == 1
    assert _told(world, handle, texts.DUE_NOT_POSTED.format(group=handle.group.name)) == 0
    sim.reset_calls()
    await world.advance(minutes=40)
    assert [c for c in sim.calls_matching("POST", POST) if c.params["channel_id"] == lobby] == []
    assert _told(world, handle, outage) == 1
    assert not world.problems(), world.problems()


async def _held_back(world, g, ended_at: str):  # noqa: ANN001, ANN202
    """Tuesday's 10:00 meeting runs on until `ended_at` (HH:MM), past the 12:00 one's start
    (12:00-13:30), whose button is held back: the session's channel, and a function that
    lists the lobby's buttons for the 12:00 meeting."""
    await weekly(world, g, 1, "10:00")
    _moved, planned_second = await two_on_tuesday(world, g)
    second = planned_second.id
    await world.advance(hours=25)  # Tuesday 10:00
    _first, channel = await start_session(world, g)
    hours, minutes = (int(part) for part in ended_at.split(":"))
    await world.advance(hours=hours - 10, minutes=minutes)

    def offers() -> list:
        return [
            m
            for m in world.sim.messages_in(g.lobby)
            if f"balint:startnow:{second}" in m.custom_ids()
        ]

    return channel, offers


async def test_a_held_back_button_is_tried_again_too(scenario) -> None:
    """The button held back while an earlier meeting overran (offer_held_back) fails with
    a 503 when offered: it comes a minute later, once."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    channel, offers = await _held_back(world, g, "12:10")
    await sim.slash(g.leader, "session end", channel=channel)
    sim.inject("POST", POST, 503, times=2)
    await world.advance(seconds=1)
    assert offers() == []
    await world.advance(seconds=FIRST_RETRY)
    assert len(offers()) == 1
    await world.advance(minutes=30)
    assert len(offers()) == 1
    assert not world.problems(), world.problems()


async def test_a_retry_past_the_meetings_end_is_not_waited_for(scenario) -> None:
    """Held back until 13:10, 20 minutes before the meeting's end: after the tries at
    13:10, 13:11 and 13:16 the next would come at 13:31, when there is nothing to start.
    The leaders are told at 13:16, once, and no button comes after the end."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    channel, offers = await _held_back(world, g, "13:10")
    await sim.slash(g.leader, "session end", channel=channel)
    sim.inject("POST", POST, 503, times=6)
    await world.advance(seconds=1)
    await world.advance(minutes=6)  # 13:16
    outage = texts.DUE_NOT_POSTED_OUTAGE.format(group=g.group.name)
    assert _told(world, g, outage) == 1
    await world.advance(minutes=30)
    assert offers() == []
    assert _told(world, g, outage) == 1
    assert not world.problems(), world.problems()
