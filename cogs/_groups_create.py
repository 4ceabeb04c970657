"""/group create: the group's role, category and channels, its leaders, all or nothing.

Apart from cogs/groups.py (which keeps the command's signature) so that the
cog stays one screenful per idea; the Discord objects and their rollback are
in cogs/_groups_setup.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.access import require
from bot.domain.access import Action
from bot.domain.groups import NAME_MAX, clean_name, leader_roles, name_problem
from bot.domain.timeparse import validate_zone
from bot.errors import UserError, reply
from bot.permissions_needed import missing as missing_permissions
from bot.store import groups as store
from bot.texts import groups as texts
from cogs import _groups_members as group_members
from cogs import _groups_setup as setup_
from cogs._groups_members import ADDED
from cogs._groups_setup import SetupFailed, failure_text

if TYPE_CHECKING:
    from bot.app import BalintBot


def mentions(user_ids: list[int]) -> str:
    return ", ".join(f"<@{uid}>" for uid in user_ids) or texts.INFO_NOBODY


def as_member(guild: discord.Guild, user: discord.Member | discord.User) -> discord.Member:
    member = user if isinstance(user, discord.Member) else guild.get_member(user.id)
    if member is None:
        raise UserError(texts.NOT_ON_SERVER.format(user=user.mention))
    return member


async def create_group(
    bot: BalintBot,
    interaction: discord.Interaction,
    name: str,
    timezone: str,
    leader: discord.Member | None,
    co_leader: discord.Member | None,
) -> None:
    """One create per server at a time: two organisers naming the same group at once get
    "already exists" for the second, not a half-built group or an error."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    async with bot.locks["group create", interaction.guild_id or 0]:
        await _create_group(bot, interaction, name, timezone, leader, co_leader)


async def _create_group(
    bot: BalintBot,
    interaction: discord.Interaction,
    name: str,
    timezone: str,
    leader: discord.Member | None,
    co_leader: discord.Member | None,
) -> None:
    """Validate, build the Discord objects, store the group; undo the objects if storing fails."""
    await require(bot, interaction, Action.GROUP_CREATE, None)
    guild = interaction.guild
    assert guild is not None
    name = clean_name(name)
    problem = name_problem(name)
    if problem is not None:
        raise UserError(texts.NAME_PROBLEMS[problem].format(limit=NAME_MAX))
    zone = validate_zone(timezone)
    if isinstance(zone, str):
        raise UserError(texts.ZONE_PROBLEMS[zone].format(zone=timezone.strip()[:40]))
    lead = as_member(guild, leader or interaction.user)
    co = as_member(guild, co_leader) if co_leader is not None else None
    if lead.bot or (co is not None and co.bot):
        raise UserError(texts.NO_BOTS_AS_LEADER)
    try:
        roles = leader_roles(lead.id, co.id if co else None)
    except ValueError:
        raise UserError(texts.SAME_LEADER_TWICE) from None
    if await store.by_name(bot.db, guild.id, name) is not None:
        raise UserError(texts.DUPLICATE_NAME.format(name=name))
    missing = setup_.missing_bot_permissions(guild)
    if missing:
        raise UserError(texts.BOT_LACKS.format(permissions=" and ".join(missing)))
    reason = texts.AUDIT_REASON.format(command="create")
    leaders = [lead] + ([co] if co else [])
    try:
        objects = await setup_.build(guild, name, leaders, reason)
    except SetupFailed as failed:
        raise UserError(failure_text(failed)) from None
    assert objects.role and objects.category and objects.lobby and objects.leaders
    now = bot.clock.now()
    try:
        async with bot.db.transaction():
            group_id = await store.create(
                bot.db,
                guild_id=guild.id,
                name=name,
                zone=zone.key,
                now=now,
                quorum=bot.settings.quorum,
                max_cases=bot.settings.max_cases,
            )
            # The leaders first, then the role's id: whoever looks the role up (the role
            # watch, cogs/_groups_role_watch.py) finds its holders in the store with it.
            for user_id, role in roles:
                await store.add_member(bot.db, group_id, user_id, role, now)
            await store.set_discord_ids(
                bot.db,
                group_id,
                role_id=objects.role.id,
                category_id=objects.category.id,
                lobby_channel_id=objects.lobby.id,
                leaders_channel_id=objects.leaders.id,
            )
            # Leaders have the role from setup_.build; the agreement DM is a stored timer,
            # so a crash after this write cannot lose it (cogs/_groups_members.py).
            follow_ups = [
                await group_members.store_follow_up(bot, guild.id, group_id, m.id, ADDED)
                for m in leaders
            ]
    except BaseException:
        await objects.undo(reason)
        raise
    for timer in follow_ups:
        await bot.timers.fire(timer.id)
    answer = texts.CREATED.format(
        name=name,
        lobby=objects.lobby.mention,
        leaders=objects.leaders.mention,
        leader_list=mentions([m.id for m in leaders]),
        zone=zone.key,
    )
    lacking = missing_permissions(guild.me.guild_permissions)
    if lacking:  # the group is made, but the organiser learns now what a session will need
        answer += texts.CREATED_LACKS.format(permissions=", ".join(lacking))
    await reply(interaction, answer)
