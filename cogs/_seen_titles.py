"""The titles of threads the identifier guard has seen, without keeping any title.

Used by cogs/confidentiality.py to tell a rename of an archived thread from a thread
that a message woke up.
"""

from __future__ import annotations

import hashlib
import secrets

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


__all__ = ["SeenTitles"]
