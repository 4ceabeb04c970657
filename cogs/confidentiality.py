"""The identifier guard: messages in a group's channels that look like they hold an identifier.

Why: cases are told from memory, with nothing that could identify a patient. The
guard reads each message in a group's channels and session channels, keeps only
the *kinds* found (bot/domain/guard.py), and tells the author by DM which kind,
never quoting it. It stores a count per session, never content, and logs ids and
kinds only. It needs the Message Content intent; without it, it says so once.

A thread's title is read the same way, when the thread is opened and when it is
renamed: members may open threads in the lobby (the permission plan denies them
only in the session channel), and a title shows to everyone who sees the channel.
In remove mode the thread is renamed to a neutral title rather than deleted, so
nobody's messages in it are lost; its messages are checked one by one anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.compat import REST_FAULTS, fault_code
from bot.config import GuardMode
from bot.domain.guard import IdentifierKind, read_update, scan
from bot.store import groups as group_store
from bot.store import guard_edits
from bot.store import privacy as privacy_store
from bot.store.timers import Timer
from bot.texts import confidentiality as texts
from cogs._dm_names import line_of
from cogs._leaders_notice import tell_leaders
from cogs._seen_edits import SeenEdits
from cogs._seen_titles import RenameBudget, SeenTitles

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

CANNOT_DM = 50007
K_GUARD_COUNT = "guard_count"  # the leaders' count at a session's end, told once
# System messages whose text is a thread's name ("started a thread: ...", "changed the
# channel name: ..."): the title is judged once, by the thread listeners.
TITLE_COPIES = (discord.MessageType.thread_created, discord.MessageType.channel_name_change)


def describe_kinds(kinds: frozenset[IdentifierKind]) -> str:
    """The kinds in declaration order, in words ('an NHS number and a phone number')."""
    return texts.join_kinds(
        [texts.KIND_NAMES[kind.value] for kind in IdentifierKind if kind in kinds]
    )


def written(message: discord.Message) -> tuple[str, int]:
    """All the text and the number of files a member put in a message.

    A forwarded message carries its text and files in snapshots (its own content is
    empty), and a poll its question and answers: each is what the member posted.
    """
    parts = [message.content]
    files = len(message.attachments)
    for snapshot in getattr(message, "message_snapshots", None) or []:
        parts.append(snapshot.content)
        files += len(snapshot.attachments)
    poll = getattr(message, "poll", None)
    if poll is not None:
        parts.append(poll.question or "")
        parts += [answer.text or "" for answer in poll.answers]
    return "\n".join(part for part in parts if part), files


async def _carried_out(
    action: Awaitable[object], what: str, target_id: int, channel_id: int | None
) -> bool:
    """Await a corrective Discord call: True if done (or the target is already gone),
    False if Discord refused it (logged with ids and codes only)."""
    try:
        await action
    except discord.NotFound:
        return True  # already gone
    except REST_FAULTS as exc:  # refused, or the connection broke: carry on, warned
        log.warning(
            "identifier guard could not %s %s in channel %s: %s",
            what,
            target_id,
            channel_id,
            fault_code(exc),
        )
        return False
    return True


class IdentifierGuard(commands.Cog):
    """Watches group and session channels; needs the Message Content intent."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self.enabled = bool(bot.intents.message_content)
        self._titles = SeenTitles()
        self._renames = RenameBudget()
        self._edits = SeenEdits()

    async def cog_load(self) -> None:
        self.bot.timers.register(K_GUARD_COUNT, self._tell_count, grace=None)
        if not self.enabled:
            log.warning("identifier guard is off: the Message Content intent is not enabled")

    def mode_for(self, target: privacy_store.GuardTarget) -> GuardMode:
        """The group's own mode, else the configured default."""
        if target.guard_mode:
            try:
                return GuardMode(target.guard_mode)
            except ValueError:
                log.warning(
                    "group %s has an unknown guard mode; using the default", target.group_id
                )
        return self.bot.settings.guard_mode

    @commands.Cog.listener("on_message")
    async def on_message(self, message: discord.Message) -> None:
        await self.check(message)

    @commands.Cog.listener("on_balint_session_ended")
    async def on_session_ended(self, session_id: int) -> None:
        """Leaders get the session's count of guarded messages (never what they said).

        Once: a keyed timer of a kind never re-run, so the end's work re-run after a crash
        does not tell them twice.
        """
        found = await privacy_store.guard_hits(self.bot.db, session_id)
        if found is None or found[1] == 0:
            return
        timer = await self.bot.timers.add(
            kind=K_GUARD_COUNT,
            key=f"{K_GUARD_COUNT}:{session_id}",
            due_at=self.bot.now(),
            group_id=found[0],
            session_id=session_id,
        )
        if timer is not None:
            await self.bot.timers.fire(timer.id)

    async def _tell_count(self, timer: Timer) -> None:
        found = await privacy_store.guard_hits(self.bot.db, timer.session_id or 0)
        group = await group_store.get(self.bot.db, found[0]) if found else None
        if found is not None and group is not None:
            line = line_of(texts.LEADERS_GUARD_COUNT, count=found[1])
            await tell_leaders(self.bot, group, line)

    @commands.Cog.listener("on_raw_message_edit")
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edit is checked like a new message (raw: the bot keeps no message cache).

        Discord sends the whole message for updates that are not edits too (a link preview
        resolving, a pin, a poll ending): only a new `edited_timestamp` marks an edit. An
        edit warned about before a restart is known by the store (bot.domain.guard.read_update).
        """
        after = payload.message
        if not self.enabled or after.author.bot:
            return
        edited, new = after.edited_at, self._edits.new_edit(after.id, after.edited_at)
        warned = bool(new and edited and await guard_edits.warned(self.bot.db, after.id, edited))
        if read_update(new, warned):
            await self.check(after)

    @commands.Cog.listener("on_thread_create")
    async def on_thread_create(self, thread: discord.Thread) -> None:
        self._titles.seen(thread)
        await self.check_title(thread)

    @commands.Cog.listener("on_thread_update")
    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        """A rename is checked like a new title; archiving, locking or tags are not."""
        self._titles.seen(after)  # archiving included: discord.py forgets the thread then
        if before.name != after.name:
            await self.check_title(after)

    @commands.Cog.listener("on_raw_thread_delete")
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        self._titles.forget(payload.thread_id)
        self._renames.forget(payload.thread_id)

    @commands.Cog.listener("on_guild_channel_delete")
    async def on_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """Its threads went with it, archived ones too, without a THREAD_DELETE each."""
        self._titles.forget_channel(channel.id)
        self._renames.forget_channel(channel.id)

    @commands.Cog.listener("on_raw_thread_update")
    async def on_raw_thread_update(self, payload: discord.RawThreadUpdateEvent) -> None:
        """A thread not in the cache (archived) comes back: its title is read.

        discord.py forgets archived threads, and an archived thread is renamed by the
        same request that unarchives it: there is no old name to compare with, and
        on_thread_update does not fire (discord.py says on_thread_join).
        """
        if payload.thread is not None:
            return  # cached: on_thread_update compares the names
        guild = self.bot.get_guild(payload.guild_id)
        thread = guild.get_thread(payload.thread_id) if guild is not None else None
        if thread is None:  # still archived
            return
        if not self._titles.seen(thread):
            return  # woken by a message, its title unchanged: judged already
        await self.check_title(thread)

    async def _guarded(
        self, guild_id: int, channel: discord.abc.GuildChannel | discord.Thread
    ) -> tuple[privacy_store.GuardTarget, GuardMode] | None:
        """The group (and session) this channel belongs to and its mode, unless unguarded."""
        target = await privacy_store.guard_target(
            self.bot.db,
            guild_id,
            channel.id,
            getattr(channel, "category_id", None),
            channel.parent_id if isinstance(channel, discord.Thread) else None,
        )
        if target is None:
            return None
        mode = self.mode_for(target)
        return None if mode is GuardMode.OFF else (target, mode)

    async def check(self, message: discord.Message) -> None:
        """Warn about (or remove) a message in a guarded channel that holds an identifier."""
        if not self.enabled or message.guild is None or message.author.bot:
            return
        if message.webhook_id is not None:
            return
        channel = message.channel
        guarded = await self._guarded(message.guild.id, channel)  # type: ignore[arg-type]
        if guarded is None:
            return
        target, mode = guarded
        text, attachments = written(message)
        kinds = scan(text, attachments)
        if not kinds:
            return
        if message.type in TITLE_COPIES:
            # Told and counted by check_title; in remove mode the copy goes too.
            if mode is GuardMode.REMOVE:
                await self._remove(message)
            return
        log.info(
            "identifier guard (%s): %s in channel %s of group %s, message %s by user %s",
            mode.value,
            ",".join(sorted(kind.value for kind in kinds)),
            channel.id,
            target.group_id,
            message.id,
            message.author.id,
        )
        if target.session_id is not None:
            await privacy_store.count_guard_hit(self.bot.db, target.session_id)
        removed = mode is GuardMode.REMOVE and await self._remove(message)
        if not removed:
            if message.edited_at is not None:  # a pin or a preview after a restart: not again
                at = (message.id, target.group_id, message.edited_at, self.bot.now())
                await guard_edits.record(self.bot.db, *at)
            await self._react(message)
        kinds_text = describe_kinds(kinds)
        where = message.channel.mention  # type: ignore[union-attr]
        if isinstance(channel, discord.Thread):  # never the thread: it would show its title
            where = texts.IN_THREAD.format(channel=f"<#{channel.parent_id}>")
        dm = texts.REMOVED_DM if removed else texts.WARN_DM
        notice = texts.REMOVED_NOTICE if removed else texts.WARN_NOTICE
        await self._tell(
            message.author,
            message.channel,
            dm.format(channel=where, kinds=kinds_text),
            notice.format(mention=message.author.mention, kinds=kinds_text),
        )

    async def check_title(self, thread: discord.Thread) -> None:
        """Warn about (or rename) a thread in a guarded channel whose title holds an identifier.

        The title is its opener's: only the opener and moderators may rename a thread, so
        the opener is told, as a message's author is.
        """
        me = self.bot.user
        if not self.enabled or (me is not None and thread.owner_id == me.id):
            return
        owner = thread.owner or thread.guild.get_member(thread.owner_id)
        if owner is not None and owner.bot:
            return
        guarded = await self._guarded(thread.guild.id, thread)
        if guarded is None:
            return
        target, mode = guarded
        kinds = scan(thread.name)
        if not kinds:
            return
        log.info(
            "identifier guard (%s): %s in the title of thread %s in channel %s of group %s, "
            "opened by user %s",
            mode.value,
            ",".join(sorted(kind.value for kind in kinds)),
            thread.id,
            thread.parent_id,
            target.group_id,
            thread.owner_id,
        )
        if target.session_id is not None:
            await privacy_store.count_guard_hit(self.bot.db, target.session_id)
        renamed = mode is GuardMode.REMOVE and await self._rename(thread)
        kinds_text = describe_kinds(kinds)
        where = f"<#{thread.parent_id}>"  # never the thread: it would show its title
        dm = texts.THREAD_RENAMED_DM if renamed else texts.THREAD_WARN_DM
        notice = texts.THREAD_RENAMED_NOTICE if renamed else texts.THREAD_WARN_NOTICE
        await self._tell(
            owner,
            thread,
            dm.format(channel=where, kinds=kinds_text),
            notice.format(mention=f"<@{thread.owner_id}>", kinds=kinds_text),
            mentioned=discord.Object(thread.owner_id),
        )

    async def _rename(self, thread: discord.Thread) -> bool:
        """Give the thread a neutral title (Manage Threads); False if Discord refuses, or
        would have the bot wait minutes (a third rename of it within 10 minutes)."""
        if not self._renames.take(thread, self.bot.now()):
            log.info("identifier guard: thread %s was renamed twice lately: warned", thread.id)
            return False
        edit = thread.edit(name=texts.THREAD_NEUTRAL_NAME, reason=texts.THREAD_RENAME_REASON)
        return await _carried_out(edit, "rename thread", thread.id, thread.parent_id)

    async def _remove(self, message: discord.Message) -> bool:
        return await _carried_out(
            message.delete(), "delete message", message.id, message.channel.id
        )

    async def _react(self, message: discord.Message) -> None:
        try:
            await message.add_reaction(texts.REACTION)
        except REST_FAULTS as exc:
            log.warning(
                "identifier guard could not react to message %s in channel %s: %s",
                message.id,
                message.channel.id,
                fault_code(exc),
            )

    async def _tell(
        self,
        user: discord.User | discord.Member | None,
        channel: discord.abc.Messageable,
        dm: str,
        notice: str,
        *,
        mentioned: discord.abc.Snowflake | None = None,
    ) -> None:
        """A DM to the person; if DMs are closed (or they are unknown), a line in `channel`."""
        if user is not None:
            try:
                await user.send(dm)
                return
            except discord.Forbidden as exc:
                if exc.code != CANNOT_DM:
                    log.warning("identifier guard could not DM user %s: %s", user.id, exc.code)
                    return
            except REST_FAULTS as exc:
                log.warning("identifier guard could not DM user %s: %s", user.id, fault_code(exc))
                return
        target = user if user is not None else mentioned
        try:
            await channel.send(
                notice,
                allowed_mentions=discord.AllowedMentions(users=[target] if target else False),
            )
        except REST_FAULTS as exc:
            log.warning(
                "identifier guard could not post in channel %s: %s",
                getattr(channel, "id", None),
                fault_code(exc),
            )


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(IdentifierGuard(bot))
