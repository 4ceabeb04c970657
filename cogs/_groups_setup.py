"""The Discord side of a group: its role, category, lobby and leaders' channel.

Why a separate module: creating a group takes several REST calls, and any of
them can fail (403 when the bot lacks a permission, 429 when Discord gives up
rate-limit retries, 5xx). Whatever was made before the failure is deleted
again, in reverse order, so a refused /group create leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain.groups import channel_slug
from bot.permissions_needed import label
from bot.texts import groups as texts
from cogs import _lost_answers as lost
from cogs._session_apply import THREADS

log = logging.getLogger(__name__)

# What members of the group may do in its channels (voice ones only if the bot may grant it).
MEMBER_ALLOW = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    connect=True,
    speak=True,
)
READ_ONLY_ALLOW = discord.Permissions(view_channel=True, read_message_history=True)
# Threads too: Send Messages does not cover them (the same bits the session channel denies).
READ_ONLY_DENY = discord.Permissions(send_messages=True, add_reactions=True) | discord.Permissions(
    THREADS
)
# What the bot keeps for itself in the group's channels, so @everyone's deny cannot lock it out.
# Not Manage Roles: "Setting MANAGE_ROLES permission in channels is only possible for guild
# administrators" (Create Guild Channel), so Discord would refuse the whole create with 50013;
# the bot's server-wide Manage Roles is what lets it write overwrites later.
BOT_ALLOW = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    manage_channels=True,
    manage_messages=True,
    add_reactions=True,
    connect=True,
    mute_members=True,
)
HIDDEN = discord.Permissions(view_channel=True)
MISSING_ACCESS = 50001  # Discord's code for a channel the bot cannot see


class SetupFailed(Exception):
    """A Discord call failed; `step` says which kind (role, channel, grant, overwrite).
    `error` is Discord's refusal, or the broken connection's error (no answer at all).
    `left`: what the roll-back could not undo, each a line saying what to do by hand.
    `unfinished`: said instead of "nothing was left" by work that keeps its progress (a
    repair: run it again to finish)."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(step)
        self.step = step
        self.error = error
        self.left: list[str] = []
        self.unfinished: str | None = None


def bot_can_grant(guild: discord.Guild) -> discord.Permissions:
    """Discord refuses overwrites for permissions the bot does not have itself."""
    have = guild.me.guild_permissions
    return discord.Permissions.all() if have.administrator else have


def _pair(
    allow: discord.Permissions, deny: discord.Permissions, have: discord.Permissions
) -> discord.PermissionOverwrite:
    return discord.PermissionOverwrite.from_pair(
        discord.Permissions(allow.value & have.value), discord.Permissions(deny.value & have.value)
    )


Overwrites = dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite]


def lobby_overwrites(
    guild: discord.Guild, role: discord.abc.Snowflake, *, read_only: bool = False
) -> Overwrites:
    """@everyone cannot see; the group's role can talk (or only read, once archived)."""
    have = bot_can_grant(guild)
    none = discord.Permissions.none()
    member = (
        _pair(READ_ONLY_ALLOW, READ_ONLY_DENY, have)
        if read_only
        else _pair(MEMBER_ALLOW, none, have)
    )
    return {
        guild.default_role: _pair(none, HIDDEN, have),
        role: member,  # type: ignore[dict-item]
        guild.me: _pair(BOT_ALLOW, none, have),
    }


def leaders_overwrites(
    guild: discord.Guild, role: discord.abc.Snowflake | None, leader_ids: Iterable[int]
) -> Overwrites:
    """Only the leaders (and the bot) see the leaders' channel; the group's role is denied."""
    have = bot_can_grant(guild)
    none = discord.Permissions.none()
    result: Overwrites = {guild.default_role: _pair(none, HIDDEN, have)}
    if role is not None:
        result[role] = _pair(none, HIDDEN, have)  # type: ignore[index]
    for user_id in leader_ids:
        target = guild.get_member(user_id) or discord.Object(user_id, type=discord.Member)
        result[target] = _pair(MEMBER_ALLOW, none, have)
    result[guild.me] = _pair(BOT_ALLOW, none, have)
    return result


def missing_bot_permissions(guild: discord.Guild) -> list[str]:
    """Manage Roles / Manage Channels, checked before any REST call."""
    have = guild.me.guild_permissions
    if have.administrator:
        return []
    missing = []
    if not have.manage_roles:
        missing.append(label("manage_roles"))
    if not have.manage_channels:
        missing.append(label("manage_channels"))
    return missing


@dataclass
class GroupObjects:
    """What exists on Discord for one group; `undo` deletes it in reverse order."""

    role: discord.Role | None = None
    category: discord.CategoryChannel | None = None
    lobby: discord.TextChannel | None = None
    leaders: discord.TextChannel | None = None
    made: list[discord.Role | discord.abc.GuildChannel] = field(default_factory=list)

    async def undo(self, reason: str) -> list[str]:
        """Delete what was made; returns what could not be, as lines for the one who asked.
        Each deletion stands alone: one that fails leaves the others to run."""
        left: list[str] = []
        for thing in reversed(self.made):
            try:
                await thing.delete(reason=reason)
            except discord.NotFound:
                pass
            except REST_FAULTS as exc:
                log.warning(
                    "rollback could not delete %s %s: %s",
                    type(thing).__name__,
                    thing.id,
                    fault_code(exc),
                )
                if isinstance(thing, discord.Role):
                    left.append(texts.LEFT_ROLE.format(role=thing.name))
                else:
                    left.append(texts.LEFT_CHANNEL.format(channel=thing.name))
        self.made.clear()
        return left


async def make_role(guild: discord.Guild, name: str, objects: GroupObjects, reason: str) -> None:
    before = lost.role_ids(guild)
    try:
        role = await guild.create_role(
            name=name,
            permissions=discord.Permissions.none(),
            hoist=False,
            mentionable=False,
            reason=reason,
        )
    except REST_FAULTS as exc:
        found = await _adopt(exc, "role", name, lambda: lost.find_role(guild, name, before))
        assert isinstance(found, discord.Role)
        role = found
    else:
        await lost.drop_doubles(guild, role, before)
    objects.role = role
    objects.made.append(role)


async def make_category(
    guild: discord.Guild, name: str, objects: GroupObjects, reason: str
) -> None:
    assert objects.role is not None
    before = lost.channel_ids(guild)
    try:
        category = await guild.create_category(
            name, overwrites=lobby_overwrites(guild, objects.role), reason=reason
        )
    except REST_FAULTS as exc:
        kind = discord.CategoryChannel
        find = lambda: lost.find_channel(guild, kind, name, None, before)  # noqa: E731
        category = await _adopt(exc, "channel", name, find)
        assert isinstance(category, discord.CategoryChannel)
    else:
        await lost.drop_doubles(guild, category, before)
    objects.category = category
    objects.made.append(category)


async def make_lobby(guild: discord.Guild, name: str, objects: GroupObjects, reason: str) -> None:
    assert objects.role is not None
    slug = f"{channel_slug(name)}-{texts.LOBBY_SUFFIX}"
    lobby = await _text_channel(
        guild, slug, objects.category, lobby_overwrites(guild, objects.role), reason
    )
    objects.lobby = lobby
    objects.made.append(lobby)


async def make_leaders_channel(
    guild: discord.Guild,
    name: str,
    leader_ids: Iterable[int],
    objects: GroupObjects,
    reason: str,
) -> None:
    slug = f"{channel_slug(name)}-{texts.LEADERS_SUFFIX}"
    overwrites = leaders_overwrites(guild, objects.role, leader_ids)
    channel = await _text_channel(guild, slug, objects.category, overwrites, reason)
    objects.leaders = channel
    objects.made.append(channel)


async def _text_channel(
    guild: discord.Guild,
    name: str,
    category: discord.CategoryChannel | None,
    overwrites: Overwrites,
    reason: str,
) -> discord.TextChannel:
    """One of the group's text channels; adopted if Discord made it but the answer was lost."""
    parent = category.id if category else None
    try:
        return await lost.create_channel(
            guild,
            discord.TextChannel,
            name,
            parent,
            lambda: guild.create_text_channel(
                name,
                category=category,
                overwrites=overwrites,  # type: ignore[arg-type]
                reason=reason,
            ),
        )
    except lost.MaybeMade as maybe:
        failed = SetupFailed("channel", maybe.error)
        failed.left.append(texts.MAYBE_LEFT_CHANNEL.format(name=name))
        raise failed from maybe.error
    except REST_FAULTS as exc:
        raise SetupFailed("channel", exc) from exc


async def _adopt(
    exc: BaseException,
    step: str,
    name: str,
    find: Callable[[], Awaitable[discord.Role | discord.abc.GuildChannel | None]],
) -> discord.Role | discord.abc.GuildChannel:
    """A create failed: if Discord made it anyway (its answer lost), the one found; else
    SetupFailed, naming it to delete by hand if the bot could not even look."""
    if not lost.maybe_made(exc):
        raise SetupFailed(step, exc) from exc
    try:
        found = await find()
    except lost.LookupFailed:
        failed = SetupFailed(step, exc)
        line = texts.MAYBE_LEFT_ROLE if step == "role" else texts.MAYBE_LEFT_CHANNEL
        failed.left.append(line.format(name=name))
        raise failed from exc
    if found is None:
        raise SetupFailed(step, exc) from exc
    log.info("adopted %s %s after a lost answer", step, found.id)
    return found


async def grant(member: discord.Member, role: discord.abc.Snowflake, reason: str) -> None:
    try:
        await member.add_roles(role, reason=reason)
    except REST_FAULTS as exc:
        raise SetupFailed("grant", exc) from exc


async def revoke(member: discord.Member, role: discord.abc.Snowflake, reason: str) -> None:
    try:
        await member.remove_roles(role, reason=reason)
    except discord.NotFound:
        pass
    except REST_FAULTS as exc:
        raise SetupFailed("revoke", exc) from exc


async def build(
    guild: discord.Guild, name: str, leaders: list[discord.Member], reason: str
) -> GroupObjects:
    """Role, category, lobby, leaders' channel, then the role for the leaders; all or nothing."""
    objects = GroupObjects()
    try:
        await make_role(guild, name, objects, reason)
        await make_category(guild, name, objects, reason)
        await make_lobby(guild, name, objects, reason)
        await make_leaders_channel(guild, name, [m.id for m in leaders], objects, reason)
        assert objects.role is not None
        for member in leaders:
            await grant(member, objects.role, reason)
    except SetupFailed as failed:
        failed.left = [*await objects.undo(reason), *failed.left]
        raise
    except BaseException:
        await objects.undo(reason)
        raise
    return objects


def failure_text(error: SetupFailed) -> str:
    """The sentence for a failed step (which permission, or that Discord is busy), and
    what its roll-back could not undo, if anything: never "nothing was left" then."""
    text = _step_text(error)
    if error.left:
        left = texts.LEFT_BEHIND.format(left="; ".join(error.left))
    elif error.unfinished is not None:
        left = error.unfinished
    else:
        return text
    if texts.NOTHING_LEFT in text:
        return text.replace(texts.NOTHING_LEFT, left)
    return f"{text} {left}"


def _step_text(error: SetupFailed) -> str:
    if not isinstance(error.error, discord.HTTPException):  # no answer: the connection broke
        return texts.CREATE_DISCORD_DOWN
    status = error.error.status
    if status == 404:
        return texts.STEP_GONE
    if status == 403 and error.error.code == MISSING_ACCESS:  # no permission would help
        return texts.STEP_HIDDEN
    if status == 429:
        return texts.CREATE_RATE_LIMITED
    if status >= 500:
        return texts.CREATE_DISCORD_DOWN
    return texts.STEP_FAILED[error.step]
