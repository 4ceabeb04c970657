"""/group info, list, archive and repair (hand deletions are noticed in _groups_deletions.py).

Why apart from cogs/groups.py: the command signatures live there, the work
that touches several Discord objects lives here, next to the confirmation
button (a DynamicItem, so it still works after a restart).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.access import is_organiser, require
from bot.compat import REST_FAULTS, fault_code
from bot.domain.access import Action
from bot.domain.agreement import with_access
from bot.errors import UserError, handles_errors
from bot.store import consents
from bot.store import groups as store
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.textfit import EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_LIMIT, fit
from bot.texts import groups as texts
from cogs import _groups_setup as setup_
from cogs import _schedule_plan as schedule_plan

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


def _mentions(user_ids: list[int]) -> str:
    """Whole mentions up to an embed field's 1,024 characters, then '… and N more'."""
    return fit([f"<@{uid}>" for uid in user_ids], EMBED_FIELD_LIMIT) or texts.INFO_NOBODY


# -- /group info, /group list -------------------------------------------------------------------


async def info_embed(bot: BalintBot, group: Group) -> discord.Embed:
    """Mentions only: Discord shows the names, the store never holds them."""
    memberships = await store.members(bot.db, group.id)
    leaders = [m.user_id for m in memberships if m.is_leader]
    members = [m.user_id for m in memberships if not m.is_leader]
    embed = discord.Embed(title=texts.INFO_TITLE.format(name=group.name))
    if group.archived_at is not None:
        embed.description = texts.INFO_ARCHIVED.format(
            when=discord.utils.format_dt(group.archived_at, "D")
        )
    embed.add_field(name=texts.INFO_LEADERS, value=_mentions(leaders), inline=False)
    embed.add_field(name=texts.INFO_MEMBERS, value=_mentions(members), inline=False)
    embed.add_field(name=texts.INFO_ZONE, value=group.zone)
    embed.add_field(
        name=texts.INFO_SIZE,
        value=texts.INFO_SIZE_VALUE.format(members=len(members), leaders=len(leaders)),
    )
    upcoming = await store.next_session_hint(bot.db, group.id, bot.clock.now())
    if upcoming is None:
        nxt = texts.INFO_NOT_SCHEDULED
    else:
        nxt = f"{discord.utils.format_dt(upcoming, 'F')} ({discord.utils.format_dt(upcoming, 'R')})"
    embed.add_field(name=texts.INFO_NEXT, value=nxt, inline=False)
    return embed


async def list_embed(
    bot: BalintBot, interaction: discord.Interaction, guild_id: int
) -> discord.Embed:
    organiser = is_organiser(bot, interaction.user)
    if organiser:
        groups = await store.in_guild(bot.db, guild_id, include_archived=True)
    else:
        groups = await store.for_user(bot.db, guild_id, interaction.user.id)
    title = texts.LIST_TITLE if organiser else texts.LIST_TITLE_MINE
    if not groups:
        empty = texts.LIST_NONE_ORGANISER if organiser else texts.LIST_NONE
        return discord.Embed(title=title, description=empty)
    lines = []
    for group in groups:
        memberships = await store.members(bot.db, group.id)
        mine = next((m for m in memberships if m.user_id == interaction.user.id), None)
        lines.append(
            texts.LIST_LINE.format(
                name=group.name,
                size=sum(1 for m in memberships if not m.is_leader),
                zone=group.zone,
                lead=texts.LIST_YOU_LEAD if mine is not None and mine.is_leader else "",
                archived=texts.LIST_ARCHIVED if group.archived else "",
            )
        )
    return discord.Embed(title=title, description=fit(lines, EMBED_DESCRIPTION_LIMIT, sep="\n"))


# -- /group archive ---------------------------------------------------------------------------


class ArchiveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:archive:(?P<group_id>[0-9]+):(?P<asker>[0-9]+)",
):
    """Confirms /group archive; only the one who asked, or the group's leaders, may press it."""

    def __init__(self, group_id: int, asker_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.ARCHIVE_BUTTON,
                style=discord.ButtonStyle.danger,
                custom_id=f"balint:archive:{group_id}:{asker_id}",
            )
        )
        self.group_id = group_id
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ArchiveButton:
        return cls(int(match["group_id"]), int(match["asker"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        group = await store.get(bot.db, self.group_id)
        if group is None:
            raise UserError(texts.WHICH_GROUP)
        caller = await require(bot, interaction, Action.GROUP_ARCHIVE, group)
        if interaction.user.id != self.asker_id and not caller.is_leader:
            raise UserError(texts.ARCHIVE_ONLY_ASKER)
        if group.archived:
            raise UserError(texts.ALREADY_ARCHIVED.format(name=group.name))
        await refuse_if_live(bot, group)
        await interaction.response.defer()
        guild = interaction.guild
        assert guild is not None
        try:
            await archive(bot, guild, group)
        except setup_.SetupFailed as failed:
            raise UserError(setup_.failure_text(failed)) from None
        await interaction.edit_original_response(
            content=texts.ARCHIVED_DONE.format(name=group.name), view=None
        )


async def refuse_if_live(bot: BalintBot, group: Group) -> None:
    """Archiving takes the role from everyone: not while they are in a meeting."""
    if await session_store.live_for_group(bot.db, group.id) is not None:
        raise UserError(texts.ARCHIVE_LIVE.format(name=group.name))


async def archive(bot: BalintBot, guild: discord.Guild, group: Group) -> None:
    """Lobby read-only for the role, role taken from everyone in the group, then stored."""
    reason = texts.AUDIT_REASON.format(command="archive")
    role = guild.get_role(group.role_id) if group.role_id else None
    lobby = guild.get_channel(group.lobby_channel_id) if group.lobby_channel_id else None
    if role is not None and isinstance(lobby, discord.TextChannel):
        try:
            await lobby.edit(
                overwrites=setup_.lobby_overwrites(guild, role, read_only=True), reason=reason
            )
        except REST_FAULTS as exc:
            raise setup_.SetupFailed("overwrite", exc) from exc
    revoked: list[discord.Member] = []
    try:
        if role is not None:
            for membership in await store.members(bot.db, group.id):
                member = guild.get_member(membership.user_id)
                if member is not None and role in member.roles:
                    await setup_.revoke(member, role, reason)
                    revoked.append(member)
    except setup_.SetupFailed as failed:
        assert role is not None
        failed.left = await _undo_archive(guild, role, lobby, revoked, reason)
        raise
    await store.archive(bot.db, group.id, bot.clock.now())
    # An archived group has no next session: replan cancels the planned row, its
    # timers and its Discord event (a session under way refuses the archive: see above).
    outcome = await schedule_plan.replan(bot, group.id)
    if outcome.event_failed:
        log.warning("archive of group %s: its scheduled event could not be deleted", group.id)


async def _undo_archive(
    guild: discord.Guild,
    role: discord.Role,
    lobby: object,
    revoked: list[discord.Member],
    reason: str,
) -> list[str]:
    """Best effort after a failed archive: lobby writable and the role back, nothing half-done.
    Each step stands alone: one that fails (a connection reset too) leaves the others to run.
    Returns what could not be undone, as lines telling the leader what to do by hand: a
    group that is still active but whose lobby is read-only locks its members out."""
    left: list[str] = []
    if isinstance(lobby, discord.TextChannel):
        try:
            await lobby.edit(overwrites=setup_.lobby_overwrites(guild, role), reason=reason)
        except REST_FAULTS as exc:
            log.warning("archive roll-back: lobby of role %s kept: %s", role.id, fault_code(exc))
            left.append(texts.LEFT_READ_ONLY.format(lobby=lobby.mention, role=role.name))
    for member in revoked:
        try:
            await member.add_roles(role, reason=reason)
        except REST_FAULTS as exc:
            log.warning("archive roll-back: role %s not given back: %s", role.id, fault_code(exc))
            left.append(texts.LEFT_NO_ROLE.format(user=member.mention))
    return left


# -- /group repair ----------------------------------------------------------------------------


def _existing(guild: discord.Guild, group: Group) -> setup_.GroupObjects:
    def channel(cid: int | None) -> Any:
        return guild.get_channel(cid) if cid else None

    return setup_.GroupObjects(
        role=guild.get_role(group.role_id) if group.role_id else None,
        category=channel(group.category_id),
        lobby=channel(group.lobby_channel_id),
        leaders=channel(group.leaders_channel_id),
    )


async def repair(bot: BalintBot, guild: discord.Guild, group: Group) -> list[str]:
    """Recreate what is missing, storing each new id at once; returns the parts recreated.
    Stopped part-way by Discord, it keeps what it made and says so: a second run finishes
    (including the channels' move to a role the first run recreated)."""
    parts: list[str] = []
    try:
        return await _repair(bot, guild, group, parts)
    except setup_.SetupFailed as failed:
        if parts:
            what = ", ".join(texts.REPAIR_PARTS[p] for p in parts)
            failed.unfinished = texts.REPAIR_PARTLY.format(what=what)
        else:
            failed.unfinished = texts.REPAIR_UNFINISHED
        raise


def _role_missing_from(objects: setup_.GroupObjects) -> bool:
    """A surviving channel without any overwrite for the group's role: a repair that made
    the role again broke before moving the channels to it (its members cannot get in)."""
    role = objects.role
    assert role is not None
    channels = (objects.category, objects.lobby, objects.leaders)
    return any(
        ch is not None and all(target.id != role.id for target in ch.overwrites) for ch in channels
    )


async def _repair(
    bot: BalintBot, guild: discord.Guild, group: Group, parts: list[str]
) -> list[str]:
    reason = texts.AUDIT_REASON.format(command="repair")
    objects = _existing(guild, group)
    memberships = await store.members(bot.db, group.id)
    leader_ids = [m.user_id for m in memberships if m.is_leader]
    if objects.role is None:
        await setup_.make_role(guild, group.name, objects, reason)
        assert objects.role is not None
        await store.set_discord_id(bot.db, group.id, "role", objects.role.id)
        parts.append("role")
    if objects.category is None:
        await setup_.make_category(guild, group.name, objects, reason)
        assert objects.category is not None
        await store.set_discord_id(bot.db, group.id, "category", objects.category.id)
        parts.append("category")
    if objects.lobby is None:
        await setup_.make_lobby(guild, group.name, objects, reason)
        assert objects.lobby is not None
        await store.set_discord_id(bot.db, group.id, "lobby", objects.lobby.id)
        parts.append("lobby")
    if objects.leaders is None:
        await setup_.make_leaders_channel(guild, group.name, leader_ids, objects, reason)
        assert objects.leaders is not None
        await store.set_discord_id(bot.db, group.id, "leaders", objects.leaders.id)
        parts.append("leaders")
    assert objects.role is not None
    stale = _role_missing_from(objects)  # a repair before this one broke part-way
    if "role" in parts or "category" in parts or stale:
        await _refit_channels(guild, objects, leader_ids, parts, reason)
    # The gate holds here too: a member who never agreed gets no role from a repair.
    latest = await consents.latest_by_user(bot.db, group.id)
    entitled = with_access(
        [(m.user_id, m.is_leader) for m in memberships], latest, group.agreement_version
    )
    for user_id in entitled:
        member = guild.get_member(user_id)
        if member is not None and objects.role not in member.roles:
            await setup_.grant(member, objects.role, reason)
    if "role" in parts or stale:
        # The session channels (cogs/_session_refit.py): a live meeting's, a permanent one.
        bot.dispatch("balint_group_role_replaced", group.id)
    return parts


async def _refit_channels(
    guild: discord.Guild,
    objects: setup_.GroupObjects,
    leader_ids: list[int],
    parts: list[str],
    reason: str,
) -> None:
    """Channels that survived get the new role's overwrites and go under the new category."""
    assert objects.role is not None
    try:
        if "category" not in parts and objects.category is not None:
            await objects.category.edit(
                overwrites=setup_.lobby_overwrites(guild, objects.role), reason=reason
            )
        if "lobby" not in parts and objects.lobby is not None:
            await objects.lobby.edit(
                category=objects.category,
                overwrites=setup_.lobby_overwrites(guild, objects.role),
                reason=reason,
            )
        if "leaders" not in parts and objects.leaders is not None:
            await objects.leaders.edit(
                category=objects.category,
                overwrites=setup_.leaders_overwrites(guild, objects.role, leader_ids),
                reason=reason,
            )
    except REST_FAULTS as exc:
        raise setup_.SetupFailed("overwrite", exc) from exc
