"""After a create whose answer was lost: find what Discord made, by what the bot set.

Why: a connection reset after the request was sent, or a 5xx from Discord's edge, can
come after Discord made the channel or role. The bot never learned its id, so the
roll-back could not delete it: an orphan on the server (one the group's role may see),
and a second one when the leader tried again. Discord documents listing a server's
channels and roles (GET /guilds/{id}/channels, GET /guilds/{id}/roles): the bot looks
there for one with the name (and category) it set that was not there before this call,
and adopts it, so it is used or rolled back like anything else the command made.
A 500/502/504 is worse: discord.py sends the request again, and Discord may make it twice;
the copy nobody will use is deleted (`drop_doubles`; scheduled events too).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.texts.common import DOUBLE_AUDIT

log = logging.getLogger(__name__)

T = TypeVar("T", bound=discord.abc.GuildChannel)


class LookupFailed(Exception):
    """Listing the server's channels or roles failed too: the object may exist or not."""


class MaybeMade(Exception):
    """A create's answer was lost and the look-up failed: a channel `name` may be left."""

    def __init__(self, name: str, error: BaseException) -> None:
        super().__init__(name)
        self.name = name
        self.error = error


def maybe_made(error: BaseException) -> bool:
    """No answer, or a server error: Discord may have carried the request out."""
    if isinstance(error, discord.HTTPException):
        return error.status >= 500
    return isinstance(error, REST_FAULTS)


def channel_ids(guild: discord.Guild) -> set[int]:
    """The channels the bot knows of before a create: the one made is not among them."""
    return {channel.id for channel in guild.channels}


def role_ids(guild: discord.Guild) -> set[int]:
    """The roles the bot knows of before a create."""
    return {role.id for role in guild.roles}


def event_ids(guild: discord.Guild) -> set[int]:
    """The scheduled events the bot knows of before a create."""
    return {event.id for event in guild.scheduled_events}


async def find_channel(
    guild: discord.Guild,
    kind: type[discord.abc.GuildChannel],
    name: str,
    parent_id: int | None,
    before: set[int],
) -> discord.abc.GuildChannel | None:
    """The channel of this kind, name and category made since `before`; None if none.
    A text channel's name is kept as Discord stores it (lower case, spaces as hyphens)."""
    try:
        channels = await guild.fetch_channels()
    except REST_FAULTS as exc:
        log.warning("lost answer: channel list failed too: %s", fault_code(exc))
        raise LookupFailed from exc
    names = {name, name.lower().replace(" ", "-")}
    found = [
        c
        for c in channels
        if c.id not in before
        and isinstance(c, kind)
        and c.name in names
        and c.category_id == parent_id
    ]
    return await keep_newest(found)


async def find_role(guild: discord.Guild, name: str, before: set[int]) -> discord.Role | None:
    """The role of this name made since `before`; None if there is none."""
    try:
        roles = await guild.fetch_roles()
    except REST_FAULTS as exc:
        log.warning("lost answer: role list failed too: %s", fault_code(exc))
        raise LookupFailed from exc
    found = [r for r in roles if r.id not in before and r.name == name]
    return await keep_newest(found)


Made = TypeVar("Made", discord.Role, discord.abc.GuildChannel, discord.ScheduledEvent)


async def keep_newest(found: list[Made]) -> Made | None:
    """Several made (every try of a 5xx discord.py sent again was carried out): keep one."""
    if not found:
        return None
    newest = max(found, key=lambda thing: thing.id)
    await _delete([thing for thing in found if thing.id != newest.id])
    return newest


async def drop_doubles(
    guild: discord.Guild,
    made: discord.Role | discord.abc.GuildChannel | discord.ScheduledEvent,
    before: set[int],
) -> None:
    """After a create that worked: discord.py sends a request that got a 500/502/504/524
    again (after waiting a second or more), so if the first try was carried out, Discord
    made the object twice. The first one's gateway event came in during that wait: the
    cache shows it, with the name (and category; an event's place, start and creator) of
    the one made, and it is deleted."""
    if isinstance(made, discord.Role):
        pool: list[Any] = [r for r in guild.roles if r.name == made.name]
    elif isinstance(made, discord.ScheduledEvent):
        pool = [
            e
            for e in guild.scheduled_events
            if (e.name, e.location, e.start_time, e.creator_id)
            == (made.name, made.location, made.start_time, made.creator_id)
        ]
    else:
        pool = [
            c
            for c in guild.channels
            if type(c) is type(made) and c.name == made.name and c.category_id == made.category_id
        ]
    await _delete([thing for thing in pool if thing.id not in before and thing.id != made.id])


async def _delete(doubles: list[Any]) -> None:
    """Best effort: a double nobody uses; a failure is logged with its id."""
    for thing in doubles:
        try:
            await thing.delete(reason=DOUBLE_AUDIT)
        except discord.NotFound:
            pass
        except REST_FAULTS as exc:
            log.warning(
                "double %s %s not deleted: %s", type(thing).__name__, thing.id, fault_code(exc)
            )
        else:
            log.info("deleted double %s %s", type(thing).__name__, thing.id)


async def create_channel(
    guild: discord.Guild,
    kind: type[T],
    name: str,
    parent_id: int | None,
    create: Callable[[], Awaitable[T]],
) -> T:
    """`create()`, or the channel Discord made though its answer was lost. Raises the
    create's error if nothing was made, MaybeMade if the bot could not look."""
    before = channel_ids(guild)
    try:
        made = await create()
    except REST_FAULTS as exc:
        if not maybe_made(exc):
            raise
        try:
            found = await find_channel(guild, kind, name, parent_id, before)
        except LookupFailed:
            raise MaybeMade(name, exc) from exc
        if found is None:
            raise
        log.info("adopted channel %s after a lost answer", found.id)
        assert isinstance(found, kind)
        return found
    await drop_doubles(guild, made, before)
    return made


def nonce() -> int:
    """A message's nonce, as discord.py makes one for channel.send. A raw post
    (http.send_message) needs it too: with a nonce, `handle_message_parameters` sets
    enforce_nonce, so discord.py's resend of a 502 returns the message Discord already
    made instead of posting it twice."""
    return secrets.randbits(64)


async def send_once(channel: discord.abc.Messageable, **kwargs: Any) -> discord.Message:
    """Send; if the answer was lost, send again with the same nonce: Discord returns the
    message it already made with it (`enforce_nonce`, Create Message) instead of a second,
    so the bot learns its id and no stray copy with live-looking buttons is left behind."""
    once = nonce()
    try:
        return await channel.send(nonce=once, **kwargs)
    except REST_FAULTS as exc:
        if not maybe_made(exc):
            raise
        log.info("message answer lost (%s): sent again with its nonce", fault_code(exc))
        return await channel.send(nonce=once, **kwargs)
