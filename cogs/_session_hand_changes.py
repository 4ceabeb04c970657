"""A live meeting's Discord parts changed by hand (a moderator, an admin, another bot).

Why: the bot hears of these only through gateway events; without a listener the
meeting went on as if nothing had happened (its status edits failing unseen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.store import sessions as session_store

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine
    from cogs._session_lifecycle import Lifecycle


class HandChanges:
    """Listens for deletions in a live session's channel."""

    def __init__(self, bot: BalintBot, engine: Engine, lifecycle: Lifecycle) -> None:
        self.bot = bot
        self.engine = engine
        self.lifecycle = lifecycle

    def register(self) -> None:
        self.bot.add_listener(self.message_deleted, "on_raw_message_delete")
        self.bot.add_listener(self.messages_deleted, "on_raw_bulk_message_delete")

    async def message_deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._status_gone(payload.channel_id, {payload.message_id})

    async def messages_deleted(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        await self._status_gone(payload.channel_id, payload.message_ids)

    async def _status_gone(self, channel_id: int, message_ids: set[int]) -> None:
        """The status message deleted: the next edit finds it gone and posts it again."""
        sid = self.lifecycle.by_text.get(channel_id)
        if sid is None or self.engine.status is None:
            return
        session = await session_store.get(self.bot.db, sid)
        if session is not None and session.live and session.status_message_id in message_ids:
            self.engine.status.touch(sid)
