"""Shared shell helpers of attendance and pulse: session dates, names, date options."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from bot.domain.attendance import local_date, nearest_dates
from bot.domain.timeparse import ParseError, parse_date, parse_hhmm
from bot.errors import UserError
from bot.store import attendance as store
from bot.store.attendance import SessionRef
from bot.store.groups import Group
from bot.texts import attendance as texts

if TYPE_CHECKING:
    from bot.app import BalintBot


def session_date(session: SessionRef, zone: str) -> date:
    """The session's date in the zone it was held in (the date members and leaders speak
    of): the group's, or the one it had then if it changed since."""
    moment = session.moment
    if moment is None:  # ended: ended_at, live: started_at; defensive only
        raise ValueError("session_without_time")
    return local_date(moment, session.zone(zone))


def parse_date_option(text: str) -> date:
    try:
        return parse_date(text)
    except ParseError as exc:
        raise UserError(texts.BAD_DATE.format(text=text.strip()[:40])) from exc


def _date_and_time(text: str) -> tuple[date, time | None]:
    """ "2026-11-24" or "2026-11-24 10:00" (the time picks one of two meetings that day)."""
    parts = text.split()
    if len(parts) != 2:
        return parse_date_option(text), None
    try:
        return parse_date(parts[0]), parse_hhmm(parts[1])
    except ParseError as exc:
        raise UserError(texts.BAD_DATE_TIME.format(text=text.strip()[:40])) from exc


def _local_start(session: SessionRef, zone: str) -> datetime:
    moment = session.moment
    assert moment is not None
    return moment.astimezone(ZoneInfo(session.zone(zone)))


async def pick_session(bot: BalintBot, group: Group, text: str | None) -> SessionRef:
    """The session on that local date (the latest one if none given), ended or running.

    The meeting running now is the latest: a leader correcting attendance during a
    meeting (a member who joined by phone) corrects that meeting, not the previous one.
    Two meetings on the date: the time given picks the one that started nearest to it;
    without one, the leader is asked for it rather than given the later by default.
    """
    sessions = await store.ended_sessions(bot.db, group.id)
    live = await store.live_session(bot.db, group.id)
    if live is not None:
        sessions.append(live)
    if not sessions:
        raise UserError(texts.NO_SESSIONS_YET.format(group=group.name))
    if text is None:
        return sessions[-1]
    wanted, at = _date_and_time(text)
    dated = [(session_date(s, group.zone), s) for s in sessions]
    matching = [s for day, s in dated if day == wanted]
    if len(matching) == 1:
        return matching[0]
    if matching and at is not None:
        minutes = at.hour * 60 + at.minute

        def distance(session: SessionRef) -> int:
            start = _local_start(session, group.zone)
            return abs(start.hour * 60 + start.minute - minutes)

        return min(matching, key=distance)
    if matching:
        times = [_local_start(s, group.zone).strftime("%H:%M") for s in matching]
        raise UserError(
            texts.SEVERAL_ON.format(
                group=group.name,
                date=wanted.isoformat(),
                times=", ".join(times),
                zone=group.zone,
                local=", ".join(
                    discord.utils.format_dt(_local_start(s, group.zone), "f") for s in matching
                ),
                example=f"{wanted.isoformat()} {times[0]}",
            )
        )
    nearest = nearest_dates((day for day, _s in dated), wanted)
    raise UserError(
        texts.NO_SESSION_ON.format(
            group=group.name,
            date=wanted.isoformat(),
            nearest=", ".join(day.isoformat() for day in nearest),
        )
    )


def display_name(guild: discord.Guild | None, user_id: int) -> str:
    """The name shown now, from Discord's member cache; never stored."""
    member = guild.get_member(user_id) if guild is not None else None
    return member.display_name if member is not None else texts.UNKNOWN_NAME
