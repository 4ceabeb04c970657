"""The titles of threads the identifier guard has seen (without keeping any title), and
the renames it made.

Used by cogs/confidentiality.py to tell a rename of an archived thread from a thread
that a message woke up, and to stay within Discord's limit on renaming a thread.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Generic, TypeVar

import discord

V = TypeVar("V")


class _PerThread(Generic[V]):
    """Entries per thread, dropped when the thread goes or when its channel does.

    Why: deleting a channel deletes its threads, but Discord sends no THREAD_DELETE for
    them, and discord.py reports only those still in its cache (not the archived ones):
    without the channel's own deletion their entries stayed for the life of the bot.
    """

    def __init__(self) -> None:
        self._entries: dict[int, V] = {}
        self._parents: dict[int, int] = {}  # thread id -> its channel's id

    def _note(self, thread_id: int, parent_id: int | None) -> None:
        if parent_id is not None:
            self._parents[thread_id] = parent_id

    def forget(self, thread_id: int) -> None:
        self._entries.pop(thread_id, None)
        self._parents.pop(thread_id, None)

    def forget_channel(self, channel_id: int) -> None:
        """The channel was deleted, and every thread in it with it."""
        for thread_id in [t for t, p in self._parents.items() if p == channel_id]:
            self.forget(thread_id)


class SeenTitles(_PerThread[bytes]):
    """Which title each thread had when the guard last saw it, as a keyed digest.

    Why: discord.py forgets a thread once it is archived, and a message in it later
    unarchives it with a THREAD_UPDATE that looks like a rename (no old name to compare
    with): without this, the same title was warned about at every wake. Memory only,
    and never the title itself: a BLAKE2 digest under a key made afresh each process.
    """

    def __init__(self) -> None:
        super().__init__()
        self._key = secrets.token_bytes(16)

    def seen(self, thread: discord.Thread) -> bool:
        """Note the thread's title; True if it differs from the one seen before (or none)."""
        digest = hashlib.blake2b(thread.name.encode(), key=self._key, digest_size=16).digest()
        new = self._entries.get(thread.id) != digest
        self._entries[thread.id] = digest
        self._note(thread.id, thread.parent_id)
        return new


RENAMES = 2  # Discord: two name changes of one channel or thread per 10 minutes
WINDOW = timedelta(minutes=10)


class RenameBudget(_PerThread[list[datetime]]):
    """The guard's own renames of each thread in the last 10 minutes.

    Why: Discord answers a bot's third rename of one thread within 10 minutes with a 429
    to wait out the window, and discord.py sleeps that long: the guard's handler hung
    for minutes and the opener heard nothing. The guard asks here first and warns
    instead. Memory only: after a restart Discord's own 429 is still waited out.
    """

    def __init__(self) -> None:
        super().__init__()

    def take(self, thread: discord.Thread, now: datetime) -> bool:
        """True (and counted) if the thread may be renamed now."""
        recent = [t for t in self._entries.get(thread.id, []) if now - t < WINDOW]
        self._note(thread.id, thread.parent_id)
        if len(recent) >= RENAMES:
            self._entries[thread.id] = recent
            return False
        self._entries[thread.id] = [*recent, now]
        return True


__all__ = ["RenameBudget", "SeenTitles"]
