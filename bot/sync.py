"""Command registration: printed offline (`commands`) or uploaded on demand (`sync`).

The tree is never synced at every start (Discord rate-limits it and it is slow);
an operator runs `balint-bot sync` when the commands changed.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.config import Settings
from bot.texts import operator as texts


class SyncRefused(Exception):
    """Discord refused the commands for a server in dev_guild_ids (the bot is not in it)."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(guild_id)
        self.guild_id = guild_id


async def _loaded_bot(settings: Settings) -> Any:
    """A bot with every cog loaded on a throwaway in-memory database."""
    from bot.app import BalintBot, cog_modules

    bot = BalintBot(settings.model_copy(update={"database_path": ":memory:"}))
    await bot.db.open()
    try:
        await bot.db.migrate()
        for name in cog_modules():
            await bot.load_extension(name)
    except BaseException:
        await bot.db.close()
        raise
    return bot


async def command_payloads(settings: Settings) -> list[dict[str, Any]]:
    """The JSON that `sync` uploads, built without connecting."""
    bot = await _loaded_bot(settings)
    try:
        return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    finally:
        await bot.db.close()


async def sync_commands(settings: Settings, *, global_: bool = False) -> str:
    """Log in over REST only (no gateway) and upload the command tree."""
    from bot.app import BalintBot

    bot = BalintBot(settings)

    async def upload() -> str:
        assert settings.token is not None
        await bot.login(settings.token.get_secret_value())
        if settings.dev_guild_ids and not global_:
            for guild_id in settings.dev_guild_ids:
                guild = discord.Object(id=guild_id)
                bot.tree.copy_global_to(guild=guild)
                try:
                    await bot.tree.sync(guild=guild)
                except discord.Forbidden as exc:
                    raise SyncRefused(guild_id) from exc
            count = len(bot.tree.get_commands())
            return texts.SYNCED_TO_GUILDS.format(count=count, guilds=settings.dev_guild_ids)
        synced = await bot.tree.sync()
        return texts.SYNCED_GLOBALLY.format(count=len(synced))

    try:
        return await upload()
    finally:
        await bot.close()
