"""The group agreement: the gate before the group role, and re-acceptance after a change.

How it fits together (issue 7, "Group agreement"):
- `/group add` stores the member but grants the role only if they accepted the
  current version (cogs/_groups_members.py asks `_agreement_dm.may_enter_now`).
  The agreement DM with its "I agree" button (cogs/_agreement_dm.py) goes to a new
  member, and to the leaders named at `/group create` or by `/group leaders`, from
  a timer stored with the change (cogs/_groups_members.py, cogs/_groups_leaders.py),
  so a crash cannot lose it. Pressing it stores the time of agreement and grants the
  role. If the member's DMs are closed, the leaders' channel is told and a leader
  can run `/group agreement resend` once they are open.
- Leaders get the role at once, because they run the group, and are asked to agree
  by DM like everyone else. A leader who steps down without having agreed loses the
  role and is asked again.
- `/group agreement set` (cogs/_agreement_commands.py) makes a new version; every
  member is asked again (a stored timer's round of DMs, so a restart neither loses
  nor repeats one) and keeps access meanwhile. At each `balint_session_started`
  one line in the session channel, naming nobody, says the agreement changed, and
  each member with access who has not agreed to the current version gets a DM with
  it (a stored timer's round). Named in the channel, they would be named in front of
  their colleagues; a member whose DMs are closed still reads the channel line.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain.agreement import to_remind
from bot.store import consents
from bot.store import groups as group_store
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.store.sessions import Session
from bot.store.timers import Timer
from bot.texts import agreement as texts
from cogs import _agreement_dm as dm
from cogs._agreement_commands import K_ASK_AGAIN, ask_everyone_again
from cogs._dm_names import DmGroupName
from cogs._dm_round import DmRound

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

K_SESSION_REMIND = "agreement_session"  # `agreement_session:<session id>`: line and DMs
_LOOK_AT = 20  # messages after the frame: the line is posted right after the start


class Agreement(commands.Cog):
    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(dm.AgreeButton)
        self.bot.timers.register(
            K_ASK_AGAIN, lambda t: ask_everyone_again(self.bot, t), grace=None, idempotent=True
        )
        self.bot.timers.register(
            K_SESSION_REMIND, self._remind_by_dm, idempotent=True, members_facing=True
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(dm.AgreeButton)

    @commands.Cog.listener("on_balint_session_started")
    async def _session_started(self, session_id: int) -> None:
        """A stored timer's run: one unnamed line in the session channel, then the DMs."""
        session = await session_store.get(self.bot.db, session_id)
        if session is None or session.text_channel_id is None:
            return
        group = await group_store.get(self.bot.db, session.group_id)
        if group is None or not await self._to_remind(group):
            return
        timer = await self.bot.timers.add(
            kind=K_SESSION_REMIND,
            key=f"{K_SESSION_REMIND}:{session_id}",
            due_at=self.bot.now(),
            guild_id=group.guild_id,
            group_id=group.id,
            session_id=session_id,
        )
        if timer is None:
            return  # this session's reminder is already under way
        await self.bot.timers.fire(timer.id)  # now; a crash mid-way re-runs it at start-up

    async def _post_line(self, session: Session) -> None:
        """The channel line, once: posted by the timer's run, so a crash before it cannot
        lose it (members whose DMs are closed have only the line). A re-run first looks for
        it after the frame: there when Discord posted it before the crash, it is not posted
        again; if the look fails it is not posted (lost rather than twice, as DMs)."""
        channel = self.bot.get_channel(session.text_channel_id or 0)
        me = self.bot.user
        if not isinstance(channel, discord.TextChannel) or me is None:
            return
        after = discord.Object(session.frame_message_id) if session.frame_message_id else None
        try:
            async for message in channel.history(limit=_LOOK_AT, after=after):
                if message.author.id == me.id and message.content == texts.SESSION_REMINDER:
                    return
            await channel.send(
                texts.SESSION_REMINDER, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as exc:
            log.warning("agreement line not posted in channel %s: %s", channel.id, exc.status)

    async def _to_remind(self, group: Group) -> list[int]:
        members = [
            (m.user_id, m.is_leader) for m in await group_store.members(self.bot.db, group.id)
        ]
        latest = await consents.latest_by_user(self.bot.db, group.id)
        return to_remind(members, latest, group.agreement_version)

    async def _still_to_remind(self, group: Group, user_id: int) -> bool:
        """Read again just before their DM: the channel line says "press I agree", and a
        member who did so while the round DMed the others, or who left, is not told."""
        membership = await group_store.membership(self.bot.db, group.id, user_id)
        if membership is None or membership.left_at is not None:
            return False
        latest = await consents.latest(self.bot.db, group.id, user_id)
        return latest is None or latest < group.agreement_version

    async def _remind_by_dm(self, timer: Timer) -> None:
        """Each one not agreed yet, privately: naming them in the channel would tell their
        colleagues. Closed DMs: the channel line is what they see."""
        session = await session_store.get(self.bot.db, timer.session_id or 0)
        group = await group_store.get(self.bot.db, timer.group_id or 0)
        if session is None or group is None or not session.live:
            return
        await self._post_line(session)  # first: it says "press I agree in your DMs"
        # The frame was posted before the round began: an "ask again" DM with the same
        # button, older than it, is not taken for this round's first DM after a crash.
        # A DM that failed for now (a 5xx, a reset) is sent by the clock's retry while the
        # session is live (checked above each run), once.
        frame = session.frame_message_id or 0
        dm_round = await DmRound.open(self.bot, timer, floor=frame, retry_passing=True)
        named = await DmGroupName.of(self.bot, group)
        for user_id in await self._to_remind(group):
            if not await self._still_to_remind(group, user_id):
                continue
            await dm_round.send(
                user_id,
                texts.SESSION_REMINDER_DM.format(name=named.to(user_id)),
                embed=dm.agreement_embed(self.bot, group, named.to(user_id)),
                view=dm.agree_view(group),
            )
        dm_round.finish()


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Agreement(bot))
