"""Helpers for the tests of a timer's round of DMs retried after a passing failure: one
person's DM answered with a 503 (not posted), or posted and its answer lost."""

from __future__ import annotations

from typing import Any

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.sim.transport import make_call
from bot.sim.world import User

MESSAGES = "/channels/{channel_id}/messages"

# (status, lost): a 503 Discord answered without posting; a 503 page from Discord's edge
# after it posted (the answer lost); a reset after it posted.
FAILURES = [(503, False), (503, True), (NETWORK, True)]
FAILURE_IDS = ["503", "503-lost", "reset-lost"]


def fail_dm(
    world: Scenario, user: User, text: str, status: int, *, lost: bool = False, times: int = 1
) -> list[bool]:
    """The next `times` DMs to `user` holding `text` fail with `status`: not posted, or
    (`lost`) posted and then the answer lost. Other messages go through. Returns one entry
    per failed DM."""
    sim = world.sim
    original = sim._handle_request
    failed: list[bool] = []
    dm = f"/channels/{sim.world.dm_channel(user).id}/messages"

    def handle(method: str, url: str, kwargs: dict[str, Any]) -> object:
        call, path = make_call(method, url, kwargs)
        content = str((call.json or {}).get("content", ""))
        if call.method == "POST" and path.endswith(dm) and text in content:
            failed.append(True)
            if len(failed) >= times:
                sim._handle_request = original
            if lost:
                sim.inject_lost("POST", MESSAGES, status)
            elif status == NETWORK:
                sim.inject_network("POST", MESSAGES)
            else:
                sim.inject("POST", MESSAGES, status)
        return original(method, url, kwargs)

    sim._handle_request = handle
    return failed


def dms_holding(world: Scenario, user: User, text: str) -> list[Any]:
    """The DMs `user` got that hold `text`."""
    return [m for m in world.sim.dms_to(user) if text in m.content]
