"""The threads under a permanent session channel, deleted with the session's messages.

Why: Discord keeps a thread when its parent's messages are deleted, even the message
it was opened on, so the purge of a kept channel left every thread in it readable.
Members may not open threads there (the role denies it), but an admin or a moderator
may, and threads opened before that deny are still there. Nothing in the store names
them: they are listed from Discord each time, without the cache (which forgets
archived threads): the guild's active threads, then the channel's archived public and
private ones page by page (Manage Threads is needed for the private ones, and to
delete any). A 404 on a list means the channel is gone, and its threads with it;
but a compatible server without one of these routes (404 code 0, 405, 501:
bot/compat.py) only skips that list, with one WARNING per purge: the threads the
other lists find are still deleted, and the purge is not retried for ever.
Archived pages go by archive time, strictly before the last one seen, so threads
archived in the same instant across a page boundary are missed: the listing is made
again after each round of deletions, until one finds nothing left to delete.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.compat import route_missing
from bot.texts import facilitation as texts

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

PAGE = 50  # discord.py's own default
ROUNDS = 20  # listings per purge at most; each round deletes at least one page's worth

Lister = Callable[..., Awaitable[Any]]


async def delete_threads(
    bot: BalintBot, guild_id: int, channel_id: int, until: int | None
) -> int | None:
    """Delete every thread of the channel opened before `until` (all: None).

    `until`: the next session's frame in the channel; a thread after it is that
    session's. Returns how many were deleted; None if the channel is gone. Other
    refusals propagate: the purge is tried again later.
    """
    gone = 0
    missing: set[str] = set()  # the lists this server does not have: tried once per purge
    for _ in range(ROUNDS):
        try:
            found = await _list(bot, guild_id, channel_id, missing)
        except discord.NotFound:
            return None  # the channel is gone, and its threads with it
        older = sorted(t for t in found if until is None or t < until)
        if not older:
            break
        for thread_id in older:
            try:
                await bot.http.delete_channel(thread_id, reason=texts.PURGE_THREADS_AUDIT)
            except discord.NotFound:
                continue  # gone meanwhile (deleted by hand, or with a second purge)
            gone += 1
    return gone


async def _list(bot: BalintBot, guild_id: int, channel_id: int, missing: set[str]) -> set[int]:
    """The threads under the channel that the server's lists show (none from a missing one)."""

    async def active(_: int) -> set[int]:
        answer = await bot.http.get_active_threads(guild_id)
        return {int(t["id"]) for t in answer.get("threads", []) if _under(t, channel_id)}

    found: set[int] = set()
    for name, read in (
        ("active", active),
        ("archived_public", lambda c: _archived(bot.http.get_public_archived_threads, c)),
        ("archived_private", lambda c: _archived(bot.http.get_private_archived_threads, c)),
    ):
        if name in missing:
            continue
        try:
            found |= await read(channel_id)
        except discord.HTTPException as exc:
            if not route_missing(exc):
                raise
            missing.add(name)
            log.warning(
                "channel %s: this server has no %s thread list (%s %s); "
                "threads only it shows are not deleted",
                channel_id,
                name,
                exc.status,
                exc.code,
            )
    return found


async def _archived(lister: Lister, channel_id: int) -> set[int]:
    """Every page: by archive time, newest first; the next page is before the last one."""
    found: set[int] = set()
    before: str | None = None
    while True:
        page = await lister(channel_id, before=before, limit=PAGE)
        threads = page.get("threads", [])
        found |= {int(t["id"]) for t in threads if _under(t, channel_id)}
        if not page.get("has_more") or not threads:
            return found
        before = threads[-1].get("thread_metadata", {}).get("archive_timestamp")
        if before is None:
            return found


def _under(thread: dict[str, Any], channel_id: int) -> bool:
    return str(thread.get("parent_id")) == str(channel_id)
