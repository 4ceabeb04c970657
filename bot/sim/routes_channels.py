"""Route handlers: guild channels, their settings and their permission overwrites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import (
    ADMINISTRATOR,
    MANAGE_CHANNELS,
    MANAGE_ROLES,
    base_permissions,
    channel_permissions,
)
from .rename_limit import check_rename
from .routes_guild import ApiError, Result, _int, fail
from .threads import delete_thread, edit_thread
from .world import Channel, Overwrite

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call


# -- channels ---------------------------------------------------------------------

MAX_GUILD_CHANNELS = 500  # categories included (error 30013)
MAX_CATEGORY_CHILDREN = 50


def _limit_error(key: str, code: str, message: str) -> ApiError:
    errors = {key: {"_errors": [{"code": code, "message": message}]}}
    return ApiError(400, P.error(50035, "Invalid Form Body", errors=errors))


def _check_name(kind: int, name: object) -> str:
    """1-100 characters; a text or announcement channel's name as Discord stores it
    (lower case, spaces as hyphens), so a bot that finds channels by the name it
    sent finds none."""
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise _limit_error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    return name.lower().replace(" ", "-") if kind in (0, 5) else name


def _check_topic(kind: int, topic: object) -> None:
    """A topic of at most 1,024 characters (4,096 in a forum or media channel)."""
    limit = 4096 if kind in (15, 16) else 1024
    if isinstance(topic, str) and len(topic) > limit:
        raise _limit_error("topic", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _check_room(g: Any, parent_id: int | None, moving: Channel | None = None) -> None:
    """A guild holds 500 channels, a category 50 (a channel moved within it is no more)."""
    if moving is None and len(g.channels) >= MAX_GUILD_CHANNELS:
        message = "Maximum number of guild channels reached (500)"
        raise ApiError(400, P.error(30013, message))
    if parent_id is None or (moving is not None and moving.parent_id == parent_id):
        return
    children = sum(1 for ch in g.channels.values() if ch.parent_id == parent_id)
    if children >= MAX_CATEGORY_CHILDREN:
        message = "Maximum number of channels in category reached (50)"
        raise _limit_error("parent_id", "CHANNEL_PARENT_MAX_CHANNELS", message)


def _overwrites(raw: list[dict[str, Any]] | None) -> dict[int, Overwrite]:
    out = {}
    for o in raw or []:
        t = o.get("type", 0)
        t = {"role": 0, "member": 1}.get(t, t) if isinstance(t, str) else int(t)
        out[int(o["id"])] = Overwrite(int(o["id"]), t, _int(o.get("allow")), _int(o.get("deny")))
    return out


def _check_overwrites(
    sim: Simulator,
    g: Any,
    ows: dict[int, Overwrite],
    ch: Channel | None,
    *,
    creating: bool = False,
) -> None:
    me = sim.bot_member(g)
    have = channel_permissions(g, me, ch) if ch is not None else base_permissions(g, me)
    if have & ADMINISTRATOR:
        return
    if creating and any((o.allow | o.deny) & MANAGE_ROLES for o in ows.values()):
        # Create Guild Channel: "Setting MANAGE_ROLES permission in channels is only
        # possible for guild administrators" (discord-api-docs #2522, #7187, #7978): the
        # whole create is refused with 50013 even when the bot holds Manage Roles.
        mine = ch.overwrites.get(me.id) if ch is not None else None
        if mine is None or not mine.allow & MANAGE_ROLES:
            raise fail(P.MISSING_PERMISSIONS)
    if ch is not None:
        mine = ch.overwrites.get(me.id)
        if mine is not None and mine.allow & MANAGE_ROLES:
            return
    for o in ows.values():
        if (o.allow | o.deny) & ~have:
            raise fail(P.MISSING_PERMISSIONS)


def get_channels(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    return 200, [P.channel(ch) for ch in g.channels.values()]


def create_channel(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    body = c.json or {}
    parent = sim.world.channels.get(_int(body.get("parent_id"))) if body.get("parent_id") else None
    sim.require(g, MANAGE_CHANNELS, parent, access=False)
    ows = _overwrites(body.get("permission_overwrites"))
    if ows:
        sim.require(g, MANAGE_ROLES, parent, access=False)
        _check_overwrites(sim, g, ows, parent, creating=True)
    kind = int(body.get("type", 0))
    name = _check_name(kind, body.get("name"))
    _check_topic(kind, body.get("topic"))
    _check_room(g, parent.id if parent else None)
    ch = Channel(
        id=sim.world.snowflake(),
        type=kind,
        name=name,
        guild_id=g.id,
        position=_int(body.get("position"), len(g.channels)),
        parent_id=parent.id if parent else None,
        topic=body.get("topic"),
        overwrites=ows,
        user_limit=_int(body.get("user_limit")),
        nsfw=bool(body.get("nsfw")),
        rate_limit_per_user=_int(body.get("rate_limit_per_user")),
    )
    sim.world.add_channel(g, ch)
    data = P.channel(ch)
    sim.dispatch("CHANNEL_CREATE", data)
    return 201, data


def get_channel(sim: Simulator, c: Call) -> Result:
    """Discord: 403 Missing Access (50001) for a guild channel the bot cannot see."""
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    sim.require(sim.world.guild_of(ch), 0, ch)
    return 200, P.channel(ch, sim.world.users)


def edit_channel(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    if ch.is_thread:
        return edit_thread(sim, c)
    g = sim.world.guild_of(ch)
    if g is None:
        raise fail(P.MISSING_PERMISSIONS)
    sim.require(g, MANAGE_CHANNELS, ch)
    body = c.json or {}
    if "name" in body:
        body = {**body, "name": _check_name(ch.type, body["name"])}
    _check_topic(ch.type, body.get("topic"))
    if body.get("parent_id"):
        _check_room(g, _int(body["parent_id"]), moving=ch)
    check_rename(sim, ch, body)
    if "permission_overwrites" in body:
        sim.require(g, MANAGE_ROLES, ch)
        ows = _overwrites(body["permission_overwrites"])
        _check_overwrites(sim, g, ows, ch)
        ch.overwrites = ows
    for key in ("name", "topic", "nsfw"):
        if key in body:
            setattr(ch, key, body[key])
    for key in ("position", "user_limit", "rate_limit_per_user", "bitrate"):
        if key in body:
            setattr(ch, key, _int(body[key]))
    if "parent_id" in body:
        ch.parent_id = _int(body["parent_id"]) or None
    data = P.channel(ch)
    sim.dispatch("CHANNEL_UPDATE", data)
    return 200, data


def delete_channel(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    if ch.is_thread:
        return delete_thread(sim, c)
    g = sim.world.guild_of(ch)
    if g is not None:
        sim.require(g, MANAGE_CHANNELS, ch)
    data = sim.remove_channel(ch)
    return 200, data


def put_permission(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    g = sim.world.guild_of(ch)
    if g is None:
        raise fail(P.MISSING_PERMISSIONS)
    sim.require(g, MANAGE_ROLES, ch)
    body = c.json or {}
    oid = int(c.params["overwrite_id"])
    ow = _overwrites([{**body, "id": oid}])
    _check_overwrites(sim, g, ow, ch)
    ch.overwrites[oid] = ow[oid]
    sim.dispatch("CHANNEL_UPDATE", P.channel(ch))
    return 204, None


def delete_permission(sim: Simulator, c: Call) -> Result:
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    g = sim.world.guild_of(ch)
    if g is None:
        raise fail(P.MISSING_PERMISSIONS)
    sim.require(g, MANAGE_ROLES, ch)
    if ch.overwrites.pop(int(c.params["overwrite_id"]), None) is not None:
        sim.dispatch("CHANNEL_UPDATE", P.channel(ch))
    return 204, None


ROUTES = [
    ("GET", "/guilds/{guild_id}/channels", get_channels),
    ("POST", "/guilds/{guild_id}/channels", create_channel),
    ("GET", "/channels/{channel_id}", get_channel),
    ("PATCH", "/channels/{channel_id}", edit_channel),
    ("DELETE", "/channels/{channel_id}", delete_channel),
    ("PUT", "/channels/{channel_id}/permissions/{overwrite_id}", put_permission),
    ("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}", delete_permission),
]
