"""Attendance: recorded from presence signals, completed when a session ends, read by commands.

Facilitation dispatches `balint_member_present` and `balint_session_ended`;
this cog turns them into the training record members and leaders rely on.
The rules are in bot/domain/attendance.py; this cog gathers facts and answers.
"""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot import charts, names
from bot.access import group_autocomplete, require, resolve_group
from bot.domain import attendance as rules
from bot.domain.access import Action
from bot.errors import Refused, UserError, reply
from bot.store import attendance as store
from bot.store import groups as group_store
from bot.store.groups import LEADER_ROLES
from bot.store.session_refs import SessionRef
from bot.texts import attendance as texts
from cogs._attendance_common import display_name, parse_date_option, pick_session, session_date
from cogs._attendance_render import (
    certificate_markdown,
    export_csv,
    file_slug,
    group_table,
    me_text,
)

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

TABLE_SESSIONS = 8
CHART_DAYS = 183  # about six months


class Attendance(commands.Cog):
    attendance = app_commands.Group(
        name="attendance", description="Attendance records", guild_only=True
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    # -- signals from facilitation ------------------------------------------------------

    @commands.Cog.listener("on_balint_member_present")
    async def on_member_present(
        self,
        session_id: int,
        user_id: int,
        source: str,
        facts: store.PresenceFacts | None = None,
    ) -> None:
        """`facts`: read with a button press (session_group.get_for), before its change as
        this read would be; a stale entry is caught by the write's own check below."""
        if facts is None:
            facts = await store.presence_facts(self.bot.db, session_id, user_id)
        if facts is None or facts.session.status == "cancelled":
            return
        session = facts.session
        if source == rules.Source.COMMAND and not rules.command_counts(
            session.started_at, session.scheduled_start, session.scheduled_end, self.bot.now()
        ):
            return  # e.g. a leader ending a forgotten meeting from the lobby days later
        if not facts.in_group:
            return  # only members of the group have an attendance record
        decided = self._decide(session, facts.existing, source)
        if decided is None:
            if facts.round_without_them:  # added back, say, already recorded present
                self.bot.dispatch("balint_member_arrived", session_id, user_id)
            return  # the usual case (already present): no write, no transaction
        # One statement, written only if the entry is still the one decided on; if another
        # signal or a leader's mark came in between, decide again on what is there now.
        now = self.bot.now()
        status, new_source = decided
        if not await store.put_if_unchanged(
            self.bot.db, session_id, user_id, status, new_source, now, facts.existing
        ):
            async with self.bot.db.transaction():
                decided = await self._presence_entry(session, user_id, source)
                if decided is not None:
                    status, new_source = decided
                    await store.put(self.bot.db, session_id, user_id, status, new_source, now)
        if facts.round_without_them or (decided is not None and decided[0] == rules.Status.PRESENT):
            # A round under way without them (first seen, or made a member since it began):
            # a turn at its end, if the rule under the session's lock still owes one.
            self.bot.dispatch("balint_member_arrived", session_id, user_id)

    async def _presence_entry(
        self, session: SessionRef, user_id: int, source: str
    ) -> rules.Entry | None:
        """What a presence signal would write now (read again inside the transaction)."""
        existing = await store.entry(self.bot.db, session.id, user_id)
        return self._decide(session, existing, source)

    def _decide(
        self, session: SessionRef, existing: store.Entry | None, source: str
    ) -> rules.Entry | None:
        return rules.on_presence(
            (existing.status, existing.source) if existing else None,
            source,
            ended_at=session.ended_at,
            at=self.bot.now(),
        )

    @commands.Cog.listener("on_balint_session_ended")
    async def on_session_ended(self, session_id: int) -> None:
        """Everyone in the group without an entry: excused if they said no, else absent.

        Two statements for the whole group, each atomic and idempotent (the end's timer
        re-runs this after a crash): no transaction, and no read of who is recorded.
        """
        excused = rules.on_session_end(already_recorded=False, said_no=True)
        absent = rules.on_session_end(already_recorded=False, said_no=False)
        assert excused is not None and absent is not None
        await store.complete(self.bot.db, session_id, LEADER_ROLES, excused, absent, self.bot.now())

    # -- commands -----------------------------------------------------------------------

    @attendance.command(name="mark", description="Correct one member's attendance (leaders)")
    @app_commands.describe(
        member="Whose attendance to correct",
        status="What to record",
        date=(
            "The session's date, YYYY-MM-DD; add HH:MM (group's time) if it met twice "
            "(default: latest)"
        ),
        group="The group (default: this channel's group)",
    )
    async def mark(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        status: Literal["present", "absent", "excused"],
        date: str | None = None,
        group: str | None = None,
    ) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.ATTENDANCE_MARK, found)
        if await group_store.membership(self.bot.db, found.id, member.id) is None:
            shown = names.markdown(member.display_name)
            raise UserError(texts.NOT_IN_GROUP.format(member=shown, group=found.name))
        session = await pick_session(self.bot, found, date)
        await store.put(
            self.bot.db, session.id, member.id, status, rules.Source.LEADER, self.bot.now()
        )
        await reply(
            interaction,
            texts.MARKED.format(
                member=member.mention,
                status=texts.STATUS_NAMES[status],
                date=session_date(session, found.zone).isoformat(),
                group=found.name,
            ),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @attendance.command(name="me", description="Your own attendance record")
    @app_commands.describe(group="The group (default: this channel's group)")
    async def me(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.ATTENDANCE_ME, found)
        record = await self._record(found, interaction.user.id)
        await reply(interaction, me_text(found.name, record))

    @attendance.command(name="group", description="A table of the group's attendance (leaders)")
    @app_commands.describe(group="The group (default: this channel's group)")
    async def group_view(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.ATTENDANCE_GROUP, found)
        sessions = await store.ended_sessions(self.bot.db, found.id, latest=TABLE_SESSIONS)
        if not sessions:
            raise UserError(texts.GROUP_NONE.format(group=found.name))
        entries = await store.for_sessions(self.bot.db, [s.id for s in sessions])
        by_key = {(e.session_id, e.user_id): e.status for e in entries}
        recorded = {e.user_id for e in entries}
        everyone = await group_store.members(self.bot.db, found.id, include_left=True)

        def row(user_id: int) -> tuple[str, list[str | None]]:
            statuses = [by_key.get((s.id, user_id)) for s in sessions]
            return display_name(interaction.guild, user_id), statuses

        rows = [row(m.user_id) for m in everyone if m.left_at is None]
        # Who came before leaving still came: without them a session's count is wrong.
        former = [row(m.user_id) for m in everyone if m.left_at and m.user_id in recorded]
        dates = [session_date(s, found.zone) for s in sessions]
        await reply(interaction, group_table(found.name, dates, rows, former))

    @attendance.command(name="export", description="Attendance as a CSV file (leaders)")
    @app_commands.rename(start="from", end="to")
    @app_commands.describe(
        group="The group (default: this channel's group)",
        start="First date, YYYY-MM-DD (default: the first session)",
        end="Last date, YYYY-MM-DD (default: today)",
    )
    async def export(
        self,
        interaction: discord.Interaction,
        group: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.ATTENDANCE_EXPORT, found)
        first = parse_date_option(start) if start else None
        last = parse_date_option(end) if end else None
        if first and last and first > last:
            raise UserError(texts.BAD_RANGE.format(start=first, end=last))
        await interaction.response.defer(ephemeral=True, thinking=True)
        sessions = await store.ended_sessions(self.bot.db, found.id)
        dated = {s.id: session_date(s, found.zone) for s in sessions}
        chosen = {
            sid: day
            for sid, day in dated.items()
            if (first is None or day >= first) and (last is None or day <= last)
        }
        entries = await store.for_sessions(self.bot.db, list(chosen))
        rows = sorted(
            (chosen[e.session_id], e.user_id, display_name(interaction.guild, e.user_id), e.status)
            for e in entries
        )
        shown_start = (first or (min(chosen.values()) if chosen else None)) or "-"
        shown_end = (last or (max(chosen.values()) if chosen else None)) or "-"
        if not rows:
            await reply(
                interaction,
                texts.EXPORT_EMPTY.format(group=found.name, start=shown_start, end=shown_end),
            )
            return
        name = f"attendance-{file_slug(found.name)}-{shown_start}-{shown_end}.csv"
        await reply(
            interaction,
            texts.EXPORT_DONE.format(
                group=found.name, start=shown_start, end=shown_end, rows=len(rows)
            ),
            file=discord.File(io.BytesIO(export_csv(rows)), filename=name),
        )

    @attendance.command(
        name="certificate", description="An attendance certificate to keep or hand in"
    )
    @app_commands.describe(
        member="Whose certificate (default: yours; only leaders may name someone else)",
        group="The group (default: this channel's group)",
    )
    async def certificate(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        group: str | None = None,
    ) -> None:
        """Members mostly want their own: naming oneself is not required (the README's form)."""
        if member is None:
            member = cast(discord.Member, interaction.user)
        found = await resolve_group(self.bot, interaction, group)
        who = await require(self.bot, interaction, Action.ATTENDANCE_CERTIFICATE, found)
        if member.id != interaction.user.id and not who.is_leader:
            raise Refused(texts.CERT_ONLY_SELF)
        if await group_store.membership(self.bot.db, found.id, member.id) is None:
            shown = names.markdown(member.display_name)
            raise UserError(texts.NOT_IN_GROUP.format(member=shown, group=found.name))
        dated, mine = await self._entries(found, member.id)
        record = rules.summarise_member((dated[e.session_id], e.status) for e in mine)
        # Who led each session they came to, as recorded at its end: not today's leaders.
        came = [e.session_id for e in mine if e.status == rules.Status.PRESENT]
        led = await store.leaders_of(self.bot.db, came)
        led_by = [
            (dated[sid], [display_name(interaction.guild, u) for u in led.get(sid, [])])
            for sid in came
        ]
        cert = rules.certificate(member.display_name, found.name, record, led_by)
        issued = rules.local_date(self.bot.now(), found.zone)
        name = f"attendance-{file_slug(member.display_name)}-{file_slug(found.name)}.md"
        await reply(
            interaction,
            texts.CERT_DONE.format(member=names.markdown(member.display_name), group=found.name),
            file=discord.File(io.BytesIO(certificate_markdown(cert, issued)), filename=name),
        )

    @attendance.command(name="chart", description="A bar chart of attendance (leaders)")
    @app_commands.describe(group="The group (default: this channel's group)")
    async def chart(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.ATTENDANCE_CHART, found)
        since = self.bot.now() - timedelta(days=CHART_DAYS)
        sessions = await store.ended_sessions(self.bot.db, found.id, since=since)
        if not sessions:
            raise UserError(texts.CHART_NONE.format(group=found.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        entries = await store.for_sessions(self.bot.db, [s.id for s in sessions])
        totals = rules.per_session_totals(
            [s.id for s in sessions], ((e.session_id, e.status) for e in entries)
        )
        labels = [session_date(s, found.zone).isoformat() for s in sessions]
        series = {
            status.value: [totals[s.id][status] for s in sessions]
            for status in (rules.Status.PRESENT, rules.Status.EXCUSED, rules.Status.ABSENT)
        }
        png = await charts.render_attendance(
            labels, series, title=texts.CHART_TITLE, y_label=texts.CHART_Y
        )
        await reply(
            interaction,
            texts.CHART_DONE.format(group=found.name),
            file=discord.File(io.BytesIO(png), filename="attendance.png"),
        )

    @mark.autocomplete("group")
    @me.autocomplete("group")
    @group_view.autocomplete("group")
    @export.autocomplete("group")
    @certificate.autocomplete("group")
    @chart.autocomplete("group")
    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)

    # -- helpers ------------------------------------------------------------------------

    async def _entries(
        self, group: group_store.Group, user_id: int
    ) -> tuple[dict[int, date], list[store.Entry]]:
        """The local date of each ended session, and the member's entries in them."""
        sessions = await store.ended_sessions(self.bot.db, group.id)
        dated = {s.id: session_date(s, group.zone) for s in sessions}
        entries = await store.for_sessions(self.bot.db, list(dated))
        return dated, [e for e in entries if e.user_id == user_id]

    async def _record(self, group: group_store.Group, user_id: int) -> rules.MemberRecord:
        dated, mine = await self._entries(group, user_id)
        return rules.summarise_member((dated[e.session_id], e.status) for e in mine)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Attendance(bot))
