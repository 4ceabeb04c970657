"""Attendance rules: who counts as present, excused or absent, and what a record says.

Why: some training schemes require a number of Balint sessions, so the record
must be trustworthy and explainable.  A member is present if any presence
signal came in *at the session* (the "I'm here" button, the confidentiality
acknowledgement, a post in the session channel, joining the session's voice
channel; after the end, only a signal that raced it counts, see `on_presence`);
an RSVP
"no" makes an absence *excused*; a leader's correction always wins over any
signal, because leaders know who was really there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "COMMAND_GRACE",
    "LATE_SIGNAL_WINDOW",
    "PRESENCE_SOURCES",
    "Certificate",
    "MemberRecord",
    "Source",
    "Status",
    "certificate",
    "command_counts",
    "counts_at",
    "local_date",
    "nearest_dates",
    "on_presence",
    "on_session_end",
    "per_session_totals",
    "summarise_member",
]


class Status(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Source(StrEnum):
    BUTTON = "button"
    ACK = "ack"
    MESSAGE = "message"
    VOICE = "voice"
    COMMAND = "command"  # a session command or status button (how leaders drive it)
    RSVP = "rsvp"  # excused because the member said in advance they could not come
    AUTO = "auto"  # absent: no signal and no RSVP "no" when the session ended
    LEADER = "leader"  # a leader's correction: never overwritten by a signal


PRESENCE_SOURCES: frozenset[str] = frozenset(
    {Source.BUTTON, Source.ACK, Source.MESSAGE, Source.VOICE, Source.COMMAND}
)

Entry = tuple[Status, Source]

# A signal given just before the end may be processed just after it (the end and the
# signal are handled concurrently): such a signal still counts. Anything later is not
# presence at the session (a member who missed it opening the read-only channel).
LATE_SIGNAL_WINDOW = timedelta(minutes=1)


# A session command is how a leader runs the meeting, so it is presence while the meeting
# runs: from its start for its planned length and this long after (phases are extended,
# meetings overrun). Later it is not: auto-end is off by default, so a meeting nobody
# ended stays live, and a leader who missed it may end it from the lobby days later.
COMMAND_GRACE = timedelta(hours=1)


def command_counts(
    started_at: datetime | None,
    scheduled_start: datetime | None,
    scheduled_end: datetime | None,
    at: datetime,
) -> bool:
    """Whether a session command given at `at` is presence at the meeting."""
    if started_at is None:
        return True  # the command that starts it
    length = timedelta(0)
    if scheduled_start is not None and scheduled_end is not None:
        length = max(scheduled_end - scheduled_start, timedelta(0))
    return at <= started_at + length + COMMAND_GRACE


def counts_at(ended_at: datetime | None, at: datetime) -> bool:
    """Whether a presence signal handled at `at` counts for a session ended at `ended_at`."""
    if ended_at is None:
        return True
    return at <= ended_at + LATE_SIGNAL_WINDOW


def on_presence(
    existing: tuple[str, str] | None,
    source: str,
    *,
    ended_at: datetime | None = None,
    at: datetime | None = None,
) -> Entry | None:
    """The entry to store when a presence signal arrives (at `at`), or None to leave it.

    The first signal names the source; later signals change nothing.  A leader's
    correction is final.  The end of a session writes an entry for every member, so
    a signal that finds none raced the end (or came before it was processed) and
    counts.  An automatic absent/excused becomes present only if the signal came
    within `LATE_SIGNAL_WINDOW` of the end (it raced the end's processing): later
    than that it is not presence at the session (a member who missed the meeting
    opening the read-only channel before the purge).
    """
    if source not in PRESENCE_SOURCES:
        raise ValueError("unknown_source")
    if existing is None:
        return Status.PRESENT, Source(source)
    status, old_source = existing
    if old_source == Source.LEADER or status == Status.PRESENT:
        return None
    if at is not None and not counts_at(ended_at, at):
        return None
    return Status.PRESENT, Source(source)


def on_session_end(already_recorded: bool, said_no: bool) -> Entry | None:
    """For a member with no entry when the session ends: excused if they RSVPed no."""
    if already_recorded:
        return None
    if said_no:
        return Status.EXCUSED, Source.RSVP
    return Status.ABSENT, Source.AUTO


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of a moment in the group's zone (what members call "that session")."""
    if moment.tzinfo is None:
        raise ValueError("naive_datetime")
    return moment.astimezone(ZoneInfo(zone)).date()


def nearest_dates(dates: Iterable[date], target: date, limit: int = 3) -> list[date]:
    """The session dates closest to a date that had none, in calendar order."""
    unique = sorted(set(dates))
    closest = sorted(unique, key=lambda d: (abs((d - target).days), d))[:limit]
    return sorted(closest)


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """One member's record in one group, each list in date order."""

    attended: list[date] = field(default_factory=list)
    excused: list[date] = field(default_factory=list)
    missed: list[date] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.attended) + len(self.excused) + len(self.missed)


def summarise_member(entries: Iterable[tuple[date, str]]) -> MemberRecord:
    """Group (local date, status) pairs into attended / excused / missed."""
    record = MemberRecord()
    buckets = {
        Status.PRESENT: record.attended,
        Status.EXCUSED: record.excused,
        Status.ABSENT: record.missed,
    }
    for day, status in sorted(entries, key=lambda e: e[0]):
        buckets[Status(status)].append(day)
    return record


def per_session_totals(
    sessions: Sequence[int], entries: Iterable[tuple[int, str]]
) -> dict[int, dict[Status, int]]:
    """Per session id: how many present, excused and absent (for tables and charts)."""
    totals = {sid: dict.fromkeys(Status, 0) for sid in sessions}
    for session_id, status in entries:
        if session_id in totals:
            totals[session_id][Status(status)] += 1
    return totals


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a training portfolio needs: who, where, with whom, when, how often.

    `leader_names`: who led the sessions attended (not who leads the group today);
    `led_by`: for each attended date, who led that session (empty: not recorded).
    """

    member_name: str
    group_name: str
    leader_names: tuple[str, ...]
    period_start: date | None
    period_end: date | None
    attended: tuple[date, ...]
    sessions_held: int
    led_by: tuple[tuple[str, ...], ...]


def certificate(
    member_name: str,
    group_name: str,
    record: MemberRecord,
    led_by: Iterable[tuple[date, Sequence[str]]],
) -> Certificate:
    """The certificate's content: the period spans every session on the member's record;
    `led_by` pairs each attended session's date with its recorded leaders."""
    every = sorted(record.attended + record.excused + record.missed)
    by_day: dict[date, list[str]] = {}
    for day, leaders in led_by:
        shown = by_day.setdefault(day, [])
        shown += [name for name in leaders if name not in shown]
    per_date = tuple(tuple(by_day.get(day, ())) for day in record.attended)
    return Certificate(
        member_name=member_name,
        group_name=group_name,
        leader_names=tuple(dict.fromkeys(name for led in per_date for name in led)),
        period_start=every[0] if every else None,
        period_end=every[-1] if every else None,
        attended=tuple(record.attended),
        sessions_held=len(every),
        led_by=per_date,
    )
