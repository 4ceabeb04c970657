"""What a kind of timer is, and the rules the timer service applies to every kind.

Why apart from bot/clock.py: the clock arms, claims and fires; these say whether a timer
that came due may still run (its grace) and whether a failed run is tried again (its
retries). Kept pure (no store, no scheduler), so each rule is tested on its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.timers import Timer

TimerHandler = Callable[[Timer], Awaitable[None]]

# When an idempotent timer's work failed for a passing reason (`TimerService.passing`), it
# runs again after each of these in turn; then it is failed, as any other error is.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))


class NotNow(Exception):
    """Raised by a handler that did nothing because its feature is turned off: the timer
    ends cancelled, not done (it never acted), so turning the feature on can revive it."""


@dataclass(frozen=True, slots=True)
class TimerKind:
    handler: TimerHandler
    grace: timedelta | None  # None: always fire late after a restart
    idempotent: bool  # True: re-fire one that was interrupted mid-way
    members_facing: bool = False  # True: skipped while the bot is out of the timer's server


def too_late(kind: TimerKind | None, timer: Timer, now: datetime) -> bool:
    """Past its kind's grace: what it would say or do is no longer true, so it is missed.
    Counted from the time it was first due: a retry's later time makes it no fresher."""
    return kind is not None and kind.grace is not None and now - timer.first_due > kind.grace


def may_retry(kind: TimerKind, timer: Timer, passing: bool) -> bool:
    """A passing failure of work that may run twice, with a retry left."""
    return kind.idempotent and passing and timer.retries < len(RETRY_AFTER)


def final_try(kind: TimerKind, timer: Timer, claimed_at: datetime) -> bool:
    """Whether a passing failure of the run claimed at `claimed_at` ends the timer: its work
    may not run twice, its retries are used up, or the next try would come past its grace
    (then it could only be missed). Counted from the claim, so it holds for the whole run."""
    if not may_retry(kind, timer, passing=True):
        return True
    return too_late(kind, timer, claimed_at + RETRY_AFTER[timer.retries])


def retry_due(kind: TimerKind, timer: Timer, now: datetime) -> datetime:
    """When the next try runs: each retry waits longer than the last, but not past the
    kind's grace (a slow run shortens the wait rather than lose its try)."""
    due = now + RETRY_AFTER[timer.retries]
    if kind.grace is not None:
        due = min(due, timer.first_due + kind.grace)
    return due
