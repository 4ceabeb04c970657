"""A member of a group who left the server and comes back gets the group role again.

Why: Discord drops every role of a member who leaves the server, but the group
keeps their membership (leaving the server is not leaving the group). Without
this, an accepted member who rejoins is locked out of the group's channels, and
/group add refuses them as "already a member". The gate still holds: only a
leader, or a member who agreed to some version of the agreement, gets it back.
One who agreed only to an earlier version is asked again by DM: the round after
the change skipped them while they were away.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import fault_code
from bot.domain.agreement import Standing, has_access, standing
from bot.store import consents
from bot.store import groups as store
from bot.texts import agreement as agreement_texts
from bot.texts import groups as texts
from cogs import _agreement_dm as agreement_dm
from cogs import _groups_setup as setup_

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def missing_role(
    bot: BalintBot, group: store.Group, member: discord.Member, membership: store.Membership
) -> discord.Role | None:
    """The group's role if this current member may hold it but does not: the gate as for a
    rejoin (a leader, or a member who agreed to some version)."""
    latest = await consents.latest(bot.db, group.id, member.id)
    if not has_access(latest, group.agreement_version, is_leader=membership.is_leader):
        return None
    role = member.guild.get_role(group.role_id) if group.role_id else None
    return role if role is not None and role not in member.roles else None


async def give_roles_back(bot: BalintBot, member: discord.Member) -> None:
    """Each active group of this server the member still belongs to: the role, if allowed."""
    if member.bot:
        return
    reason = texts.AUDIT_REASON_REJOINED
    for group in await store.for_user(bot.db, member.guild.id, member.id):
        membership = await store.membership(bot.db, group.id, member.id)
        if membership is None or membership.left_at is not None:
            continue
        latest = await consents.latest(bot.db, group.id, member.id)
        if not has_access(latest, group.agreement_version, is_leader=membership.is_leader):
            continue
        role = member.guild.get_role(group.role_id) if group.role_id else None
        if role is None:
            log.warning("rejoin of user %s: group %s has no role to give", member.id, group.id)
        elif role not in member.roles:
            try:
                await setup_.grant(member, role, reason)
            except setup_.SetupFailed as failed:
                log.warning(
                    "rejoin of user %s: role %s of group %s not given: %s",
                    member.id,
                    role.id,
                    group.id,
                    fault_code(failed.error),
                )
        if standing(latest, group.agreement_version) is Standing.OUTDATED:
            # Away when the leaders changed the text: the round of DMs could not reach them.
            await agreement_dm.ask(bot, group.id, member.id, agreement_texts.DM_INTRO_CHANGED)
