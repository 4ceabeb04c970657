"""Fail the N-th REST call of a command: the faults the one-route-once table cannot reach.

Why: tests/reliability_table.py fails each route once per command, so a failure on a LATER
call (after earlier ones worked) or inside the roll-back itself is never tried. `fail_calls`
counts the bot's REST calls to Discord (not the interaction's own answer: its callback and
webhook routes) from the moment it is armed, and fails the ones whose numbers are given,
as Discord would: an error status (403, 5xx) or a broken connection (status 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.sim.faults import NETWORK
from bot.sim.routes import ROUTER
from bot.sim.simulator import Simulator
from bot.sim.transport import Call, make_call

# The interaction's own answer: failing it is another story (tests/test_reliability_faults.py).
ANSWER_ROUTES = ("/interactions/", "/webhooks/")
CODES = {403: 50013}  # Missing Permissions: the usual refusal of a 403


@dataclass
class Armed:
    """What `fail_calls` saw: every counted call in order, and the ones it failed."""

    seen: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def disarm(self, sim: Simulator) -> None:
        sim._handle_request = self._original  # type: ignore[method-assign]

    _original: Any = None


def counted(method: str, url: str) -> tuple[Call, str] | None:
    """The route template of a call the bot makes to Discord, None for an answer's route."""
    if any(part in url for part in ANSWER_ROUTES):
        return None
    call, path = make_call(method, url, {})
    match = ROUTER.match(call.method, path)
    if match is None:
        return None
    call.route = match[0]
    return call, path


def fail_calls(
    sim: Simulator, at: Iterable[int], status: int = NETWORK, *, lost: bool = False
) -> Armed:
    """From now on, the bot's REST calls numbered `at` (1 = the next one) fail with `status`
    (NETWORK: the connection resets before Discord got the request). `lost`: Discord
    carries the call out and THEN its answer is lost (bot/sim/faults.py `inject_lost`)."""
    numbers = set(at)
    armed = Armed()
    original = sim._handle_request
    armed._original = original

    def failing(method: str, url: str, kw: dict[str, Any]) -> Any:
        found = counted(method, url)
        if found is not None:
            call, _ = found
            armed.seen.append(f"{call.method} {call.route}")
            if len(armed.seen) in numbers:
                armed.failed.append(armed.seen[-1])
                if lost:
                    sim.inject_lost(call.method, call.route, status)
                elif status == NETWORK:
                    sim.inject_network(call.method, call.route)
                else:
                    sim.inject(call.method, call.route, status, CODES.get(status))
        return original(method, url, kw)

    sim._handle_request = failing  # type: ignore[method-assign]
    return armed


def count_calls(sim: Simulator) -> Armed:
    """Count a command's calls without failing any: how many numbers a sweep must try."""
    return fail_calls(sim, ())
