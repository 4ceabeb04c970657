"""The permanent session channel: reused at each start, emptied (not deleted) at the purge.

Why: a group may keep one session channel between sessions (setting
`session_channel` = permanent). Each start re-opens it with the start plan
(the end plan left it read-only); each purge deletes every message posted in
it from the session's frame message on (up to the next session's frame), in
bulk where Discord allows it (under 14 days old) and one by one otherwise
(bot/domain/purge.py), and every thread under it (cogs/_session_room_threads.py).
Missing messages or a missing channel are fine: the purge is idempotent and
re-runs after a restart.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain import session as domain
from bot.domain.permissions import OverwriteWrite, release_leader_overwrites
from bot.domain.phases import SessionState
from bot.domain.purge import plan_purge
from bot.store import groups as group_store
from bot.store import session_channels, session_perms
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.store.sessions import Session
from bot.texts import facilitation as texts
from cogs._session_apply import ApplyFailed
from cogs._session_room_threads import delete_threads

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine

log = logging.getLogger(__name__)

PAGE = 100
TOO_OLD = 50034


def is_permanent(group: Group) -> bool:
    return group.session_channel == session_channels.PERMANENT


def held_in_permanent(group: Group | None, session: Session) -> bool:
    """Was this session held in its group's permanent channel (purge messages, keep channel)?"""
    return (
        group is not None
        and session.text_channel_id is not None
        and group.session_channel_id == session.text_channel_id
    )


class Room:
    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine

    def find(self, guild: discord.Guild, group: Group) -> discord.TextChannel | None:
        """The group's permanent channel if it still exists (else one is made)."""
        channel = guild.get_channel(group.session_channel_id or 0)
        return channel if isinstance(channel, discord.TextChannel) else None

    async def reopen(
        self,
        channel: discord.TextChannel,
        role_id: int,
        writes: tuple[OverwriteWrite, ...],
        base: list[tuple[int, int, int]],
    ) -> None:
        """Empty it of earlier sessions not purged yet, then the start plan (writes only)."""
        for earlier in await session_channels.unpurged_in(self.bot.db, channel.id):
            await self.purge_messages(earlier)  # the last session's words go before the next
            await session_store.mark_purged(self.bot.db, earlier, self.bot.now())
        await session_perms.save_overwrites(self.bot.db, channel.id, base, self.bot.now())
        await self.engine.applier.apply(channel, role_id, writes)

    async def forget_members(self, channel_id: int, guild_id: int, role_id: int) -> None:
        """The closed plan put every member back as saved: drop their saved rows.

        Why: the channel is never deleted, so the purge never clears its rows; a member
        who once held the floor would stay named here for good. The next meeting saves
        them again as it finds them. Roles (the group's, @everyone) keep theirs: the
        closed plan still writes the group role on top of its saved original.
        Call only after the closed plan was written (and, at an end, stored).
        """
        guild = self.bot.get_guild(guild_id)
        saved = await session_perms.saved_overwrites(self.bot.db, channel_id)
        people = [
            target
            for target in saved
            if target not in (guild_id, role_id)
            and (guild is None or guild.get_role(target) is None)
        ]
        await session_perms.forget_targets(self.bot.db, channel_id, people)

    async def close_again(
        self, channel: discord.TextChannel, role_id: int, state: SessionState, posted: list[int]
    ) -> None:
        """Roll back a failed start in the permanent channel: its messages, then read-only."""
        for message_id in posted:
            try:
                await self.bot.http.delete_message(channel.id, message_id)
            except REST_FAULTS as exc:
                log.warning("roll-back: message %s not deleted: %s", message_id, fault_code(exc))
        _, effects = domain.end(state, self.bot.now())
        writes = [w for e in effects if isinstance(e, domain.ApplyPlan) for w in e.writes]
        try:
            await self.engine.applier.apply(channel, role_id, writes)
        except ApplyFailed as exc:
            log.warning("roll-back: channel %s not closed again: %s", channel.id, exc)
            return
        await self.forget_members(channel.id, channel.guild.id, role_id)

    async def purge_messages(self, session_id: int) -> None:
        """Delete what was posted in the session's channel from its frame on."""
        session = await session_store.get(self.bot.db, session_id)
        if session is None or session.text_channel_id is None:
            return
        channel_id = session.text_channel_id
        if session.frame_message_id:
            after = session.frame_message_id - 1
        elif session.started_at is not None:
            after = discord.utils.time_snowflake(session.started_at)
        else:
            return
        own = session.frame_message_id or after  # the next session's frame ends this one
        until = await session_channels.next_frame_in(self.bot.db, channel_id, own)
        found = await self._history(channel_id, after, until)
        if found is None or not await self._delete(channel_id, found):
            return  # the channel is gone, and its threads with it
        threads = await self._threads(session.group_id, channel_id, until)
        log.info(
            "session %s: %d messages and %s threads deleted from channel %s",
            session.id,
            len(found),
            threads,
            channel_id,
        )

    async def close_after_crash(self, session: Session, role_id: int | None) -> None:
        """A start cut short in the permanent channel: empty it and make it read-only again.

        The start had re-opened it, and members may have written there while the bot was
        down. Every earlier session in it was purged before the re-opening, so whatever is
        newer than the last earlier frame belongs to the start that never happened. Errors
        propagate: the caller keeps the start on record and tries again at the next restart.
        """
        channel_id = session.text_channel_id or 0
        after = await session_channels.last_frame_in(self.bot.db, channel_id, session.id)
        found = await self._history(channel_id, after or 0, None)
        if found is None:
            return  # the channel is gone
        await self._delete(channel_id, found)
        await self._threads(session.group_id, channel_id, None)
        channel = self.bot.get_channel(channel_id)
        if isinstance(channel, discord.TextChannel) and role_id is not None:
            leaders = [m.user_id for m in await group_store.leaders(self.bot.db, session.group_id)]
            writes = domain.closed_channel_writes() + release_leader_overwrites(leaders)
            await self.engine.applier.apply(channel, role_id, writes)
            await self.forget_members(channel.id, channel.guild.id, role_id)

    async def _threads(self, group_id: int, channel_id: int, until: int | None) -> int | None:
        """Every thread under the channel (before `until`): Discord keeps them otherwise."""
        group = await group_store.get(self.bot.db, group_id)
        if group is None:
            return None
        return await delete_threads(self.bot, group.guild_id, channel_id, until)

    async def _delete(self, channel_id: int, found: list[tuple[int, datetime]]) -> bool:
        """Bulk where Discord allows it, else one by one; False if the channel is gone."""
        plan = plan_purge(found, self.bot.now())
        singles = list(plan.singles)
        for batch in plan.batches:
            try:
                await self.bot.http.delete_messages(
                    channel_id, list(batch), reason=texts.PURGE_MESSAGES_AUDIT
                )
            except discord.NotFound:
                return False  # the channel is gone, and its messages with it
            except discord.HTTPException as exc:
                if exc.status != 400:
                    raise
                log.info("bulk delete refused in channel %s (%s): one by one", channel_id, exc.code)
                singles += batch
        for message_id in singles:
            try:
                await self.bot.http.delete_message(
                    channel_id, message_id, reason=texts.PURGE_MESSAGES_AUDIT
                )
            except discord.NotFound:
                continue
        return True

    async def _history(
        self, channel_id: int, after: int, until: int | None
    ) -> list[tuple[int, datetime]] | None:
        """(id, created at) of the messages after `after` (before `until`); None: no channel."""
        found: list[tuple[int, datetime]] = []
        while True:
            try:
                page = await self.bot.http.logs_from(channel_id, PAGE, after=after)
            except discord.NotFound:
                return None
            ids = sorted(int(m["id"]) for m in page)
            found += [
                (i, discord.utils.snowflake_time(i)) for i in ids if until is None or i < until
            ]
            if len(page) < PAGE or (until is not None and ids and ids[-1] >= until):
                return found
            after = ids[-1]
