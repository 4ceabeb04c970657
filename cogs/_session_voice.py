"""Enforced voice turns: server mutes the bot sets, records, and always lifts.

A Speak overwrite does not silence someone already connected (Discord computes
voice permissions on join), so enforced mode server-mutes exactly the members
whose right to speak changed. Server mute is server-wide and outlives the
channel: every mute is recorded and lifted at the end, when the member leaves,
and at start-up. A member muted by someone else is never unmuted by the bot.
A compatible server without the member-edit route (bot/compat.py) gets one
WARNING, and no mute is tried there again until the bot restarts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code, route_missing
from bot.domain import session as domain
from bot.domain.permissions import mute_changes, on_voice_join
from bot.errors import UserError
from bot.store import groups as group_store
from bot.store import session_perms
from bot.store import sessions as session_store
from bot.texts import facilitation as texts

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine, Live

log = logging.getLogger(__name__)
NOT_IN_VOICE = 40032


class VoiceKeeper:
    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine
        self._no_mute: set[int] = set()  # servers that have no member-edit route

    def _voice_channel(self, live: Live) -> discord.VoiceChannel | None:
        cid = live.session.voice_channel_id
        channel = self.bot.get_channel(cid) if cid else None
        return channel if isinstance(channel, discord.VoiceChannel) else None

    async def _set_mute(self, guild: discord.Guild, user_id: int, mute: bool) -> bool:
        """One member edit; False if Discord refused (not in voice, gone, no permission)."""
        if guild.id in self._no_mute:
            return False
        reason = texts.VOICE_MUTE_REASON if mute else texts.VOICE_UNMUTE_REASON
        try:
            await self.bot.http.edit_member(guild.id, user_id, mute=mute, reason=reason)
        except discord.HTTPException as exc:
            if route_missing(exc):
                self._no_mute.add(guild.id)
                log.warning(
                    "guild %s has no server mute (%s %s): voice turns are not enforced there",
                    guild.id,
                    exc.status,
                    exc.code,
                )
            elif exc.code != NOT_IN_VOICE:
                log.warning("voice %s of %s failed: %s/%s", mute, user_id, exc.status, exc.code)
            return False
        except REST_FAULTS as exc:
            # The connection broke: a mute is not recorded as set; an unmute keeps its
            # record, so the next change, join or restart lifts it again.
            log.warning("voice %s of %s failed: %s", mute, user_id, fault_code(exc))
            return False
        return True

    async def _mute(self, guild: discord.Guild, user_id: int, session_id: int) -> None:
        """Record first, then mute: a crash in between leaves a record of a mute that may not
        exist (lifting it is harmless), never a mute the bot does not know it set."""
        await session_perms.record_mute(self.bot.db, guild.id, user_id, session_id, self.bot.now())
        if not await self._set_mute(guild, user_id, True):
            await session_perms.forget_mute(self.bot.db, guild.id, user_id)

    async def follow(self, live: Live, new_state: object) -> None:
        """After a change: mute those who lost the right to speak, unmute those who got it."""
        state = new_state  # SessionState
        if not state.live:  # type: ignore[attr-defined]
            # Whatever the mode is now: it may have been enforced earlier in the meeting.
            guild = self.bot.get_guild(live.group.guild_id)
            if guild is not None:
                await self.lift_session(live.session.id, guild)
            return
        if live.group.voice_mode != "enforced":
            return
        channel = self._voice_channel(live)
        if channel is None:
            return
        connected = frozenset(m.id for m in channel.members if not m.bot)
        muted = {
            m.user_id for m in await session_perms.mutes_for_session(self.bot.db, live.session.id)
        }
        old = domain.speakers_of(live.state, connected)
        new = domain.speakers_of(state, connected)  # type: ignore[arg-type]
        others = {m.id for m in channel.members if m.voice and m.voice.mute} - muted
        to_mute, to_unmute = mute_changes(old, new, connected, frozenset(muted))
        await self._apply(live, channel.guild, to_mute - others, to_unmute)

    async def _apply(
        self, live: Live, guild: discord.Guild, to_mute: frozenset[int], to_unmute: frozenset[int]
    ) -> None:
        for user_id in sorted(to_mute):
            await self._mute(guild, user_id, live.session.id)
        for user_id in sorted(to_unmute):
            if await self._set_mute(guild, user_id, False):
                await session_perms.forget_mute(self.bot.db, guild.id, user_id)

    async def lift_session(self, session_id: int, guild: discord.Guild) -> None:
        """The end: lift every mute of this session for members still in voice."""
        for mute in await session_perms.mutes_for_session(self.bot.db, session_id):
            member = guild.get_member(mute.user_id)
            if member is None or member.voice is None or member.voice.channel is None:
                continue  # lifted when they next join voice
            if await self._set_mute(guild, mute.user_id, False):
                await session_perms.forget_mute(self.bot.db, guild.id, mute.user_id)

    async def mode_changed(self, group_id: int) -> None:
        """Turned advisory mid-meeting: the mutes the bot set go at once, not at the end."""
        group = await group_store.get(self.bot.db, group_id)
        session = await session_store.live_for_group(self.bot.db, group_id)
        guild = self.bot.get_guild(group.guild_id) if group else None
        if group and session and guild and group.voice_mode != "enforced":
            await self.lift_session(session.id, guild)

    async def joined(self, member: discord.Member, live: Live | None) -> None:
        """A member joined a voice channel (a session's, or any other)."""
        if live is not None and live.state.live and member.id in live.state.away:
            live = await self._back(live, member.id)
        record = await session_perms.mute_of(self.bot.db, member.guild.id, member.id)
        if live is not None and live.state.live and live.group.voice_mode == "enforced":
            speakers = domain.speakers_of(live.state, {member.id})
            mine = frozenset({member.id}) if record else frozenset()
            action = on_voice_join(member.id, speakers, mine)
            if action == "mute" and not (member.voice and member.voice.mute):
                await self._mute(member.guild, member.id, live.session.id)
            elif action == "unmute" and await self._set_mute(member.guild, member.id, False):
                await session_perms.forget_mute(self.bot.db, member.guild.id, member.id)
            return
        if record is not None and await self._set_mute(member.guild, member.id, False):
            await session_perms.forget_mute(self.bot.db, member.guild.id, member.id)

    async def _back(self, live: Live, user_id: int) -> Live | None:
        """Rejoining the session's voice after saying they dropped out is being back, as
        /back is: a member present by voice only may never type it, and stayed shown away
        and out of a running round."""
        try:
            await self.engine.change(
                live.session.id, lambda s: domain.come_back(s, user_id, self.bot.now())
            )
        except UserError:
            return None  # ended meanwhile
        return await self.engine.fetch(live.session.id)

    async def left(self, member: discord.Member) -> None:
        """A member left the session's voice channel: lift the bot's mute if still connected.

        Disconnected members cannot be unmuted (Discord answers 40032); the record
        stays and the mute is lifted when they next join any voice channel.
        """
        record = await session_perms.mute_of(self.bot.db, member.guild.id, member.id)
        if record is None or member.voice is None or member.voice.channel is None:
            return
        if await self._set_mute(member.guild, member.id, False):
            await session_perms.forget_mute(self.bot.db, member.guild.id, member.id)

    async def recover(self) -> None:
        """Start-up: lift every recorded mute that no live session in its channel justifies."""
        for record in await session_perms.all_mutes(self.bot.db):
            guild = self.bot.get_guild(record.guild_id)
            if guild is None:
                continue
            member = guild.get_member(record.user_id)
            if member is None:
                await session_perms.forget_mute(self.bot.db, record.guild_id, record.user_id)
                continue
            if member.voice is None or member.voice.channel is None:
                continue  # lifted at their next join
            session = (
                await session_store.get(self.bot.db, record.session_id)
                if record.session_id
                else None
            )
            if (
                session is not None
                and session.live
                and (session.voice_channel_id == member.voice.channel.id)
            ):
                live = await self.engine.load(session)
                await self.joined(member, live)
                continue
            if await self._set_mute(guild, member.id, False):
                await session_perms.forget_mute(self.bot.db, guild.id, member.id)
