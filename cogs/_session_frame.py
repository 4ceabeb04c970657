"""The frame message of a live session: built at the start, posted again if deleted.

Why: the frame carries the confidentiality reminder with the members' "I have read
this" button and the leaders' "who has not?". A moderator deleting it mid-meeting
left members no way to acknowledge the reminder. The bot now posts it again at once
(MESSAGE_DELETE, or a bulk delete), and at each READY (a restart, or a reconnect that
lost the gateway's events) it checks that the frame it shows is still there. The
first frame's id is never moved: it is the purge boundary of a permanent channel
(bot/store/session_frames.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain.phases import Phase, meeting_plan
from bot.store import session_frames, session_group
from bot.store.groups import Group
from bot.texts import facilitation as texts
from cogs._session_engine import durations_of, phase_name
from cogs._session_views import frame_view

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

UNKNOWN_MESSAGE = 10008  # Discord's code; Unknown Channel (10003) means the channel is gone


def frame_embed(bot: BalintBot, group: Group, plan: list[tuple[Phase, int]]) -> discord.Embed:
    """The group's confidentiality reminder, the plan of the meeting, and the ack hint."""
    reminder = getattr(group, "confidentiality_reminder", None) or (
        bot.settings.confidentiality_reminder
    )
    lines = [texts.FRAME_PLAN_HEADER]
    lines += [texts.FRAME_PLAN_LINE.format(phase=phase_name(p), minutes=m) for p, m in plan]
    return discord.Embed(
        title=texts.FRAME_TITLE.format(group=group.name),
        description=f"{reminder}\n\n" + "\n".join(lines) + f"\n\n{texts.FRAME_ACK_HINT}",
        colour=discord.Colour.dark_teal(),
    )


class FrameKeeper:
    """Posts a live session's frame again when the one shown is gone."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    async def deleted(self, session_id: int, message_ids: set[int]) -> None:
        """Messages deleted in a live session's channel: was the frame shown among them?"""
        if await session_frames.shown(self.bot.db, session_id) in message_ids:
            await self._post_again(session_id, message_ids)

    async def check(self, session_id: int, channel_id: int) -> None:
        """At READY: a deletion while the bot was away sent no event, so look for the frame."""
        frame = await session_frames.shown(self.bot.db, session_id)
        if frame is None:
            return
        try:
            await self.bot.http.get_message(channel_id, frame)
            return
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_MESSAGE:
                return  # the channel is gone: the leaders were told (or are, at its event)
        except REST_FAULTS as exc:  # a reset too: READY's restore goes on to other sessions
            log.warning("frame of session %s not checked: %s", session_id, fault_code(exc))
            return
        await self._post_again(session_id, {frame})

    async def _post_again(self, session_id: int, gone: set[int]) -> None:
        """One re-post per deletion: the lock and the re-read make a second event a no-op."""
        async with self.bot.locks["session frame", session_id]:
            found = await session_group.get(self.bot.db, session_id)
            shown = await session_frames.shown(self.bot.db, session_id)
            if found is None or found[1] is None or shown not in gone:
                return
            session, group = found
            channel = self.bot.get_channel(session.text_channel_id or 0)
            if not session.live or not isinstance(channel, discord.TextChannel):
                return
            plan = meeting_plan(durations_of(self.bot, group), group.max_cases)
            try:
                message = await channel.send(
                    embed=frame_embed(self.bot, group, plan), view=frame_view(session_id)
                )
            except REST_FAULTS as exc:
                log.warning("frame of session %s not posted again: %s", session_id, fault_code(exc))
                return
            await session_frames.set_reposted(self.bot.db, session_id, message.id)
        log.info("frame message of session %s was deleted: posted again", session_id)
