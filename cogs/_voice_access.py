"""Whoever may no longer join a session's voice channel is taken out of it.

Why: Discord checks Connect when a member joins a voice channel, not while they are
in it. A member the leaders remove during a meeting (or whose role /privacy forget,
the role watch, an archive or an admin takes away) loses the group role and so the
channel's Connect, yet stays connected and goes on hearing the case. So after any
change of a member's roles, and at each READY for changes missed while the bot was
down, a member in a session's voice channel who may no longer view or connect to it
is disconnected (Move Members). Ids only are logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import sessions as session_store
from bot.texts import facilitation as texts

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


def locked_out(member: discord.Member, channel: discord.abc.GuildChannel) -> bool:
    """May this member no longer be in the channel (no View Channel or no Connect)?"""
    perms = channel.permissions_for(member)
    return not (perms.view_channel and perms.connect)


async def eject_if_locked_out(bot: BalintBot, member: discord.Member) -> bool:
    """Disconnect the member from a session's voice channel they may no longer join.

    True if they were disconnected; a refusal is logged (ids and codes only).
    """
    channel = member.voice.channel if member.voice else None
    if member.bot or channel is None or not locked_out(member, channel):
        return False
    session = await session_store.by_voice_channel(bot.db, channel.id)
    if session is None or session.purged_at is not None:
        return False  # not a session's channel: none of the bot's business
    try:
        await member.move_to(None, reason=texts.VOICE_LOCKED_OUT_REASON)
    except REST_FAULTS as exc:  # a reset too: the others at READY are still checked
        log.warning(
            "user %s not taken out of voice channel %s: %s",
            member.id,
            channel.id,
            fault_code(exc),
        )
        return False
    log.info("user %s taken out of session %s's voice channel", member.id, session.id)
    return True


async def eject_all(bot: BalintBot) -> int:
    """At READY: everyone connected to a session's voice channel is checked again."""
    count = 0
    for guild in bot.guilds:
        for channel in guild.voice_channels:
            for member in list(channel.members):
                count += await eject_if_locked_out(bot, member)
    return count
