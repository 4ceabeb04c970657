"""Every hand-written gateway/REST JSON shape of the fake, in one place.

Shapes follow Discord's API docs (v10) and what discord.py 2.7.1 reads.
"""

from __future__ import annotations

from typing import Any

from .permissions import VIEW_CHANNEL, channel_permissions
from .world import Channel, Guild, Member, Message, Role, ScheduledEvent, User, iso, snowflake_time

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # per file, a server without boosts or a DM (10 MiB)


def user(u: User) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.name,
        "global_name": u.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": u.bot,
        "public_flags": 0,
    }


def bot_me(u: User) -> dict[str, Any]:
    d = user(u)
    d.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US"})
    return d


def app_info(bot: User, owner: User) -> dict[str, Any]:
    return {
        "id": str(bot.id),
        "name": bot.name,
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": user(owner),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
    }


def role(r: Role) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    }


def member(m: Member, *, with_user: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {
        "roles": [str(r) for r in m.role_ids],
        "nick": m.nick,
        "avatar": None,
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": m.deaf,
        "mute": m.mute,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        d["user"] = user(m.user)
    return d


def overwrites(ch: Channel) -> list[dict[str, Any]]:
    return [
        {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
        for o in ch.overwrites.values()
    ]


def thread(ch: Channel, *, newly_created: bool = False) -> dict[str, Any]:
    """A thread; `newly_created` marks a new one's THREAD_CREATE (else: on_thread_join)."""
    created = iso(snowflake_time(ch.id))
    d: dict[str, Any] = {
        "id": str(ch.id),
        "type": ch.type,
        "guild_id": str(ch.guild_id),
        "parent_id": str(ch.parent_id),
        "owner_id": str(ch.owner_id),
        "name": ch.name,
        "last_message_id": str(ch.last_message_id) if ch.last_message_id else None,
        "rate_limit_per_user": ch.rate_limit_per_user,
        "message_count": len(ch.messages),
        "member_count": min(len(ch.thread_members), 50),
        "flags": 0,
        "thread_metadata": {
            "archived": ch.archived,
            "auto_archive_duration": 4320,
            "archive_timestamp": iso(ch.archive_changed) if ch.archive_changed else created,
            "locked": ch.locked,
            "create_timestamp": created,
            **({"invitable": True} if ch.type == 12 else {}),
        },
    }
    if newly_created:
        d["newly_created"] = True
    return d


def channel(ch: Channel, users: dict[int, User] | None = None) -> dict[str, Any]:
    if ch.is_thread:
        return thread(ch)
    if ch.type == 1:
        rec = (users or {}).get(ch.recipient_id or 0)
        return {
            "id": str(ch.id),
            "type": 1,
            "last_message_id": str(ch.last_message_id) if ch.last_message_id else None,
            "recipients": [user(rec)] if rec else [],
            "flags": 0,
        }
    d: dict[str, Any] = {
        "id": str(ch.id),
        "type": ch.type,
        "guild_id": str(ch.guild_id),
        "name": ch.name,
        "position": ch.position,
        "permission_overwrites": overwrites(ch),
        "parent_id": str(ch.parent_id) if ch.parent_id else None,
        "nsfw": ch.nsfw,
        "flags": 0,
    }
    if ch.type in (0, 2, 5):
        d["last_message_id"] = str(ch.last_message_id) if ch.last_message_id else None
        d["rate_limit_per_user"] = ch.rate_limit_per_user
    if ch.type in (0, 5):
        d["topic"] = ch.topic
    if ch.type == 2:
        d.update({"bitrate": ch.bitrate, "user_limit": ch.user_limit, "rtc_region": None})
    return d


def voice_state(m: Member) -> dict[str, Any]:
    return {
        "guild_id": str(m.guild_id),
        "channel_id": str(m.voice_channel_id) if m.voice_channel_id else None,
        "user_id": str(m.user.id),
        "member": member(m),
        "session_id": m.voice_session,
        "deaf": m.deaf,
        "mute": m.mute,
        "self_deaf": False,
        "self_mute": False,
        "self_stream": False,
        "self_video": False,
        "suppress": False,
        "request_to_speak_timestamp": None,
    }


def scheduled_event(e: ScheduledEvent, creator: User | None) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "guild_id": str(e.guild_id),
        "channel_id": str(e.channel_id) if e.channel_id else None,
        "creator_id": str(e.creator_id) if e.creator_id else None,
        "creator": user(creator) if creator else None,
        "name": e.name,
        "description": e.description,
        "scheduled_start_time": e.start,
        "scheduled_end_time": e.end,
        "privacy_level": 2,
        "status": e.status,
        "entity_type": e.entity_type,
        "entity_id": None,
        "entity_metadata": {"location": e.location} if e.location else None,
        "user_count": 0,
        "image": None,
        "recurrence_rule": None,
    }


def guild(g: Guild, users: dict[int, User], *, self_id: int) -> dict[str, Any]:
    """GUILD_CREATE as Discord sends it to a bot without the presences intent.

    Discord's documentation: "members" then holds only the bot itself and the users
    in voice channels; member_count is the whole guild, so discord.py asks for the rest
    with a member request (opcode 8), answered by `members_chunks`. "threads" holds the
    active threads the bot can see.
    """
    me = g.members.get(self_id)
    threads = [
        thread(t)
        for t in g.threads.values()
        if not t.archived and me is not None and channel_permissions(g, me, t) & VIEW_CHANNEL
    ]
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": iso(g.members[next(iter(g.members))].joined_at) if g.members else None,
        "large": False,
        "unavailable": False,
        "member_count": len(g.members),
        "members": [
            member(m)
            for m in g.members.values()
            if m.user.id == self_id or m.voice_channel_id is not None
        ],
        "voice_states": [
            voice_state(m) for m in g.members.values() if m.voice_channel_id is not None
        ],
        "channels": [channel(c) for c in g.channels.values()],
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [
            scheduled_event(e, users.get(e.creator_id or 0)) for e in g.events.values()
        ],
        "soundboard_sounds": [],
    }


def members_chunks(g: Guild, nonce: str | None, size: int = 1000) -> list[dict[str, Any]]:
    """GUILD_MEMBERS_CHUNK events answering a request for all members (1,000 per chunk)."""
    everyone = [member(m) for m in g.members.values()]
    parts = [everyone[i : i + size] for i in range(0, len(everyone), size)] or [[]]
    return [
        {
            "guild_id": str(g.id),
            "members": part,
            "chunk_index": index,
            "chunk_count": len(parts),
            "not_found": [],
            "nonce": nonce,
        }
        for index, part in enumerate(parts)
    ]


def ready(bot: User, guilds: list[Guild]) -> dict[str, Any]:
    return {
        "v": 10,
        "user": bot_me(bot),
        "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
        "session_id": "sim-session",
        "resume_gateway_url": "wss://gateway.invalid",
        "application": {"id": str(bot.id), "flags": 0},
        "private_channels": [],
        "relationships": [],
    }


def attachment(msg_id: int, idx: int, filename: str, data: bytes) -> dict[str, Any]:
    url = f"https://cdn.discordapp.invalid/attachments/{msg_id}/{idx}/{filename}"
    return {
        "id": str(msg_id + idx + 1),
        "filename": filename,
        "size": len(data),
        "url": url,
        "proxy_url": url,
        "content_type": "application/octet-stream",
    }


def message(m: Message, guild_member: Member | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.created_at),
        "edited_timestamp": iso(m.edited),
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(m.id, i, f, b) for i, (f, b) in enumerate(m.files)],
        "embeds": m.embeds,
        "pinned": m.pinned,
        "type": m.type,
        "flags": m.flags,
        "components": m.components,
        "reactions": [
            {"emoji": {"id": None, "name": e}, "count": len(us), "me": False}
            for e, us in m.reactions.items()
        ],
    }
    if m.guild_id:
        d["guild_id"] = str(m.guild_id)
        if guild_member is not None:
            d["member"] = member(guild_member, with_user=False)
    if m.webhook_id:
        d["webhook_id"] = str(m.webhook_id)
        d["application_id"] = str(m.webhook_id)
    if m.interaction is not None:
        d["interaction_metadata"] = m.interaction
    if m.poll is not None:
        d["poll"] = m.poll
    for kind, source in ((0, m.reference), (1, m.forwarded_from)):  # DEFAULT, FORWARD
        if source is not None:
            d["message_reference"] = {
                "type": kind,
                "message_id": str(source.id),
                "channel_id": str(source.channel_id),
                **({"guild_id": str(source.guild_id)} if source.guild_id else {}),
            }
    if m.forwarded_from is not None:
        source = m.forwarded_from
        d["flags"] = m.flags | (1 << 14)  # HAS_SNAPSHOT
        d["message_snapshots"] = [
            {
                "message": {
                    "type": source.type,
                    "content": source.content,
                    "embeds": source.embeds,
                    "attachments": [
                        attachment(source.id, i, f, b) for i, (f, b) in enumerate(source.files)
                    ],
                    "timestamp": iso(source.created_at),
                    "edited_timestamp": iso(source.edited),
                    "flags": source.flags,
                    "mentions": [],
                    "mention_roles": [],
                }
            }
        ]
    return d


def error(code: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "code": code, **extra}


MISSING_PERMISSIONS = (403, error(50013, "Missing Permissions"))
MISSING_ACCESS = (403, error(50001, "Missing Access"))
CANNOT_DM = (403, error(50007, "Cannot send messages to this user"))
ALREADY_ACKED = (400, error(40060, "Interaction has already been acknowledged."))
UNKNOWN_INTERACTION = (404, error(10062, "Unknown interaction"))
UNKNOWN_CHANNEL = (404, error(10003, "Unknown Channel"))
UNKNOWN_MESSAGE = (404, error(10008, "Unknown Message"))
UNKNOWN_ROLE = (404, error(10011, "Unknown Role"))
UNKNOWN_MEMBER = (404, error(10007, "Unknown Member"))
UNKNOWN_EVENT = (404, error(10070, "Unknown Guild Scheduled Event"))
UNKNOWN_WEBHOOK = (404, error(10015, "Unknown Webhook"))
NOT_IN_VOICE = (400, error(40032, "Target user is not connected to voice."))
TOO_OLD = (400, error(50034, "You can only bulk delete messages that are under 14 days old."))
NOT_FOUND = (404, error(0, "404: Not Found"))

ERROR_MESSAGES = {
    50013: "Missing Permissions",
    50007: "Cannot send messages to this user",
    40060: "Interaction has already been acknowledged.",
    10062: "Unknown interaction",
    10003: "Unknown Channel",
    10008: "Unknown Message",
    10011: "Unknown Role",
    10007: "Unknown Member",
    0: "error",
}
