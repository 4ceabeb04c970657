"""In-memory state of the fake Discord: users, guilds, roles, members, channels, messages."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
UTC = dt.UTC

_counter = itertools.count()


def real_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def snowflake(when: dt.datetime | None = None) -> int:
    """A snowflake id made at `when` (default: real time), as Discord encodes the time.

    The low bits count within the process; a world keeps its own ids strictly increasing
    (World.snowflake), since the counter wraps and clocks may be shared.
    """
    moment = when if when is not None else real_now()
    ms = int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def snowflake_time(sid: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(((sid >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat()


@dataclass(eq=False)
class User:
    id: int
    name: str
    bot: bool = False
    dms_closed: bool = False
    global_name: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


# Announcement, public and private threads: channels that hang off a parent channel.
THREAD_TYPES = frozenset({10, 11, 12})


@dataclass(eq=False)
class Channel:
    id: int
    type: int  # 0 text, 1 dm, 2 voice, 4 category, 11 public thread, 12 private thread
    name: str = ""
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    recipient_id: int | None = None
    user_limit: int = 0
    bitrate: int = 64000
    nsfw: bool = False
    rate_limit_per_user: int = 0
    messages: list[Message] = field(default_factory=list)
    last_message_id: int | None = None
    # Threads only: who opened it, who is in it (a private thread is seen by these and
    # by moderators), and whether it is archived or locked.
    owner_id: int | None = None
    thread_members: set[int] = field(default_factory=set)
    archived: bool = False
    locked: bool = False
    # When `archived` last changed (Discord's archive_timestamp); None: never, so creation.
    archive_changed: dt.datetime | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    mute: bool = False
    deaf: bool = False
    joined_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(UTC))
    voice_channel_id: int | None = None
    voice_session: str = ""

    @property
    def id(self) -> int:
        return self.user.id


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    guild_id: int | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    edited: dt.datetime | None = None
    reactions: dict[str, set[int]] = field(default_factory=dict)
    interaction: dict[str, Any] | None = None  # interaction_metadata
    deleted: bool = False
    webhook_id: int | None = None
    # A forwarded message (Discord's "Forward", message_reference type 1): its own content is
    # empty; what was forwarded comes in message_snapshots (content, attachments, embeds).
    forwarded_from: Message | None = None
    poll: dict[str, Any] | None = None  # a member's poll: the gateway's `poll` object (polls.py)
    pinned: bool = False
    reference: Message | None = None  # the message a "pinned a message" notice (type 6) names

    @property
    def created_at(self) -> dt.datetime:
        return snowflake_time(self.id)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def custom_ids(self) -> set[str]:
        out: set[str] = set()
        stack = list(self.components)
        while stack:
            comp = stack.pop()
            if comp.get("custom_id"):
                out.add(comp["custom_id"])
            stack.extend(comp.get("components") or [])
            if isinstance(comp.get("component"), dict):
                stack.append(comp["component"])
            if isinstance(comp.get("accessory"), dict):
                stack.append(comp["accessory"])
        return out


@dataclass(eq=False)
class ScheduledEvent:
    id: int
    guild_id: int
    name: str
    start: str
    end: str | None = None
    description: str | None = None
    channel_id: int | None = None
    entity_type: int = 2
    status: int = 1
    location: str | None = None
    creator_id: int | None = None


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    threads: dict[int, Channel] = field(default_factory=dict)  # not in `channels`, as on Discord
    events: dict[int, ScheduledEvent] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def role_named(self, name: str) -> Role | None:
        return next((r for r in self.roles.values() if r.name == name), None)

    def channel_named(self, name: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name == name), None)


class World:
    """Every object by id; guilds own their roles, members and channels.

    `now` is the world's clock: on Discord an id encodes when its object was made, so a
    message sent "next week" on a test's clock must carry next week's time in its id.
    """

    def __init__(self, now: Callable[[], dt.datetime] = real_now) -> None:
        self.now = now
        self._last_id = 0
        self._last_moment = dt.datetime.min.replace(tzinfo=UTC)
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.roles: dict[int, Role] = {}
        self.messages: dict[int, Message] = {}
        self.dm_channels: dict[int, Channel] = {}  # user id -> DM channel
        # (author id, nonce) -> message, for Create Message's `enforce_nonce` (routes_messages).
        self.nonces: dict[tuple[int, str], Message] = {}

    def snowflake(self) -> int:
        """A new id at the world's time, strictly above every id this world made before."""
        sid = max(snowflake(self.now()), self._last_id + 1)
        self._last_id = sid
        return sid

    def moment(self) -> dt.datetime:
        """Now for a timestamp (an edit, an archive): a microsecond on if the clock has not
        moved, as two edits on Discord never share a time (a test clock may stand still)."""
        self._last_moment = max(self.now(), self._last_moment + dt.timedelta(microseconds=1))
        return self._last_moment

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def add_channel(self, guild: Guild | None, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        if guild is not None:
            (guild.threads if channel.is_thread else guild.channels)[channel.id] = channel
        return channel

    def remove_channel(self, channel: Channel) -> None:
        """A channel goes, and with it its messages and threads (Discord deletes them with
        it: a message of a deleted channel is Unknown Channel, never fetched again)."""
        self.channels.pop(channel.id, None)
        for message in channel.messages:
            self.messages.pop(message.id, None)
        guild = self.guild_of(channel)
        if guild is not None:
            guild.channels.pop(channel.id, None)
            guild.threads.pop(channel.id, None)
            for thread in [t for t in guild.threads.values() if t.parent_id == channel.id]:
                self.remove_channel(thread)

    def dm_channel(self, user: User) -> Channel:
        ch = self.dm_channels.get(user.id)
        if ch is None:
            ch = Channel(id=self.snowflake(), type=1, recipient_id=user.id)
            self.dm_channels[user.id] = ch
            self.channels[ch.id] = ch
        return ch

    def add_message(self, msg: Message) -> Message:
        self.messages[msg.id] = msg
        if not msg.ephemeral:
            ch = self.channels.get(msg.channel_id)
            if ch is not None:
                ch.messages.append(msg)
                ch.last_message_id = msg.id
        return msg

    def remove_message(self, msg: Message) -> None:
        msg.deleted = True
        ch = self.channels.get(msg.channel_id)
        if ch is not None and msg in ch.messages:
            ch.messages.remove(msg)
