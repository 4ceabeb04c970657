"""Helpers for the tests of retried timers: refuse chosen posts, find a phase's timer, a
server whose reminders go out shortly before the meeting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.sim.routes import ROUTER
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.sim.world import User
from bot.store.clocktime import from_epoch
from tests.support import GroupHandle, make_group

MESSAGES = "/channels/{channel_id}/messages"


def fail_posts(sim: Any, channel_id: int, starts: str, times: int) -> list[str]:
    """The next `times` posts to this channel whose text starts so meet a connection reset
    (discord.py does not retry it on Linux). Returns the texts that were refused."""
    original = sim._handle_request
    refused: list[str] = []

    def failing(m: str, url: str, kwargs: dict[str, Any]) -> Any:
        call, path = make_call(m, url, kwargs)
        match = ROUTER.match(call.method, path)
        text = (call.json or {}).get("content", "")
        ours = match is not None and match[0] == MESSAGES and m == "POST"
        ours = ours and int(match[1]["channel_id"]) == channel_id and text.startswith(starts)
        if ours and len(refused) < times:
            refused.append(text)
            sim.inject_network("POST", MESSAGES)  # taken by this very call
        return original(m, url, kwargs)

    sim._handle_request = failing
    return refused


async def phase_end_timer(world: Scenario, phase: str = "case_call") -> tuple[str, datetime]:
    """The key and due time of the pending auto-advance at the end of this phase."""
    row = await world.bot.db.fetchone(
        "SELECT dedupe_key, due_at FROM timers "
        "WHERE kind = 'session_phase_end' AND state = 'pending' AND dedupe_key LIKE ?",
        (f"phase_end:%:{phase}:%",),
    )
    assert row is not None
    return str(row["dedupe_key"]), from_epoch(row["due_at"])  # type: ignore[return-value]


@asynccontextmanager
async def short_lead_world(path: Path) -> AsyncIterator[Scenario]:
    """A server whose reminders go out 15 minutes before the meeting; its problems fail
    the test."""
    world = Scenario(path / "lead.sqlite3", reminder_lead_minutes=[15])
    await world.start()
    try:
        yield world
        problems = world.problems()
        assert not problems, "\n".join(problems)
    finally:
        await world.stop()


async def reminded_group(world: Scenario) -> tuple[GroupHandle, User]:
    """A Tuesday 19:00 group with one member whose DMs are closed (mentioned in the lobby)."""
    closed = world.add_person("closed-dms")
    g = await make_group(world, members=[closed, *world.people[1:4]])
    closed.dms_closed = True
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text
    return g, closed
