"""Discord's documented permission algorithm, computed from the fake's own state."""

from __future__ import annotations

from discord import Permissions

from .world import Channel, Guild, Member

ALL = Permissions.all().value
ADMINISTRATOR = Permissions(administrator=True).value
VIEW_CHANNEL = Permissions(view_channel=True).value
SEND_MESSAGES = Permissions(send_messages=True).value
MANAGE_ROLES = Permissions(manage_roles=True).value
MANAGE_CHANNELS = Permissions(manage_channels=True).value
MANAGE_MESSAGES = Permissions(manage_messages=True).value
MANAGE_THREADS = Permissions(manage_threads=True).value
SEND_IN_THREADS = Permissions(send_messages_in_threads=True).value
MUTE_MEMBERS = Permissions(mute_members=True).value
DEAFEN_MEMBERS = Permissions(deafen_members=True).value
MOVE_MEMBERS = Permissions(move_members=True).value
MANAGE_NICKNAMES = Permissions(manage_nicknames=True).value
MANAGE_EVENTS = Permissions(manage_events=True).value
CREATE_EVENTS = Permissions(create_events=True).value
READ_HISTORY = Permissions(read_message_history=True).value
ADD_REACTIONS = Permissions(add_reactions=True).value
ATTACH_FILES = Permissions(attach_files=True).value
CONNECT = Permissions(connect=True).value
DM_PERMS = Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
).value

DEFAULT_BOT = Permissions(
    manage_roles=True,
    manage_channels=True,
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    manage_messages=True,
    add_reactions=True,
    mute_members=True,
    move_members=True,
    manage_events=True,
    create_events=True,
    create_public_threads=True,
    create_private_threads=True,
    send_messages_in_threads=True,
).value

# What a new server's @everyone role holds, as Discord sets it (the long-standing default,
# 1071698660929, and Send Polls, on for @everyone since polls came in 2024): threads
# included, so a channel overwrite that denies only Send Messages still lets everyone open
# a thread and talk in it.
DEFAULT_EVERYONE = Permissions(
    create_instant_invite=True,
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    external_emojis=True,
    external_stickers=True,
    mention_everyone=True,
    read_message_history=True,
    use_application_commands=True,
    use_embedded_activities=True,
    connect=True,
    speak=True,
    stream=True,
    use_voice_activation=True,
    request_to_speak=True,
    change_nickname=True,
    send_polls=True,
).value


def flag(name: str) -> int:
    """`"send_messages"` -> its bit; unknown names fail loudly."""
    value = Permissions.VALID_FLAGS.get(name)
    if value is None:
        raise AssertionError(f"unknown permission name {name!r}")
    return value


def base_permissions(guild: Guild, member: Member) -> int:
    if member.user.id == guild.owner_id:
        return ALL
    perms = guild.everyone.permissions
    for rid in member.role_ids:
        role = guild.roles.get(rid)
        if role is not None:
            perms |= role.permissions
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def send_permission(channel: Channel) -> int:
    """The bit that lets one write in `channel`: Send Messages has no effect in a thread."""
    return SEND_IN_THREADS if channel.is_thread else SEND_MESSAGES


def channel_permissions(guild: Guild, member: Member, channel: Channel) -> int:
    if channel.is_thread:
        return _thread_permissions(guild, member, channel)
    perms = base_permissions(guild, member)
    if perms & ADMINISTRATOR:
        return ALL
    ows = channel.overwrites
    if ows:
        ev = ows.get(guild.id)
        if ev is not None:
            perms = (perms & ~ev.deny) | ev.allow
        allow = deny = 0
        for rid in member.role_ids:
            ow = ows.get(rid)
            if ow is not None and ow.type == 0:
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        mo = ows.get(member.user.id)
        if mo is not None and mo.type == 1:
            perms = (perms & ~mo.deny) | mo.allow
    if not perms & VIEW_CHANNEL:
        return 0
    return perms


def _thread_permissions(guild: Guild, member: Member, thread: Channel) -> int:
    """A thread takes its parent's permissions; a private one is seen only by the people
    in it and by moderators (Manage Threads)."""
    parent = guild.channels.get(thread.parent_id or 0)
    if parent is None:
        return 0
    perms = channel_permissions(guild, member, parent)
    private = thread.type == 12
    if private and member.user.id not in thread.thread_members and not perms & MANAGE_THREADS:
        return 0
    return perms


def top_position(guild: Guild, member: Member) -> int:
    positions = [guild.roles[r].position for r in member.role_ids if r in guild.roles]
    return max(positions, default=0)


def outranks(guild: Guild, member: Member, role_position: int) -> bool:
    """May `member` manage a role at `role_position` (strictly below its top role)?"""
    if member.user.id == guild.owner_id:
        return True
    return role_position < top_position(guild, member)
