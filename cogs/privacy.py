"""/privacy show | export | forget, and the daily retention job.

Why: members must be able to see what is kept about them and why, take it with
them, and have it erased; and nothing stays longer than the retention period.
Everything here is generated from bot/store/data_kinds.py, so it cannot drift
from the schema. /privacy also works in a DM with the bot: it is about the
person, not a server, and a DM is the most private place to ask.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.cases import stale_offers_before
from bot.domain.guard import warned_edits_before
from bot.errors import reply
from bot.store import cases as case_store
from bot.store import guard_edits
from bot.store import privacy as privacy_store
from bot.store.data_kinds import DATA_KINDS
from bot.store.privacy import ExportNames
from bot.store.timers import Timer
from bot.texts import privacy as texts
from cogs._privacy_export import export_files, fit_upload
from cogs._privacy_forget import (
    K_FORGET,
    K_FORGET_MEETING,
    Erasures,
    ForgetButton,
    meeting_part,
    sole_leader_line,
    sole_led,
)
from cogs._privacy_lines import Namer

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

RETENTION = "retention"
RETENTION_HOUR = time(3, 0, tzinfo=UTC)  # a quiet hour for most groups
EMBED_CHARS = 5500  # Discord allows 6000 per message; leave room for titles
EMBED_FIELDS = 25


def show_embeds(retention_days: int) -> list[discord.Embed]:
    """Every kind of data and why, packed into as few embeds as Discord allows."""
    embeds: list[discord.Embed] = []
    embed = discord.Embed(
        title=texts.SHOW_TITLE,
        description=texts.SHOW_INTRO.format(days=retention_days),
        colour=discord.Colour.teal(),
    )
    used = len(embed.title or "") + len(embed.description or "")
    for kind in DATA_KINDS:
        value = texts.SHOW_FIELD.format(why=kind.why, retention=kind.retention)[:1024]
        size = len(kind.title) + len(value)
        if len(embed.fields) >= EMBED_FIELDS or used + size > EMBED_CHARS:
            embeds.append(embed)
            embed = discord.Embed(colour=discord.Colour.teal())
            used = 0
        embed.add_field(name=kind.title, value=value, inline=False)
        used += size
    embeds.append(embed)
    return embeds


def _mb(size: int) -> str:
    """A size in megabytes, as a person reads it ("10.0")."""
    return f"{size / 2**20:.1f}"


def next_retention_run(now: datetime) -> datetime:
    """The next quiet hour strictly after now (tomorrow's if today's has passed)."""
    today = datetime.combine(now.date(), RETENTION_HOUR)
    return today if today > now else today + timedelta(days=1)


class Privacy(commands.Cog):
    privacy = app_commands.Group(
        name="privacy",
        description="What balint-bot keeps about you; take it or erase it",
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=False
        ),
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self.erasures = Erasures(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ForgetButton)
        self.bot.timers.register(RETENTION, self.run_retention, idempotent=True)
        # An erasure, and its part of a meeting under way (cogs/_privacy_forget.py): each
        # re-run after a crash, however late.
        self.bot.timers.register(K_FORGET, self.erasures.run, grace=None, idempotent=True)
        self.bot.timers.register(
            K_FORGET_MEETING, lambda t: meeting_part(self.bot, t), grace=None, idempotent=True
        )
        if not await privacy_store.pending_timer_of_kind(self.bot.db, RETENTION):
            await self.arm_retention(self.bot.clock.now())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ForgetButton)

    async def arm_retention(self, now: datetime) -> None:
        due = next_retention_run(now)
        await self.bot.timers.add(
            kind=RETENTION, key=f"retention:{due.date().isoformat()}", due_at=due
        )

    async def run_retention(self, timer: Timer) -> None:
        """Delete what is older than the retention period, offers no meeting will use
        (bot.domain.cases.stale_offers_before) and the guard's older warned edits
        (bot.domain.guard.warned_edits_before), then arm tomorrow's run."""
        now = self.bot.clock.now()
        cutoff = now - timedelta(days=self.bot.settings.retention_days)
        deleted = await privacy_store.purge_expired(self.bot.db, cutoff)
        stale = await case_store.delete_stale_offers(self.bot.db, stale_offers_before(now))
        deleted["offers"] = deleted.get("offers", 0) + stale
        old_edits = warned_edits_before(now)
        deleted["guard_warned_edits"] = await guard_edits.forget_before(self.bot.db, old_edits)
        log.info(
            "retention: deleted rows older than %s: %s",
            cutoff.date().isoformat(),
            ", ".join(f"{table}={count}" for table, count in deleted.items() if count) or "none",
        )
        await self.arm_retention(now)

    @privacy.command(name="show", description="Every kind of data balint-bot keeps, and why")
    async def show(self, interaction: discord.Interaction) -> None:
        first, *rest = show_embeds(self.bot.settings.retention_days)
        await reply(interaction, embed=first)
        for embed in rest:
            await interaction.followup.send(embed=embed, ephemeral=True)

    @privacy.command(name="export", description="Get a file of every record kept about you")
    async def export(self, interaction: discord.Interaction) -> None:
        user_id = interaction.user.id
        await interaction.response.defer(ephemeral=True, thinking=True)  # years take time
        rows = await privacy_store.export_rows(self.bot.db, user_id)
        names = await privacy_store.export_names(self.bot.db, rows)
        namer = Namer(names, self._guild_names(rows, names), self._channel_names(rows))
        made, count = export_files(user_id, rows, self.bot.clock.now(), namer)
        log.info("privacy export: user %s, %d rows", user_id, count)
        limit = interaction.filesize_limit
        fitted = fit_upload(made, limit)
        if fitted is None:
            size = sum(len(data) for _, data in made)
            too_large = texts.EXPORT_TOO_LARGE.format(size=_mb(size), limit=_mb(limit))
            await reply(interaction, too_large)
            return
        files = [discord.File(io.BytesIO(data), filename=name) for name, data in fitted]
        done = texts.EXPORT_DONE.format(
            rows=count, summary=made[0][0], json_file=texts.EXPORT_FILENAME
        )
        if fitted is not made:
            done += " " + texts.EXPORT_ZIPPED.format(zip_file=fitted[0][0])
        await reply(interaction, done, files=files)

    def _guild_names(
        self, rows: dict[str, list[dict[str, Any]]], names: ExportNames
    ) -> dict[int, str]:
        """The servers named in the rows (a voice mute's) or the groups', as the member
        sees them."""
        ids = {row["guild_id"] for found in rows.values() for row in found if row.get("guild_id")}
        ids |= {g["guild_id"] for g in names.groups.values() if g.get("guild_id")}
        return {gid: guild.name for gid in ids if (guild := self.bot.get_guild(gid))}

    def _channel_names(self, rows: dict[str, list[dict[str, Any]]]) -> dict[int, str]:
        """The channels named in the rows (a saved permission's), while they exist."""
        ids = {row["channel_id"] for row in rows.get("saved_overwrites", [])}
        found = {cid: self.bot.get_channel(cid) for cid in ids}
        return {cid: name for cid, ch in found.items() if (name := getattr(ch, "name", None))}

    @privacy.command(name="forget", description="Erase every record kept about you")
    async def forget(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.user.id))
        ask = texts.FORGET_ASK
        alone = await sole_led(self.bot, interaction.user.id)
        if alone:
            ask += "\n\n" + sole_leader_line(self.bot, texts.FORGET_SOLE_LEADER, alone)
        ask += "\n\n" + texts.FORGET_HOW.format(button=texts.FORGET_BUTTON)
        await reply(interaction, ask, view=view)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Privacy(bot))
