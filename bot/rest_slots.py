"""Answers first: at most a few of the bot's own REST requests in flight at once.

Why: when many meetings change phase in the same second (groups start on the hour), each
change's follow-on REST calls (overwrites, the status edit, lines in the channel) used to
go out all together. Every one of them is a step on the event loop, so an interaction
arriving then waited behind all of them before it was even answered. Now each request
takes one of `REST_IN_FLIGHT` slots for its round trip; the others wait for a slot
without taking the loop's time, and an interaction's answer (its callback, a followup)
never waits for one. Discord allows a bot 50 requests a second in all, so a handful in
flight at ~100 ms a round trip is about what it may send anyway.

A slot is held from sending a request to its answer's arrival: not while discord.py
sleeps before a retry (a 429, a 5xx) or waits on a rate-limit bucket, so one slow route
cannot hold up the others for long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from discord.http import HTTPClient

REST_IN_FLIGHT = 4
# Paths of an interaction's answers (the callback, then followups and edits by token).
_ANSWER_PATHS = ("/interactions/", "/webhooks/")


def is_answer(url: object) -> bool:
    """Is this request an answer to an interaction (never made to wait for a slot)?"""
    text = str(url)
    return any(path in text for path in _ANSWER_PATHS)


class _Held:
    """aiohttp's request context, made and entered only once a slot is free (made
    earlier, a request whose wait was cancelled would leave a coroutine never awaited)."""

    __slots__ = ("_call", "_inner", "_slots")

    def __init__(self, call: Callable[[], Any], slots: asyncio.Semaphore) -> None:
        self._call, self._slots, self._inner = call, slots, None

    async def __aenter__(self) -> Any:
        async with self._slots:  # from sending to the answer's headers: the round trip
            self._inner = self._call()
            return await self._inner.__aenter__()

    async def __aexit__(self, *exc: object) -> Any:
        return await self._inner.__aexit__(*exc)


class BoundedSession:
    """The client's aiohttp session, its REST requests limited to a few in flight."""

    __slots__ = ("_session", "_slots")

    def __init__(self, session: Any, slots: asyncio.Semaphore) -> None:
        self._session, self._slots = session, slots

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        if is_answer(url):
            return self._session.request(method, url, **kwargs)
        return _Held(partial(self._session.request, method, url, **kwargs), self._slots)

    def __getattr__(self, name: str) -> Any:  # ws_connect, get, close, closed...
        return getattr(self._session, name)


def bound_rest_requests(http: HTTPClient, in_flight: int = REST_IN_FLIGHT) -> None:
    """Every request of the bot's client goes through a BoundedSession.

    discord.py makes its session at login (and again after `recreate`), so the wrap is
    checked at each request; interactions take their session from the client, so their
    answers pass through the same wrapper, which lets them by.
    """
    slots = asyncio.Semaphore(in_flight)
    original = http.request

    async def request(*args: Any, **kwargs: Any) -> Any:
        session = getattr(http, "_HTTPClient__session", None)
        if session and not isinstance(session, BoundedSession):  # MISSING before login
            http._HTTPClient__session = BoundedSession(session, slots)  # type: ignore[attr-defined]
        return await original(*args, **kwargs)

    http.request = request  # type: ignore[method-assign]
