"""The shell side of access control: which group a command means, and may the caller act.

The rules themselves (who may do what) are the domain's table in
bot/domain/access.py; this module only gathers the facts from Discord and the
store. Every leader command calls `require`, whatever default_permissions says,
because admins can override those in Discord and subcommands ignore them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.access import Action, Actor, actors_for, is_allowed_any, who_may
from bot.errors import Refused, UserError
from bot.store import groups as group_store
from bot.store.groups import Group, Membership
from bot.texts import common as texts
from bot.texts import groups as group_texts

if TYPE_CHECKING:
    from bot.app import BalintBot


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, about which group, in which capacities."""

    user_id: int
    group: Group | None
    membership: Membership | None
    actors: frozenset[Actor]

    @property
    def is_leader(self) -> bool:
        return Actor.LEADER in self.actors or Actor.CO_LEADER in self.actors


def is_organiser(bot: BalintBot, member: discord.Member | discord.User) -> bool:
    """Manage Server, Administrator, or the organiser role named in the config."""
    if not isinstance(member, discord.Member):
        return False
    perms = member.guild_permissions
    if perms.administrator or perms.manage_guild:
        return True
    wanted = bot.settings.organiser_role.casefold()
    return any(role.name.casefold() == wanted for role in member.roles)


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise UserError(texts.GUILD_ONLY)
    return interaction.guild_id


async def resolve_group(
    bot: BalintBot, interaction: discord.Interaction, name: str | None
) -> Group:
    """The named group, else the group whose channel this is, else the caller's only group."""
    guild_id = guild_id_of(interaction)
    if name:
        group = await group_store.by_name(bot.db, guild_id, name.strip())
        if group is None:
            raise UserError(group_texts.NO_SUCH_GROUP.format(name=name.strip()[:100]))
        return group
    channel = interaction.channel
    if channel is not None:
        for channel_id in (channel.id, getattr(channel, "category_id", None)):
            if channel_id is None:
                continue
            group = await group_store.by_channel(bot.db, guild_id, channel_id)
            if group is not None:
                return group
    mine = await group_store.for_user(bot.db, guild_id, interaction.user.id)
    if len(mine) == 1:
        return mine[0]
    raise UserError(group_texts.WHICH_GROUP)


class Unread(Enum):
    """The caller's membership was not given: `caller` reads it (None is "read: no row")."""

    UNREAD = 0


UNREAD = Unread.UNREAD


async def caller(
    bot: BalintBot,
    interaction: discord.Interaction,
    group: Group | None,
    *,
    presenter_id: int | None = None,
    known: Membership | None | Unread = UNREAD,
) -> Caller:
    """`known`: the caller's row in `group` as just read with it (a button press reads it
    with the session), so it is not read again."""
    user = interaction.user
    membership = None
    other_group = False
    former: set[int] = set()
    if group is not None:
        if isinstance(known, Unread):
            membership = await group_store.membership(bot.db, group.id, user.id)
        else:
            membership = known
        if membership is not None and membership.left_at is not None:
            former, membership = {user.id}, None
        if membership is None and interaction.guild_id is not None:
            other_group = bool(await group_store.for_user(bot.db, interaction.guild_id, user.id))
    role = membership.role if membership else None
    perms = getattr(user, "guild_permissions", None)
    in_group = {user.id} if membership is not None else set()
    actors = actors_for(
        user.id,
        leaders=in_group if role == "leader" else (),
        members=in_group,
        presenter_id=presenter_id,
        is_organiser=is_organiser(bot, user),
        is_admin=bool(perms and perms.administrator),
        member_of_other_group=other_group,
        co_leaders=in_group if role == "co_leader" else (),
        former_members=former,
    )
    return Caller(user.id, group, membership, actors)


async def require(
    bot: BalintBot,
    interaction: discord.Interaction,
    action: Action,
    group: Group | None,
    *,
    presenter_id: int | None = None,
    known: Membership | None | Unread = UNREAD,
) -> Caller:
    """Refuse with a sentence naming who may, unless the domain table allows the caller
    (`known`: the caller's membership, if read already)."""
    who = await caller(bot, interaction, group, presenter_id=presenter_id, known=known)
    if not is_allowed_any(action, who.actors):
        key = who_may(action)
        raise Refused(texts.WHO_MAY[key].format(organiser_role=bot.settings.organiser_role))
    return who


async def group_autocomplete(
    bot: BalintBot, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Groups the caller belongs to (organisers: every group on the server)."""
    if interaction.guild_id is None:
        return []
    if is_organiser(bot, interaction.user):
        groups = await group_store.in_guild(bot.db, interaction.guild_id)
    else:
        groups = await group_store.for_user(bot.db, interaction.guild_id, interaction.user.id)
    needle = current.casefold().strip()
    return [
        app_commands.Choice(name=g.name[:100], value=g.name[:100])
        for g in groups
        if needle in g.name.casefold()
    ][:25]
