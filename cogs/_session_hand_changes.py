"""A live meeting's Discord parts changed by hand (a moderator, an admin, another bot).

Why: the bot hears of these only through gateway events; without a listener the
meeting went on as if nothing had happened (its status edits failing unseen). Discord
replays no CHANNEL_DELETE missed while the bot was down, so each READY also compares
the live sessions' channels with the guild (cache first; a miss is asked of Discord).
Either way the leaders' notice is a stored timer keyed by the channel: told once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.store import session_group
from bot.store import sessions as session_store
from bot.store.timers import Timer
from bot.texts import facilitation as texts
from cogs._dm_names import line_of
from cogs._groups_deletions import gone_from_discord
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine
    from cogs._session_lifecycle import Lifecycle

K_CHANNEL_GONE = "session_channel_gone"  # `channel_gone:<session id>:<channel id>`


class HandChanges:
    """Listens for deletions of a live session's channels, its status message and its frame."""

    def __init__(self, bot: BalintBot, engine: Engine, lifecycle: Lifecycle) -> None:
        self.bot = bot
        self.engine = engine
        self.lifecycle = lifecycle

    def register(self) -> None:
        self.bot.add_listener(self.message_deleted, "on_raw_message_delete")
        self.bot.add_listener(self.messages_deleted, "on_raw_bulk_message_delete")
        self.bot.add_listener(self.channel_deleted, "on_guild_channel_delete")
        self.bot.add_listener(self.missing_at_ready, "on_ready")
        self.bot.timers.register(K_CHANNEL_GONE, self.on_channel_gone)

    async def channel_deleted(self, channel: discord.abc.GuildChannel) -> None:
        """A live session's text or voice channel deleted: the leaders are told, once.

        The meeting is not ended for them: it can go on by voice (or in text), and
        `/session end` still ends it cleanly; the purge then finds the channel gone (404).
        """
        sid = self.lifecycle.by_text.get(channel.id) or self.lifecycle.by_voice.get(channel.id)
        if sid is not None:
            await self._tell_once(sid, channel.id)

    async def missing_at_ready(self) -> None:
        """Deleted while the bot was down: no REST call while every channel is in the cache."""
        for session in await session_store.live(self.bot.db):
            group = await session_group.get(self.bot.db, session.id)
            guild = self.bot.get_guild(group[1].guild_id) if group and group[1] else None
            if guild is None or guild.unavailable:
                continue  # not judged: the next READY looks again
            for channel_id in (session.text_channel_id, session.voice_channel_id):
                if not channel_id or guild.get_channel(channel_id) is not None:
                    continue
                if await gone_from_discord(guild, channel_id, is_role=False):
                    await self._tell_once(session.id, channel_id)

    async def _tell_once(self, session_id: int, channel_id: int) -> None:
        """Through a timer keyed by the channel: a later READY finds it told already."""
        session = await session_store.get(self.bot.db, session_id)
        if session is None or not session.live:
            return  # an ended session's channels go with its purge
        timer = await self.bot.timers.add(
            kind=K_CHANNEL_GONE,
            key=f"channel_gone:{session_id}:{channel_id}",
            due_at=self.bot.now(),
            session_id=session_id,
        )
        if timer is not None:
            await self.bot.timers.fire(timer.id)

    async def on_channel_gone(self, timer: Timer) -> None:
        found = await session_group.get(self.bot.db, timer.session_id or 0)
        if found is None or not found[0].live or found[1] is None:
            return
        session, group = found
        kind = "text" if timer.dedupe_key.endswith(f":{session.text_channel_id}") else "voice"
        await tell_leaders(self.bot, group, line_of(texts.CHANNEL_DELETED_MID_MEETING[kind]))

    async def message_deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._messages_gone(payload.channel_id, {payload.message_id})

    async def messages_deleted(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        await self._messages_gone(payload.channel_id, payload.message_ids)

    async def _messages_gone(self, channel_id: int, message_ids: set[int]) -> None:
        """The status message or the frame deleted: each is posted again.

        The status at its next edit (touched now); the frame at once (cogs/_session_frame.py).
        """
        sid = self.lifecycle.by_text.get(channel_id)
        if sid is None:
            return
        session = await session_store.get(self.bot.db, sid)
        if session is None or not session.live:
            return
        if self.engine.status is not None and session.status_message_id in message_ids:
            self.engine.status.touch(sid)
        await self.lifecycle.frames.deleted(sid, message_ids)
