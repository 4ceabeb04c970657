"""What the operator should hear at start-up: permissions the bot lacks, commands not synced.

Why: both mistakes are silent on Discord. A missing permission shows up later,
far from its cause (a session that will not start); slash commands never
uploaded with `balint-bot sync` simply do not appear for anyone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.permissions_needed import missing
from bot.store import groups as group_store
from bot.texts import operator as texts

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


def report_permissions(guild: discord.Guild) -> list[str]:
    """Log the invite's permissions the bot lacks in this server; returns them."""
    me = guild.me  # None when a compatible server's guild data leaves out the bot's member
    if me is None:
        return []
    lacking = missing(me.guild_permissions)
    if lacking:
        log.warning(
            texts.LOG_MISSING_PERMISSIONS.format(
                guild=guild.name, guild_id=guild.id, permissions=", ".join(lacking)
            )
        )
    return lacking


async def report_role_order(bot: BalintBot, guild: discord.Guild) -> list[str]:
    """Log the server's groups whose role the bot's own role does not outrank; returns them.

    Why: README step 5. An admin who drags a group's role above the bot's breaks that
    group quietly: Discord refuses every grant and removal of the role, which a leader
    first meets at /group add. Discord's order: position, then the older role above.
    """
    me = guild.me
    if me is None:
        return []
    top = me.top_role
    above = []
    for group in await group_store.in_guild(bot.db, guild.id):
        role = guild.get_role(group.role_id) if group.role_id else None
        if role is not None and role >= top:
            above.append(group.name)
    if above:
        names = ", ".join(f"“{name}”" for name in above)
        log.warning(texts.LOG_ROLE_ORDER.format(guild=guild.name, guild_id=guild.id, groups=names))
    return above


async def report_unsynced_commands(bot: BalintBot) -> set[str]:
    """Compare the tree's command names with Discord's (global and dev_guild_ids); log a gap.

    Names only: Discord adds fields of its own to what it stores, so a full comparison
    would cry wolf. One GET per scope, once per process; a failure only skips the check.
    """
    local = {command.name for command in bot.tree.get_commands()}
    app_id = bot.application_id
    if app_id is None:
        return set()
    # Raw JSON, not discord.py's AppCommand: a compatible server's answer may lack a field
    # that model requires, and the names are all this compares.
    remote: set[str] = set()
    try:
        for guild_id in [None, *bot.settings.dev_guild_ids]:
            if guild_id is None:
                answer = await bot.http.get_global_commands(app_id)
            else:
                answer = await bot.http.get_guild_commands(app_id, guild_id)
            if not isinstance(answer, list):  # an empty body or an object: nothing to compare
                log.info("could not compare the slash commands: the server's answer is no list")
                return set()
            remote |= {str(c.get("name")) for c in answer if isinstance(c, dict)}
    except discord.HTTPException as exc:
        log.info("could not compare the slash commands with Discord's: %s", exc.status)
        return set()
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:  # only informs: never fatal
        log.info("could not compare the slash commands with Discord's: %r", exc)
        return set()
    gap = (local - remote) | (remote - local)
    if not remote:
        log.warning(texts.LOG_COMMANDS_NONE.format(count=len(local)))
    elif gap:
        log.warning(texts.LOG_COMMANDS_DIFFER.format(names=", ".join(sorted(gap))))
    return gap
