"""Discord's limit on renaming a channel: 2 name or topic changes per 10 minutes each.

Not in Discord's rate-limit headers, and not documented as a number (Discord says it
adds stricter limits where it sees abuse; discord-api-docs #1900, #2760): the third
Modify Channel with a name or topic within 10 minutes, for one channel or thread,
is answered 429 with `retry_after` up to the end of the window, while the headers
still show requests remaining. discord.py then sleeps that long and tries again,
unless the client set `max_ratelimit_timeout` below it (discord.RateLimited).
Counted on the bot's injected clock, as tests move it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .routes_guild import ApiError

if TYPE_CHECKING:
    from .simulator import Simulator
    from .world import Channel

RENAMES = 2
WINDOW = timedelta(minutes=10)


def _now(sim: Simulator) -> datetime:
    return sim.now()


def check_rename(sim: Simulator, channel: Channel, body: dict[str, Any]) -> None:
    """Count a name or topic change of `channel`; 429 if it would be the third in 10 min."""
    if "name" not in body and "topic" not in body:
        return
    now = _now(sim)
    recent = [t for t in sim.renames.get(channel.id, []) if now - t < WINDOW]
    if len(recent) >= RENAMES:
        retry_after = round((recent[0] + WINDOW - now).total_seconds(), 3)
        body_429 = {"message": "You are being rate limited.", "retry_after": retry_after}
        headers = {
            "Retry-After": str(int(retry_after) + 1),
            "Via": "1.1 google",  # without it discord.py takes a 429 for a Cloudflare ban
            "X-RateLimit-Scope": "user",
        }
        raise ApiError(429, {**body_429, "global": False}, headers)
    sim.renames[channel.id] = [*recent, now]
