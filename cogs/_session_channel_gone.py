"""A session channel deleted by hand: the store forgets it (the next start makes another).

Why: a permanent session channel is never deleted by the bot, so no purge clears
the overwrites saved on it; deleted by hand in Discord, they stayed for good (and
the group kept naming a channel that is gone). Two paths, as for a group's parts
(cogs/_groups_deletions.py): CHANNEL_DELETE while connected, and at each READY a
comparison with the guild, since Discord does not replay a deletion missed while
the bot was down. A guild the bot cannot see (left, or unavailable) is not judged, and
a channel missing from the cache is asked of Discord first: one made just after a
reconnect's snapshot reaches the cache later (cogs/_groups_deletions.gone_from_discord).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.store import session_channels
from cogs._groups_deletions import gone_from_discord

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def channel_deleted(bot: BalintBot, guild_id: int, channel_id: int) -> None:
    """CHANNEL_DELETE: any channel; one the store does not name costs two no-op writes."""
    await session_channels.forget_channel(bot.db, guild_id, channel_id)


async def forget_missing(bot: BalintBot) -> int:
    """At READY: forget each session channel the store names but its guild no longer has.

    Returns the number of channels forgotten.
    """
    gone = 0
    for guild_id, channel_id in await session_channels.named_channels(bot.db):
        guild = bot.get_guild(guild_id)
        if guild is None or guild.unavailable or guild.get_channel(channel_id) is not None:
            continue
        if not await gone_from_discord(guild, channel_id, is_role=False):
            continue
        await session_channels.forget_channel(bot.db, guild_id, channel_id)
        log.info("channel %s was deleted while the bot was away: forgotten", channel_id)
        gone += 1
    return gone
