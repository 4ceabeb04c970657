"""/balint about: what the bot is, its version, the data it keeps, where help is."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.config import GuardMode
from bot.errors import reply
from bot.texts import common as texts

if TYPE_CHECKING:
    from bot.app import BalintBot


def guard_line(bot: BalintBot) -> str:
    """The guard needs the Message Content intent; say plainly when it is off."""
    if not bot.intents.message_content or bot.settings.guard_mode is GuardMode.OFF:
        return texts.ABOUT_GUARD_OFF
    return texts.ABOUT_GUARD_ON.format(mode=bot.settings.guard_mode.value)


class About(commands.Cog):
    balint = app_commands.Group(name="balint", description="About balint-bot")

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    @balint.command(name="about", description="What this bot is, the data it keeps, where help is")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(
            title=texts.ABOUT_TITLE.format(version=__version__),
            description=texts.ABOUT_BODY,
            colour=discord.Colour.teal(),
        )
        help_line = texts.ABOUT_HELP.format(url=texts.HELP_URL)
        embed.add_field(name=texts.ABOUT_FIELD_DATA, value=texts.ABOUT_DATA, inline=False)
        embed.add_field(name=texts.ABOUT_FIELD_GUARD, value=guard_line(self.bot), inline=False)
        embed.add_field(name=texts.ABOUT_FIELD_HELP, value=help_line, inline=False)
        await reply(interaction, embed=embed)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(About(bot))
