"""The fake Discord's HTTP side: a request matched against the routes, answered, recorded."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .membership import refuse_outside
from .routes import ROUTER
from .routes_guild import ApiError
from .tracking import held_lock
from .transport import FakeResponse, make_call

if TYPE_CHECKING:
    from .simulator import Simulator


def _handle_request(self: Simulator, method: str, url: str, kw: dict[str, Any]) -> FakeResponse:
    if (held := held_lock(self.bot, method, url)) is not None:
        self.calls_in_transaction.append(held)
    if url in self.cdn:
        return FakeResponse(200, self.cdn[url])
    call, path = make_call(method, url, kw)
    match = ROUTER.match(call.method, path)
    if match is None:
        call.route, call.status = f"{call.method} {path}", 404
        self.unhandled.append(call)
        self.calls.append(call)
        return FakeResponse(404, {"message": "404: Not Found", "code": 0})
    call.route, call.params, handler = match
    resp = self._take_injection(call.method, call.route) if self._injections else None
    if resp is None or resp.lost:  # lost: carried out, then the answer is lost
        lost, headers = resp, None
        try:
            refuse_outside(self, call)
            status, body = handler(self, call)
        except ApiError as err:
            status, body, headers = err.status, err.body, err.headers
        resp = lost or FakeResponse(status, body, headers)
        call.response = body
    call.status = resp.status
    if self.record_calls:
        self.calls.append(call)
    return resp


async def echo_before_answer(self: Simulator) -> None:
    """With `gateway_first`: let the events a request caused be handled before its answer."""
    before = set(self.tracker.tasks)
    await asyncio.sleep(0)  # the dispatched parsers run now; their listeners become tasks
    new = [t for t in self.tracker.tasks if t not in before and not t.done()]
    if new:
        await asyncio.wait(new, timeout=self.gateway_first_wait)
