"""Restart: the channels of a session start the bot died in the middle of.

Kept apart from cogs/_session_lifecycle.py (the start itself) to keep both short.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import groups as group_store
from bot.store import session_perms
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from cogs._session_apply import ApplyFailed
from cogs._session_room import Room, held_in_permanent

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def remove_crashed_start(bot: BalintBot, room: Room, session_id: int) -> None:
    """Under the group's start lock, so a start under way is never taken for a crash."""
    session = await session_store.get(bot.db, session_id)
    if session is None or session.status != session_store.PLANNED:
        return
    if session.text_channel_id is None and session.voice_channel_id is None:
        if session.occurrence_date is None:  # ad hoc, cut short before its channels
            await session_store.delete(bot.db, session.id)
        return
    group = await group_store.get(bot.db, session.group_id)
    made = [session.voice_channel_id]
    permanent = held_in_permanent(group, session)
    if not permanent:
        made.append(session.text_channel_id)
    try:
        for channel_id in filter(None, made):
            try:
                await bot.http.delete_channel(channel_id, reason=texts.PURGE_AUDIT)
            except discord.NotFound:
                pass
            await session_perms.forget_overwrites(bot.db, channel_id)
        if permanent and group is not None:
            await room.close_after_crash(session, group.role_id)
    except (*REST_FAULTS, ApplyFailed) as exc:  # refused, or the connection broke: next ready
        status = exc.status if isinstance(exc, ApplyFailed) else fault_code(exc)
        log.warning("session %s: crashed start not cleaned: %s", session.id, status)
        return
    if session.occurrence_date is None:  # ad hoc: left planned, a later start would take it
        await session_store.delete(bot.db, session.id)
    else:
        await session_store.set_channels(
            bot.db, session.id, text_channel_id=None, voice_channel_id=None
        )
    log.warning("session %s: channels of a start cut short removed", session.id)
