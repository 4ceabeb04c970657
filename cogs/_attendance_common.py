"""Shared shell helpers of attendance and pulse: session dates, names, date options."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import discord

from bot.domain.attendance import local_date, nearest_dates
from bot.domain.timeparse import ParseError, parse_date
from bot.errors import UserError
from bot.store import attendance as store
from bot.store.attendance import SessionRef
from bot.store.groups import Group
from bot.texts import attendance as texts

if TYPE_CHECKING:
    from bot.app import BalintBot


def session_date(session: SessionRef, zone: str) -> date:
    """The session's date in the group's zone (the date members and leaders speak of)."""
    moment = session.moment
    if moment is None:  # ended: ended_at, live: started_at; defensive only
        raise ValueError("session_without_time")
    return local_date(moment, zone)


def parse_date_option(text: str) -> date:
    try:
        return parse_date(text)
    except ParseError as exc:
        raise UserError(texts.BAD_DATE.format(text=text.strip()[:40])) from exc


async def pick_session(bot: BalintBot, group: Group, text: str | None) -> SessionRef:
    """The session on that local date (the latest one if none given), ended or running.

    The meeting running now is the latest: a leader correcting attendance during a
    meeting (a member who joined by phone) corrects that meeting, not the previous one.
    """
    sessions = await store.ended_sessions(bot.db, group.id)
    live = await store.live_session(bot.db, group.id)
    if live is not None:
        sessions.append(live)
    if not sessions:
        raise UserError(texts.NO_SESSIONS_YET.format(group=group.name))
    if text is None:
        return sessions[-1]
    wanted = parse_date_option(text)
    dated = [(session_date(s, group.zone), s) for s in sessions]
    matching = [s for day, s in dated if day == wanted]
    if matching:
        return matching[-1]
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
