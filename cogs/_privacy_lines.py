"""One plain line per record in the summary of /privacy export.

Why: the people reading it are GPs, not developers. Each line names the group and the
meeting instead of internal numbers, and every time in ISO 8601 with its offset in the
group's time zone. A line says only what the record says about the member: never who
else came, led or answered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord

from bot.domain.groups import name_key
from bot.permissions_needed import label
from bot.store.data_kind import DataKind, is_time
from bot.store.privacy import ExportNames
from bot.texts import privacy_export as texts
from bot.texts.facilitation import PHASE_NAMES
from bot.texts.pulse import QUESTION_TEXT

Row = dict[str, Any]


def _word(words: dict[Any, str], value: Any) -> str:
    return words.get(value, str(value))


class Namer:
    """Internal numbers to the names a member knows, and epoch seconds to local times."""

    def __init__(self, names: ExportNames, guilds: dict[int, str], channels: dict[int, str]):
        self.names = names
        self.guilds = guilds
        self.channels = channels

    def zone(self, group_id: int | None, session_id: int | None = None) -> ZoneInfo:
        """The group's zone; a meeting's own if it was held before the group changed zone."""
        group = self.names.groups.get(group_id or 0)
        session = self.names.sessions.get(session_id or 0)
        name = (session or {}).get("held_zone") or (group["zone"] if group else "UTC")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def when(
        self, seconds: int | None, group_id: int | None = None, session_id: int | None = None
    ) -> str:
        if seconds is None:
            return texts.NOT_YET
        zone = self.zone(group_id, session_id)
        return (
            datetime.fromtimestamp(seconds, tz=UTC).astimezone(zone).isoformat(timespec="seconds")
        )

    def group(self, group_id: int | None) -> str:
        """The group's name, with its server when a group of another server has that name
        too (one bot serves several servers: two "Thursday Balint" lines would be alike)."""
        group = self.names.groups.get(group_id or 0)
        if group is None:
            return texts.GROUP_GONE.format(id=group_id)
        name, guild_id = group["name"], group.get("guild_id")
        twins = [
            g
            for g in self.names.groups.values()
            if name_key(g["name"]) == name_key(name) and g.get("guild_id") != guild_id
        ]
        if not twins:
            return name
        return texts.GROUP_ON_SERVER.format(group=name, server=self.server(guild_id))

    def server(self, guild_id: int | None) -> str:
        name = self.guilds.get(guild_id or 0)
        return texts.SERVER.format(name=name) if name else texts.SERVER_UNKNOWN.format(id=guild_id)

    def session_group(self, session_id: int | None) -> int | None:
        session = self.names.sessions.get(session_id or 0)
        return session["group_id"] if session else None

    def start(self, session_id: int | None) -> int | None:
        session = self.names.sessions.get(session_id or 0)
        return (session["scheduled_start"] or session["started_at"]) if session else None

    def meeting(self, session_id: int | None) -> str:
        session = self.names.sessions.get(session_id or 0)
        if session is None:
            return texts.MEETING_GONE.format(id=session_id)
        start = self.start(session_id)
        held = self.when(start, session["group_id"], session_id) if start else None
        day = held or session["occurrence_date"]
        return texts.MEETING.format(group=self.group(session["group_id"]), when=day)

    def at(self, row: Row, column: str) -> str:
        """A time of a row, in the zone of the group (or the meeting's group) it is about."""
        group_id = row.get("group_id") or self.session_group(row.get("session_id"))
        return self.when(row.get(column), group_id, row.get("session_id"))

    def task(self, timer: Row | None) -> tuple[str, str]:
        """What a timer does, and the group or meeting it is about."""
        if timer is None:
            return texts.TASK_UNKNOWN.format(kind="?"), texts.TIMER_ABOUT_NOTHING
        task = texts.TASKS.get(timer["kind"]) or texts.TASK_UNKNOWN.format(kind=timer["kind"])
        if timer.get("session_id"):
            return task, self.meeting(timer["session_id"])
        if timer.get("group_id"):
            return task, self.group(timer["group_id"])
        return task, texts.TIMER_ABOUT_NOTHING


def _membership(r: Row, n: Namer) -> str:
    group = n.names.groups.get(r["group_id"])
    left = texts.MEMBERSHIP_LEFT.format(left=n.at(r, "left_at")) if r["left_at"] else ""
    return texts.MEMBERSHIP.format(
        group=n.group(r["group_id"]),
        zone=group["zone"] if group else "UTC",
        role=_word(texts.ROLES, r["role"]),
        joined=n.at(r, "joined_at"),
        left=left,
        reminders=_word(texts.REMINDERS, r["reminders_enabled"]),
    )


def _consent(r: Row, n: Namer) -> str:
    return texts.CONSENT.format(
        group=n.group(r["group_id"]), version=r["agreement_version"], at=n.at(r, "accepted_at")
    )


def _attendance(r: Row, n: Namer) -> str:
    return texts.ATTENDANCE.format(
        meeting=n.meeting(r["session_id"]),
        status=_word(texts.STATUSES, r["status"]),
        at=n.at(r, "marked_at"),
        source=_word(texts.SOURCES, r["source"]),
    )


def _rsvp(r: Row, n: Namer) -> str:
    return texts.RSVP.format(
        meeting=n.meeting(r["session_id"]),
        answer=_word(texts.ANSWERS, r["answer"]),
        at=n.at(r, "answered_at"),
    )


def _ack(r: Row, n: Namer) -> str:
    return texts.ACK.format(meeting=n.meeting(r["session_id"]), at=n.at(r, "acked_at"))


def _led(r: Row, n: Namer) -> str:
    return texts.LED.format(meeting=n.meeting(r["session_id"]))


def _case_parts(r: Row, n: Namer, mine: dict[int, Row]) -> str:
    parts = []
    if r["started_at"] is not None:
        parts.append(texts.CASE_STARTED.format(at=n.at(r, "started_at")))
    if r["ended_at"] is not None:
        parts.append(texts.CASE_ENDED.format(at=n.at(r, "ended_at")))
    if r["followup_of"] is not None:
        earlier = mine.get(r["followup_of"])
        parts.append(
            texts.CASE_FOLLOWS.format(meeting=n.meeting(earlier["session_id"]))
            if earlier
            else texts.CASE_FOLLOWS_GONE.format(id=r["followup_of"])
        )
    parts.append(
        texts.CASE_FOLLOWUP.format(state=_word(texts.FOLLOWUP_STATES, r["followup_state"]))
    )
    if r["followup_after"] is not None:
        parts.append(texts.CASE_ASK_AFTER.format(at=n.at(r, "followup_after")))
    if r["followup_session_id"] is not None:
        parts.append(texts.CASE_ASKED_ABOUT.format(meeting=n.meeting(r["followup_session_id"])))
    if r["followup_promised_at"] is not None:
        parts.append(texts.CASE_PROMISED.format(at=n.at(r, "followup_promised_at")))
    parts.append(texts.CASE_NUMBER.format(id=r["id"]))
    return "".join(parts)


def _offer(r: Row, n: Namer) -> str:
    return texts.OFFER.format(
        meeting=n.meeting(r["session_id"]),
        kind=_word(texts.OFFER_KINDS, r["kind"]),
        at=n.at(r, "offered_at"),
    )


def _queue(r: Row, n: Namer) -> str:
    return texts.QUEUE.format(
        meeting=n.meeting(r["session_id"]),
        kind=_word(texts.QUEUE_KINDS, r["kind"]),
        position=r["position"] + 1,  # the store counts from 0; people from 1
    )


def _away(r: Row, n: Namer) -> str:
    return texts.AWAY.format(meeting=n.meeting(r["session_id"]), at=n.at(r, "since"))


def _floor(r: Row, n: Namer) -> str:
    return texts.FLOOR.format(
        meeting=n.meeting(r["id"]),
        status=_word(texts.SESSION_STATUSES, r["status"]),
        phase=_word(PHASE_NAMES, r["phase"]) if r["phase"] else texts.NONE,
    )


def _timer(r: Row, n: Namer) -> str:
    task, about = n.task(r)
    fired = texts.TIMER_FIRED.format(at=n.at(r, "fired_at")) if r["fired_at"] else ""
    return texts.TIMER.format(
        task=task,
        about=about,
        due=n.at(r, "due_at"),
        state=_word(texts.TIMER_STATES, r["state"]),
        fired=fired,
    )


def _delivery(r: Row, n: Namer) -> str:
    timer = n.names.timers.get(r["timer_id"])
    task, about = n.task(timer)
    group_id = timer and (timer["group_id"] or n.session_group(timer["session_id"]))
    message = texts.DELIVERY_MESSAGE.format(id=r["message_id"]) if r["message_id"] else ""
    return texts.DELIVERY.format(
        task=task,
        about=about,
        state=_word(texts.DELIVERY_STATES, r["state"]),
        at=n.when(r["at"], group_id, timer and timer["session_id"]),  # as its meeting's
        message=message,
    )


def _pulse(r: Row, n: Namer) -> str:
    return texts.PULSE.format(
        meeting=n.meeting(r["session_id"]), question=_word(QUESTION_TEXT, r["question"])
    )


def _mute(r: Row, n: Namer) -> str:
    server = n.server(r["guild_id"])
    meeting = n.meeting(r["session_id"]) if r["session_id"] else texts.MUTE_NO_MEETING
    return texts.MUTE.format(server=server, at=n.at(r, "muted_at"), meeting=meeting)


def _permissions(bits: int) -> str:
    names = [label(flag) for flag, on in discord.Permissions(bits) if on]
    return ", ".join(names) or texts.NONE


def _overwrite(r: Row, n: Namer) -> str:
    name = n.channels.get(r["channel_id"])
    channel = (
        texts.CHANNEL.format(name=name)
        if name
        else texts.CHANNEL_UNKNOWN.format(id=r["channel_id"])
    )
    return texts.OVERWRITE.format(
        channel=channel,
        at=n.at(r, "saved_at"),
        allowed=_permissions(r["allow_bits"]),
        denied=_permissions(r["deny_bits"]),
    )


def _takeback(r: Row, n: Namer) -> str:
    return texts.TAKEBACK.format(
        group=n.group(r["group_id"]),
        why=_word(texts.TAKEBACK_WHY, r["why"]),
        at=n.at(r, "at"),
        stuck=texts.TAKEBACK_STUCK if r["stuck"] else "",
    )


LINES: dict[str, Callable[[Row, Namer], str]] = {
    "memberships": _membership,
    "consents": _consent,
    "attendance": _attendance,
    "rsvps": _rsvp,
    "session_acks": _ack,
    "session_leaders": _led,
    "offers": _offer,
    "session_queue": _queue,
    "session_away": _away,
    "sessions": _floor,
    "timers": _timer,
    "timer_deliveries": _delivery,
    "pulse_voters": _pulse,
    "voice_mutes": _mute,
    "saved_overwrites": _overwrite,
    "role_takebacks": _takeback,
}
ORDER = ("memberships", "consents", "attendance", "rsvps", "session_acks", "session_leaders")
ORDER += ("cases", "offers", "session_queue", "session_away", "sessions", "timers")
ORDER += ("timer_deliveries", "pulse_voters", "voice_mutes", "saved_overwrites", "role_takebacks")


def other_line(kind: DataKind, r: Row, n: Namer) -> str:
    """A kind of record without its own line yet: its declared meanings, never a column name."""
    fields = [
        texts.OTHER_FIELD.format(
            meaning=kind.columns.get(column, column),
            value=n.at(r, column) if is_time(column) and value is not None else value,
        )
        for column, value in r.items()
        if not isinstance(value, bytes)
    ]
    return texts.OTHER.format(title=kind.title, fields="; ".join(fields))


def lines(table: str, found: list[Row], n: Namer, kind: DataKind | None) -> list[str]:
    """The section's lines, oldest first (by the meeting's start, else the record's time)."""

    def order(r: Row) -> tuple[int, str]:
        start = n.start(r.get("session_id") or (r.get("id") if table == "sessions" else None))
        times = [v for c, v in r.items() if is_time(c) and isinstance(v, int)]
        return (start or (min(times) if times else 0), str(sorted(r.items(), key=str)))

    rows = sorted(found, key=order)
    if table == "cases":
        mine = {r["id"]: r for r in found}
        return [
            texts.CASE.format(
                meeting=n.meeting(r["session_id"]),
                kind=_word(texts.CASE_KINDS, r["kind"]),
                position=texts.CASE_POSITION.format(n=r["position"]),
                parts=_case_parts(r, n, mine),
            )
            for r in rows
        ]
    if table in LINES:
        return [LINES[table](r, n) for r in rows]
    assert kind is not None
    return [other_line(kind, r, n) for r in rows]
