"""Conversions between aware datetimes and the store's epoch seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return int(moment.timestamp())


@lru_cache(maxsize=4096)
def from_epoch(seconds: int | None) -> datetime | None:
    """Memoised: a meeting's rows are read at nearly every interaction and carry the same
    few moments (its start, the phase's start and deadline), and building an aware datetime
    costs about ten times the lookup. Datetimes are immutable, so sharing one is safe."""
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
