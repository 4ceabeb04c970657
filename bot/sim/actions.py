"""What simulated humans do: slash commands, clicks, modals, posts, edits, voice, admin edits."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import interactions as I
from . import payloads as P
from .permissions import MANAGE_ROLES, base_permissions, outranks
from .threads import publish_if_seen, wake
from .world import Channel, Guild, Member, Message, Role, User

if TYPE_CHECKING:
    from .simulator import Simulator


def _user(u: User | Member) -> User:
    return u.user if isinstance(u, Member) else u


def _context(
    sim: Simulator, user: User, guild: Guild | None, channel: Channel | None, in_dm: bool
) -> tuple[Guild | None, Channel]:
    if in_dm or (channel is not None and channel.type == 1):
        return None, channel or sim.world.dm_channel(user)
    if channel is not None:
        g = sim.world.guild_of(channel)
        return g, channel
    g = sim.guild(guild)
    for ch in g.channels.values():
        if ch.type == 0 and sim.can(user, ch, "view_channel"):
            return g, ch
    raise AssertionError(f"{user.name} can see no text channel in {g.name}")


async def _run(
    sim: Simulator,
    payload: dict[str, Any],
    rec: I.InteractionResult,
) -> I.InteractionResult:
    if sim.bot is None:
        raise AssertionError("no bot attached")
    sim.interactions[rec.id] = rec
    sim.interactions_by_token[rec.token] = rec
    rec.received_at = time.monotonic()  # type: ignore[attr-defined]  # Discord's 3 s clock
    clock = getattr(sim.bot, "clock", None)
    if clock is not None:  # the 15 minutes of its token, on the bot's injected clock
        rec.made_at = clock.now()  # type: ignore[attr-defined]
    sim.bot._connection.parsers["INTERACTION_CREATE"](payload)
    await sim.settle()
    return rec


async def slash(
    self: Simulator,
    user: User | Member,
    command: str,
    *,
    guild: Guild | None = None,
    channel: Channel | None = None,
    in_dm: bool = False,
    options: dict[str, Any] | None = None,
    **kw: Any,
) -> I.InteractionResult:
    """Run `/command sub` with options validated against the synced schema."""
    u = _user(user)
    g, ch = _context(self, u, guild, channel, in_dm)
    I.check_visible(self, command.split()[0], u, g)
    payload, rec = I.base_payload(self, 2, u, g, ch)
    payload["data"] = I.command_data(self, command, g, {**(options or {}), **kw})
    return await _run(self, payload, rec)


async def autocomplete(
    self: Simulator,
    user: User | Member,
    command: str,
    *,
    focused: str,
    guild: Guild | None = None,
    channel: Channel | None = None,
    in_dm: bool = False,
    **options: Any,
) -> list[dict[str, Any]]:
    u = _user(user)
    g, ch = _context(self, u, guild, channel, in_dm)
    payload, rec = I.base_payload(self, 4, u, g, ch)
    payload["data"] = I.command_data(self, command, g, options, focused=focused)
    await _run(self, payload, rec)
    if rec.response_type != 8:
        raise AssertionError(f"autocomplete answered with type {rec.response_type}")
    return rec.choices


def _bot_message(self: Simulator, message: Message | int) -> Message:
    msg = message if isinstance(message, Message) else self.world.messages.get(message)
    if msg is None or msg.deleted or msg.author.id != self.bot_user.id:
        raise AssertionError("refused: that is not a live message the bot sent")
    return msg


async def click(
    self: Simulator,
    user: User | Member,
    message: Message | int,
    custom_id: str,
    *,
    values: list[str] | None = None,
) -> I.InteractionResult:
    """Press a button (or choose in a select) that really is on a message the bot sent."""
    u = _user(user)
    msg = _bot_message(self, message)
    comp = I.find_component(msg, custom_id)
    if comp is None:
        raise AssertionError(
            f"refused: no component {custom_id!r} on message {msg.id} "
            f"(has {sorted(msg.custom_ids())})"
        )
    if comp.get("disabled"):
        raise AssertionError(f"refused: component {custom_id!r} is disabled")
    if msg.ephemeral and msg.interaction and int(msg.interaction["user"]["id"]) != u.id:
        raise AssertionError("refused: only the invoker sees that ephemeral message")
    ch = self.world.channels[msg.channel_id]
    g = self.world.guild_of(ch)
    payload, rec = I.base_payload(self, 3, u, g, ch)
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
    if comp["type"] in (3, 5, 6, 7, 8):
        vals = list(values or [])
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(vals) <= hi:
            raise AssertionError(f"select {custom_id!r} takes {lo}..{hi} values, got {vals}")
        if comp["type"] == 3:
            allowed = {o["value"] for o in comp.get("options", [])}
            if set(vals) - allowed:
                raise AssertionError(f"select {custom_id!r}: {set(vals) - allowed} not offered")
        data["values"] = vals
    elif values is not None:
        raise AssertionError(f"{custom_id!r} is a button, not a select")
    payload["data"] = data
    payload["message"] = self.message_payload(msg)
    rec.message = rec.original = msg
    return await _run(self, payload, rec)


async def select(
    self: Simulator, user: User | Member, message: Message | int, custom_id: str, values: list[str]
) -> I.InteractionResult:
    return await click(self, user, message, custom_id, values=values)


async def submit_modal(
    self: Simulator, user: User | Member, custom_id: str, values: dict[str, Any]
) -> I.InteractionResult:
    """Submit a modal the bot really showed to this user."""
    u = _user(user)
    opened = self.open_modals.pop((u.id, custom_id), None)
    if opened is None:
        raise AssertionError(f"refused: the bot showed {u.name} no modal {custom_id!r}")
    modal, origin = opened
    ch = self.world.channels[origin.channel_id]
    g = self.world.guild_of(ch)
    payload, rec = I.base_payload(self, 5, u, g, ch)
    payload["data"] = {"custom_id": custom_id, "components": I.modal_components(modal, values)}
    if origin.message is not None:
        payload["message"] = self.message_payload(origin.message)
        rec.message = rec.original = origin.message
    return await _run(self, payload, rec)


async def post(
    self: Simulator,
    user: User | Member,
    channel: Channel,
    content: str = "",
    attachments: list[tuple[str, bytes]] | None = None,
) -> Message | None:
    """A human posts; returns the message or None when Discord would refuse it."""
    u = _user(user)
    files = list(attachments or [])
    if channel.type != 1:
        send = "send_messages_in_threads" if channel.is_thread else "send_messages"
        need = ["view_channel", send] + (["attach_files"] if files else [])
        locked = channel.is_thread and channel.archived and channel.locked
        if locked and not self.can(u, channel, "manage_threads"):
            need.append("manage_threads")  # a locked archived thread stays shut to members
        if not self.can(u, channel, *need):
            self.refused_posts.append((u, channel, content))
            return None
    if channel.is_thread:
        wake(self, channel)  # a message unarchives an archived thread
    msg = Message(
        id=self.world.snowflake(),
        channel_id=channel.id,
        author=u,
        content=content,
        guild_id=channel.guild_id,
        files=files,
    )
    for i, (fname, data) in enumerate(files):
        self.cdn[P.attachment(msg.id, i, fname, data)["url"]] = data
    if channel.is_thread:
        channel.thread_members.add(u.id)  # writing in a thread joins it
        publish_if_seen(self, msg, channel)
    else:
        self.publish(msg)
    await self.settle()
    return msg


async def forward(
    self: Simulator, user: User | Member, source: Message, channel: Channel
) -> Message | None:
    """A human forwards a message they can read (Discord's "Forward") into a channel.

    Discord sends MESSAGE_CREATE with empty content, a message_reference of type 1
    (FORWARD) and the forwarded content and attachments in message_snapshots.
    """
    u = _user(user)
    if channel.type != 1 and not self.can(u, channel, "view_channel", "send_messages"):
        self.refused_posts.append((u, channel, source.content))
        return None
    msg = Message(
        id=self.world.snowflake(),
        channel_id=channel.id,
        author=u,
        guild_id=channel.guild_id,
        forwarded_from=source,
    )
    self.publish(msg)
    await self.settle()
    return msg


async def edit(self: Simulator, user: User | Member, message: Message, content: str) -> bool:
    """The author edits their message; Discord sends MESSAGE_UPDATE with the whole message.

    False (nothing changes) when Discord would refuse: not the author, the message is gone,
    or it is a poll ("After creation, the poll message cannot be edited").
    """
    u = _user(user)
    if message.author.id != u.id or message.deleted or message.id not in self.world.messages:
        return False
    if message.poll is not None:
        return False
    message.content = content
    message.edited = self.world.moment()
    self.dispatch("MESSAGE_UPDATE", self.message_payload(message))
    await self.settle()
    return True


async def voice_join(self: Simulator, user: User | Member, channel: Channel) -> bool:
    u = _user(user)
    g = self.world.guild_of(channel)
    if g is None or not self.can(u, channel, "view_channel", "connect"):
        return False
    m = g.members[u.id]
    m.voice_channel_id = channel.id
    m.voice_session = m.voice_session or f"vs{self.world.snowflake()}"
    self.dispatch("VOICE_STATE_UPDATE", P.voice_state(m))
    await self.settle()
    return True


async def voice_leave(self: Simulator, user: User | Member, guild: Guild | None = None) -> None:
    u = _user(user)
    for g in [guild] if guild else list(self.world.guilds.values()):
        m = g.members.get(u.id)
        if m is not None and m.voice_channel_id is not None:
            m.voice_channel_id = None
            self.dispatch("VOICE_STATE_UPDATE", P.voice_state(m))
    await self.settle()


async def delete_channel(self: Simulator, channel: Channel) -> None:
    """A human admin deletes a channel by hand."""
    self.remove_channel(channel)
    await self.settle()


async def delete_role(self: Simulator, role: Role) -> None:
    """A human admin deletes a role by hand."""
    self.remove_role(self.world.guilds[role.guild_id], role)
    await self.settle()


async def give_role(self: Simulator, by: User | Member, user: User | Member, role: Role) -> bool:
    """A human (an admin) gives a member a role by hand in Server Settings or the member list.

    Discord applies the same rules as to the REST call the client makes (Modify Guild
    Member): the actor needs Manage Roles and a top role above the role (the owner may
    give any), and a managed role cannot be given. Discord then sends GUILD_MEMBER_UPDATE
    with the member's whole role list. False when Discord would refuse; nothing changes
    (and no event) when the member already has it.
    """
    return await _hand_edit(self, by, user, role, give=True)


async def take_role(self: Simulator, by: User | Member, user: User | Member, role: Role) -> bool:
    """A human (an admin) takes a role from a member by hand: the same rules as give_role."""
    return await _hand_edit(self, by, user, role, give=False)


async def _hand_edit(
    self: Simulator, by: User | Member, user: User | Member, role: Role, *, give: bool
) -> bool:
    g = self.world.guilds[role.guild_id]
    actor = g.members.get(_user(by).id)
    target = g.members.get(_user(user).id)
    if actor is None or target is None or role.id not in g.roles or role.managed:
        return False
    allowed = actor.user.id == g.owner_id or (
        base_permissions(g, actor) & MANAGE_ROLES and outranks(g, actor, role.position)
    )
    if not allowed:
        return False
    if give != (role.id in target.role_ids):
        if give:
            target.role_ids.append(role.id)
        else:
            target.role_ids.remove(role.id)
        self.dispatch_member_update(g, target)
    await self.settle()
    return True


async def leave_server(self: Simulator, user: User | Member, guild: Guild | None = None) -> None:
    """A member leaves (or is kicked from) the server: GUILD_MEMBER_REMOVE."""
    u = _user(user)
    g = guild or next(g for g in self.world.guilds.values() if u.id in g.members)
    m = g.members.pop(u.id, None)
    if m is None:
        return
    if m.voice_channel_id is not None:
        m.voice_channel_id = None
        self.dispatch("VOICE_STATE_UPDATE", P.voice_state(m))
    self.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": str(g.id), "user": P.user(u)})
    await self.settle()
