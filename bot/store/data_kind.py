"""One kind of data the bot keeps, and the retention sentences the kinds share.

Apart from bot/store/data_kinds.py so the declaration can be split over modules
(bot/store/data_kinds_meeting.py) without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SESSION_RETENTION", "TIME_COLUMNS", "UNTIL_GROUP_DELETED", "DataKind", "is_time"]


@dataclass(frozen=True, slots=True)
class DataKind:
    """One table: what each column is, why the table exists and how long rows stay.

    `person`: the column holding the Discord user id a row is *about*; export
    shows those rows and forget deletes them. `refers`: other columns that may
    hold a user id; export shows those rows and forget sets the column to NULL.
    """

    table: str
    title: str
    why: str
    retention: str
    columns: dict[str, str]
    person: str | None = None
    refers: tuple[str, ...] = field(default_factory=tuple)


# Columns holding a time (epoch seconds) besides those named `*_at`: /privacy export shows
# each as a date with its time zone.
TIME_COLUMNS = frozenset(
    {"at", "since", "scheduled_start", "scheduled_end", "phase_deadline", "followup_after"}
)


def is_time(column: str) -> bool:
    """Whether the column holds epoch seconds (a reader cannot tell 1795424400 is a date)."""
    return column.endswith("_at") or column in TIME_COLUMNS


UNTIL_GROUP_DELETED = "Until the group is deleted."
SESSION_RETENTION = (
    "Deleted with its session when the session ended longer ago than the retention period."
)
