"""Who can read a group's leaders' channel is set again from the store at each READY.

Why: the leaders' channel is where leaders talk about their members (who has not
agreed, who missed meetings), and each leader reads it through their own member
overwrite, not the group's role. Two steps that a crash can split leave it wrong:
/group leaders edits the channel before it stores the change (a crash in between
lets a would-be leader who is no leader read it), and /privacy forget removes a
leader's overwrite after the erasure (nothing naming them is kept to finish it).
The store is the truth, as for the role watch (cogs/_groups_role_watch.py): at each
READY a member overwrite that lets anyone but a stored leader (or the bot) view the
channel goes, and a stored leader without one gets it back. Deny overwrites and
role overwrites are left as they are: they open nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import groups as store
from bot.texts import groups as texts
from cogs import _groups_setup as setup_

if TYPE_CHECKING:
    from bot.app import BalintBot
    from bot.store.groups import Group

log = logging.getLogger(__name__)


async def check_all(bot: BalintBot) -> int:
    """At READY: every group's leaders' channel the bot can see; returns the overwrites fixed."""
    fixed = 0
    for group in await store.with_role(bot.db):
        guild = bot.get_guild(group.guild_id)
        if guild is None or guild.unavailable or not group.leaders_channel_id:
            continue
        channel = guild.get_channel(group.leaders_channel_id)
        if channel is None:
            continue  # deleted: cogs/_groups_deletions.py tells the leaders
        # The same lock as /group leaders: its edit and its store write are one change.
        async with bot.locks["group leaders command", group.id]:
            fixed += await _check(bot, guild, group, channel)
    return fixed


async def check_group(bot: BalintBot, guild: discord.Guild, group: Group) -> int:
    """/group repair: this group's leaders' channel; returns the overwrites fixed."""
    fresh = await store.get(bot.db, group.id)
    channel = guild.get_channel(fresh.leaders_channel_id or 0) if fresh else None
    if fresh is None or channel is None:
        return 0
    async with bot.locks["group leaders command", group.id]:
        return await _check(bot, guild, fresh, channel)


def _readers(channel: discord.abc.GuildChannel) -> set[int]:
    """Members (by id) whose own overwrite allows viewing the channel."""
    return {
        target.id
        for target, overwrite in channel.overwrites.items()
        if not isinstance(target, discord.Role) and overwrite.view_channel
    }


async def _check(
    bot: BalintBot, guild: discord.Guild, group: Group, channel: discord.abc.GuildChannel
) -> int:
    leader_ids = {m.user_id for m in await store.leaders(bot.db, group.id)}
    readers = _readers(channel) - {guild.me.id}
    reason = texts.AUDIT_REASON.format(command="leaders")
    fixed = 0
    for user_id in readers - leader_ids:
        # The raw route: they may have left the server, and discord.py wants a Member here.
        fixed += await _done(
            bot.http.delete_channel_permissions(channel.id, user_id, reason=reason)
        )
    wanted = setup_.leaders_overwrites(guild, None, leader_ids - readers)
    for target, overwrite in wanted.items():
        if target.id in leader_ids:
            allow, deny = overwrite.pair()
            fixed += await _done(
                bot.http.edit_channel_permissions(
                    channel.id, target.id, str(allow.value), str(deny.value), 1, reason=reason
                )
            )
    if fixed:
        log.info(
            "group %s: %d overwrites of its leaders' channel set from the store", group.id, fixed
        )
    return fixed


async def _done(request: Coroutine[Any, Any, Any]) -> int:
    """One overwrite call: 1 if made; a refusal is logged and left for the next READY."""
    try:
        await request
    except REST_FAULTS as exc:  # a connection reset too: the other overwrites still follow
        log.warning("a leaders' channel overwrite was refused: %s", fault_code(exc))
        return 0
    return 1
