"""/group leaders: the leaders' channel, the store, then the group role for new leaders.

Why apart from cogs/_groups_admin.py: naming leaders touches the leaders' channel,
roles and the store, and must leave nothing half-made when Discord refuses a step
(issue 3). The channel is edited first, then the store; if a grant then fails,
the channel, the grants and the store are put back. A leader who steps down
without ever accepting the agreement had the role only by the leaders'
exception: it is taken away, and the agreement DM asks them to agree like any
member.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.agreement import has_access
from bot.domain.groups import LeaderChange
from bot.errors import UserError
from bot.store import consents
from bot.store import groups as store
from bot.store.groups import Group
from bot.texts import groups as texts
from cogs import _groups_setup as setup_

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def apply_leaders(
    bot: BalintBot, guild: discord.Guild, group: Group, change: LeaderChange
) -> None:
    """Fix the leaders' channel, store, grant the role to new leaders (all or nothing)."""
    reason = texts.AUDIT_REASON.format(command="leaders")
    role = guild.get_role(group.role_id) if group.role_id else None
    channel = guild.get_channel(group.leaders_channel_id) if group.leaders_channel_id else None
    if role is None or channel is None:
        raise UserError(texts.ROLE_MISSING)
    before = [m.user_id for m in await store.leaders(bot.db, group.id)]
    try:
        await channel.edit(
            overwrites=setup_.leaders_overwrites(guild, role, change.leaders), reason=reason
        )
    except discord.HTTPException as exc:
        raise setup_.SetupFailed("overwrite", exc) from exc
    # Stored before the grants: a grant's GUILD_MEMBER_UPDATE may be handled before its REST
    # answer, and the role watch (cogs/_groups_role_watch.py) must find a leader there.
    now = bot.clock.now()
    previous: dict[int, store.Membership | None] = {}
    async with bot.db.transaction():
        for user_id in change.leaders:
            previous[user_id] = await store.membership(bot.db, group.id, user_id)
            await store.add_member(bot.db, group.id, user_id, change.role_of(user_id), now)
        for user_id in change.stepping_down:
            previous[user_id] = await store.membership(bot.db, group.id, user_id)
            await store.set_role(bot.db, group.id, user_id, "member")
    joined = [
        uid for uid in change.leaders if (was := previous[uid]) is None or was.left_at is not None
    ]
    granted: list[discord.Member] = []
    try:
        for user_id in change.leaders:
            member = guild.get_member(user_id)
            if member is not None and role not in member.roles:
                await setup_.grant(member, role, reason)
                granted.append(member)
    except setup_.SetupFailed:
        await _undo(guild, role, channel, before, granted, reason)
        async with bot.db.transaction():
            for user_id, was in previous.items():
                await store.restore_membership(bot.db, group.id, user_id, was)
        raise
    for user_id in joined:
        bot.dispatch("balint_group_member_added", group.id, user_id)
    for user_id in change.stepping_down:
        await _step_down(bot, guild, group, role, user_id, reason)
    bot.dispatch("balint_group_leaders_changed", group.id)


async def _step_down(
    bot: BalintBot,
    guild: discord.Guild,
    group: Group,
    role: discord.Role,
    user_id: int,
    reason: str,
) -> None:
    """A former leader who never agreed is now a member without access: role off, DM."""
    latest = await consents.latest(bot.db, group.id, user_id)
    if has_access(latest, group.agreement_version):
        return
    member = guild.get_member(user_id)
    if member is not None and role in member.roles:
        try:
            await setup_.revoke(member, role, reason)
        except setup_.SetupFailed as failed:
            log.warning(
                "role %s not taken from former leader %s of group %s: %s",
                role.id,
                user_id,
                group.id,
                failed.error.status,
            )
    # cogs/agreement.py sends the agreement DM, as to a new member.
    bot.dispatch("balint_group_leader_stepped_down", group.id, user_id)


async def _undo(
    guild: discord.Guild,
    role: discord.Role,
    channel: discord.abc.GuildChannel,
    before: list[int],
    granted: list[discord.Member],
    reason: str,
) -> None:
    """Best effort after a refused grant: the channel as it was, and no role left behind."""
    try:
        await channel.edit(overwrites=setup_.leaders_overwrites(guild, role, before), reason=reason)
    except discord.HTTPException as exc:
        log.warning("leaders' channel %s not put back: %s", channel.id, exc.status)
    for member in granted:
        try:
            await setup_.revoke(member, role, reason)
        except setup_.SetupFailed as failed:
            log.warning(
                "role %s not taken back from user %s: %s", role.id, member.id, failed.error.status
            )
