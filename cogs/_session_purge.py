"""The purge after a session: its channels deleted (or its messages, in a permanent channel).

Why: what was said in a session must not stay readable. A purge Discord refuses
(403 missing permission, a 5xx after discord.py's own retries, a network error)
is not dropped: a stored timer `purge:{sid}:retry:{n}` tries again later and
later (bot/domain/purge.py), so a restart loses no retry, and a restart in the
middle of one doubles none (the key dedupes). After the second failure the
leaders are told once, through a timer of its own that never fires twice. A 404
means the channel is gone already: the session counts as purged.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS
from bot.domain.purge import TELL_LEADERS_AFTER, retry_delay, tell_leaders
from bot.store import groups as group_store
from bot.store import session_perms
from bot.store import sessions as session_store
from bot.store import timers as timer_store
from bot.store.groups import Group
from bot.store.sessions import Session
from bot.store.timers import Timer
from bot.texts import facilitation as texts
from cogs._dm_names import line_of
from cogs._leaders_notice import tell_leaders as notify_leaders
from cogs._session_room import Room, held_in_permanent
from cogs._session_timers import K_PURGE, K_PURGE_FAILED

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

FAULTS = REST_FAULTS


def purge_key(session_id: int, attempt: int = 0) -> str:
    """The timer key of the purge (attempt 0) and of its retries (1, 2, ...)."""
    return f"purge:{session_id}" if attempt == 0 else f"purge:{session_id}:retry:{attempt}"


def attempt_of(key: str) -> int:
    parts = key.split(":")
    return int(parts[3]) if len(parts) == 4 and parts[2] == "retry" else 0


class Purger:
    def __init__(self, bot: BalintBot, room: Room, by_voice: dict[int, int]) -> None:
        self.bot = bot
        self.room = room
        self.by_voice = by_voice

    def register(self) -> None:
        self.bot.add_listener(self.retry_on_return, "on_guild_join")

    async def retry_on_return(self, guild: discord.Guild) -> None:
        """Invited back: a purge refused while the bot was out of the server (403 Missing
        Access) is retried now, not at its next retry hours later; the case is still
        readable in those channels. The first purge, still ahead, keeps its time."""
        now = self.bot.now()
        for key in await timer_store.pending_in_guild(self.bot.db, K_PURGE, guild.id):
            if attempt_of(key) > 0:
                await self.bot.timers.move(key, now)

    async def _unpurged(self, timer: Timer) -> tuple[Session, Group | None] | None:
        """The timer's session and group, or None once the session is purged (or gone)."""
        if timer.session_id is None:
            return None
        session = await session_store.get(self.bot.db, timer.session_id)
        if session is None or session.purged_at is not None:
            return None
        return session, await group_store.get(self.bot.db, session.group_id)

    async def purge(self, timer: Timer) -> None:
        """Delete the session's channels (404: already gone); needs no cache."""
        found = await self._unpurged(timer)
        if found is None:
            return
        session, group = found
        try:
            await self._delete(session, group)
        except FAULTS as exc:
            await self._failed(timer, session, exc)
            return
        self.by_voice.pop(session.voice_channel_id or 0, None)
        await session_store.mark_purged(self.bot.db, session.id, self.bot.now())

    async def _delete(self, session: Session, group: Group | None) -> None:
        """Every channel is tried; the first failure is raised after the others were tried."""
        failure: BaseException | None = None
        channels = [session.text_channel_id, session.voice_channel_id]
        if held_in_permanent(group, session):
            channels = [session.voice_channel_id]
            try:
                await self.room.purge_messages(session.id)
            except FAULTS as exc:
                failure = exc
        for channel_id in channels:
            if not channel_id:
                continue
            try:
                await self.bot.http.delete_channel(channel_id, reason=texts.PURGE_AUDIT)
            except discord.NotFound:
                pass
            except FAULTS as exc:
                failure = failure or exc
                continue
            await session_perms.forget_overwrites(self.bot.db, channel_id)
        if failure is not None:
            raise failure

    async def _failed(self, timer: Timer, session: Session, exc: BaseException) -> None:
        """A stored retry, and on the second failure a stored notice for the leaders."""
        attempt = attempt_of(timer.dedupe_key) + 1
        now = self.bot.now()
        due = now + retry_delay(attempt)
        status = getattr(exc, "status", None)
        log.warning(
            "session %s: purge failed (%s %s); retry %d at %s",
            session.id,
            status,
            getattr(exc, "code", type(exc).__name__),
            attempt,
            due.isoformat(),
        )
        await self._add(K_PURGE, purge_key(session.id, attempt), due, timer, session)
        if tell_leaders(attempt):
            await self._add(K_PURGE_FAILED, f"purge:{session.id}:told", now, timer, session)

    async def _add(
        self, kind: str, key: str, due: datetime, timer: Timer, session: Session
    ) -> None:
        await self.bot.timers.add(
            kind=kind,
            key=key,
            due_at=due,
            guild_id=timer.guild_id,
            group_id=session.group_id,
            session_id=session.id,
        )

    async def on_failed(self, timer: Timer) -> None:
        """Tell the leaders (once: this timer never fires twice) that the purge is stuck."""
        found = await self._unpurged(timer)
        if found is None or found[1] is None:
            return
        session, group = found
        retry = await timer_store.by_key(self.bot.db, purge_key(session.id, TELL_LEADERS_AFTER))
        after = ""
        if retry is not None and retry.state == timer_store.PENDING:
            after = texts.LEADERS_PURGE_NEXT.format(when=discord.utils.format_dt(retry.due_at, "R"))
        permanent = held_in_permanent(group, session)  # only its messages go, never the channel
        template = texts.LEADERS_PURGE_FAILED_PERMANENT if permanent else texts.LEADERS_PURGE_FAILED
        channel = f"<#{session.text_channel_id or session.voice_channel_id}>"
        line = line_of(template, channel=channel, next=after)
        await notify_leaders(self.bot, group, line)
