"""The facilitation cog's listeners: what Discord and the other cogs tell a live meeting.

A mixin of `cogs.facilitation.Facilitation` (discord.py collects listeners along the
cog's bases), kept apart so the commands and the events each stay one short file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain import session as domain
from bot.errors import UserError
from bot.store import groups as group_store
from bot.store import sessions as session_store
from cogs._session_refit import refit_role

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine
    from cogs._session_lifecycle import Lifecycle
    from cogs._session_timers import SessionTimers


class SessionListeners:
    """Listeners only; the cog that inherits this owns the engine, lifecycle and timers."""

    bot: BalintBot
    engine: Engine
    lifecycle: Lifecycle
    timers: SessionTimers

    @commands.Cog.listener("on_ready")
    async def restore_sessions(self) -> None:
        """After a (re)start: plans re-applied where they differ, stray mutes lifted."""
        await self.lifecycle.restore()
        if self.engine.voice is not None:
            await self.engine.voice.recover()

    @commands.Cog.listener("on_message")
    async def count_message(self, message: discord.Message) -> None:
        """Counted, never read: the silence nudge and attendance need only that it happened.
        Discord's own notices ("pinned a message", a poll's results) are not someone writing;
        discord.py's is_system() is False for the poll results notice, so it is named too."""
        sid = self.lifecycle.by_text.get(message.channel.id)
        notice = message.is_system() or message.type is discord.MessageType.poll_result
        if sid is None or message.author.bot or notice:
            return
        await session_store.count_message(self.bot.db, sid, self.bot.now())
        self.bot.dispatch("balint_member_present", sid, message.author.id, "message")

    @commands.Cog.listener("on_voice_state_update")
    async def voice_moved(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        if before.channel == after.channel or member.bot or self.engine.voice is None:
            return
        if before.channel is not None and before.channel.id in self.lifecycle.by_voice:
            await self.engine.voice.left(member)
        if after.channel is None:
            return
        sid, live = self.lifecycle.by_voice.get(after.channel.id), None
        if sid is not None:
            live = await self.engine.fetch(sid)
            if live is not None:
                self.bot.dispatch("balint_member_present", sid, member.id, "voice")
        await self.engine.voice.joined(member, live)

    @commands.Cog.listener("on_balint_group_leaders_changed")
    async def leaders_changed(self, group_id: int) -> None:
        """A leader named during a meeting may write in it at once, not from the next phase."""
        session = await session_store.live_for_group(self.bot.db, group_id)
        if session is not None:
            await self.engine.refresh_leaders(session.id)

    @commands.Cog.listener("on_balint_group_role_replaced")
    async def role_replaced(self, group_id: int) -> None:
        """/group repair made a new role: the session channels get its overwrite."""
        await refit_role(self.bot, self.engine, group_id)

    @commands.Cog.listener("on_balint_group_member_removed")
    async def member_removed(self, group_id: int, user_id: int, erased: bool = False) -> None:
        await self._gone(group_id, user_id, erased=erased)

    @commands.Cog.listener("on_raw_member_remove")
    async def member_left_server(self, payload: discord.RawMemberRemoveEvent) -> None:
        for group in await group_store.for_user(self.bot.db, payload.guild_id, payload.user.id):
            await self._gone(group.id, payload.user.id)

    async def _gone(self, group_id: int, user_id: int, *, erased: bool = False) -> None:
        """Whoever leaves mid-meeting gives up their hand, their turns and the floor (and
        one erased by /privacy forget, their place among those who already spoke)."""
        rule = domain.member_erased if erased else domain.member_gone
        session = await session_store.live_for_group(self.bot.db, group_id)
        if session is None:
            return
        try:
            await self.engine.change(session.id, lambda s: rule(s, user_id))
        except UserError:
            return  # ended meanwhile

    @commands.Cog.listener("on_balint_voice_mode_changed")
    async def voice_mode_changed(self, group_id: int) -> None:
        await self.engine.voice.mode_changed(group_id)  # type: ignore[union-attr]

    @commands.Cog.listener("on_balint_auto_advance_on")
    async def auto_advance_on(self, group_id: int) -> None:
        await self.timers.auto_advance_on(group_id)

    @commands.Cog.listener("on_balint_case_presenter_chosen")
    async def presenter_chosen(self, session_id: int, user_id: int) -> None:
        if self.engine.status is not None:
            self.engine.status.touch(session_id)
