"""Starting, ending, purging and restoring sessions.

Start creates the private text channel (and the voice channel beside it) with
the leaders' allow overwrites and the check-in plan baked into the creation
call, posts the frame and the one status message, and rolls everything back if
any step fails. End is idempotent. Purge deletes the channels after the delay.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain import session as domain
from bot.domain.permissions import OverwriteWrite
from bot.domain.phases import meeting_plan
from bot.errors import UserError
from bot.permissions_needed import missing
from bot.store import groups as group_store
from bot.store import session_channels, session_perms
from bot.store import sessions as session_store
from bot.store import timers as timer_store
from bot.store.groups import Group
from bot.store.sessions import Session
from bot.store.timers import Timer
from bot.texts import facilitation as texts
from cogs import _lost_answers as lost
from cogs._session_apply import (
    ROLE_BASE,
    ROLE_BASE_DENY,
    SEND,
    VOICE_ROLE,
    ApplyFailed,
    desired,
)
from cogs._session_crashed_start import remove_crashed_start
from cogs._session_engine import Live, durations_of
from cogs._session_frame import FrameKeeper, frame_embed
from cogs._session_purge import K_PURGE, Purger, purge_key
from cogs._session_refit import reapply_plan
from cogs._session_room import Room, held_in_permanent, is_permanent
from cogs._session_status import render
from cogs._session_views import frame_view

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine
    from cogs._session_timers import SessionTimers

log = logging.getLogger(__name__)

PLANNED_WINDOW = timedelta(hours=2)
BOT_ALLOW = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    manage_messages=True,
    manage_channels=True,
)
VOICE_BOT = discord.PermissionOverwrite(view_channel=True, connect=True)


def failure_kind(status: int) -> int:
    """403, 404, 429 or 500: the key of the texts that say what failed and what to do next."""
    return status if status in (403, 404, 429) else 500


class Lifecycle:
    def __init__(self, bot: BalintBot, engine: Engine, timers: SessionTimers) -> None:
        self.bot = bot
        self.engine = engine
        self.timers = timers
        self.room = Room(bot, engine)
        self.by_text: dict[int, int] = {}  # text channel id -> live session id
        self.by_voice: dict[int, int] = {}  # voice channel id -> session id
        self.purger = Purger(bot, self.room, self.by_voice)
        self.frames = FrameKeeper(bot)
        self._crashed_starts_swept = False

    async def rebuild_index(self) -> None:
        self.by_text.clear()
        self.by_voice.clear()
        for session in await session_store.live(self.bot.db):
            self._index(session.id, session.text_channel_id, session.voice_channel_id)

    def _index(self, sid: int, text_id: int | None, voice_id: int | None) -> None:
        if text_id:
            self.by_text[text_id] = sid
        if voice_id:
            self.by_voice[voice_id] = sid

    # --- start -------------------------------------------------------------------------------

    async def start(
        self, guild: discord.Guild, group: Group, session_id: int | None = None
    ) -> tuple[int, str]:
        """One start per group at a time: two leaders (or a double click) make one session.

        The second caller then finds the first one's session live and is told so.
        """
        async with self.bot.locks["session start", group.id]:
            return await self._start(guild, group, session_id)

    async def _start(
        self, guild: discord.Guild, group: Group, session_id: int | None = None
    ) -> tuple[int, str]:
        """Open the group's session; returns (session id, the sentence for the leader).

        `session_id` (the lobby button): exactly that planned session, however long it has
        run; None (`/session start`): the planned one within 2 h, else an ad-hoc one.
        """
        db, now = self.bot.db, self.bot.now()
        running = await session_store.live_for_group(db, group.id)
        if running is not None:
            raise UserError(texts.ALREADY_LIVE.format(channel=f"<#{running.text_channel_id}>"))
        category = guild.get_channel(group.category_id or 0)
        role = guild.get_role(group.role_id or 0)
        if not isinstance(category, discord.CategoryChannel) or role is None:
            raise UserError(texts.NO_CATEGORY)
        durations = durations_of(self.bot, group)
        plan = meeting_plan(durations, group.max_cases)
        if session_id is None:
            planned = await session_store.planned_near(db, group.id, now, PLANNED_WINDOW)
        else:
            planned = await session_store.planned_by_id(db, group.id, session_id)
            if planned is None:
                raise UserError(texts.NOT_PLANNED)
        if planned is None:
            total = timedelta(minutes=sum(m for _, m in plan))
            sid = await session_store.create_adhoc(db, group.id, now, now + total)
        else:
            sid = planned.id
        leaders = frozenset(m.user_id for m in await group_store.leaders(db, group.id))
        state, effects = domain.start(
            sid, now, leaders, max_cases=group.max_cases, durations=durations
        )
        writes = next(e for e in effects if isinstance(e, domain.ApplyPlan)).writes
        made: list[discord.abc.GuildChannel] = []
        posted: list[int] = []
        base = [(role.id, ROLE_BASE, ROLE_BASE_DENY), *((u, 0, 0) for u in sorted(leaders))]
        reused = self.room.find(guild, group) if is_permanent(group) else None
        try:
            if reused is not None:  # stored first: a crash while it is open is found
                await session_store.set_channels(
                    db, sid, text_channel_id=reused.id, voice_channel_id=None
                )
                await self.room.reopen(reused, role.id, writes, base)
            text, voice = await self._create_channels(
                guild, group, category, role, writes, made, sid, text=reused
            )
            # Stored at once: a crash before the start is stored leaves channels the
            # restart can find and delete (`remove_crashed_starts`).
            await session_store.set_channels(
                db, sid, text_channel_id=text.id, voice_channel_id=voice.id if voice else None
            )
            frame_body = frame_embed(self.bot, group, plan)
            frame = await lost.send_once(text, embed=frame_body, view=frame_view(sid))
            posted.append(frame.id)
            preview = await session_store.get(db, sid)  # still planned, with its channels
            assert preview is not None
            embed, view = await render(self.bot, Live(preview, group, leaders, state))
            status = await lost.send_once(text, embed=embed, view=view)
            posted.append(status.id)
            # Live, with its messages and timers, in one go: a crash before it leaves a
            # planned session whose channels the restart removes; never a live one with
            # no status message or no timers.
            async with db.transaction():
                await session_perms.save_overwrites(db, text.id, base, now)
                await session_store.save_state(db, state, applied=True, old=None, now=now)
                await session_store.mark_live(db, sid, now, None)
                await session_store.set_messages(
                    db, sid, frame_message_id=frame.id, status_message_id=status.id
                )
                if is_permanent(group) and reused is None:
                    await session_channels.set_permanent_channel(db, group.id, text.id)
                session = await session_store.get(db, sid)
                assert session is not None
                await self.timers.after_start(Live(session, group, leaders, state))
        except (*REST_FAULTS, ApplyFailed, lost.MaybeMade) as failed:  # refused, or broke
            if reused is not None:
                await self.room.close_again(reused, role.id, state, posted)
            left: list[str] = [f"<#{c}>" for c in await self._roll_back(made, sid, planned)]
            exc = failed.error if isinstance(failed, lost.MaybeMade) else failed
            if isinstance(failed, lost.MaybeMade):  # answer lost, and the look-up failed
                left.append(texts.MAYBE_LEFT_CHANNEL.format(channel=failed.name))
            answered = isinstance(exc, discord.HTTPException | ApplyFailed)
            kind = failure_kind(exc.status if answered else 500)
            perms = ", ".join(missing(guild.me.guild_permissions)) or texts.START_PERMISSIONS
            todo = texts.CHANNEL_CREATE_TODO[kind].format(permissions=perms)
            what = texts.APPLY_FAILED_WHAT[kind]
            answer = texts.CHANNEL_CREATE_FAILED.format(what=what, todo=todo)
            if left:
                channels = ", ".join(left)
                answer = texts.CHANNEL_CREATE_FAILED_LEFT.format(
                    what=what, channels=channels, todo=todo
                )
            raise UserError(answer) from failed
        self._index(sid, text.id, voice.id if voice else None)
        self.bot.dispatch("balint_session_started", sid)
        answer = texts.STARTED.format(channel=text.mention)
        if voice is not None:
            answer += texts.STARTED_VOICE.format(channel=voice.mention)
        return sid, answer

    async def _create_channels(
        self,
        guild: discord.Guild,
        group: Group,
        category: discord.CategoryChannel,
        role: discord.Role,
        writes: tuple[OverwriteWrite, ...],
        made: list[discord.abc.GuildChannel],
        sid: int,
        text: discord.TextChannel | None = None,
    ) -> tuple[discord.TextChannel, discord.VoiceChannel | None]:
        """Both channels, with the start plan in the creation call (no extra writes).

        `text`: the group's permanent channel, already re-opened (only the voice is made).
        A new text channel is stored at once: a crash before the voice's leaves it findable.
        """
        overwrites: dict[discord.abc.Snowflake, discord.PermissionOverwrite] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            guild.me: discord.PermissionOverwrite.from_pair(BOT_ALLOW, discord.Permissions.none()),
        }
        for write in writes:
            if write.target_kind == "role":
                target: discord.abc.Snowflake = role
                base = (ROLE_BASE, ROLE_BASE_DENY)
            else:
                target = discord.Object(write.target_id or 0, type=discord.Member)
                base = (0, 0)
            allow, deny = desired(base, write.send, write.threads)
            overwrites[target] = discord.PermissionOverwrite.from_pair(
                discord.Permissions(allow), discord.Permissions(deny)
            )
        date = self.bot.now().astimezone(ZoneInfo(group.zone)).strftime("%Y-%m-%d")
        if text is None:
            name = texts.TEXT_CHANNEL_NAME.format(date=date)
            if is_permanent(group):
                name = texts.PERMANENT_CHANNEL_NAME
            text = await lost.create_channel(
                guild,
                discord.TextChannel,
                name,
                category.id,
                lambda: guild.create_text_channel(
                    name,
                    category=category,
                    overwrites=overwrites,  # type: ignore[arg-type]
                    reason=texts.START_AUDIT,
                ),
            )
            made.append(text)
            await session_store.set_channels(
                self.bot.db, sid, text_channel_id=text.id, voice_channel_id=None
            )
        voice = None
        if group.voice_enabled:
            voice_name = texts.VOICE_CHANNEL_NAME.format(date=date)
            voice_overwrites = {
                guild.default_role: discord.PermissionOverwrite(view_channel=False, connect=False),
                role: VOICE_ROLE,
                guild.me: VOICE_BOT,
            }
            voice = await lost.create_channel(
                guild,
                discord.VoiceChannel,
                voice_name,
                category.id,
                lambda: guild.create_voice_channel(
                    voice_name,
                    category=category,
                    overwrites=voice_overwrites,  # type: ignore[arg-type]
                    reason=texts.START_AUDIT,
                ),
            )
            made.append(voice)
        return text, voice

    async def _roll_back(
        self, made: list[discord.abc.GuildChannel], sid: int, planned: Session | None
    ) -> list[int]:
        """Delete what was made; the ad-hoc row goes, a planned row is planned again.

        Returns the channels Discord would not delete, so the leader is told to delete
        them by hand rather than told that nothing was left behind.
        """
        left: list[int] = []
        for channel in made:
            try:
                await self.bot.http.delete_channel(channel.id)
            except discord.NotFound:
                pass
            except REST_FAULTS as exc:
                log.warning("roll-back: channel %s not deleted: %s", channel.id, fault_code(exc))
                left.append(channel.id)
            await session_perms.forget_overwrites(self.bot.db, channel.id)
        if planned is None:
            await session_store.delete(self.bot.db, sid)
        else:
            await session_store.back_to_planned(self.bot.db, planned)
        return left

    # --- end ---------------------------------------------------------------------------------

    async def after_end(self, live: Live) -> None:
        """Purge timer, indexes; called once, right after the end is stored (before any
        REST call, so a crash while the end is announced cannot lose the purge)."""
        session = await session_store.get(self.bot.db, live.session.id)
        assert session is not None and session.ended_at is not None
        # Held: armed once the end's REST calls are done (cogs/_session_ended.py), so that a
        # purge due at once (delay 0) cannot delete the voice channel before the mutes go.
        await self._add_purge(session, live.group, hold=True)
        self.by_text.pop(session.text_channel_id or 0, None)
        # The end plan was written before this (the engine writes, then stores): in a kept
        # channel the members' saved originals go with the stored end, never before it.
        written = self.engine.text_channel(session) is not None and live.group.role_id
        if written and held_in_permanent(live.group, session):
            await self.room.forget_members(
                session.text_channel_id or 0, live.group.guild_id, live.group.role_id or 0
            )

    async def _add_purge(self, session: Session, group: Group, *, hold: bool = False) -> bool:
        """The purge timer of an ended session; False if it was there already."""
        assert session.ended_at is not None
        minutes = group.purge_delay_minutes
        if minutes is None:
            minutes = self.bot.settings.purge_delay_minutes
        added = await self.bot.timers.add(
            kind=K_PURGE,
            key=purge_key(session.id),
            due_at=session.ended_at + timedelta(minutes=minutes),
            guild_id=group.guild_id,
            group_id=group.id,
            session_id=session.id,
            hold=hold,
        )
        return added is not None

    async def purge_orphans(self) -> None:
        """Ended, unpurged sessions with no purge timer: purge them after the delay.

        The end and its timers are now stored in one transaction, so this is for ends
        stored before that, or a timer row lost some other way. The end's own work
        (cogs/_session_ended.py) is not set again here: asking people twice is worse
        than a missing survey."""
        for session in await session_store.ended_unpurged(self.bot.db):
            if await timer_store.by_key(self.bot.db, purge_key(session.id)) is not None:
                continue
            group = await group_store.get(self.bot.db, session.group_id)
            if group is None or not await self._add_purge(session, group):
                continue
            log.warning("session %s: ended without a purge timer; one is set now", session.id)

    async def purge(self, timer: Timer) -> None:
        """The purge timer and its retries (cogs/_session_purge.py)."""
        await self.purger.purge(timer)

    # --- restart ---------------------------------------------------------------------------------

    async def remove_crashed_starts(self) -> None:
        """A session still planned but with channels: the bot died while starting it.

        Its new channels go (a 404 counts as gone; another failure is kept for the next
        restart) and the row is planned again (an ad-hoc row goes). A reused permanent
        channel is not deleted: it is emptied and made read-only again.
        """
        if self._crashed_starts_swept:  # once per process: later READYs find starts under way
            return
        self._crashed_starts_swept = True
        for found in await session_store.planned_with_channels(self.bot.db):
            async with self.bot.locks["session start", found.group_id]:
                await remove_crashed_start(self.bot, self.room, found.id)

    async def restore(self) -> None:
        """After a (re)start: each live channel back to its plan (writing only differences),
        and its frame posted again if it was deleted meanwhile."""
        await self.rebuild_index()
        await self.purge_orphans()
        await self.remove_crashed_starts()
        for session in await session_store.live(self.bot.db):
            await reapply_plan(self.bot, self.engine, session)
            if session.text_channel_id:
                await self.frames.check(session.id, session.text_channel_id)


__all__ = ["SEND", "Lifecycle"]
