"""The injectable clock: real time, or time that moves only when told to.

Apart from the timer service (bot/clock.py, which re-exports both) because it is a
different idea: what "now" is, asked by everything, against when stored work runs.
"""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Real time, always aware UTC."""

    manual = False

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock(Clock):
    """Time that moves only when told to: tests never sleep for a reminder."""

    manual = True

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError("time does not go backwards")
        self._now = moment.astimezone(UTC)
