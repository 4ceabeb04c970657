"""The Discord side of /privacy forget: mutes lifted, overwrites put back, roles taken.

Apart from cogs/_privacy_forget.py (the erasure and what follows it) to keep each file
short. Each step is safe to run again: a restart re-runs what a crash cut short.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import groups as group_store
from bot.store import session_perms
from bot.texts import privacy as texts
from cogs._session_apply import current_pair

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def lift_mutes(bot: BalintBot, user_id: int) -> list[int]:
    """Lift every voice mute the bot set on them; the servers where Discord refused.

    A server mute holds in every voice channel of the server and only the bot knows it
    set it: erased unlifted, it would stay for good.
    """
    held = []
    for mute in await session_perms.mutes_of_user(bot.db, user_id):
        try:
            await bot.http.edit_member(
                mute.guild_id, user_id, mute=False, reason=texts.FORGET_AUDIT_REASON
            )
        except REST_FAULTS as exc:  # 40032: not in voice; lifted at the next join
            log.info("mute of user %s not lifted yet: %s", user_id, fault_code(exc))
            held.append(mute.guild_id)
    return held


async def restore_overwrites(bot: BalintBot, user_id: int) -> None:
    """Put back each channel overwrite the bot changed for them (the floor, a leader's).

    Erased first, the saved original would be lost: the meeting, moving the floor on,
    would take the bot's own overwrite for the original, keep it and save it anew.
    """
    for channel_id, allow, deny in await session_perms.saved_for_target(bot.db, user_id):
        channel = bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel):
            continue  # deleted with its session: nothing to put back
        if current_pair(channel, user_id) == ((allow, deny) if allow or deny else None):
            continue
        try:
            if allow or deny:
                await bot.http.edit_channel_permissions(
                    channel_id, user_id, str(allow), str(deny), 1, reason=texts.FORGET_AUDIT_REASON
                )
            else:
                await bot.http.delete_channel_permissions(
                    channel_id, user_id, reason=texts.FORGET_AUDIT_REASON
                )
        except REST_FAULTS as exc:
            log.warning(
                "overwrite of user %s on channel %s not put back: %s",
                user_id,
                channel_id,
                fault_code(exc),
            )


async def leave_leaders_channel(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """A leader sees the leaders' channel through their own overwrite, not the role: remove it.

    Returns False only when Discord refused. The session channel's allow of a leader
    goes with the leaders-changed event, as when a leader steps down.
    """
    group = await group_store.get(bot.db, group_id)
    guild = bot.get_guild(group.guild_id) if group else None
    if group is None or guild is None:
        return True
    bot.dispatch("balint_group_leaders_changed", group.id)
    channel = guild.get_channel(group.leaders_channel_id or 0)
    if channel is None or not any(o.id == user_id for o in channel.overwrites):
        return True
    try:
        # The raw route: they may have left the server, and discord.py wants a Member here.
        await bot.http.delete_channel_permissions(
            channel.id, user_id, reason=texts.FORGET_AUDIT_REASON
        )
        return True
    except REST_FAULTS as exc:
        log.warning(
            "could not remove user %s from group %s's leaders channel: %s",
            user_id,
            group.id,
            fault_code(exc),
        )
        return False


async def take_role(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """The store no longer knows them as a member, so Discord should not either.

    Returns False only when the role is still theirs because Discord refused.
    """
    group = await group_store.get(bot.db, group_id)
    guild = bot.get_guild(group.guild_id) if group else None
    if group is None or guild is None or group.role_id is None:
        return True
    member = guild.get_member(user_id)
    role = guild.get_role(group.role_id)
    if member is None or role is None or role not in member.roles:
        return True
    try:
        await member.remove_roles(role, reason=texts.FORGET_AUDIT_REASON)
        return True
    except REST_FAULTS as exc:
        log.warning(
            "could not remove group %s's role from user %s: %s",
            group.id,
            user_id,
            fault_code(exc),
        )
        return False
