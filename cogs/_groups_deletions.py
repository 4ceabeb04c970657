"""A group's role or channel deleted by hand: the leaders are told, once, how to fix it.

Why two paths: the gateway says CHANNEL_DELETE / GUILD_ROLE_DELETE while the bot
is connected, but Discord does not replay events missed while it was down (a
restart, an update). So at each READY (the guild cache is there by then) the
stored ids of every active group are compared with the guild as well.

Why the id is cleared once told: the store then says "missing" (None), which
/group repair recreates like a deleted object, and neither a later READY nor a
second event can tell the leaders about the same deletion again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import groups as store
from bot.store.groups import Group
from bot.texts import groups as texts
from cogs._dm_names import line_of
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


def _parts(group: Group) -> dict[str, int | None]:
    return {
        "role": group.role_id,
        "category": group.category_id,
        "lobby": group.lobby_channel_id,
        "leaders": group.leaders_channel_id,
    }


async def notice_deletion(
    bot: BalintBot, guild: discord.Guild, object_id: int, *, is_role: bool
) -> None:
    """Tell the leaders that a group's role or channel was deleted by hand, and how to fix it."""
    if is_role:
        group = await store.by_role(bot.db, guild.id, object_id)
    else:
        group = await store.by_channel(bot.db, guild.id, object_id)
    if group is None or group.archived:
        return
    part = next((p for p, stored in _parts(group).items() if stored == object_id), None)
    if part is not None:
        await _tell(bot, group, part)


async def gone_from_discord(guild: discord.Guild, object_id: int, *, is_role: bool) -> bool:
    """Missing from the cache at READY: is it gone from Discord too? Asked, not assumed.

    The cache is rebuilt from each guild's GUILD_CREATE at a READY; on a fresh IDENTIFY
    while the bot runs, a role or channel made just after Discord took that snapshot
    arrives only with its own CREATE event, which Discord orders with no REST answer: the
    bot may have stored it already. Judged from the cache, it was reported deleted. So a
    miss is confirmed by Discord (only then: one call, rare). Discord not answering
    (a 5xx, a refusal, a connection reset) judges nothing: the next READY looks again.
    """
    try:
        if is_role:
            return all(role.id != object_id for role in await guild.fetch_roles())
        await guild.fetch_channel(object_id)
    except discord.NotFound:
        return True
    except REST_FAULTS as exc:  # a reset too: READY goes on to the other parts and groups
        log.warning("could not check %s in guild %s: %s", object_id, guild.id, fault_code(exc))
    return False


async def notice_missing(bot: BalintBot) -> int:
    """At READY: what each active group's store names but the guild no longer has.

    A guild the bot cannot see (left, or unavailable in an outage) is not judged, and a
    miss is confirmed by Discord (`gone_from_discord`). Returns the number of parts
    reported.
    """
    told = 0
    for group in await store.all_active(bot.db):
        guild = bot.get_guild(group.guild_id)
        if guild is None or guild.unavailable:
            continue
        for part, stored in _parts(group).items():
            if stored is None:
                continue  # already reported (or never made): repair knows it is missing
            is_role = part == "role"
            found = guild.get_role(stored) if is_role else guild.get_channel(stored)
            if found is None and await gone_from_discord(guild, stored, is_role=is_role):
                await _tell(bot, group, part)
                told += 1
    return told


async def _tell(bot: BalintBot, group: Group, part: str) -> None:
    # Cleared first: a notice is never given twice, even if telling fails half-way.
    await store.set_discord_id(bot.db, group.id, part, None)
    log.info("group %s: its %s was deleted by hand", group.id, part)
    line = line_of(texts.DELETED_NOTICE, what=texts.REPAIR_PARTS[part])
    # A deleted leaders' channel has left discord.py's cache: the leaders get DMs then.
    await tell_leaders(bot, group, line)
