"""/schedule and /reminders: when a group meets, reminders, RSVP, events, calendar.

Rules (recurrence, DST, validation, reminder plan, roster) are in
bot/domain/recurrence.py and calendar.py; the planned session and its timers
are kept in step by cogs/_schedule_plan.replan, which every command calls;
reminder DMs, RSVP buttons and the quorum warning are in _schedule_remind.py;
a member's own `/reminders on|off` is in _schedule_reminders.py.
`/schedule events on|off` turns the Discord event off per group.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.access import group_autocomplete, require, resolve_group
from bot.domain.access import Action
from bot.domain.agreement import with_access
from bot.domain.calendar import to_ics
from bot.domain.recurrence import (
    Cadence,
)
from bot.domain.schedule_rules import (
    roster,
    upcoming_across,
)
from bot.errors import UserError, reply, reply_lines
from bot.store import consents
from bot.store import groups as group_store
from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.store.groups import Group
from bot.textfit import pack
from bot.texts import groups as group_texts
from bot.texts import scheduling as texts
from cogs import _schedule_changes as changes
from cogs import _schedule_event_redo as redo
from cogs import _schedule_events as events
from cogs import _schedule_input as parse
from cogs import _schedule_plan as plan
from cogs import _schedule_reconcile as reconcile
from cogs import _schedule_remind as remind
from cogs._schedule_events import lobby_url
from cogs._schedule_reminders import ON_OFF, Reminders

if TYPE_CHECKING:
    from bot.app import BalintBot

CADENCES = [app_commands.Choice(name=c.value, value=c.value) for c in Cadence]
WEEKDAYS = [app_commands.Choice(name=n, value=i) for i, n in enumerate(texts.WEEKDAY_NAMES)]
WEEKS = [app_commands.Choice(name=n, value=k) for k, n in texts.WEEK_NAMES.items()]


def _mentions(user_ids: list[int]) -> str:
    return ", ".join(f"<@{uid}>" for uid in user_ids) or texts.NOBODY


class Scheduling(commands.Cog):
    schedule = app_commands.Group(
        name="schedule", description="When your Balint group meets", guild_only=True
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self._reconciled = False

    async def cog_load(self) -> None:
        grace = timedelta(minutes=self.bot.settings.reminder_grace_minutes)
        timers = self.bot.timers
        # Idempotent: a round of DMs cut short by a crash resumes (cogs/_dm_round.py).
        timers.register(
            plan.REMINDER,
            lambda t: remind.on_reminder(self.bot, t),
            grace=grace,
            idempotent=True,
            members_facing=True,
        )
        timers.register(
            plan.QUORUM, lambda t: remind.on_quorum(self.bot, t), grace=grace, members_facing=True
        )
        timers.register(plan.ADVANCE, lambda t: remind.on_advance(self.bot, t), idempotent=True)
        timers.register(
            redo.REDO, lambda t: redo.on_redo(self.bot, t), idempotent=True, members_facing=True
        )
        self.bot.add_dynamic_items(remind.RsvpButton)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per process, when the guild cache is there (events need it)."""
        if self._reconciled:
            return
        self._reconciled = True
        await reconcile.reconcile(self.bot)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(remind.RsvpButton)

    async def _group(self, interaction: discord.Interaction, name: str | None) -> Group:
        group = await resolve_group(self.bot, interaction, name)
        if group.archived:
            raise UserError(group_texts.ARCHIVED.format(name=group.name))
        return group

    async def _leader_group(
        self, interaction: discord.Interaction, name: str | None, action: Action
    ) -> Group:
        """Defer (Discord calls may follow), then resolve and check the caller."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        group = await self._group(interaction, name)
        await require(self.bot, interaction, action, group)
        return group

    async def _answer(
        self, interaction: discord.Interaction, text: str, failed: events.Done | None
    ) -> None:
        await reply(interaction, text + events.failed_note(failed))

    # -- /schedule set, once -------------------------------------------------------------

    @schedule.command(name="set", description="Set when the group meets (leaders)")
    @app_commands.describe(
        cadence="weekly, fortnightly or monthly",
        weekday="The day of the week",
        time="Start time, HH:MM (24-hour clock) in the group's time zone",
        duration="Length in minutes (30-240, default 90)",
        week="For monthly: which week of the month (default first)",
        starts="First date, YYYY-MM-DD (default today)",
        until="Last date, YYYY-MM-DD (default: no end)",
        group="Which group (default: this channel's)",
    )
    @app_commands.choices(cadence=CADENCES, weekday=WEEKDAYS, week=WEEKS)
    async def set_(
        self,
        interaction: discord.Interaction,
        cadence: str,
        weekday: int,
        time: str,
        duration: int = 90,
        week: int | None = None,
        starts: str | None = None,
        until: str | None = None,
        group: str | None = None,
    ) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_SET)
        text, failed = await changes.set_series(
            self.bot, found, cadence, weekday, time, duration, week, starts, until
        )
        await self._answer(interaction, text, failed)

    @schedule.command(name="once", description="Add a one-off session (leaders)")
    @app_commands.describe(
        date="Date, YYYY-MM-DD",
        time="Start time, HH:MM (24-hour clock) in the group's time zone",
        duration="Length in minutes (30-240, default 90)",
        group="Which group (default: this channel's)",
    )
    async def once(
        self,
        interaction: discord.Interaction,
        date: str,
        time: str,
        duration: int = 90,
        group: str | None = None,
    ) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_ONCE)
        text, failed = await changes.add_once(self.bot, found, date, time, duration)
        await self._answer(interaction, text, failed)

    # -- /schedule show, calendar, roster ---------------------------------------------------

    @schedule.command(name="show", description="The next five sessions")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def show(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._group(interaction, group)
        await require(self.bot, interaction, Action.SCHEDULE_SHOW, found)
        state = await store.load(self.bot.db, found.id, found.zone)
        held = await store.held_dates(self.bot.db, found.id)  # started early: not coming
        upcoming = upcoming_across(state.all, self.bot.now(), 5, held)
        if not upcoming:
            await reply(interaction, texts.SHOW_NONE.format(group=found.name))
            return
        lines = [texts.SHOW_HEADER.format(group=found.name, zone=found.zone)]
        for _, occ in upcoming:
            lines.append(
                texts.SHOW_LINE.format(
                    when=format_dt(occ.start_utc, "F"),
                    rel=format_dt(occ.start_utc, "R"),
                    note=texts.SHOW_MOVED if occ.moved else "",
                )
            )
        await reply(interaction, "\n".join(lines))

    @schedule.command(name="calendar", description="The schedule as an .ics calendar file")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def calendar(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._group(interaction, group)
        await require(self.bot, interaction, Action.SCHEDULE_CALENDAR, found)
        state = await store.load(self.bot.db, found.id, found.zone)
        if not state.all:
            raise UserError(texts.NO_SCHEDULE)
        data = to_ics(state.all, found.name, lobby_url(found))
        file = discord.File(io.BytesIO(data), filename=texts.CALENDAR_FILENAME)
        await reply(interaction, texts.CALENDAR_DONE.format(group=found.name), file=file)

    @schedule.command(name="roster", description="Who said they will come (leaders)")
    @app_commands.describe(
        date="The session's date, YYYY-MM-DD (default: the next one)",
        group="Which group (default: this channel's)",
    )
    async def roster_(
        self, interaction: discord.Interaction, date: str | None = None, group: str | None = None
    ) -> None:
        found = await self._group(interaction, group)
        await require(self.bot, interaction, Action.SCHEDULE_ROSTER, found)
        day = parse.maybe_day(date, texts.WHAT_DATE)
        if day is None:
            planned = await store.planned_for_group(
                self.bot.db, found.id, ending_after=self.bot.now()
            )
            session = planned[0] if planned else None
        else:
            session = await plan.session_on(self.bot, found, day)
        if session is None:
            raise UserError(texts.ROSTER_NONE)
        members = await group_store.members(self.bot.db, found.id)
        answers = await rsvp_store.for_session(self.bot.db, session.id)
        # Who never agreed cannot open the lobby and gets no reminder: shown apart.
        agreed = await consents.latest_by_user(self.bot.db, found.id)
        pairs = ((m.user_id, m.is_leader) for m in members)
        able = with_access(pairs, agreed, found.agreement_version)
        waiting = [m.user_id for m in members if m.user_id not in able]
        yes, no, silent = roster(able, answers)
        text = texts.ROSTER.format(
            when=format_dt(session.scheduled_start, "F"),
            yes_count=len(yes),
            yes=_mentions(yes),
            no_count=len(no),
            no=_mentions(no),
            silent_count=len(silent),
            silent=_mentions(silent),
        )
        if waiting:
            text += texts.ROSTER_NOT_AGREED.format(count=len(waiting), who=_mentions(waiting))
        lines = [part for line in text.split("\n") for part in pack(line.split(", "), sep=", ")]
        await reply_lines(interaction, lines, allowed_mentions=discord.AllowedMentions.none())

    # -- /schedule skip, move, clear, events ---------------------------------------------------

    @schedule.command(name="skip", description="Skip one session of the series (leaders)")
    @app_commands.describe(
        date="The session's date, YYYY-MM-DD", group="Which group (default: this channel's)"
    )
    async def skip(
        self, interaction: discord.Interaction, date: str, group: str | None = None
    ) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_SKIP)
        text, failed = await changes.skip_date(self.bot, found, date)
        await self._answer(interaction, text, failed)

    @schedule.command(name="move", description="Move one session of the series (leaders)")
    @app_commands.describe(
        date="The session's original date, YYYY-MM-DD",
        new_date="The new date, YYYY-MM-DD",
        new_time="The new start time, HH:MM in the group's time zone",
        group="Which group (default: this channel's)",
    )
    async def move(
        self,
        interaction: discord.Interaction,
        date: str,
        new_date: str,
        new_time: str,
        group: str | None = None,
    ) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_MOVE)
        text, failed = await changes.move_date(self.bot, found, date, new_date, new_time)
        await self._answer(interaction, text, failed)

    @schedule.command(name="clear", description="Remove the schedule and its sessions (leaders)")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def clear(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_CLEAR)
        async with self.bot.db.transaction():
            await store.clear(self.bot.db, found.id)
        outcome = await plan.replan(self.bot, found.id)
        await self._answer(
            interaction, texts.CLEAR_DONE.format(group=found.name), outcome.event_failed
        )

    @schedule.command(name="events", description="Turn the Discord event on or off (leaders)")
    @app_commands.describe(state="on or off", group="Which group (default: this channel's)")
    @app_commands.choices(state=ON_OFF)
    async def events_(
        self, interaction: discord.Interaction, state: str, group: str | None = None
    ) -> None:
        found = await self._leader_group(interaction, group, Action.SCHEDULE_SET)
        enabled = state == "on"
        await group_store.update_settings(self.bot.db, found.id, events_enabled=int(enabled))
        text = texts.EVENTS_DONE[enabled]
        if enabled:
            failed = (await plan.replan(self.bot, found.id)).event_failed
        else:
            failed = await plan.drop_event(self.bot, found)
            text = texts.EVENTS_OFF_KEPT if failed is not None else text
        await self._answer(interaction, text.format(group=found.name), failed)

    # -- autocomplete -----------------------------------------------------------------------

    @set_.autocomplete("group")
    @once.autocomplete("group")
    @show.autocomplete("group")
    @calendar.autocomplete("group")
    @roster_.autocomplete("group")
    @skip.autocomplete("group")
    @move.autocomplete("group")
    @clear.autocomplete("group")
    @events_.autocomplete("group")
    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Scheduling(bot))
    await bot.add_cog(Reminders(bot))
