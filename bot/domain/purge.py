"""Which of a session's messages can go in one bulk delete and which one by one.

Why: a group that keeps one permanent session channel loses the session's
messages instead of the channel. Discord bulk-deletes 2 to 100 messages per
call, and only messages younger than 14 days (older ones refuse the whole
call); older messages must be deleted one at a time. A small margin keeps a
message that turns 14 days old while the purge runs (or a bot clock a little
behind Discord's) out of a bulk call.

Pure: ids and creation times in, a plan out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

BULK_MAX = 100
BULK_MIN = 2
BULK_MAX_AGE = timedelta(days=14)
MARGIN = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class PurgePlan:
    """`batches`: bulk-delete calls (2..100 ids each); `singles`: one call per id."""

    batches: tuple[tuple[int, ...], ...]
    singles: tuple[int, ...]

    @property
    def calls(self) -> int:
        return len(self.batches) + len(self.singles)


def plan_purge(
    messages: Iterable[tuple[int, datetime]],
    now: datetime,
    *,
    max_age: timedelta = BULK_MAX_AGE,
    margin: timedelta = MARGIN,
) -> PurgePlan:
    """Split (message id, created at) into bulk batches and single deletions.

    Messages at least `max_age - margin` old are single; the young ones go in
    batches of up to 100, oldest first; a lone young message left over (a
    bulk call needs two) is single too. Duplicated ids are deleted once.
    """
    seen: dict[int, datetime] = {}
    for message_id, created_at in messages:
        seen.setdefault(message_id, created_at)
    limit = max_age - margin
    young = sorted(i for i, at in seen.items() if now - at < limit)
    old = sorted(i for i, at in seen.items() if now - at >= limit)
    batches = [tuple(young[k : k + BULK_MAX]) for k in range(0, len(young), BULK_MAX)]
    singles = list(old)
    if batches and len(batches[-1]) < BULK_MIN:
        singles += batches.pop()
    return PurgePlan(tuple(batches), tuple(singles))


# A purge Discord refused (403 missing permission, 5xx after discord.py's own retries) is
# tried again, later and later, for as long as the session's channel may still hold the
# case; the leaders hear of it once, after the second failure (one failure may be a blip).
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
RETRY_EVERY = timedelta(hours=6)
TELL_LEADERS_AFTER = 2


def retry_delay(attempt: int) -> timedelta:
    """How long after a failed purge its retry number `attempt` (1, 2, ...) runs."""
    if attempt < 1:
        raise ValueError("retries are numbered from 1")
    return RETRY_DELAYS[attempt - 1] if attempt <= len(RETRY_DELAYS) else RETRY_EVERY


def tell_leaders(failures: int) -> bool:
    """Whether this failure (1 = the first) is the one the leaders are told of."""
    return failures == TELL_LEADERS_AFTER
