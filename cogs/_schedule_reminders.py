"""/reminders on|off: a member's own choice, per group (a cog of its own, loaded by scheduling).

Apart from cogs/scheduling.py because it is a member's command, not a
leader's: it changes nothing about the group's sessions or timers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import group_autocomplete, require, resolve_group
from bot.domain.access import Action
from bot.errors import reply
from bot.store import groups as group_store
from bot.texts import scheduling as texts

if TYPE_CHECKING:
    from bot.app import BalintBot

ON_OFF = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]


class Reminders(commands.Cog):
    """/reminders on|off: a member's own choice, per group."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    @app_commands.command(name="reminders", description="Turn your session reminders on or off")
    @app_commands.describe(state="on or off", group="Which group (default: this channel's)")
    @app_commands.choices(state=ON_OFF)
    @app_commands.guild_only()
    async def reminders(
        self, interaction: discord.Interaction, state: str, group: str | None = None
    ) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.REMINDERS_TOGGLE, found)
        enabled = state == "on"
        await group_store.set_reminders(self.bot.db, found.id, interaction.user.id, enabled)
        await reply(interaction, texts.REMINDERS_DONE[enabled].format(group=found.name))

    @reminders.autocomplete("group")
    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(self.bot, interaction, current)
