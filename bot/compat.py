"""Tell "this server has no such endpoint" apart from "the thing is gone".

Why: the bot may run against a Discord-compatible server (`api_base_url`) that lacks
an optional endpoint (scheduled events, thread lists). Such a server answers 404 with
Discord's generic body (code 0, "404: Not Found"), or 405/501. Discord itself answers
a deleted thing with 404 and an Unknown-<Thing> code (10003 Unknown Channel, 10070
Unknown Guild Scheduled Event, ...). Taking the first for the second makes the bot
re-create what it cannot edit, or count as deleted what is still there.
"""

from __future__ import annotations

import aiohttp
import discord

# A REST call that failed: Discord answered with an error, or the connection broke below
# HTTP (reset, DNS, timeout) after discord.py's own retries. Code that must carry on
# after a failed call (the purge, the identifier guard) catches all of these.
REST_FAULTS = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)


def fault_code(error: BaseException) -> str:
    """Status and code of an answered error, else the failure's type: for a log line."""
    if isinstance(error, discord.HTTPException):
        return f"{error.status} {error.code}"
    return type(error).__name__


class TryAgain(Exception):
    """Raised by a timer's handler whose Discord work failed for a passing reason that it
    caught and undid itself (a meeting's permission plan): the timer runs again later, as
    if the failure had reached the clock (bot/clock.py)."""


def passing_status(status: int) -> bool:
    """No answer at all (0), Discord's 5xx or a 429: a status worth trying again."""
    return status == 0 or status >= 500 or status == 429


def passing(error: BaseException) -> bool:
    """A failure worth trying again later: Discord's 5xx, a 429 past discord.py's own
    retries, or the network. Not a 4xx: a refusal stays a refusal until someone acts.

    An error raised `from` a REST fault (a grant's SetupFailed) is judged by that fault:
    the wrapper says which step failed, not whether the failure will pass.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TryAgain):
            return True
        if isinstance(current, discord.HTTPException):
            return passing_status(current.status)
        if isinstance(current, REST_FAULTS):
            return True
        current = current.__cause__
    return False


# 405 Method Not Allowed, 501 Not Implemented: the server has no such call.
UNSUPPORTED_STATUSES = frozenset({405, 501})


def route_missing(error: BaseException) -> bool:
    """Whether the server does not have the route (not: the thing it names is gone)."""
    if not isinstance(error, discord.HTTPException):
        return False
    return error.status in UNSUPPORTED_STATUSES or (error.status == 404 and error.code == 0)


def gone(error: BaseException, code: int) -> bool:
    """Whether Discord answered that the thing is gone: 404 with its Unknown-<Thing> code."""
    return isinstance(error, discord.NotFound) and error.code == code
