"""Locks by key that exist only while someone holds or waits for them.

Why: the bot runs for months, and its locks are keyed by session, group or guild
(`bot.locks["session frame", session_id]`). A `defaultdict(asyncio.Lock)` kept one
lock for every key ever used, so memory grew with every meeting. Here an entry is
made by the first user of a key and dropped when its last user leaves. Dropping is
safe only then: a lock dropped while a task waits on it would let the next caller
make a second lock for the same key and run beside the waiter.

Use: `async with locks[key]:` (the same as with the defaultdict).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class _Entry:
    """One key's lock and how many tasks hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class KeyedLock(Generic[K]):
    """`async with` one key's lock; the key's entry goes when its last user leaves."""

    __slots__ = ("_entry", "_key", "_owner")

    def __init__(self, owner: KeyedLocks[K], key: K) -> None:
        self._owner = owner
        self._key = key
        self._entry: _Entry | None = None

    async def __aenter__(self) -> None:
        entries = self._owner._entries
        entry = entries.get(self._key)
        if entry is None:
            entry = entries[self._key] = _Entry()
        entry.users += 1  # before the first await: the entry cannot be dropped meanwhile
        try:
            await entry.lock.acquire()
        except BaseException:  # cancelled while waiting: this task is no longer a user
            self._leave(entry)
            raise
        self._entry = entry

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        entry, self._entry = self._entry, None
        assert entry is not None  # entered before: `async with` pairs them
        entry.lock.release()
        self._leave(entry)

    def locked(self) -> bool:
        """Whether a task holds the key's lock now (as asyncio.Lock.locked)."""
        return self._owner.locked(self._key)

    def _leave(self, entry: _Entry) -> None:
        entry.users -= 1
        if entry.users == 0 and self._owner._entries.get(self._key) is entry:
            del self._owner._entries[self._key]


class KeyedLocks(Generic[K]):
    """A lock per key, kept only while it is held or waited for."""

    def __init__(self) -> None:
        self._entries: dict[K, _Entry] = {}

    def __getitem__(self, key: K) -> KeyedLock[K]:
        """A fresh context manager for one `async with`; all of a key's share one lock."""
        return KeyedLock(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._entries))

    def locked(self, key: K) -> bool:
        """Whether a task holds the key's lock now."""
        entry = self._entries.get(key)
        return entry is not None and entry.lock.locked()


__all__ = ["KeyedLock", "KeyedLocks"]
