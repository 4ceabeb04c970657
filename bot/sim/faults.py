"""Injected failures: the next matching calls answer with an error, as Discord would.

A mixin of the Simulator, kept apart so the simulator's request path stays short;
tests use it to prove a failed REST call leaves nothing half-done behind.
"""

from __future__ import annotations

import asyncio
import errno
from typing import Any

import aiohttp

from . import payloads as P
from .transport import FakeResponse

Injection = dict[str, Any]

# The status of an injected failure below HTTP (no answer at all), as recorded on the call.
NETWORK = 0


class FaultInjection:
    """`inject` queues an error; the request path takes it with `_take_injection`."""

    _injections: list[Injection]
    held: asyncio.Event | None  # a slow network (hold_network), until set
    held_now: int  # requests waiting on it now

    def hold_network(self) -> asyncio.Event:
        """A slow network: every request but an interaction's answer (its callback, a
        followup) waits, before Discord gets it, until the returned event is set;
        `held_now` counts the requests waiting. Shows how many the bot has in flight."""
        self.held = asyncio.Event()
        return self.held

    def inject(
        self,
        method: str,
        route: str,
        status: int,
        code: int | None = None,
        *,
        times: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
        global_: bool = False,
        lost: bool = False,
    ) -> None:
        """The next `times` calls matching METHOD + route template answer with this error."""
        self._injections.append(
            {
                "method": method.upper(),
                "route": route,
                "status": status,
                "code": code,
                "times": times,
                "retry_after": retry_after,
                "message": message,
                "global": global_,
                "lost": lost,
            }
        )

    def inject_network(self, method: str, route: str, *, times: int = 1) -> None:
        """The next `times` matching calls fail below HTTP: the connection is reset before
        Discord got the request (aiohttp.ClientOSError, ECONNRESET). On Linux discord.py
        does not retry that errno (only 54/10054), so the bot sees the error at once."""
        self.inject(method, route, NETWORK, times=times)

    def inject_lost(
        self, method: str, route: str, status: int = NETWORK, *, times: int = 1
    ) -> None:
        """The next `times` matching calls are CARRIED OUT (the object made, the gateway
        event sent) and then their answer is lost: a connection reset after the request
        was sent (NETWORK), or a 5xx from Discord's edge (502, 504: discord.py then sleeps
        and sends the request again, so a create may happen twice). Not a Create Message
        sent by `channel.send`: discord.py puts its own nonce with enforce_nonce on it and
        sends the same body again, so Discord returns the first message (nonces.py)."""
        self.inject(method, route, status, times=times, lost=True)

    def _take_injection(self, method: str, route: str) -> FakeResponse | None:
        for inj in self._injections:
            if inj["method"] in (method, "*") and inj["route"] in (route, "*"):
                inj["times"] -= 1
                if inj["times"] <= 0:
                    self._injections.remove(inj)
                status, code = inj["status"], inj["code"]
                if inj["lost"]:
                    return lost_answer(status)
                if status == NETWORK:  # recorded as a call with status 0, then raised
                    reset = aiohttp.ClientOSError(errno.ECONNRESET, "Connection reset by peer")
                    return FakeResponse(NETWORK, None, error=reset)
                headers: dict[str, str] = {}
                if status == 429:
                    ra = inj["retry_after"] if inj["retry_after"] is not None else 0.0
                    body: Any = {
                        "message": "You are being rate limited.",
                        "retry_after": ra,
                        "global": inj["global"],
                        "code": code or 0,
                    }
                    headers = {
                        "Retry-After": str(ra),
                        "Via": "1.1 google",
                        "X-RateLimit-Scope": "global" if inj["global"] else "user",
                        "X-RateLimit-Global": str(inj["global"]).lower(),
                    }
                else:
                    msg = inj["message"] or P.ERROR_MESSAGES.get(code or 0, "error")
                    body = P.error(code or 0, msg)
                return FakeResponse(status, body, headers)
        return None


def lost_answer(status: int) -> FakeResponse:
    """What the bot gets for a request Discord carried out: a reset, or an edge's 5xx page."""
    if status == NETWORK:
        reset = aiohttp.ClientOSError(errno.ECONNRESET, "Connection reset by peer")
        return FakeResponse(NETWORK, None, error=reset, lost=True)
    page = f"<html><body><h1>{status}</h1></body></html>"
    return FakeResponse(status, page, {"content-type": "text/html"}, lost=True)
