"""/group: create a Balint group's private space, and manage its members and leaders.

The rules (name, size, leaders) are in bot/domain/groups.py; /group create's
work in cogs/_groups_create.py; /group add's and remove's in cogs/_groups_members.py;
/group leaders' in cogs/_groups_leaders.py; the Discord objects and their rollback
in cogs/_groups_setup.py; info, list, archive and repair in cogs/_groups_admin.py;
a new time zone in cogs/_groups_timezone.py;
a member back on the server in cogs/_groups_presence.py; hand deletions in
cogs/_groups_deletions.py; the group's role given by hand to someone who may not
hold it in cogs/_groups_role_watch.py.
Every command checks the caller in code with bot.access.require.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import group_autocomplete, guild_id_of, require, resolve_group
from bot.domain.access import Action
from bot.domain.groups import SizeVerdict, change_leaders
from bot.domain.timeparse import zone_suggestions
from bot.errors import UserError, reply, reply_lines
from bot.store import groups as store
from bot.store import role_takebacks
from bot.store.groups import Group
from bot.texts import agreement as agreement_texts
from bot.texts import groups as texts
from cogs import _groups_admin as admin
from cogs import _groups_deletions as deletions
from cogs import _groups_members as group_members
from cogs import _groups_role_watch as role_watch
from cogs import _groups_setup as setup_
from cogs import _leaders_channel_watch as leaders_channel_watch
from cogs import _session_channel_gone as channel_gone
from cogs._agreement_commands import AgreementCommands
from cogs._groups_create import as_member, create_group, mentions
from cogs._groups_leaders import K_FOLLOW_UP, apply_leaders, follow_up, tell_leaders_channel
from cogs._groups_presence import give_roles_back
from cogs._groups_setup import SetupFailed, failure_text
from cogs._groups_timezone import K_LOBBY_LINE, change_zone, tell_lobby
from cogs._voice_access import eject_all, eject_if_locked_out

if TYPE_CHECKING:
    from bot.app import BalintBot


class Groups(commands.Cog):
    group = app_commands.Group(
        name="group",
        description="Balint groups: private spaces, members and leaders",
        guild_only=True,
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(admin.ArchiveButton)
        # Re-run after a crash (cogs/_groups_leaders.py: nothing twice); never too late.
        self.bot.timers.register(
            K_FOLLOW_UP, lambda t: follow_up(self.bot, t), grace=None, idempotent=True
        )
        self.bot.timers.register(  # the same for /group add and remove (_groups_members.py)
            group_members.K_MEMBER_FOLLOW_UP,
            lambda t: group_members.follow_up(self.bot, t),
            grace=None,
            idempotent=True,
        )
        # Not re-run after a crash mid-way: the lobby line is lost rather than posted twice.
        self.bot.timers.register(
            K_LOBBY_LINE, lambda t: tell_lobby(self.bot, t), members_facing=True
        )
        self.group.add_command(AgreementCommands())  # /group agreement (cogs/agreement.py)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(admin.ArchiveButton)

    # -- autocomplete --------------------------------------------------------------------

    async def _zone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        preferred = self.bot.settings.default_timezone
        zones = zone_suggestions(current, preferred=preferred)
        return [app_commands.Choice(name=z, value=z) for z in zones]

    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)

    # -- /group create -------------------------------------------------------------------

    @group.command(name="create", description="Create a Balint group with its private channels")
    @app_commands.describe(
        name="The group's name",
        timezone="The group's time zone, e.g. Europe/London",
        leader="Who leads the group (default: you)",
        co_leader="A second leader, with the same full control",
    )
    async def create(
        self,
        interaction: discord.Interaction,
        name: str,
        timezone: str,
        leader: discord.Member | None = None,
        co_leader: discord.Member | None = None,
    ) -> None:
        await create_group(self.bot, interaction, name, timezone, leader, co_leader)

    @create.autocomplete("timezone")
    async def _create_zone(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._zone_choices(interaction, current)

    # -- /group add, /group remove ---------------------------------------------------------

    async def _active_group(self, interaction: discord.Interaction, name: str | None) -> Group:
        group = await resolve_group(self.bot, interaction, name)
        if group.archived:
            raise UserError(texts.ARCHIVED.format(name=group.name))
        return group

    @group.command(name="add", description="Add a member to your group (leaders)")
    @app_commands.describe(member="Who joins", group="Which group (default: this channel's)")
    async def add(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        group: str | None = None,
    ) -> None:
        found = await self._active_group(interaction, group)
        await require(self.bot, interaction, Action.GROUP_ADD, found)
        guild = interaction.guild
        assert guild is not None
        target = as_member(guild, member)
        if target.bot:
            raise UserError(texts.NO_BOTS_AS_MEMBER)
        # Answered first: a second add may wait on the lock longer than Discord's 3 seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await group_members.add(self.bot, found, target)
        if added.again:  # in the store but without the role: given back
            await reply(
                interaction, texts.ROLE_GIVEN_AGAIN.format(user=target.mention, name=found.name)
            )
            return
        template = texts.ADDED if added.granted else agreement_texts.ADDED_PENDING
        lines = [template.format(user=target.mention, name=found.name, size=added.size)]
        if added.verdict is SizeVerdict.WARN:
            lines.append(texts.SIZE_WARNING.format(name=found.name, size=added.size))
        await reply(interaction, "\n".join(lines))

    @add.autocomplete("group")
    async def _add_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    @group.command(name="remove", description="Remove a member from your group (leaders)")
    @app_commands.describe(member="Who leaves", group="Which group (default: this channel's)")
    async def remove(
        self,
        interaction: discord.Interaction,
        # Not only discord.Member: someone who left the server resolves to a User only,
        # and must still be removable (their membership outlives the server).
        member: discord.Member | discord.User,
        group: str | None = None,
    ) -> None:
        found = await self._active_group(interaction, group)
        await require(self.bot, interaction, Action.GROUP_REMOVE, found)
        guild = interaction.guild
        assert guild is not None
        current = await store.membership(self.bot.db, found.id, member.id)
        if current is None or current.left_at is not None:
            raise UserError(texts.NOT_A_MEMBER.format(user=member.mention, name=found.name))
        if current.is_leader:
            raise UserError(texts.REMOVE_LEADER.format(user=member.mention, name=found.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        await group_members.remove(self.bot, found, member.id)
        await reply(interaction, texts.REMOVED.format(user=member.mention, name=found.name))

    @remove.autocomplete("group")
    async def _remove_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    # -- /group leaders ----------------------------------------------------------------------

    @group.command(name="leaders", description="Name the group's leader and co-leader")
    @app_commands.describe(
        leader="The leader",
        co_leader="A second leader, with the same full control",
        group="Which group (default: this channel's)",
    )
    async def leaders(
        self,
        interaction: discord.Interaction,
        leader: discord.Member,
        co_leader: discord.Member | None = None,
        group: str | None = None,
    ) -> None:
        found = await self._active_group(interaction, group)
        await require(self.bot, interaction, Action.GROUP_LEADERS, found)
        guild = interaction.guild
        assert guild is not None
        lead = as_member(guild, leader)
        co = as_member(guild, co_leader) if co_leader is not None else None
        if lead.bot or (co is not None and co.bot):
            raise UserError(texts.NO_BOTS_AS_LEADER)
        if co is not None and co.id == lead.id:
            raise UserError(texts.SAME_LEADER_TWICE)
        await interaction.response.defer(ephemeral=True, thinking=True)
        # One change at a time: two at once both read the same leaders, and neither
        # stepped the other's choice down (three leaders, the channel showing one change).
        async with self.bot.locks["group leaders command", found.id]:
            current = [m.user_id for m in await store.leaders(self.bot.db, found.id)]
            try:
                change = change_leaders(current, lead.id, co.id if co else None)
            except ValueError:
                raise UserError(texts.SAME_LEADER_TWICE) from None
            try:
                await apply_leaders(self.bot, guild, found, change)
            except SetupFailed as failed:
                raise UserError(failure_text(failed)) from None
        await tell_leaders_channel(guild, found, change, current)
        lines = [
            texts.LEADERS_SET.format(name=found.name, leader_list=mentions(list(change.leaders)))
        ]
        if change.stepping_down:
            lines.append(
                texts.LEADERS_STEPPED_DOWN.format(member_list=mentions(list(change.stepping_down)))
            )
        await reply(interaction, "\n".join(lines))

    @leaders.autocomplete("group")
    async def _leaders_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    # -- /group timezone: cogs/_groups_timezone.py ----------------------------------------

    @group.command(name="timezone", description="Change the group's time zone; times stay local")
    @app_commands.describe(
        zone="The new time zone, e.g. Australia/Sydney",
        group="Which group (default: this channel's)",
    )
    async def timezone(
        self, interaction: discord.Interaction, zone: str, group: str | None = None
    ) -> None:
        found = await self._active_group(interaction, group)
        await require(self.bot, interaction, Action.GROUP_TIMEZONE, found)
        await change_zone(self.bot, interaction, found, zone)

    @timezone.autocomplete("zone")
    async def _timezone_zone(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._zone_choices(interaction, current)

    @timezone.autocomplete("group")
    async def _timezone_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    # -- /group info, list, archive, repair: cogs/_groups_admin.py ------------------------

    @group.command(name="info", description="Members, leaders, time zone and next session")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def info(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.GROUP_INFO, found)
        await reply(interaction, embed=await admin.info_embed(self.bot, found))

    @info.autocomplete("group")
    async def _info_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    @group.command(name="list", description="The groups you lead or belong to")
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        await require(self.bot, interaction, Action.GROUP_LIST, None)
        await reply(interaction, embed=await admin.list_embed(self.bot, interaction, guild_id))

    @group.command(name="archive", description="Archive a group: read-only lobby, records kept")
    @app_commands.describe(group="Which group")
    async def archive(self, interaction: discord.Interaction, group: str) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.GROUP_ARCHIVE, found)
        if found.archived:
            raise UserError(texts.ALREADY_ARCHIVED.format(name=found.name))
        await admin.refuse_if_live(self.bot, found)
        view = discord.ui.View(timeout=None)
        view.add_item(admin.ArchiveButton(found.id, interaction.user.id))
        await reply(interaction, texts.ARCHIVE_CONFIRM.format(name=found.name), view=view)

    @archive.autocomplete("group")
    async def _archive_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    @group.command(name="repair", description="Recreate the group's missing role or channels")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def repair(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._active_group(interaction, group)
        await require(self.bot, interaction, Action.GROUP_REPAIR, found)
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        missing = setup_.missing_bot_permissions(guild)
        if missing:
            raise UserError(texts.BOT_LACKS.format(permissions=" and ".join(missing)))
        try:
            parts = await admin.repair(self.bot, guild, found)
        except SetupFailed as failed:
            raise UserError(failure_text(failed)) from None
        # Holders of the role who may not hold it (given by hand): taken back, leaders told.
        taken = await role_watch.check_group(self.bot, guild, found)
        # Only the leaders read the leaders' channel (a hand-made overwrite, a crash).
        reset = await leaders_channel_watch.check_group(self.bot, guild, found)
        what = ", ".join(texts.REPAIR_PARTS[p] for p in parts)
        lines = [
            texts.REPAIRED.format(name=found.name, what=what)
            if parts
            else texts.NOTHING_TO_REPAIR.format(name=found.name)
        ]
        lines += role_watch.summary(taken)
        if reset:
            lines.append(texts.LEADERS_CHANNEL_RESET.format(count=reset))
        await reply_lines(interaction, lines)

    @repair.autocomplete("group")
    async def _repair_group(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._group_choices(interaction, current)

    # -- a member of a group comes back to the server (Discord dropped their roles) ---------

    @commands.Cog.listener("on_member_join")
    async def _member_joined(self, member: discord.Member) -> None:
        await give_roles_back(self.bot, member)

    # -- a group's role given by hand to someone who may not hold it -------------------------

    @commands.Cog.listener("on_raw_member_remove")
    async def _member_left(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A refused take-back is kept until the role is gone: leaving the server takes it."""
        await role_takebacks.forget_on_server(self.bot.db, payload.guild_id, payload.user.id)

    @commands.Cog.listener("on_member_update")
    async def _member_updated(self, before: discord.Member, after: discord.Member) -> None:
        await role_watch.on_roles_added(self.bot, before, after)
        if before.roles != after.roles:
            await eject_if_locked_out(self.bot, after)

    # -- hand deletions ----------------------------------------------------------------------

    @commands.Cog.listener("on_guild_channel_delete")
    async def _channel_deleted(self, channel: discord.abc.GuildChannel) -> None:
        await channel_gone.channel_deleted(self.bot, channel.guild.id, channel.id)
        await deletions.notice_deletion(self.bot, channel.guild, channel.id, is_role=False)

    @commands.Cog.listener("on_guild_role_delete")
    async def _role_deleted(self, role: discord.Role) -> None:
        await deletions.notice_deletion(self.bot, role.guild, role.id, is_role=True)

    @commands.Cog.listener("on_ready")
    async def _changed_while_away(self) -> None:
        """Every READY: a fresh IDENTIFY replays no deletions and no role changes, so compare
        with the guild: deleted parts first (their ids are cleared), then the roles' holders."""
        await deletions.notice_missing(self.bot)
        await channel_gone.forget_missing(self.bot)
        await role_watch.check_all(self.bot)
        await leaders_channel_watch.check_all(self.bot)
        await eject_all(self.bot)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Groups(bot))
