"""/case: who has a case? Private volunteering, the leaders' choice, follow-ups, fairness.

The rules are bot/domain/cases.py; volunteering, listing and picking are
cogs/_case_flow.py; the timed DMs (case prompt, follow-up question) and how
their timers are armed are cogs/_case_prompts.py; the persistent buttons and
the pick menu are cogs/_case_items.py. Every command checks the caller in
code with bot.access.require; who offered is shown to leaders only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import group_autocomplete, require, resolve_group
from bot.domain.access import Action
from bot.domain.cases import fairness
from bot.domain.phases import Phase
from bot.errors import UserError, reply, reply_lines
from bot.store import cases as store
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.texts import cases as texts
from cogs._case_flow import CaseFlow, mention
from cogs._case_items import ITEMS
from cogs._case_prompts import CasePrompts, local_date

if TYPE_CHECKING:
    from bot.app import BalintBot


class Cases(commands.Cog):
    case = app_commands.Group(
        name="case",
        description="Who has a case? Volunteers, the presenter, follow-ups, fairness",
        guild_only=True,
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self.flow = CaseFlow(bot)
        self.prompts = CasePrompts(bot, self.flow)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*ITEMS)
        self.prompts.register()
        # Catch up at start-up (a planned session may have appeared while we were down),
        # then every hour.
        await self.prompts.on_scan()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*ITEMS)

    async def _group_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)

    # -- events from the other capabilities ----------------------------------------------

    @commands.Cog.listener("on_balint_phase_changed")
    async def on_phase_changed(self, session_id: int, old: str, new: str) -> None:
        if old == Phase.CASE_CALL or new == Phase.CASE_CALL:
            await store.set_call_message(self.bot.db, session_id, None)  # that call is over
        if new == Phase.CASE_CALL:
            await self.flow.post_call(session_id)

    @commands.Cog.listener("on_ready")
    async def post_missing_calls(self) -> None:
        """A crash between entering the case call and posting it left the members nothing
        to press: post it now (the guild cache is there at READY)."""
        for session_id in await store.calls_missing(self.bot.db):
            await self.flow.post_call(session_id)

    @commands.Cog.listener("on_balint_case_prompts_on")
    async def on_prompts_on(self, group_id: int) -> None:
        """Turned on again: the coming meeting's prompt, if it was not sent (at once, or at
        its time if still ahead); never a second one."""
        await self.prompts.scan(group_id)

    @commands.Cog.listener("on_balint_session_cancelled")
    async def on_session_cancelled(self, session_id: int) -> None:
        await self.prompts.on_session_cancelled(session_id)

    @commands.Cog.listener("on_balint_session_moved")
    async def on_session_moved(self, session_id: int) -> None:
        await self.prompts.on_session_moved(session_id)

    @commands.Cog.listener("on_balint_session_ended")
    async def on_session_ended(self, session_id: int) -> None:
        await self.prompts.on_session_ended(session_id)

    # -- commands -------------------------------------------------------------------------

    async def _leader_group(
        self, interaction: discord.Interaction, group_name: str | None, action: Action
    ) -> Group:
        group = await resolve_group(self.bot, interaction, group_name)
        await require(self.bot, interaction, action, group)
        return group

    @case.command(name="pick", description="Choose who presents the next case (leaders)")
    @app_commands.describe(member="The member who presents", group="The group (if not obvious)")
    @app_commands.autocomplete(group=_group_autocomplete)
    async def pick(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        group: str | None = None,
    ) -> None:
        found = await self._leader_group(interaction, group, Action.CASE_PICK)
        session = await self.flow.live_or_refuse(found)
        await self.flow.pick(interaction, found, session, member.id)

    @case.command(name="list", description="Volunteers of this meeting, to choose from (leaders)")
    @app_commands.describe(group="The group (if not obvious)")
    @app_commands.autocomplete(group=_group_autocomplete)
    async def list_(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._leader_group(interaction, group, Action.CASE_PICK)
        session = await self.flow.live_or_refuse(found)
        messages, view = await self.flow.listing(found, session, with_menu=True)
        quiet = discord.AllowedMentions.none()
        for text in messages[:-1]:
            await reply(interaction, text, allowed_mentions=quiet)
        if view is None:
            await reply(interaction, messages[-1], allowed_mentions=quiet)
        else:
            await reply(interaction, messages[-1], view=view, allowed_mentions=quiet)

    @case.command(name="offers", description="Who offered a case for the next meeting (leaders)")
    @app_commands.describe(group="The group (if not obvious)")
    @app_commands.autocomplete(group=_group_autocomplete)
    async def offers(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._leader_group(interaction, group, Action.CASE_OFFERS)
        session = await store.live_session(self.bot.db, found.id)
        if session is None:
            session = await store.next_planned(self.bot.db, found.id, self.bot.now())
        if session is None:
            raise UserError(texts.NO_MEETING.format(group=found.name))
        messages, _ = await self.flow.listing(found, session, with_menu=False)
        for text in messages:
            await reply(interaction, text, allowed_mentions=discord.AllowedMentions.none())

    @case.command(name="history", description="Who presented when: counts for fairness (leaders)")
    @app_commands.describe(group="The group (if not obvious)")
    @app_commands.autocomplete(group=_group_autocomplete)
    async def history(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._leader_group(interaction, group, Action.CASE_HISTORY)
        db = self.bot.db
        members = {
            m.user_id: m.joined_at
            for m in await group_store.members(db, found.id)
            if not m.is_leader
        }
        if not members:
            raise UserError(texts.HISTORY_EMPTY.format(group=found.name))
        rows = fairness(
            members, await store.presented(db, found.id), await store.held_meetings(db, found.id)
        )
        zones = await store.held_zones(db, found.id)  # a meeting's date: the day it was held
        lines = [f"**{texts.HISTORY_TITLE.format(group=found.name)}**"]
        for row in rows:
            if row.last_at is None:
                lines.append(
                    texts.HISTORY_LINE_NEVER.format(
                        member=mention(row.user_id), since=row.meetings_since
                    )
                )
            else:
                lines.append(
                    texts.HISTORY_LINE.format(
                        member=mention(row.user_id),
                        cases=row.cases,
                        last=local_date(row.last_at, zones.get(row.last_at, found.zone)),
                        since=row.meetings_since,
                    )
                )
        # One line per member: a large group's list goes out in several messages.
        await reply_lines(interaction, lines, allowed_mentions=discord.AllowedMentions.none())


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Cases(bot))
