"""The Simulator: a fake Discord behind discord.py's aiohttp session."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import discord

from . import interactions as I
from . import payloads as P
from .faults import FaultInjection, Injection
from .membership import joined_payload
from .permissions import (
    ADMINISTRATOR,
    DEFAULT_BOT,
    DEFAULT_EVERYONE,
    VIEW_CHANNEL,
    base_permissions,
    channel_permissions,
    flag,
)
from .routes_guild import ApiError, fail
from .tracking import TaskTracker
from .transport import Call
from .world import Channel, Guild, Member, Message, Overwrite, Role, User, World, real_now

CHANNEL_TYPES = {"text": 0, "voice": 2, "category": 4, "news": 5, "stage": 13, "forum": 15}


class Simulator(FaultInjection):
    def __init__(
        self,
        *,
        bot_name: str = "Balint bot",
        bot_permissions: int = DEFAULT_BOT,
        clock: Any = None,
    ) -> None:
        # The world's time (ids, timestamps): `clock` when given (a scenario's, shared with
        # its bot), else the attached bot's injected clock, else real time.
        self.clock = clock
        self.bot: discord.Client | None = None
        self.world = World(now=self.now)
        self.bot_user = self.add_user(bot_name, bot=True)
        self.app_owner = self.add_user("app owner")
        self.bot_permissions = bot_permissions
        self.calls: list[Call] = []
        self.unhandled: list[Call] = []
        self.errors: list[Any] = []
        # REST calls the bot made holding its store's write lock (see tracking.held_lock).
        self.calls_in_transaction: list[str] = []
        self.refused_posts: list[tuple[User, Channel, str]] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self.interactions: dict[int, I.InteractionResult] = {}
        self.interactions_by_token: dict[str, I.InteractionResult] = {}
        self.open_modals: dict[tuple[int, str], dict[str, Any]] = {}
        self.cdn: dict[str, bytes] = {}
        self.enforce_default_permissions = True
        self.record_calls = True
        self._injections: list[Injection] = []
        self.held: asyncio.Event | None = None
        self.held_now = 0
        self.renames: dict[int, list[datetime]] = {}  # channel -> the bot's recent renames
        self.tracker = TaskTracker(self.errors)
        # The gateway and REST are separate connections: the event for a change the bot made
        # (GUILD_MEMBER_UPDATE after a role add) may reach it before the REST answer does.
        # On, the echo's handlers run (up to `gateway_first_wait` seconds) before the answer.
        self.gateway_first = False
        self.gateway_first_wait = 0.05

    def now(self) -> datetime:
        """The world's time: what Discord's clock reads when it stamps an id or an edit."""
        clock = self.clock if self.clock is not None else getattr(self.bot, "clock", None)
        return clock.now() if clock is not None else real_now()

    # -- world builder -------------------------------------------------------------------

    def add_user(self, name: str, *, bot: bool = False, dms_closed: bool = False) -> User:
        user = User(id=self.world.snowflake(), name=name, bot=bot, dms_closed=dms_closed)
        self.world.users[user.id] = user
        return user

    def add_guild(
        self, name: str, *, owner: User | None = None, everyone_permissions: int = DEFAULT_EVERYONE
    ) -> Guild:
        owner = owner or self.add_user(f"{name} owner")
        g = Guild(id=self.world.snowflake(), name=name, owner_id=owner.id)
        self.world.guilds[g.id] = g
        everyone = Role(id=g.id, guild_id=g.id, name="@everyone", permissions=everyone_permissions)
        g.roles[g.id] = everyone
        self.world.roles[g.id] = everyone
        bot_role = self.add_role(g, self.bot_user.name, permissions=self.bot_permissions)
        bot_role.managed = True
        self.add_member(g, owner)
        self.add_member(g, self.bot_user, roles=[bot_role])
        self.world.add_channel(
            g, Channel(id=self.world.snowflake(), type=0, name="general", guild_id=g.id)
        )
        # The bot joins a new server while it runs: Discord sends the server's GUILD_CREATE.
        self.dispatch("GUILD_CREATE", joined_payload(self, g))
        return g

    def add_role(
        self, guild: Guild, name: str, *, permissions: int = 0, position: int | None = None
    ) -> Role:
        """New roles go just above @everyone (below the bot's role) unless `position` is given."""
        if position is None:
            for r in guild.roles.values():
                if r.position >= 1:
                    r.position += 1
            position = 1
        role = Role(
            id=self.world.snowflake(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            position=position,
        )
        guild.roles[role.id] = role
        self.world.roles[role.id] = role
        self.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": P.role(role)})
        return role

    def _role_arg(self, guild: Guild, r: Role | str | int) -> Role:
        if isinstance(r, Role):
            return r
        found = guild.role_named(r) if isinstance(r, str) else guild.roles.get(r)
        if found is None:
            raise AssertionError(f"no role {r!r} in {guild.name}")
        return found

    def add_member(
        self,
        guild: Guild,
        user: User,
        roles: list[Role | str | int] | None = None,
        *,
        admin: bool = False,
        owner: bool = False,
        manage_guild: bool = False,
        nick: str | None = None,
    ) -> Member:
        role_objs = [self._role_arg(guild, r) for r in roles or []]
        if admin:
            top = max(r.position for r in guild.roles.values()) + 1
            role_objs.append(
                guild.role_named("Admin")
                or self.add_role(guild, "Admin", permissions=ADMINISTRATOR, position=top)
            )
        if manage_guild:
            role_objs.append(
                guild.role_named("Moderator")
                or self.add_role(guild, "Moderator", permissions=flag("manage_guild"))
            )
        if owner:
            guild.owner_id = user.id
        m = Member(user=user, guild_id=guild.id, role_ids=[r.id for r in role_objs], nick=nick)
        m.joined_at = self.now()
        guild.members[user.id] = m
        data = P.member(m)
        data["guild_id"] = str(guild.id)
        self.dispatch("GUILD_MEMBER_ADD", data)
        return m

    def add_channel(
        self,
        guild: Guild,
        name: str,
        kind: str | int = "text",
        *,
        parent: Channel | None = None,
        topic: str | None = None,
        overwrites: dict[Any, tuple[int, int]] | None = None,
    ) -> Channel:
        """`overwrites`: {Role|Member|User: (allow, deny)}."""
        ows = {}
        for target, (allow, deny) in (overwrites or {}).items():
            typ = 0 if isinstance(target, Role) else 1
            ows[target.id] = Overwrite(target.id, typ, allow, deny)
        ch = Channel(
            id=self.world.snowflake(),
            type=CHANNEL_TYPES.get(kind, kind) if isinstance(kind, str) else kind,
            name=name,
            guild_id=guild.id,
            parent_id=parent.id if parent else None,
            topic=topic,
            overwrites=ows,
            position=len(guild.channels),
        )
        self.world.add_channel(guild, ch)
        self.dispatch("CHANNEL_CREATE", P.channel(ch))
        return ch

    def set_bot_permissions(self, guild: Guild, permissions: int) -> None:
        role = self.bot_role(guild)
        role.permissions = permissions
        self.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": P.role(role)})

    # -- queries --------------------------------------------------------------------------

    def guild(self, gid: int | Guild | None = None) -> Guild:
        if isinstance(gid, Guild):
            return gid
        if gid is None:
            if len(self.world.guilds) != 1:
                raise AssertionError("several guilds: say which")
            return next(iter(self.world.guilds.values()))
        g = self.world.guilds.get(gid)
        if g is None:
            raise ApiError(404, P.error(10004, "Unknown Guild"))
        return g

    def channel(self, key: int | str, guild: Guild | None = None) -> Channel | None:
        if isinstance(key, int):
            return self.world.channels.get(key)
        pool = guild.channels.values() if guild else self.world.channels.values()
        return next((c for c in pool if c.name == key), None)

    def channel_or_404(self, cid: int) -> Channel:
        ch = self.world.channels.get(cid)
        if ch is None:
            raise fail(P.UNKNOWN_CHANNEL)
        return ch

    def role(self, key: int | str, guild: Guild | None = None) -> Role | None:
        if isinstance(key, int):
            return self.world.roles.get(key)
        pool = guild.roles.values() if guild else self.world.roles.values()
        return next((r for r in pool if r.name == key), None)

    def member(self, guild: Guild, user: User | int) -> Member | None:
        return guild.members.get(user if isinstance(user, int) else user.id)

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    def bot_role(self, guild: Guild) -> Role:
        return next(r for r in guild.roles.values() if r.managed and r.name == self.bot_user.name)

    def calls_matching(self, method: str | None = None, route: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if (method is None or c.method == method) and (route is None or c.route == route)
        ]

    def reset_calls(self) -> None:
        self.calls.clear()

    def messages_in(self, channel: Channel) -> list[Message]:
        return list(channel.messages)

    def dms_to(self, user: User) -> list[Message]:
        ch = self.world.dm_channels.get(user.id)
        return [m for m in ch.messages if m.author.id == self.bot_user.id] if ch else []

    def can(self, user: User | Member, channel: Channel, *perms: str) -> bool:
        uid = user.id
        g = self.world.guild_of(channel)
        if g is None:
            return True
        m = g.members.get(uid)
        if m is None:
            return False
        need = 0
        for p in perms or ("view_channel",):
            need |= flag(p)
        return channel_permissions(g, m, channel) & need == need

    def require(
        self, guild: Guild | None, perm: int, channel: Channel | None = None, *, access: bool = True
    ) -> None:
        """403 unless the bot has `perm` (in `channel`): Missing Access (50001) for an
        action on a channel it cannot see at all, as Discord answers; else Missing
        Permissions. `access=False`: `channel` is only where a guild action lands (a new
        channel's category), refused with Missing Permissions as before."""
        if guild is None:
            return
        me = self.bot_member(guild)
        if channel is not None:
            have = channel_permissions(guild, me, channel)
            if access and not have & VIEW_CHANNEL:
                raise fail(P.MISSING_ACCESS)
        else:
            have = base_permissions(guild, me)
        if have & perm != perm:
            raise fail(P.MISSING_PERMISSIONS)

    # -- gateway echo ----------------------------------------------------------------------

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        bot = self.bot
        if bot is None:
            return
        if event.startswith("GUILD_SCHEDULED_EVENT_") and not bot.intents.guild_scheduled_events:
            return  # Discord sends these only with the GUILD_SCHEDULED_EVENTS intent
        parser = bot._connection.parsers[event]
        self.tracker.pending_dispatches += 1
        asyncio.get_running_loop().call_soon(self._run_parser, parser, event, data)

    def _run_parser(self, parser: Any, event: str, data: dict[str, Any]) -> None:
        try:
            parser(data)
        except Exception as exc:  # noqa: BLE001 - surfaced through sim.errors
            exc.add_note(f"while parsing {event}")
            self.errors.append(exc)
        finally:
            self.tracker.pending_dispatches -= 1

    def message_payload(self, msg: Message) -> dict[str, Any]:
        g = self.world.guilds.get(msg.guild_id) if msg.guild_id else None
        return P.message(msg, g.members.get(msg.author.id) if g else None)

    def publish(self, msg: Message) -> dict[str, Any]:
        self.world.add_message(msg)
        data = self.message_payload(msg)
        if not msg.ephemeral:
            self.dispatch("MESSAGE_CREATE", data)
        return data

    def delete_message(self, msg: Message) -> None:
        self.world.remove_message(msg)
        data = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
        if msg.guild_id:
            data["guild_id"] = str(msg.guild_id)
        if not msg.ephemeral:
            self.dispatch("MESSAGE_DELETE", data)

    def dispatch_member_update(self, guild: Guild, m: Member) -> None:
        data = P.member(m)
        data["guild_id"] = str(guild.id)
        self.dispatch("GUILD_MEMBER_UPDATE", data)

    def remove_channel(self, ch: Channel) -> dict[str, Any]:
        guild = self.world.guild_of(ch)
        if guild is not None:  # Discord disconnects whoever was in a deleted voice channel
            for m in guild.members.values():
                if m.voice_channel_id == ch.id:
                    m.voice_channel_id = None
                    self.dispatch("VOICE_STATE_UPDATE", P.voice_state(m))
        self.world.remove_channel(ch)
        data = P.channel(ch, self.world.users)
        self.dispatch("CHANNEL_DELETE", data)
        if guild is not None and ch.type == CHANNEL_TYPES["category"]:  # its channels stay
            for child in [c for c in guild.channels.values() if c.parent_id == ch.id]:
                child.parent_id = None
                self.dispatch("CHANNEL_UPDATE", P.channel(child))
        return data

    def remove_role(self, guild: Guild, role: Role) -> None:
        guild.roles.pop(role.id, None)
        self.world.roles.pop(role.id, None)
        for m in guild.members.values():
            if role.id in m.role_ids:
                m.role_ids.remove(role.id)
        self.dispatch("GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)})

    # -- attach / detach / settle: see lifecycle.py -----------------------------------------

    from .actions import (  # noqa: E402
        autocomplete,
        click,
        delete_channel,
        delete_role,
        edit,
        forward,
        give_role,
        leave_server,
        post,
        select,
        slash,
        submit_modal,
        take_role,
        voice_join,
        voice_leave,
    )
    from .lifecycle import attach, detach, guild_snapshots, reconnect, settle  # noqa: E402
    from .membership import outage, outage_over, reinvite_bot, remove_bot  # noqa: E402
    from .message_updates import pin, unfurl  # noqa: E402
    from .polls import end_poll, post_poll  # noqa: E402
    from .request_handling import _handle_request, echo_before_answer  # noqa: E402
    from .threads import archive_thread, create_thread, rename_thread  # noqa: E402
