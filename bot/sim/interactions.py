"""Interaction payloads (slash, autocomplete, component, modal) and their recorded results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import DM_PERMS, base_permissions, channel_permissions
from .world import Channel, Guild, Member, Message, Role, User

if TYPE_CHECKING:
    from .simulator import Simulator

OPTION_TYPES = {
    3: "string",
    4: "integer",
    5: "boolean",
    6: "user",
    7: "channel",
    8: "role",
    9: "mentionable",
    10: "number",
    11: "attachment",
}


@dataclass(eq=False)
class InteractionResult:
    id: int
    token: str
    kind: int
    user: User
    guild_id: int | None
    channel_id: int
    message: Message | None = None  # the message a component lives on
    response_type: int | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    deferred: bool = False
    edited_after_defer: bool = False
    choices: list[dict[str, Any]] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    unknown: bool = False

    @property
    def type(self) -> int | None:
        return self.response_type

    @property
    def responded(self) -> bool:
        return self.response_type is not None

    @property
    def content(self) -> str:
        return self.original.content if self.original is not None else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.original.embeds if self.original is not None else []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.original.components if self.original is not None else []

    @property
    def files(self) -> list[tuple[str, bytes]]:
        return self.original.files if self.original is not None else []

    @property
    def ephemeral(self) -> bool:
        return bool(self.original is not None and self.original.ephemeral)

    @property
    def messages(self) -> list[Message]:
        return ([self.original] if self.original is not None else []) + self.followups

    @property
    def text(self) -> str:
        """Content, embed titles/descriptions/fields of the response and all followups."""
        return "\n".join(t for t in (message_text(m) for m in self.messages) if t)

    def __repr__(self) -> str:
        return (
            f"<InteractionResult type={self.response_type} ephemeral={self.ephemeral} "
            f"text={self.text[:80]!r} followups={len(self.followups)}>"
        )


def message_text(m: Message) -> str:
    parts = [m.content] if m.content else []
    for e in m.embeds:
        for key in ("title", "description"):
            if e.get(key):
                parts.append(str(e[key]))
        for f in e.get("fields", []):
            parts.append(f"{f.get('name', '')}: {f.get('value', '')}")
        if (e.get("footer") or {}).get("text"):
            parts.append(e["footer"]["text"])
    stack = list(m.components)
    while stack:
        comp = stack.pop(0)
        if comp.get("type") == 10 and comp.get("content"):
            parts.append(comp["content"])
        stack.extend(comp.get("components") or [])
    return "\n".join(parts)


def base_payload(
    sim: Simulator, kind: int, user: User, guild: Guild | None, channel: Channel
) -> tuple[dict[str, Any], InteractionResult]:
    iid = sim.world.snowflake()
    token = f"tok{iid}"
    rec = InteractionResult(
        id=iid,
        token=token,
        kind=kind,
        user=user,
        guild_id=guild.id if guild else None,
        channel_id=channel.id,
    )
    d: dict[str, Any] = {
        "id": str(iid),
        "application_id": str(sim.bot_user.id),
        "type": kind,
        "token": token,
        "version": 1,
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": P.ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        member = guild.members.get(user.id)
        if member is None:
            raise AssertionError(f"{user.name} is not a member of {guild.name}")
        perms = channel_permissions(guild, member, channel)
        if not perms & 1024:
            raise AssertionError(f"{user.name} cannot see #{channel.name}")
        md = P.member(member)
        md["permissions"] = str(perms)
        bot_perms = channel_permissions(guild, sim.bot_member(guild), channel)
        chd = P.channel(channel)
        chd["permissions"] = str(perms)
        d.update(
            {
                "guild_id": str(guild.id),
                "guild_locale": "en-US",
                "member": md,
                "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                "channel_id": str(channel.id),
                "channel": chd,
                "context": 0,
                "app_permissions": str(bot_perms),
                "authorizing_integration_owners": {"0": str(guild.id)},
            }
        )
    else:
        d.update(
            {
                "user": P.user(user),
                "channel_id": str(channel.id),
                "channel": P.channel(channel, sim.world.users),
                "context": 1,
                "app_permissions": str(DM_PERMS),
                "authorizing_integration_owners": {"0": str(user.id)},
            }
        )
    return d, rec


def find_command(sim: Simulator, name: str, guild: Guild | None) -> dict[str, Any]:
    scopes = ([guild.id] if guild else []) + [None]
    for scope in scopes:
        for cmd in sim.commands.get(scope, []):
            if cmd["name"] == name and cmd.get("type", 1) == 1:
                return cmd
    raise AssertionError(
        f"no slash command /{name} was synced (synced: "
        f"{sorted(c['name'] for s in scopes for c in sim.commands.get(s, []))})"
    )


def _resolve(
    sim: Simulator,
    guild: Guild | None,
    opt: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
) -> Any:
    t, name = opt["type"], opt["name"]
    bad = AssertionError(f"option {name!r} expects {OPTION_TYPES.get(t, t)}, got {value!r}")
    if t == 3:
        if not isinstance(value, str):
            raise bad
        if "min_length" in opt and len(value) < opt["min_length"]:
            raise AssertionError(f"option {name!r} shorter than {opt['min_length']}")
        if "max_length" in opt and len(value) > opt["max_length"]:
            raise AssertionError(f"option {name!r} longer than {opt['max_length']}")
    elif t == 4:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
    elif t == 10:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
    elif t == 5 and not isinstance(value, bool):
        raise bad
    if t in (4, 10):
        if opt.get("min_value") is not None and value < opt["min_value"]:
            raise AssertionError(f"option {name!r} below {opt['min_value']}")
        if opt.get("max_value") is not None and value > opt["max_value"]:
            raise AssertionError(f"option {name!r} above {opt['max_value']}")
    if opt.get("choices") and value not in [c["value"] for c in opt["choices"]]:
        raise AssertionError(f"option {name!r}: {value!r} is not one of the choices")
    if t in (6, 9) and isinstance(value, Member | User):
        user = value.user if isinstance(value, Member) else value
        resolved.setdefault("users", {})[str(user.id)] = P.user(user)
        m = guild.members.get(user.id) if guild else None
        if m is not None:
            md = P.member(m, with_user=False)
            md["permissions"] = str(base_permissions(guild, m))  # type: ignore[arg-type]
            resolved.setdefault("members", {})[str(user.id)] = md
        return str(user.id)
    if t in (8, 9) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = P.role(value)
        return str(value.id)
    if t == 7 and isinstance(value, Channel):
        types = opt.get("channel_types")
        if types and value.type not in types:
            raise AssertionError(f"option {name!r}: channel type {value.type} not in {types}")
        d = {
            "id": str(value.id),
            "name": value.name,
            "type": value.type,
            "guild_id": str(value.guild_id),
            "parent_id": str(value.parent_id) if value.parent_id else None,
            "permissions": str(1 << 40 | 0xFFFFFFFF),
        }
        resolved.setdefault("channels", {})[str(value.id)] = d
        return str(value.id)
    if t == 11 and isinstance(value, tuple):
        fname, data = value
        aid = sim.world.snowflake()
        att = P.attachment(aid, 0, fname, data)
        att["id"] = str(aid)
        sim.cdn[att["url"]] = data
        resolved.setdefault("attachments", {})[str(aid)] = att
        return str(aid)
    if t in (6, 7, 8, 9, 11):
        raise bad
    return value


def command_data(
    sim: Simulator,
    path: str,
    guild: Guild | None,
    options: dict[str, Any],
    focused: str | None = None,
) -> dict[str, Any]:
    parts = path.split()
    cmd = find_command(sim, parts[0], guild)
    data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1}
    if guild is not None and cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    schema = cmd.get("options", [])
    container = data
    for part in parts[1:]:
        sub = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
        if sub is None:
            raise AssertionError(f"/{path}: no subcommand {part!r}")
        node: dict[str, Any] = {"name": part, "type": sub["type"], "options": []}
        container.setdefault("options", []).append(node)
        container, schema = node, sub.get("options", [])
    if any(o["type"] in (1, 2) for o in schema):
        raise AssertionError(f"/{path} needs a subcommand")
    known = {o["name"]: o for o in schema}
    for key in options:
        if key not in known:
            raise AssertionError(f"/{path}: unknown option {key!r} (known: {sorted(known)})")
    resolved: dict[str, dict[str, Any]] = {}
    out = []
    for opt in schema:
        name = opt["name"]
        if name == focused:
            out.append(
                {"name": name, "type": opt["type"], "value": options.get(name, ""), "focused": True}
            )
            continue
        if name not in options:
            if opt.get("required") and focused is None:
                raise AssertionError(f"/{path}: missing required option {name!r}")
            continue
        value = _resolve(sim, guild, opt, options[name], resolved)
        out.append({"name": name, "type": opt["type"], "value": value})
    if focused is not None and focused not in known:
        raise AssertionError(f"/{path}: unknown focused option {focused!r}")
    if focused is not None and not known[focused].get("autocomplete"):
        raise AssertionError(f"/{path}: option {focused!r} has no autocomplete")
    container["options"] = out
    if resolved:
        data["resolved"] = resolved
    return data


def check_visible(sim: Simulator, cmd_name: str, user: User, guild: Guild | None) -> None:
    """Discord's UI hides commands by default_member_permissions and contexts."""
    cmd = find_command(sim, cmd_name, guild)
    if guild is None:
        contexts = cmd.get("contexts")
        if (contexts is not None and 1 not in contexts) or cmd.get("dm_permission") is False:
            raise AssertionError(f"/{cmd_name} is not available in DMs")
        return
    dmp = cmd.get("default_member_permissions")
    if dmp is not None and sim.enforce_default_permissions:
        have = base_permissions(guild, guild.members[user.id])
        if int(dmp) & ~have:
            raise AssertionError(
                f"/{cmd_name} is hidden from {user.name} by default_member_permissions"
            )


def find_component(msg: Message, custom_id: str) -> dict[str, Any] | None:
    stack = list(msg.components)
    while stack:
        comp = stack.pop()
        if comp.get("custom_id") == custom_id:
            return comp
        stack.extend(comp.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), dict):
                stack.append(comp[key])
    return None


def modal_components(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    seen: set[str] = set()

    def field(comp: dict[str, Any]) -> dict[str, Any]:
        cid = comp.get("custom_id")
        out: dict[str, Any] = {"type": comp["type"], "custom_id": cid}
        if comp.get("id") is not None:
            out["id"] = comp["id"]
        if cid in values:
            seen.add(cid)
        if comp["type"] == 4:
            value = values.get(cid, comp.get("value") or "")
            if comp.get("required", True) and not value:
                raise AssertionError(f"modal field {cid!r} is required")
            out["value"] = value
        else:
            v = values.get(cid, [])
            out["values"] = list(v) if isinstance(v, list | tuple) else [v]
        return out

    rows = []
    for row in modal.get("components", []):
        if row["type"] == 1:
            rows.append({"type": 1, "components": [field(c) for c in row.get("components", [])]})
        elif row["type"] == 18:
            rows.append({"type": 18, "id": row.get("id"), "component": field(row["component"])})
    unknown = set(values) - seen
    if unknown:
        raise AssertionError(f"modal has no fields {sorted(unknown)}")
    return rows
