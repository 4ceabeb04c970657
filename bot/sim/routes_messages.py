"""Route handlers: messages, reactions and DMs (interaction answers: routes_interactions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import payloads as P
from .limits import check_body
from .nonces import remember, same_nonce
from .permissions import (
    ADD_REACTIONS,
    ATTACH_FILES,
    MANAGE_MESSAGES,
    READ_HISTORY,
    VIEW_CHANNEL,
    send_permission,
)
from .routes_guild import ApiError, Result, fail
from .world import Channel, Message, snowflake_time

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call

FOURTEEN_DAYS = dt.timedelta(days=14)
INITIAL_RESPONSE_SECONDS = 3.0


def apply_message_body(
    msg: Message,
    body: dict[str, Any],
    files: list[tuple[str, bytes]],
    *,
    edit: dt.datetime | None = None,
) -> None:
    """Apply a create or edit body; `edit`: the edit's time (the world's clock), None on create."""
    check_body(msg, body, files, edit=edit is not None)
    if "content" in body:
        msg.content = body["content"] or ""
    if "embeds" in body:
        msg.embeds = body["embeds"] or []
    elif "embed" in body:
        msg.embeds = [body["embed"]] if body["embed"] else []
    if "components" in body:
        msg.components = body["components"] or []
    if "flags" in body and body["flags"] is not None:
        flags = int(body["flags"]) & ~128
        if edit is not None:  # an existing message's ephemeral state cannot be changed
            flags = (flags & ~64) | (msg.flags & 64)
        msg.flags = flags
    if edit is not None:
        msg.flags &= ~128
        msg.edited = edit
        if "attachments" in body:
            keep_ids = {str(a.get("id")) for a in body["attachments"] or []}
            msg.files = [f for i, f in enumerate(msg.files) if str(msg.id + i + 1) in keep_ids]
    msg.files = msg.files + list(files)


def _send_check(sim: Simulator, ch: Channel, files: list[tuple[str, bytes]]) -> None:
    if ch.type == 1:
        user = sim.world.users.get(ch.recipient_id or 0)
        if user is None or user.dms_closed or user.bot:
            raise fail(P.CANNOT_DM)
        if not any(
            user.id in g.members and sim.bot_user.id in g.members for g in sim.world.guilds.values()
        ):
            raise fail(P.CANNOT_DM)  # no mutual server: Discord answers 50007
        return
    g = sim.world.guild_of(ch)
    need = VIEW_CHANNEL | send_permission(ch) | (ATTACH_FILES if files else 0)
    sim.require(g, need, ch)


def create_message(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    _send_check(sim, ch, c.files)
    body = c.json or {}
    key, old = same_nonce(sim, body)
    if old is not None:  # enforce_nonce: the one made with this nonce, no new one
        return 200, sim.message_payload(old)
    msg = Message(
        id=sim.world.snowflake(), channel_id=ch.id, author=sim.bot_user, guild_id=ch.guild_id
    )
    apply_message_body(msg, body, c.files)
    if body.get("message_reference"):
        msg.type = 19
    if key:
        remember(sim, key, msg)
    return 200, sim.publish(msg)


def _message(sim: Simulator, c: Call) -> tuple[Channel, Message]:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    msg = sim.world.messages.get(int(c.params["message_id"]))
    if msg is None or msg.deleted or msg.channel_id != ch.id or msg.ephemeral:
        raise fail(P.UNKNOWN_MESSAGE)
    return ch, msg


def _read_check(sim: Simulator, ch: Channel) -> None:
    if ch.type != 1:
        sim.require(sim.world.guild_of(ch), VIEW_CHANNEL | READ_HISTORY, ch)


def get_message(sim: Simulator, c: Call) -> Result:
    ch, msg = _message(sim, c)
    _read_check(sim, ch)
    return 200, sim.message_payload(msg)


def edit_message(sim: Simulator, c: Call) -> Result:
    ch, msg = _message(sim, c)
    if msg.author.id != sim.bot_user.id:
        raise ApiError(403, P.error(50005, "Cannot edit a message authored by another user"))
    apply_message_body(msg, c.json or {}, c.files, edit=sim.world.moment())
    data = sim.message_payload(msg)
    sim.dispatch("MESSAGE_UPDATE", data)
    return 200, data


def delete_message(sim: Simulator, c: Call) -> Result:
    ch, msg = _message(sim, c)
    if msg.author.id != sim.bot_user.id:
        if ch.type == 1:
            raise ApiError(403, P.error(50003, "Cannot execute action on a DM channel"))
        sim.require(sim.world.guild_of(ch), MANAGE_MESSAGES, ch)
    sim.delete_message(msg)
    return 204, None


def bulk_delete(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    g = sim.world.guild_of(ch)
    sim.require(g, MANAGE_MESSAGES | VIEW_CHANNEL | READ_HISTORY, ch)
    ids = [int(i) for i in (c.json or {}).get("messages", [])]
    if not 2 <= len(ids) <= 100:
        raise ApiError(400, P.error(50016, "Provide at least 2 and fewer than 100 messages"))
    now = sim.now()
    if any(now - snowflake_time(i) > FOURTEEN_DAYS for i in ids):
        raise fail(P.TOO_OLD)
    for i in ids:
        msg = sim.world.messages.get(i)
        if msg is not None and msg.channel_id == ch.id:
            sim.world.remove_message(msg)
    sim.dispatch(
        "MESSAGE_DELETE_BULK",
        {"ids": [str(i) for i in ids], "channel_id": str(ch.id), "guild_id": str(ch.guild_id)},
    )
    return 204, None


def history(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    _read_check(sim, ch)
    limit = min(int(c.query.get("limit", 50)), 100)
    msgs = ch.messages
    if "before" in c.query:
        b = int(c.query["before"])
        msgs = [m for m in msgs if m.id < b]
        msgs = msgs[-limit:]
    elif "after" in c.query:
        a = int(c.query["after"])
        msgs = [m for m in msgs if m.id > a][:limit]
    elif "around" in c.query:
        a = int(c.query["around"])
        older = [m for m in msgs if m.id <= a][-(limit // 2 + 1) :]
        newer = [m for m in msgs if m.id > a][: limit - len(older)]
        msgs = older + newer
    else:
        msgs = msgs[-limit:]
    return 200, [sim.message_payload(m) for m in reversed(msgs)]


def add_reaction(sim: Simulator, c: Call) -> Result:
    ch, msg = _message(sim, c)
    emoji = unquote(c.params["emoji"])
    if ch.type != 1:
        need = VIEW_CHANNEL | READ_HISTORY | (0 if emoji in msg.reactions else ADD_REACTIONS)
        sim.require(sim.world.guild_of(ch), need, ch)
    msg.reactions.setdefault(emoji, set()).add(sim.bot_user.id)
    name, _, eid = emoji.partition(":")
    data: dict[str, Any] = {
        "user_id": str(sim.bot_user.id),
        "channel_id": str(ch.id),
        "message_id": str(msg.id),
        "emoji": {"id": eid or None, "name": name},
        "burst": False,
        "type": 0,
    }
    if ch.guild_id:
        data["guild_id"] = str(ch.guild_id)
        g = sim.world.guild_of(ch)
        if g is not None and sim.bot_user.id in g.members:
            data["member"] = P.member(g.members[sim.bot_user.id])
    sim.dispatch("MESSAGE_REACTION_ADD", data)
    return 204, None


def create_dm(sim: Simulator, c: Call) -> Result:
    uid = int((c.json or {}).get("recipient_id", 0))
    user = sim.world.users.get(uid)
    if user is None:
        raise ApiError(400, P.error(50035, "Invalid Form Body"))
    ch = sim.world.dm_channel(user)
    return 200, P.channel(ch, sim.world.users)


ROUTES = [
    ("POST", "/channels/{channel_id}/messages", create_message),
    ("GET", "/channels/{channel_id}/messages", history),
    ("POST", "/channels/{channel_id}/messages/bulk-delete", bulk_delete),
    ("GET", "/channels/{channel_id}/messages/{message_id}", get_message),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", edit_message),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", delete_message),
    ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", add_reaction),
    ("POST", "/users/@me/channels", create_dm),
]
