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
  one line in the session channel mentions those with access who have not agreed
  to the current version (the channel, not a DM: the reminder is for the session).
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
from bot.textfit import spread
from bot.texts import agreement as texts
from cogs import _agreement_dm as dm
from cogs._agreement_commands import K_ASK_AGAIN, ask_everyone_again

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


class Agreement(commands.Cog):
    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(dm.AgreeButton)
        self.bot.timers.register(
            K_ASK_AGAIN, lambda t: ask_everyone_again(self.bot, t), grace=None, idempotent=True
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(dm.AgreeButton)

    @commands.Cog.listener("on_balint_session_started")
    async def _session_started(self, session_id: int) -> None:
        session = await session_store.get(self.bot.db, session_id)
        if session is None or session.text_channel_id is None:
            return
        group = await group_store.get(self.bot.db, session.group_id)
        if group is None:
            return
        members = [
            (m.user_id, m.is_leader) for m in await group_store.members(self.bot.db, group.id)
        ]
        latest = await consents.latest_by_user(self.bot.db, group.id)
        remind = to_remind(members, latest, group.agreement_version)
        if not remind:
            return
        channel = self.bot.get_channel(session.text_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        mentions = [f"<@{uid}>" for uid in remind]
        # A large group: the mentions carry over into further messages (2,000 characters each).
        # Each message lists only the users it mentions: Discord takes at most 100 ids.
        try:
            for content in spread(texts.SESSION_REMINDER, "mentions", mentions):
                named = [discord.Object(uid) for uid in remind if f"<@{uid}>" in content]
                await channel.send(content, allowed_mentions=discord.AllowedMentions(users=named))
        except discord.HTTPException as exc:
            log.warning("agreement reminder not posted in channel %s: %s", channel.id, exc.status)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Agreement(bot))
