"""Bound the cost of discord.py's clean-up of idle rate-limit buckets.

discord.py keeps one rate-limit bucket per route and channel (every session
channel, every member's DM channel). Once there are 256 or more, it walks all
of them each time a new one is made, to drop those idle for 5 minutes: with a
few thousand buckets that walk takes milliseconds and runs at every new channel.
Here the same clean-up runs at most every 30 seconds; since a bucket counts as
idle only after 300 seconds, nothing changes but when memory is given back.
"""

from __future__ import annotations

from collections.abc import Callable

from discord.http import HTTPClient

CLEAN_EVERY = 30.0  # seconds between two walks over the buckets
WALK_FROM = 256  # discord.py walks only from this many buckets


def throttle_bucket_cleanup(http: HTTPClient, clock: Callable[[], float]) -> None:
    """Replace the clean-up on this client with one that runs at most every CLEAN_EVERY s."""
    original = http._try_clear_expired_ratelimits  # noqa: SLF001
    last = [float("-inf")]

    def cleanup() -> None:
        if len(http._buckets) < WALK_FROM:  # noqa: SLF001 - discord.py would not walk either
            return
        now = clock()
        if now - last[0] < CLEAN_EVERY:
            return
        last[0] = now
        original()

    http._try_clear_expired_ratelimits = cleanup  # type: ignore[method-assign]  # noqa: SLF001
