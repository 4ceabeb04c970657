"""A read-only view of a session for capabilities that only need to know about it.

Cases and attendance read the sessions table (owned by facilitation and
scheduling) but never write it; they share this one view so the two do not
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch
from bot.store.database import Row

COLUMNS = (
    "id, group_id, status, scheduled_start, scheduled_end, started_at, ended_at, "
    "text_channel_id, phase, held_zone"
)


@dataclass(frozen=True, slots=True)
class SessionRef:
    id: int
    group_id: int
    status: str
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    text_channel_id: int | None
    phase: str | None
    held_zone: str | None  # kept when the group changed zone after it: bot/store/sessions.py

    def zone(self, group_zone: str) -> str:
        """The zone of its date: the one it was held in, not the group's of now."""
        return self.held_zone or group_zone

    @property
    def held_at(self) -> datetime | None:
        """When the meeting took place (or is planned): started, else scheduled."""
        return self.started_at or self.scheduled_start

    @property
    def moment(self) -> datetime | None:
        """For records: its real start, else its planned start, else its end."""
        return self.started_at or self.scheduled_start or self.ended_at


def session_ref(row: Row) -> SessionRef:
    return SessionRef(
        id=row["id"],
        group_id=row["group_id"],
        status=row["status"],
        scheduled_start=from_epoch(row["scheduled_start"]),
        scheduled_end=from_epoch(row["scheduled_end"]),
        started_at=from_epoch(row["started_at"]),
        ended_at=from_epoch(row["ended_at"]),
        text_channel_id=row["text_channel_id"],
        phase=row["phase"],
        held_zone=row["held_zone"],
    )
