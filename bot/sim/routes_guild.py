"""Route handlers: users, application commands, guilds, roles, members (channels apart)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import (
    ADMINISTRATOR,
    DEAFEN_MEMBERS,
    MANAGE_NICKNAMES,
    MANAGE_ROLES,
    MOVE_MEMBERS,
    MUTE_MEMBERS,
    base_permissions,
    outranks,
)
from .world import Role

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call

Result = tuple[int, Any]


class ApiError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers


def fail(err: tuple[int, Any]) -> ApiError:
    return ApiError(err[0], dict(err[1]))


def _int(v: Any, default: int = 0) -> int:
    return default if v is None else int(v)


# -- users / application ----------------------------------------------------


def get_me(sim: Simulator, c: Call) -> Result:
    return 200, P.bot_me(sim.bot_user)


def get_app(sim: Simulator, c: Call) -> Result:
    return 200, P.app_info(sim.bot_user, sim.app_owner)


def _store_commands(sim: Simulator, scope: int | None, body: list[dict[str, Any]]) -> Result:
    """Bulk overwrite: all or nothing, refused whole (400/50035) if one command breaks a limit."""
    from .command_limits import problems  # imports .limits, which imports this module
    from .limits import form_error

    found = problems(body)
    if found:
        raise form_error(found)
    out = []
    for cmd in body:
        d = dict(cmd)
        d.setdefault("type", 1)
        d["id"] = str(
            sim._command_ids.setdefault((scope, d["name"], d["type"]), sim.world.snowflake())
        )
        d["application_id"] = str(sim.bot_user.id)
        d["version"] = str(sim.world.snowflake())
        d.setdefault("description", "")
        if scope is not None:
            d["guild_id"] = str(scope)
        out.append(d)
    sim.commands[scope] = out
    return 200, out


def put_global_commands(sim: Simulator, c: Call) -> Result:
    return _store_commands(sim, None, c.json or [])


def put_guild_commands(sim: Simulator, c: Call) -> Result:
    sim.guild(int(c.params["guild_id"]))
    return _store_commands(sim, int(c.params["guild_id"]), c.json or [])


def get_global_commands(sim: Simulator, c: Call) -> Result:
    return 200, sim.commands.get(None, [])


def get_guild_commands(sim: Simulator, c: Call) -> Result:
    return 200, sim.commands.get(int(c.params["guild_id"]), [])


# -- guild / roles ------------------------------------------------------------


def get_guild(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    d = P.guild(g, sim.world.users, self_id=sim.bot_user.id)
    for k in ("members", "channels", "voice_states", "threads", "presences"):
        d.pop(k, None)
    return 200, d


def get_roles(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    return 200, [P.role(r) for r in g.roles.values()]


def _check_grant(sim: Simulator, g: Any, perms: int) -> None:
    have = base_permissions(g, sim.bot_member(g))
    if not have & ADMINISTRATOR and perms & ~have:
        raise fail(P.MISSING_PERMISSIONS)


MAX_ROLES = 250


def _check_role_name(name: object) -> None:
    if isinstance(name, str) and len(name) > 100:
        message = "Must be 100 or fewer in length."
        errors = {"name": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": message}]}}
        raise ApiError(400, P.error(50035, "Invalid Form Body", errors=errors))


def create_role(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    sim.require(g, MANAGE_ROLES)
    body = c.json or {}
    _check_role_name(body.get("name", "new role"))
    if len(g.roles) >= MAX_ROLES:
        raise ApiError(400, P.error(30005, "Maximum number of guild roles reached (250)"))
    perms = _int(body.get("permissions"), g.everyone.permissions)
    _check_grant(sim, g, perms)
    for r in g.roles.values():
        if r.position >= 1 and r.id != g.id:
            r.position += 1
    role = Role(
        id=sim.world.snowflake(),
        guild_id=g.id,
        name=body.get("name", "new role"),
        permissions=perms,
        position=1,
        color=_int(body.get("color")),
        hoist=bool(body.get("hoist")),
        mentionable=bool(body.get("mentionable")),
    )
    g.roles[role.id] = role
    sim.world.roles[role.id] = role
    data = P.role(role)
    sim.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(g.id), "role": data})
    return 200, data


def _role(sim: Simulator, c: Call) -> tuple[Any, Role]:
    g = sim.guild(int(c.params["guild_id"]))
    role = g.roles.get(int(c.params["role_id"]))
    if role is None:
        raise fail(P.UNKNOWN_ROLE)
    return g, role


def edit_role(sim: Simulator, c: Call) -> Result:
    g, role = _role(sim, c)
    sim.require(g, MANAGE_ROLES)
    if not outranks(g, sim.bot_member(g), role.position):
        raise fail(P.MISSING_PERMISSIONS)
    body = c.json or {}
    if "permissions" in body:
        _check_grant(sim, g, _int(body["permissions"]))
        role.permissions = _int(body["permissions"])
    _check_role_name(body.get("name"))
    for key in ("name", "hoist", "mentionable"):
        if key in body:
            setattr(role, key, body[key])
    if "color" in body:
        role.color = _int(body["color"])
    data = P.role(role)
    sim.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": data})
    return 200, data


def delete_role(sim: Simulator, c: Call) -> Result:
    g, role = _role(sim, c)
    sim.require(g, MANAGE_ROLES)
    if role.id == g.id or not outranks(g, sim.bot_member(g), role.position):
        raise fail(P.MISSING_PERMISSIONS)
    sim.remove_role(g, role)
    return 204, None


def role_positions(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    sim.require(g, MANAGE_ROLES)
    me = sim.bot_member(g)
    for item in c.json or []:
        role = g.roles.get(int(item["id"]))
        if role is None:
            raise fail(P.UNKNOWN_ROLE)
        pos = int(item.get("position", role.position))
        if not outranks(g, me, role.position) or not outranks(g, me, pos):
            raise fail(P.MISSING_PERMISSIONS)
        role.position = pos
        sim.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": P.role(role)})
    return 200, [P.role(r) for r in g.roles.values()]


# -- members --------------------------------------------------------------------


def _member(sim: Simulator, c: Call) -> tuple[Any, Any]:
    g = sim.guild(int(c.params["guild_id"]))
    m = g.members.get(int(c.params["user_id"]))
    if m is None:
        raise fail(P.UNKNOWN_MEMBER)
    return g, m


def get_member(sim: Simulator, c: Call) -> Result:
    _, m = _member(sim, c)
    return 200, P.member(m)


def list_members(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    after = int(c.query.get("after", 0))
    limit = int(c.query.get("limit", 1))
    ms = sorted((m for m in g.members.values() if m.id > after), key=lambda m: m.id)
    return 200, [P.member(m) for m in ms[:limit]]


def _check_role_change(sim: Simulator, g: Any, role_ids: set[int]) -> None:
    sim.require(g, MANAGE_ROLES)
    me = sim.bot_member(g)
    for rid in role_ids:
        role = g.roles.get(rid)
        if role is None:
            raise fail(P.UNKNOWN_ROLE)
        if role.managed or not outranks(g, me, role.position):
            raise fail(P.MISSING_PERMISSIONS)


def add_member_role(sim: Simulator, c: Call) -> Result:
    g, m = _member(sim, c)
    rid = int(c.params["role_id"])
    _check_role_change(sim, g, {rid})
    if rid not in m.role_ids:
        m.role_ids.append(rid)
        sim.dispatch_member_update(g, m)
    return 204, None


def remove_member_role(sim: Simulator, c: Call) -> Result:
    g, m = _member(sim, c)
    rid = int(c.params["role_id"])
    _check_role_change(sim, g, {rid})
    if rid in m.role_ids:
        m.role_ids.remove(rid)
        sim.dispatch_member_update(g, m)
    return 204, None


def edit_member(sim: Simulator, c: Call) -> Result:
    g, m = _member(sim, c)
    body = c.json or {}
    if "roles" in body:
        new = {int(r) for r in body["roles"] or []}
        _check_role_change(sim, g, new ^ set(m.role_ids))
    if "nick" in body:
        sim.require(g, MANAGE_NICKNAMES)
        if isinstance(body["nick"], str) and len(body["nick"]) > 32:  # "" or null resets it
            message = "Must be 32 or fewer in length."
            errors = {"nick": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": message}]}}
            raise ApiError(400, P.error(50035, "Invalid Form Body", errors=errors))
    if "mute" in body:
        sim.require(g, MUTE_MEMBERS)
    if "deaf" in body:
        sim.require(g, DEAFEN_MEMBERS)
    if "channel_id" in body:
        sim.require(g, MOVE_MEMBERS)
    if ("mute" in body or "deaf" in body or "channel_id" in body) and m.voice_channel_id is None:
        raise fail(P.NOT_IN_VOICE)
    if "roles" in body:
        m.role_ids = [int(r) for r in body["roles"] or []]
    if "nick" in body:
        m.nick = body["nick"]
    voice_changed = False
    for key in ("mute", "deaf"):
        if key in body and getattr(m, key) != bool(body[key]):
            setattr(m, key, bool(body[key]))
            voice_changed = True
    if "channel_id" in body:
        m.voice_channel_id = _int(body["channel_id"]) or None
        voice_changed = True
    if voice_changed:
        sim.dispatch("VOICE_STATE_UPDATE", P.voice_state(m))
    sim.dispatch_member_update(g, m)
    return 200, P.member(m)


ROUTES = [
    ("GET", "/users/@me", get_me),
    ("GET", "/oauth2/applications/@me", get_app),
    ("GET", "/applications/@me", get_app),
    ("PUT", "/applications/{application_id}/commands", put_global_commands),
    ("GET", "/applications/{application_id}/commands", get_global_commands),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", put_guild_commands),
    ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", get_guild_commands),
    ("GET", "/guilds/{guild_id}", get_guild),
    ("GET", "/guilds/{guild_id}/roles", get_roles),
    ("POST", "/guilds/{guild_id}/roles", create_role),
    ("PATCH", "/guilds/{guild_id}/roles", role_positions),
    ("PATCH", "/guilds/{guild_id}/roles/{role_id}", edit_role),
    ("DELETE", "/guilds/{guild_id}/roles/{role_id}", delete_role),
    ("GET", "/guilds/{guild_id}/members", list_members),
    ("GET", "/guilds/{guild_id}/members/{user_id}", get_member),
    ("PATCH", "/guilds/{guild_id}/members/{user_id}", edit_member),
    ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", add_member_role),
    ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", remove_member_role),
]
