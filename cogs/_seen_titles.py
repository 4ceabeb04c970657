"""The titles of threads the identifier guard has seen (without keeping any title), and
the renames it made.

Used by cogs/confidentiality.py to tell a rename of an archived thread from a thread
that a message woke up, and to stay within Discord's limit on renaming a thread.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import discord


class SeenTitles:
    """Which title each thread had when the guard last saw it, as a keyed digest.

    Why: discord.py forgets a thread once it is archived, and a message in it later
    unarchives it with a THREAD_UPDATE that looks like a rename (no old name to compare
    with): without this, the same title was warned about at every wake. Memory only,
    and never the title itself: a BLAKE2 digest under a key made afresh each process.
    """

    def __init__(self) -> None:
        self._key = secrets.token_bytes(16)
        self._digests: dict[int, bytes] = {}

    def seen(self, thread: discord.Thread) -> bool:
        """Note the thread's title; True if it differs from the one seen before (or none)."""
        digest = hashlib.blake2b(thread.name.encode(), key=self._key, digest_size=16).digest()
        new = self._digests.get(thread.id) != digest
        self._digests[thread.id] = digest
        return new

    def forget(self, thread_id: int) -> None:
        self._digests.pop(thread_id, None)


RENAMES = 2  # Discord: two name changes of one channel or thread per 10 minutes
WINDOW = timedelta(minutes=10)


class RenameBudget:
    """The guard's own renames of each thread in the last 10 minutes.

    Why: Discord answers a bot's third rename of one thread within 10 minutes with a 429
    to wait out the window, and discord.py sleeps that long: the guard's handler hung
    for minutes and the opener heard nothing. The guard asks here first and warns
    instead. Memory only: after a restart Discord's own 429 is still waited out.
    """

    def __init__(self) -> None:
        self._times: dict[int, list[datetime]] = {}

    def take(self, thread_id: int, now: datetime) -> bool:
        """True (and counted) if the thread may be renamed now."""
        recent = [t for t in self._times.get(thread_id, []) if now - t < WINDOW]
        if len(recent) >= RENAMES:
            self._times[thread_id] = recent
            return False
        self._times[thread_id] = [*recent, now]
        return True

    def forget(self, thread_id: int) -> None:
        self._times.pop(thread_id, None)


__all__ = ["RenameBudget", "SeenTitles"]
