"""A live meeting's Discord parts changed by hand (a moderator, an admin, another bot).

Why: the bot hears of these only through gateway events; without a listener the
meeting went on as if nothing had happened (its status edits failing unseen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.store import session_group
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine
    from cogs._session_lifecycle import Lifecycle


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

    async def channel_deleted(self, channel: discord.abc.GuildChannel) -> None:
        """A live session's text or voice channel deleted: the leaders are told, once.

        The meeting is not ended for them: it can go on by voice (or in text), and
        `/session end` still ends it cleanly; the purge then finds the channel gone (404).
        CHANNEL_DELETE comes once per channel, so the notice does too.
        """
        kind = "text" if channel.id in self.lifecycle.by_text else "voice"
        sid = self.lifecycle.by_text.get(channel.id) or self.lifecycle.by_voice.get(channel.id)
        found = await session_group.get(self.bot.db, sid) if sid is not None else None
        if found is None or not found[0].live or found[1] is None:
            return
        group = found[1]
        await tell_leaders(
            self.bot, group, texts.CHANNEL_DELETED_MID_MEETING[kind].format(name=group.name)
        )

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
