"""The anonymous pulse survey after each session, and /pulse for the leaders.

When a session ends, each member marked present gets an optional DM with
three questions, one row of 1-5 buttons each.  Only counts per value are kept;
a second answer is refused through an HMAC token under a per-session salt,
and a timer destroys the salt and the tokens 48 hours after the session.
/pulse shows a session's figures only then: figures that still move as answers
come in would let a leader who looks twice work out one member's answer.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import group_autocomplete, require, resolve_group
from bot.domain import pulse as rules
from bot.domain.access import Action
from bot.domain.attendance import Status
from bot.store import attendance as attendance_store
from bot.store import groups as group_store
from bot.store import pulse as store
from bot.store.timers import Timer
from bot.textfit import pack
from bot.texts import pulse as texts
from cogs._dm_names import DmGroupName
from cogs._dm_round import DmRound
from cogs._pulse_view import PulseButton, pulse_report, survey_view

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

SURVEY_OPEN = timedelta(hours=48)
CLOSE_TIMER = "pulse_close"
SEND_TIMER = "pulse_send"


class Pulse(commands.Cog):
    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.timers.register(CLOSE_TIMER, self._close_due, idempotent=True)
        self.bot.timers.register(SEND_TIMER, self._send_due, idempotent=True, members_facing=True)
        self.bot.add_dynamic_items(PulseButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PulseButton)

    @commands.Cog.listener("on_balint_session_ended")
    async def on_session_ended(self, session_id: int) -> None:
        """A stored timer opens the survey and DMs the members who came (once, restart-safe)."""
        session = await attendance_store.session(self.bot.db, session_id)
        group = await group_store.get(self.bot.db, session.group_id) if session else None
        if session is None or group is None:
            return
        # The server's id: a round re-run after a restart is skipped if it removed the bot.
        timer = await self.bot.timers.add(
            kind=SEND_TIMER,
            key=f"{SEND_TIMER}:{session_id}",
            due_at=self.bot.now(),
            guild_id=group.guild_id,
            group_id=session.group_id,
            session_id=session_id,
        )
        if timer is not None:  # None: this session's survey was already under way
            await self.bot.timers.fire(timer.id)  # now; a crash mid-way re-runs it at start-up

    async def _send_due(self, timer: Timer) -> None:
        """Open the survey, arm its closing, DM each member who came.

        A timer, re-run after a crash: the DM round records each person, so nobody gets
        the survey twice and nobody after the crash goes without it.
        """
        if timer.session_id is None:
            return
        session = await attendance_store.session(self.bot.db, timer.session_id)
        group = await group_store.get(self.bot.db, session.group_id) if session else None
        if session is None or group is None:
            return
        ended = session.ended_at or self.bot.now()
        closes_at = ended + SURVEY_OPEN
        if closes_at <= self.bot.now():
            return  # an old session processed late: its survey would already be closed
        await store.open_survey(self.bot.db, session.id, rules.new_salt(), closes_at)
        await self.bot.timers.add(
            kind=CLOSE_TIMER,
            key=f"{CLOSE_TIMER}:{session.id}",
            due_at=closes_at,
            guild_id=group.guild_id,
            group_id=group.id,
            session_id=session.id,
        )
        await self._send_dms(timer, group, closes_at)

    async def _send_dms(self, timer: Timer, group: group_store.Group, closes_at: Any) -> None:
        session_id = timer.session_id
        assert session_id is not None
        members = {m.user_id: m for m in await group_store.members(self.bot.db, group.id)}
        present = [
            e.user_id
            for e in await attendance_store.for_session(self.bot.db, session_id)
            if e.status == Status.PRESENT
            and e.user_id in members
            and not members[e.user_id].is_leader  # the leaders read the results
        ]
        named = await DmGroupName.of(self.bot, group)
        closes = discord.utils.format_dt(closes_at, "R")
        questions = [
            texts.DM_QUESTION.format(place=place, question=texts.QUESTION_TEXT[q])
            for place, q in zip(texts.DM_PLACES, rules.QUESTIONS, strict=True)
        ]
        # By id, as reminders are sent: a present member who has since left the server's
        # cache (or it) still gets the survey if Discord lets the DM through. Closed DMs
        # are a member's choice: the survey is optional, nobody is mentioned instead.
        # A DM that failed for now (a 5xx, a reset) is tried again by the clock; the survey
        # is opened once, and nobody gets it twice.
        dms = await DmRound.open(self.bot, timer, retry_passing=True)
        # One view for the round: its buttons name the session, not the member, and a
        # view per DM left 60 objects per member for the garbage collector.
        view = survey_view(session_id)
        for user_id in present:
            intro = texts.DM_INTRO.format(group=named.to(user_id), closes=closes)
            content = "\n".join([intro, "", *questions])
            await dms.send(user_id, content, view=view)
        dms.finish()

    async def _close_due(self, timer: Timer) -> None:
        if timer.session_id is not None:
            await store.close(self.bot.db, timer.session_id)

    @app_commands.command(name="pulse", description="The group's anonymous pulse (leaders)")
    @app_commands.guild_only()
    @app_commands.describe(
        group="The group (default: this channel's group)",
        sessions="How many recent sessions to show (default 6)",
    )
    async def pulse(
        self,
        interaction: discord.Interaction,
        group: str | None = None,
        sessions: app_commands.Range[int, 1, 24] = 6,
    ) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.PULSE_VIEW, found)
        await interaction.response.defer(ephemeral=True, thinking=True)
        text, png = await pulse_report(self.bot, found, sessions)
        # One line per session: 24 of them can pass Discord's 2,000 characters per message.
        parts = pack(text.split("\n"))
        for number, part in enumerate(parts, 1):
            kwargs: dict[str, Any] = {}
            if png is not None and number == len(parts):
                kwargs["file"] = discord.File(io.BytesIO(png), filename="pulse.png")
            await interaction.followup.send(part, ephemeral=True, **kwargs)

    @pulse.autocomplete("group")
    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Pulse(bot))
